"""Members submit library items; editors approve or reject them from /review/; published
items change through proposals and keep their history, like lessons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from altto.library.models import Creator, Item
from altto.notifications.models import Notification
from altto.revisions import actions as revisions
from altto.revisions.models import Proposal, Revision
from tests.conftest import make_user
from tests.library.factories import make_activity, make_edition

pytestmark = pytest.mark.django_db

SUBMIT = "/library/submit/"
QUEUE = "/review/"


def activity_form(edition, /, **changes) -> dict:
    form = {
        "kind": "activity",
        "title": "Past tense bingo",
        "summary": "Bingo with last weekend's verbs.",
        "school_levels": ["jhs"],
        "grades": ["8"],
        "tags": "Bingo, past tense, bingo",
        "language": "en",
        "url": "",
        "body": "",
        "edition": str(edition.pk),
        "unit": "Unit 3",
        "grammar_point": "Past tense",
        "skills": ["listening", "speaking"],
        "minutes": "15",
        "group_size": "whole class",
        "materials": "Bingo sheets.",
        "steps": "1. Hand out the sheets.\n2. Call out verbs.",
        "variations": "- Students call the verbs.",
        "licence": "permission",
        "creators": "Kim Ito | https://example.org/kim\nAki Mori",
        "publisher": "JALT",
        "source_url": "https://jalt.org/bingo",
    }
    form.update(changes)
    return form


def pdf(name="plan.pdf", content=b"%PDF-1.4 lesson plan\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def edition(db):
    return make_edition("new-horizon", 2021)


@pytest.fixture
def submission(client, new_alt, edition):
    client.force_login(new_alt)
    response = client.post(SUBMIT, activity_form(edition))
    assert response.status_code == 302
    client.logout()
    return Item.objects.get(slug="past-tense-bingo")


def test_a_member_submits_an_activity_and_an_editor_publishes_it(
    client, new_alt, contributor, editor, edition, django_capture_on_commit_callbacks
):
    client.force_login(new_alt)
    response = client.post(SUBMIT, activity_form(edition), follow=True)
    assert "is waiting for an editor" in response.content.decode()
    assert "Your submissions" in response.content.decode()
    item = Item.objects.get(slug="past-tense-bingo")
    assert (item.status, item.submitted_by, item.edition, item.unit) == (
        Item.Status.SUBMITTED,
        new_alt,
        edition,
        "Unit 3",
    )
    assert (item.grades, item.skills, item.minutes) == ([8], ["listening", "speaking"], 15)
    assert sorted(item.tags.values_list("slug", flat=True)) == ["bingo", "past-tense"]
    assert [(c.name, c.url) for c in item.creators.all()] == [
        ("Kim Ito", "https://example.org/kim"),
        ("Aki Mori", ""),
    ]
    first = revisions.head(item)
    assert (first.number, first.kind, first.author, first.summary) == (
        1,
        Revision.Kind.EDIT,
        new_alt,
        "Submitted",
    )
    # Not in the library, and its page is the editors' only.
    assert "Past tense bingo" not in client.get("/library/").content.decode()
    assert client.get(item.get_absolute_url()).status_code == 404

    client.force_login(editor)
    queue = client.get(QUEUE).content.decode()
    assert "New library submissions" in queue
    assert item.get_absolute_url() in queue
    assert "1 rights problem" in queue  # "used with permission", but no permission recorded
    page = client.get(item.get_absolute_url()).content.decode()
    assert "/approve/" in page and "/reject/" in page

    # Refused while the rights are incomplete: the problems are shown, nothing changes.
    response = client.post(f"{item.get_absolute_url()}approve/", follow=True)
    assert "cannot be published until its rights are complete" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED

    # The editor learns the activity is the member's own work: its rights are complete.
    Item.objects.filter(pk=item.pk).update(licence="original", publisher="", source_url="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{item.get_absolute_url()}approve/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED and item.published_at
    note = Notification.objects.get(user=new_alt)
    assert (note.kind, note.url) == ("submission_published", item.get_absolute_url())
    assert "Past tense bingo" in note.message()
    assert item.get_absolute_url() not in client.get(QUEUE).content.decode()

    # Another member finds it by its textbook unit.
    client.force_login(contributor)
    found = client.get("/library/?textbook=new-horizon&edition=2021&unit=Unit+3").content.decode()
    assert "Past tense bingo" in found
    assert (
        "Past tense bingo"
        not in client.get(
            "/library/?textbook=new-horizon&edition=2021&unit=Unit+4"
        ).content.decode()
    )


def test_an_editor_rejects_a_submission_with_a_reason(
    client, editor, new_alt, submission, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = f"{submission.get_absolute_url()}reject/"
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "why it is not accepted" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Item.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "We already have this game."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Item.Status.UNPUBLISHED
    assert submission.takedown_reason == "We already have this game."
    note = Notification.objects.get(user=new_alt)
    assert note.kind == "submission_rejected"
    assert "We already have this game." in note.message()
    assert submission.get_absolute_url() not in client.get(QUEUE).content.decode()
    # The member sees the outcome and the reason with their submissions.
    client.force_login(new_alt)
    mine = client.get(SUBMIT).content.decode()
    assert "Unpublished" in mine and "We already have this game." in mine


def test_errors_keep_what_was_typed(client, new_alt, edition):
    client.force_login(new_alt)
    form = activity_form(
        edition,
        title="",
        steps="",
        creators="Kim Ito | not a link",
        minutes="999",
        summary="Keep me",
    )
    response = client.post(SUBMIT, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Keep me" in page and "Kim Ito | not a link" in page and "Bingo sheets." in page
    errors = response.context["form"].errors
    assert set(errors) == {"title", "steps", "creators", "minutes"}
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "video", "url": "https://example.org/clip"}, "url"),
        ({"kind": "link", "url": ""}, "url"),
        ({"kind": "article", "body": ""}, "body"),
        ({"kind": "document"}, "file"),
        ({"kind": "document", "file": pdf("plan.pdf", b"MZ\x90\x00 not a pdf")}, "file"),
        ({"file": pdf()}, "file"),
        ({"edition": "", "unit": "Unit 3"}, "edition"),
        ({"tags": "ひらがな"}, "tags"),
    ],
)
def test_bad_submissions_are_refused(client, new_alt, edition, changes, field):
    client.force_login(new_alt)
    response = client.post(SUBMIT, activity_form(edition, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Item.objects.exists()


def test_a_member_submits_a_document_checked_by_its_content(client, new_alt, edition):
    client.force_login(new_alt)
    form = activity_form(edition, kind="document", title="Lesson plan", file=pdf())
    assert client.post(SUBMIT, form).status_code == 302
    item = Item.objects.get(slug="lesson-plan")
    assert (item.kind, item.file_type, item.status) == ("document", "application/pdf", "submitted")
    assert item.file.name.endswith(".pdf") and item.unit == ""


def test_obsolete_editions_are_not_offered(client, new_alt, edition):
    old = make_edition("new-horizon", 2016, obsolete=True)
    client.force_login(new_alt)
    choices = client.get(SUBMIT).context["form"].fields["edition"].choices
    offered = {pk for _group, options in choices[1:] for pk, _label in options}
    assert offered == {edition.pk}
    response = client.post(SUBMIT, activity_form(edition, edition=str(old.pk)))
    assert "edition" in response.context["form"].errors


def test_addresses_are_unique_and_made_from_the_title(client, new_alt, edition):
    make_activity("past-tense-bingo", title="Past tense bingo")
    client.force_login(new_alt)
    for _number in range(2):
        assert client.post(SUBMIT, activity_form(edition)).status_code == 302
    client.post(SUBMIT, activity_form(edition, title="Submit"))
    slugs = set(Item.objects.values_list("slug", flat=True))
    assert {"past-tense-bingo-2", "past-tense-bingo-3", "submit-2"} <= slugs


def test_visitors_are_sent_to_sign_in_and_members_cannot_decide(
    client, new_alt, contributor, submission
):
    response = client.get(SUBMIT)
    assert response.status_code == 302 and "/login/" in response.url
    assert client.post(f"{submission.get_absolute_url()}approve/").status_code == 302
    client.force_login(contributor)
    assert client.post(f"{submission.get_absolute_url()}approve/").status_code == 403
    assert client.post(f"{submission.get_absolute_url()}reject/", {"reason": "No"}).status_code == (
        403
    )
    assert client.get(QUEUE).status_code == 403
    submission.refresh_from_db()
    assert submission.status == Item.Status.SUBMITTED


def test_a_proposal_on_a_published_item_goes_through_review_into_its_history(
    client, editor, contributor, django_capture_on_commit_callbacks
):
    item = make_activity()
    revisions.ensure_revision(item, kind="import", summary="Imported")
    url = item.get_absolute_url()
    page = client.get(url).content.decode()
    assert f'href="{url}history/"' in page and f'href="{url}propose/"' in page

    client.force_login(contributor)
    form = client.get(f"{url}propose/")
    assert form.status_code == 200
    assert f'action="{url}propose/"' in form.content.decode()
    assert f'hx-post="{url}propose/preview/"' in form.content.decode()
    data = {**item.revision_data(), "variations": "- Hide three cards."}
    preview = client.post(f"{url}propose/preview/", {**data, "summary": "Harder"})
    assert preview.status_code == 200
    base = form.context["form"].initial["base"]
    response = client.post(f"{url}propose/", {**data, "summary": "Harder", "base": base})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.document == item

    client.force_login(editor)
    queue = client.get(QUEUE).content.decode()
    assert f"/review/proposals/{proposal.pk}/" in queue and item.title in queue
    review = client.get(f"/review/proposals/{proposal.pk}/")
    assert review.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/review/proposals/{proposal.pk}/decide/",
            {
                "action": "approve",
                "comment": "Nice",
                "head": str(review.context["head"].pk),
                "version": review.context["version"],
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.variations == "- Hide three cards."
    assert "three" in item.variations_html
    assert Notification.objects.get(user=contributor).kind == "proposal_approved"

    history = client.get(f"{url}history/").content.decode()
    assert "Harder" in history
    assert f'href="{url}history/2/"' in history
    assert f"{url}history/compare/?from=1&amp;to=2" in history
    compare = client.get(f"{url}history/compare/?from=1&to=2")
    assert compare.status_code == 200 and "three" in compare.content.decode()
    old = client.get(f"{url}history/1/")
    assert old.status_code == 200 and f'action="{url}history/1/rollback/"' in old.content.decode()
    response = client.post(f"{url}history/1/rollback/")
    assert response.status_code == 302 and response.url == f"{url}history/"
    item.refresh_from_db()
    assert item.variations == "- Hide two cards."
    assert client.post(f"{url}reviewed/").status_code == 302
    assert revisions.head(item).kind == Revision.Kind.REVIEW


def test_unpublished_items_are_closed_to_proposals_and_their_history_is_the_editors(
    client, contributor, editor, submission
):
    url = submission.get_absolute_url()
    client.force_login(contributor)
    assert client.get(f"{url}history/").status_code == 404
    assert client.get(f"{url}propose/").status_code == 404
    client.force_login(editor)
    assert client.get(f"{url}history/").status_code == 200
    response = client.post(f"{url}propose/", {**submission.revision_data(), "summary": "x"})
    assert response.status_code in (400, 409)
    assert not Proposal.objects.exists()


def test_the_submit_page_runs_a_fixed_number_of_queries(
    client, new_alt, edition, django_assert_num_queries
):
    client.force_login(new_alt)
    # session, user, editions with their textbooks, the member's submissions, their roles
    with django_assert_num_queries(5):
        assert client.get(SUBMIT).status_code == 200
    for number in range(5):
        make_edition(f"series-{number}", 2020)
        client.post(SUBMIT, activity_form(edition, title=f"Game {number}"))
    with django_assert_num_queries(5):
        assert client.get(SUBMIT).status_code == 200


def test_the_queue_with_submissions_runs_a_fixed_number_of_queries(
    client, editor, edition, django_assert_num_queries
):
    def submit(number):
        member = make_user(f"member{number}")
        client.force_login(member)
        client.post(SUBMIT, activity_form(edition, title=f"Game {number}"))

    client.force_login(editor)
    # With none waiting, the submissions cost 1 query (see tests/revisions/test_review.py).
    with CaptureQueriesContext(connection) as empty:
        client.get(QUEUE)
    baseline = len(empty)
    submit(0)
    client.force_login(editor)
    # With some: the submissions with their submitter, then their creators and permissions.
    with django_assert_num_queries(baseline + 2):
        assert client.get(QUEUE).status_code == 200
    for number in range(1, 8):
        submit(number)
    Creator.objects.filter(name="Aki Mori").delete()
    client.force_login(editor)
    with django_assert_num_queries(baseline + 2):
        page = client.get(QUEUE).content.decode()
    assert page.count("/library/game-") == 8
