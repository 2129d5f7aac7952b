"""Proposing an edit to a lesson, amending and withdrawing it, and the proposal's page."""

import pytest

from altto.revisions import actions
from altto.revisions.models import FreshnessVote, Proposal, ProposalEvent
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = pytest.mark.django_db
URL = "/modules/team-teaching/planning/propose/"
PREVIEW_URL = URL + "preview/"


@pytest.fixture
def text(db):
    """The lesson's English text, with a knowledge check and an imported first revision."""
    lesson = make_lesson(make_module(), "planning", title="Planning together")
    add_check(lesson)
    text = lesson.texts.get()
    actions.ensure_revision(text, kind="import", summary="Imported")
    return text


def form_data(text, **changes) -> dict:
    """What the form sends when nothing was touched, with `changes` applied."""
    data = {
        "base": str(actions.head(text).pk),
        "title": text.title,
        "body": text.body,
        "objectives": "\n".join(text.objectives),
        "references": "\n".join(text.references),
        "reflection_prompt": text.reflection_prompt,
        "summary": "",
    }
    data.update(changes)
    return data


def propose(text, user, body="Plan with your JTE **the day before** class.", summary="Timing"):
    head = actions.head(text)
    return actions.propose(text, user, {**head.data, "body": body}, summary)


# --- Proposing ----------------------------------------------------------------------------


def test_it_shows_the_form_prefilled_from_the_current_version(client, new_alt, text):
    client.force_login(new_alt)
    html = client.get(URL).content.decode()
    assert "Propose an edit" in html
    assert f'name="base" value="{actions.head(text).pk}"' in html
    assert "Plan with your JTE **before** class.</textarea>" in html
    assert "Plan a lesson with a JTE</textarea>" in html  # objectives, one per line
    assert 'value="Planning together"' in html
    assert "What did you change, and why?" in html
    assert 'hx-post="/modules/team-teaching/planning/propose/preview/"' in html
    assert 'hx-trigger="keyup changed delay:600ms"' in html
    assert 'hx-target="#preview"' in html
    # The knowledge check is kept, not typed.
    assert "Not edited here, and kept as it is: Knowledge check." in html
    assert 'name="check"' not in html
    assert "<script>" not in html.split("</head>")[1]


def test_a_member_proposes_an_edit(client, new_alt, text):
    head = actions.head(text)
    client.force_login(new_alt)
    response = client.post(
        URL,
        form_data(
            text,
            body="Plan with your JTE **the day before** class.",
            objectives="Plan a lesson with a JTE\r\nAgree who leads\r\n\r\n",
            summary="Say when to plan",
        ),
        follow=True,
    )
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == f"/proposals/{proposal.pk}/"
    assert "Thank you! Your proposal is waiting for an editor." in response.content.decode()
    assert proposal.proposer == new_alt
    assert proposal.base == head
    assert proposal.state == Proposal.State.OPEN
    assert proposal.summary == "Say when to plan"
    assert proposal.data["body"] == "Plan with your JTE **the day before** class."
    assert proposal.data["objectives"] == ["Plan a lesson with a JTE", "Agree who leads"]
    assert proposal.data["check"] == head.data["check"] != []
    assert proposal.data["title"] == head.data["title"]
    assert list(proposal.events.values_list("kind", flat=True)) == ["submitted"]
    # Nothing is published until an editor approves.
    text.refresh_from_db()
    assert text.body == "Plan with your JTE **before** class."


def test_the_proposal_is_based_on_the_version_the_member_read(client, new_alt, editor, text):
    read = actions.head(text)
    client.force_login(new_alt)
    data = form_data(text, body="Plan with your JTE early.", summary="Earlier")
    # Meanwhile an editor publishes a change to the title.
    actions.record_revision(
        text, kind="edit", summary="Title", author=editor, data={**read.data, "title": "Plan"}
    )
    response = client.post(URL, {**data, "summary": ""})  # sent back once: they are told
    assert "Someone published a new version of this page" in response.content.decode()
    client.post(URL, data)
    proposal = Proposal.objects.get()
    assert proposal.base == read
    assert proposal.data["title"] == "Planning together"  # as read; review merges the two


def test_a_base_from_another_page_is_refused_and_the_text_kept(client, new_alt, text):
    other = make_lesson(text.lesson.module, "in-class", order=2).texts.get()
    actions.ensure_revision(other, kind="import", summary="Imported")
    client.force_login(new_alt)
    data = form_data(text, base=str(actions.head(other).pk), body="Mine", summary="Why")
    response = client.post(URL, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "This form no longer matches the page." in html
    assert "Mine</textarea>" in html
    assert not Proposal.objects.exists()


def test_the_preview_renders_sanitised_html_and_saves_nothing(client, new_alt, text):
    client.force_login(new_alt)
    response = client.post(
        PREVIEW_URL,
        form_data(text, title="New title", body="**Bold** <script>alert(1)</script>"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert "<h3>New title</h3>" in html
    assert "<html" not in html  # a fragment
    assert not Proposal.objects.exists()


def test_the_preview_button_works_without_javascript(client, new_alt, text):
    client.force_login(new_alt)
    response = client.post(URL, form_data(text, body="Use *stickers*.", preview="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved yet)" in html
    assert "<em>stickers</em>" in html
    assert "Use *stickers*.</textarea>" in html  # the typed text is still in the form
    assert "Please say in a few words" not in html  # a preview is not a submission
    assert not Proposal.objects.exists()


def test_an_empty_summary_is_refused_and_the_text_kept(client, new_alt, text):
    client.force_login(new_alt)
    response = client.post(URL, form_data(text, body="A better text.", summary="   "))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please say in a few words what you changed and why." in html
    assert "A better text.</textarea>" in html
    assert not Proposal.objects.exists()


def test_a_proposal_identical_to_the_current_text_is_refused(client, new_alt, text):
    client.force_login(new_alt)
    response = client.post(URL, form_data(text, summary="Nothing really"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your text is the same as the current version: nothing to propose." in html
    assert "Nothing really</textarea>" in html
    assert not Proposal.objects.exists()


def test_an_emptied_body_is_refused(client, new_alt, text):
    client.force_login(new_alt)
    response = client.post(URL, form_data(text, body="  \r\n ", summary="Removed it all"))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_unpublished_lesson_takes_no_proposals(client, new_alt, text):
    client.force_login(new_alt)
    data = form_data(text, body="My careful rewrite.", summary="Clearer")
    text.lesson.is_published = False
    text.lesson.save(update_fields=["is_published"])
    assert client.get(URL).status_code == 404
    assert client.post(PREVIEW_URL, data).status_code == 404
    # Unpublished while the member wrote: nothing is saved, and nothing is lost.
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page is no longer open for proposals" in html
    assert "My careful rewrite." in html
    assert "Clearer" in html
    assert not Proposal.objects.exists()


def test_a_deleted_lesson_takes_no_proposals(client, new_alt, text):
    client.force_login(new_alt)
    data = form_data(text, body="My careful rewrite.", summary="Clearer")
    text.lesson.delete()
    response = client.post(URL, data)
    assert response.status_code == 404
    assert "My careful rewrite." in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, text):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert client.post(PREVIEW_URL, {"body": "x"}).status_code == 302
    assert client.post(URL, form_data(text, body="x", summary="y")).status_code == 302
    assert not Proposal.objects.exists()


def test_an_outsider_may_propose_too(client, outsider, text):
    # Decision: any signed-in, active member may propose (revisions/rules.py); an unverified
    # email does not stop them, since every proposal is reviewed before it is published.
    client.force_login(outsider)
    assert client.get(URL).status_code == 200
    client.post(URL, form_data(text, body="Better.", summary="Clearer"))
    assert Proposal.objects.get().proposer == outsider


def test_an_outdated_report_prefills_the_summary(client, new_alt, contributor, text):
    vote = actions.vote_freshness(
        text, contributor, FreshnessVote.Verdict.OUTDATED, "The 2017\nCourse of Study is old."
    )
    client.force_login(new_alt)
    html = client.get(f"{URL}?from_vote={vote.pk}").content.decode()
    assert "Fix: The 2017 Course of Study is old.</textarea>" in html
    assert "Fix:" not in client.get(f"{URL}?from_vote=999999").content.decode()


def test_the_propose_page_runs_a_fixed_number_of_queries(
    client, new_alt, text, django_assert_num_queries
):
    client.force_login(new_alt)
    # session, user, lesson with module, lesson texts, head revision, roles (header links)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200


# --- The proposal's page ------------------------------------------------------------------


def test_the_proposer_sees_the_diff_state_and_timeline(client, new_alt, text):
    proposal = propose(text, new_alt)
    client.force_login(new_alt)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Proposed edit: Planning together" in html
    assert "Waiting for review" in html
    assert "Timing" in html  # the summary
    assert "Sam submitted" in html
    assert "version 1" in html
    assert "the day </ins>before** class." in html
    assert f'href="/proposals/{proposal.pk}/amend/"' in html
    assert f'action="/proposals/{proposal.pk}/withdraw/"' in html
    assert "Review this proposal" not in html


@pytest.mark.parametrize("persona", ["contributor", "outsider"])
def test_other_members_cannot_see_a_proposal(client, new_alt, text, persona, request):
    proposal = propose(text, new_alt)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404
    assert client.get(f"/proposals/{proposal.pk + 1}/").status_code == 404


def test_anonymous_visitors_must_log_in_to_see_a_proposal(client, new_alt, text):
    proposal = propose(text, new_alt)
    response = client.get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_editors_see_a_proposal_with_a_link_to_review_it(client, new_alt, editor, text):
    proposal = propose(text, new_alt)
    client.force_login(editor)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Review this proposal" in html
    assert f'href="/review/proposals/{proposal.pk}/"' in html
    assert "/amend/" not in html  # only the proposer amends


def test_private_notes_are_hidden_from_the_proposer(client, new_alt, editor, text):
    proposal = propose(text, new_alt)
    actions.add_private_note(proposal, editor, "Check the MEXT source first.")
    actions.request_changes(proposal, editor, "Please cite a source.")
    client.force_login(new_alt)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Please cite a source." in html
    assert "Changes requested" in html
    assert "Check the MEXT source first." not in html
    client.force_login(editor)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Check the MEXT source first." in html
    assert "Editors only" in html


def test_the_proposal_page_runs_a_fixed_number_of_queries(
    client, new_alt, editor, text, django_assert_num_queries
):
    proposal = propose(text, new_alt)
    client.force_login(editor)
    # session, user, proposal with proposer, base and revision, its lesson text with lesson
    # and module, the editor's roles, events with their actors
    with django_assert_num_queries(6):
        client.get(f"/proposals/{proposal.pk}/")
    for number in range(9):
        ProposalEvent.objects.create(
            proposal=proposal, actor=editor, kind="note", comment=f"Note {number}", is_private=True
        )
    with django_assert_num_queries(6):
        html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Note 8" in html


# --- Amending and withdrawing -------------------------------------------------------------


def test_the_proposer_amends_their_proposal(client, new_alt, editor, text):
    proposal = propose(text, new_alt)
    actions.request_changes(proposal, editor, "Say why.")
    client.force_login(new_alt)
    html = client.get(f"/proposals/{proposal.pk}/amend/").content.decode()
    assert "Amend your proposal" in html
    assert "Plan with your JTE **the day before** class.</textarea>" in html
    assert "Timing</textarea>" in html
    assert f'hx-post="/proposals/{proposal.pk}/amend/preview/"' in html

    data = form_data(text, body="Plan with your JTE a week ahead.", summary="Timing: a week")
    response = client.post(f"/proposals/{proposal.pk}/amend/", data, follow=True)
    assert "Your proposal is updated" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    assert proposal.data["body"] == "Plan with your JTE a week ahead."
    assert proposal.summary == "Timing: a week"
    assert proposal.data["check"] == proposal.base.data["check"]
    assert proposal.events.last().kind == "amended"


def test_the_amend_preview_renders_without_saving(client, new_alt, text):
    proposal = propose(text, new_alt)
    client.force_login(new_alt)
    response = client.post(f"/proposals/{proposal.pk}/amend/preview/", {"body": "_Now_"})
    assert "<em>Now</em>" in response.content.decode()
    proposal.refresh_from_db()
    assert "_Now_" not in proposal.data["body"]


def test_only_the_proposer_amends_or_withdraws(client, new_alt, contributor, editor, text):
    proposal = propose(text, new_alt)
    data = form_data(text, body="Hijacked.", summary="Mine now")
    client.force_login(contributor)  # cannot even see it
    assert client.get(f"/proposals/{proposal.pk}/amend/").status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/amend/", data).status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    client.force_login(editor)  # sees it, but did not write it
    assert client.get(f"/proposals/{proposal.pk}/amend/").status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/amend/", data).status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    assert "Hijacked." not in proposal.data["body"]


def test_the_proposer_withdraws_their_proposal(client, new_alt, text):
    proposal = propose(text, new_alt)
    client.force_login(new_alt)
    assert client.get(f"/proposals/{proposal.pk}/withdraw/").status_code == 405
    response = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    html = response.content.decode()
    assert "You withdrew your proposal." in html
    assert "Withdrawn" in html
    assert "/amend/" not in html  # no more buttons
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.WITHDRAWN
    assert proposal.decided_at


def test_a_decided_proposal_cannot_be_amended_or_withdrawn(client, new_alt, editor, text):
    proposal = propose(text, new_alt)
    client.force_login(new_alt)
    data = form_data(text, body="A last-minute fix.", summary="Fix")
    actions.reject(proposal, editor, "Out of scope.")  # while the proposer had the form open

    response = client.post(f"/proposals/{proposal.pk}/amend/", data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "This proposal was already decided." in html
    assert "A last-minute fix.</textarea>" in html  # nothing lost

    response = client.get(f"/proposals/{proposal.pk}/amend/", follow=True)
    assert "This proposal was already decided: it can no longer change." in (
        response.content.decode()
    )
    response = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    assert "This proposal was already decided." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REJECTED
    assert "A last-minute fix." not in proposal.data["body"]


# --- The dashboard ------------------------------------------------------------------------


def test_the_dashboard_lists_my_proposals_and_their_state(client, new_alt, contributor, text):
    mine = propose(text, new_alt, summary="Say when to plan")
    propose(text, contributor, summary="Someone else's idea")
    actions.withdraw(mine, new_alt)
    client.force_login(new_alt)
    html = client.get("/me/").content.decode()
    assert "My proposals" in html
    assert f'href="/proposals/{mine.pk}/">Say when to plan</a>' in html
    assert 'href="/modules/team-teaching/planning/">Planning together</a>' in html
    assert "Withdrawn" in html
    assert "Someone else" not in html


def test_the_dashboard_proposals_take_a_fixed_number_of_queries(
    client, new_alt, django_assert_num_queries
):
    module = make_module(lessons=0)

    def propose_on_new_lesson(number: int) -> None:
        text = make_lesson(module, f"lesson-{number}", order=number).texts.get()
        actions.ensure_revision(text, kind="import", summary="Imported")
        propose(text, new_alt, summary=f"Idea {number}")

    propose_on_new_lesson(0)
    client.force_login(new_alt)
    # session, user, modules + lesson counts, module texts, completed counts, started modules,
    # continue (last module: none started), certificates, my proposals, their lesson texts
    # with lessons and modules, the member's roles (header links)
    with django_assert_num_queries(11):
        client.get("/me/")
    for number in range(1, 4):
        propose_on_new_lesson(number)
    with django_assert_num_queries(11):
        html = client.get("/me/").content.decode()
    assert html.index("Idea 3") < html.index("Idea 0")  # newest first
    assert 'href="/modules/team-teaching/lesson-2/">Lesson 2</a>' in html


def test_another_language_text_gets_its_own_proposal(client, new_alt, text):
    from altto.courses.models import LessonText

    ja = LessonText.objects.create(
        lesson=text.lesson, language="ja", title="計画", body="JTEと計画する。"
    )
    actions.ensure_revision(ja, kind="import", summary="Imported")
    client.force_login(new_alt)
    html = client.get(URL + "?lang=ja").content.decode()
    assert f'action="{URL}?lang=ja"' in html
    data = {
        "base": str(actions.head(ja).pk),
        "title": "計画",
        "body": "JTEと前日に計画する。",
        "summary": "いつ",
    }
    client.post(URL + "?lang=ja", data)
    assert Proposal.objects.get().object_id == ja.pk
