"""Editors review proposals and outdated reports: the queue, the diffs, the merge when the
lesson moved on, decisions that never half-apply, and the audit log."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone

from altto.notifications.models import Notification
from altto.revisions import actions
from altto.revisions.models import AuditEntry, FreshnessVote, Proposal, ProposalEvent, Revision
from tests.conftest import make_user
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = pytest.mark.django_db

QUEUE = "/review/"
AUDIT = "/review/audit/"
BODY = "Plan with your JTE.\n\nTeach together.\n\nReflect after class.\n"


def make_text(module, slug="planning", title="Planning with your JTE"):
    """A published lesson with a check, and its imported first revision."""
    lesson = make_lesson(module, slug, title=title, body=BODY)
    add_check(lesson)
    text = lesson.texts.get()
    actions.ensure_revision(text, kind="import", summary="Imported")
    return text


@pytest.fixture
def module(db):
    return make_module()


@pytest.fixture
def text(module):
    return make_text(module)


def current(text, **changes) -> dict:
    """The document's published content, with some fields changed."""
    return {**actions.head(text).data, **changes}


def propose(text, proposer, summary="Clearer planning", **changes):
    return actions.propose(text, proposer, current(text, **changes), summary)


def publish(text, editor, **changes):
    """An editor's direct edit, published as the next revision."""
    return actions.record_revision(
        text, kind="edit", summary="Editor's edit", author=editor, data=current(text, **changes)
    )


def age(proposal, days):
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - timedelta(days=days, minutes=5)
    )


def review_url(proposal):
    return f"/review/proposals/{proposal.pk}/"


def decide_url(proposal):
    return f"/review/proposals/{proposal.pk}/decide/"


def form_fields(client, proposal) -> dict:
    """The hidden fields of the decision form, as the review page renders them now."""
    response = client.get(review_url(proposal))
    assert response.status_code == 200
    head = response.context["head"]
    return {"head": str(head.pk), "version": response.context["version"]}


# --- Who may review ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "moderator", "blog_editor"])
def test_it_refuses_everyone_but_editors(client, request, persona, text, new_alt):
    proposal = propose(text, new_alt, body="Plan.\n")
    vote = actions.vote_freshness(text, new_alt, "outdated", "Old advice")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403
    assert client.get(review_url(proposal)).status_code == 403
    assert client.get(AUDIT).status_code == 403
    approve = {"action": "approve", "comment": "Fine"}
    assert client.post(decide_url(proposal), approve).status_code == 403
    dismiss = client.post(f"/review/outdated/{vote.pk}/dismiss/", {"comment": "No"})
    assert dismiss.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    assert actions.revisions_of(text).count() == 1


def test_it_sends_anonymous_visitors_to_log_in(client, text, new_alt):
    proposal = propose(text, new_alt, body="Plan.\n")
    for url in (QUEUE, review_url(proposal), AUDIT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(decide_url(proposal), {"action": "approve", "comment": "x"})
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["editor", "site_admin"])
def test_it_lets_editors_and_admins_review(client, request, persona, text, new_alt):
    propose(text, new_alt, body="Plan.\n")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 200
    assert client.get(AUDIT).status_code == 200


# --- The queue ------------------------------------------------------------------------------


def test_it_lists_open_proposals_oldest_first_with_the_backlog(
    client, editor, new_alt, contributor, text
):
    newer = propose(text, new_alt, "Shorter reflection", body="Plan.\n")
    older = propose(text, contributor, "Fix the objectives", objectives=["Plan with a JTE"])
    age(older, 3)
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert "2 proposals wait for review" in page
    assert "oldest waiting 3\xa0days" in page  # timesince joins with a no-break space
    assert page.index("Fix the objectives") < page.index("Shorter reflection")
    # Each row: summary (a link to the review page), lesson and module, proposer, age.
    assert f'href="/review/proposals/{newer.pk}/"' in page
    assert "Planning with your JTE · Team teaching" in page
    assert "Priya" in page and "Sam" in page
    assert "3\xa0days ago" in page
    assert "Your modules" not in page  # Erin maintains no module.


def test_proposals_on_modules_the_editor_maintains_come_first(
    client, editor, new_alt, contributor, text
):
    mine = make_module("classroom-english", title="Classroom English", order=2)
    mine.maintainers.add(editor)
    theirs = propose(text, new_alt, "Older, elsewhere", body="Plan.\n")
    age(theirs, 5)
    ours = make_text(mine, "instructions", "Giving instructions")
    propose(ours, contributor, "Newer", title="Instructions")
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert page.index("Your modules") < page.index("Newer") < page.index("Other modules")
    assert page.index("Other modules") < page.index("Older, elsewhere")
    assert "Giving instructions · Classroom English" in page
    # The backlog counts both groups; the oldest is the other module's.
    assert "2 proposals wait for review" in page
    assert "oldest waiting 5\xa0days" in page


def test_proposals_waiting_for_the_proposer_are_listed_apart(
    client, editor, new_alt, contributor, text
):
    open_one = propose(text, contributor, "Still open", body="Plan.\n")
    waiting = propose(text, new_alt, "Needs work", title="Planning")
    actions.request_changes(waiting, editor, "Please add a source.")
    decided = propose(text, new_alt, "Already rejected", title="Plans")
    actions.reject(decided, editor, "No.")
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert "1 proposal waits for review" in page
    assert (
        page.index("Still open") < page.index("Waiting for the proposer") < page.index("Needs work")
    )
    assert "Already rejected" not in page
    assert open_one.pk


def test_an_empty_queue_says_so(client, editor, text):
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert "No proposal waits for review." in page
    assert "No reader reported a lesson as outdated." in page


def test_the_queue_shows_outdated_reports_with_both_ways_out(client, editor, new_alt, text):
    vote = actions.vote_freshness(text, new_alt, "outdated", "The Course of Study changed in 2020.")
    actions.vote_freshness(text, editor, "accurate")
    client.force_login(editor)
    page = client.get(QUEUE).content.decode()
    assert "The Course of Study changed in 2020." in page
    assert "Reported by Sam" in page
    assert f'action="/review/outdated/{vote.pk}/dismiss/"' in page
    assert f'href="/modules/team-teaching/planning/propose/?from_vote={vote.pk}"' in page
    assert page.count("Dismiss with a comment") == 1  # "still accurate" votes are not reports


def test_the_queue_links_the_comment_reports_and_the_audit_log(
    client, editor, site_admin, new_alt, contributor, text
):
    from altto.discussion import actions as discussion
    from tests.discussion.factories import make_comment

    for number in range(2):
        comment = make_comment(text.lesson, new_alt, f"Rude {number}")
        discussion.report_comment(comment, contributor, "Rude")
    client.force_login(site_admin)  # an admin may see the reports page
    page = client.get(QUEUE).content.decode()
    assert '<a href="/review/reports/">2 reported comments</a>' in page
    assert 'href="/review/audit/"' in page
    client.force_login(editor)  # an editor who is not a moderator: the count, no dead link
    page = client.get(QUEUE).content.decode()
    assert "2 reported comments wait for a moderator" in page
    assert 'href="/review/reports/"' not in page


def test_the_queue_runs_a_fixed_number_of_queries(
    client, editor, new_alt, module, text, django_assert_num_queries
):
    module.maintainers.add(editor)
    other = make_module("classroom-english", title="Classroom English", order=2)
    texts = [text, make_text(other, "instructions", "Giving instructions")]
    for number in range(2):
        propose(texts[number % 2], new_alt, f"Proposal {number}", title=f"Title {number}")
    actions.vote_freshness(text, new_alt, "outdated", "Old")
    client.force_login(editor)
    # session, user, the editor's roles, the modules they maintain, pending proposals with
    # their proposer, their lessons with module, module titles, outdated reports with their
    # reader, their lessons with module, module titles, open comment reports (a count),
    # library submissions (none here: 1 query), permissions expiring soon, items whose
    # permission expired
    with django_assert_num_queries(14):
        assert client.get(QUEUE).status_code == 200
    for number in range(2, 20):
        propose(texts[number % 2], new_alt, f"Proposal {number}", title=f"Title {number}")
    reader = make_user("reader")
    actions.vote_freshness(texts[1], reader, "outdated", "Also old")
    with django_assert_num_queries(14):
        page = client.get(QUEUE).content.decode()
    assert page.count("/review/proposals/") == 20


# --- One proposal ---------------------------------------------------------------------------


def test_the_review_page_shows_the_diff_against_the_base(client, editor, new_alt, text):
    proposal = propose(
        text, new_alt, "Say who plans", body=BODY.replace("Plan with", "Plan lessons with")
    )
    client.force_login(editor)
    response = client.get(review_url(proposal))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say who plans" in page
    assert response.context["merge_state"] == "same"
    [diff] = response.context["base_diffs"]
    assert [text.strip() for op, text in diff.pieces if op != "equal"] == ["lessons"]
    assert "Compared with the current text" not in page  # nothing moved since the base
    assert f'name="head" value="{actions.head(text).pk}"' in page
    for button in ('value="approve"', 'value="changes"', 'value="reject"'):
        assert button in page
    assert "Add a private note for editors" in page


def test_approving_publishes_the_proposal_credited_to_the_proposer(
    client, editor, new_alt, text, django_capture_on_commit_callbacks
):
    proposal = propose(text, new_alt, "Shorter", body="Plan with your JTE.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(proposal), {**fields, "action": "approve", "comment": "Thanks, Sam!"}
        )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    revision = actions.head(text)
    assert (revision.number, revision.kind) == (2, Revision.Kind.PROPOSAL)
    assert revision.data == proposal.data
    assert (revision.author, revision.approved_by) == (new_alt, editor)
    text.refresh_from_db()
    assert text.body == "Plan with your JTE.\n"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.revision) == (Proposal.State.APPROVED, revision)
    event = proposal.events.get(kind="approved")
    assert (event.actor, event.comment, event.is_private) == (editor, "Thanks, Sam!", False)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.comment) == (editor, "approve", "Thanks, Sam!")
    assert (entry.proposal, entry.revision, entry.document) == (proposal, revision, text)
    notification = Notification.objects.get(user=new_alt)
    assert notification.kind == "proposal_approved"
    assert "approved by Erin" in notification.message()
    page = client.get(QUEUE).content.decode()
    assert "version 2 is published and credited to Sam" in page


def test_when_the_lesson_moved_on_a_clean_merge_is_shown_then_keeps_both_changes(
    client, editor, site_admin, new_alt, text
):
    proposal = propose(text, new_alt, "Teach as a team", body=BODY.replace("together", "as a team"))
    publish(text, site_admin, title="Planning lessons with your JTE")
    client.force_login(editor)
    response = client.get(review_url(proposal))
    page = response.content.decode()
    assert response.context["merge_state"] == "clean"
    assert "The merged result" in page
    assert "Compared with the current text (version 2)" in page
    assert "Approve the merged text" in page
    # Against the current text, the merge only adds the proposer's words.
    [merged] = response.context["merged_diffs"]
    assert merged.name == "body"
    assert ("insert", "as a team") in merged.pieces
    fields = {"head": str(response.context["head"].pk), "version": response.context["version"]}
    response = client.post(decide_url(proposal), {**fields, "action": "approve", "comment": "Ok"})
    assert response.status_code == 302
    revision = actions.head(text)
    assert revision.number == 3
    assert revision.data["title"] == "Planning lessons with your JTE"
    assert "Teach as a team." in revision.data["body"]
    assert revision.author == new_alt


def test_conflicts_are_resolved_in_the_browser_part_by_part(
    client, editor, site_admin, new_alt, text
):
    proposed_check = current(text)["check"]
    proposed_check[0]["prompt"] = "Who leads the lesson?"
    proposal = propose(
        text,
        new_alt,
        "Clearer steps",
        body="Plan with your JTE on Monday.\n\nTeach together.\n\nReflect with your JTE.\n",
        check=proposed_check,
    )
    editors_check = current(text)["check"]
    editors_check[0]["prompt"] = "Who leads?"
    publish(
        text,
        site_admin,
        body="Plan with your JTE early.\n\nTeach together.\n\nReflect alone.\n",
        check=editors_check,
    )
    client.force_login(editor)
    response = client.get(review_url(proposal))
    page = response.content.decode()
    assert response.context["merge_state"] == "conflicts"
    assert "Both edits changed the same lines" in page
    [body, check] = response.context["conflicts"]
    assert (body.name, len(body.hunks), check.name, check.is_data) == ("body", 2, "check", True)
    assert body.hunks[0].current == "Plan with your JTE early.\n"
    assert body.hunks[0].proposed == "Plan with your JTE on Monday.\n"
    # Side by side, each with a choice; the own-text box starts with the proposed text.
    for value in ("current", "proposed", "own"):
        assert f'name="pick-body-0" value="{value}"' in page
    assert 'name="pick-check-0" value="own"' not in page  # a check is chosen whole
    assert '<textarea id="own-body-1" name="own-body-1" rows="5">\nReflect with your JTE.\n' in page
    fields = {"head": str(response.context["head"].pk), "version": response.context["version"]}
    response = client.post(
        decide_url(proposal),
        {
            **fields,
            "action": "approve",
            "comment": "Merged by hand",
            "pick-body-0": "current",
            "pick-body-1": "own",
            "own-body-1": "Reflect with your JTE after class.",  # no newline: one is added
            "pick-check-0": "proposed",
        },
    )
    assert response.status_code == 302
    revision = actions.head(text)
    assert revision.data["body"] == (
        "Plan with your JTE early.\n\nTeach together.\n\nReflect with your JTE after class.\n"
    )
    assert revision.data["check"][0]["prompt"] == "Who leads the lesson?"
    assert revision.data["check"][0]["options"] == proposed_check[0]["options"]
    assert (revision.author, revision.approved_by) == (new_alt, editor)


def test_a_conflict_left_unresolved_changes_nothing_and_keeps_what_was_typed(
    client, editor, site_admin, new_alt, text
):
    proposal = propose(text, new_alt, "Mine", body="Plan on Monday.\n\nTeach together.\n")
    publish(text, site_admin, body="Plan early.\n\nTeach together.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    response = client.post(
        decide_url(proposal),
        {**fields, "action": "approve", "comment": "My long comment", "own-body-0": "Half done"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a version for every conflicting part before approving." in page
    assert ">My long comment</textarea>" in page
    assert "\nHalf done</textarea>" in page
    assert actions.head(text).number == 2
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN


def test_a_stale_form_is_refused_and_shows_the_new_merge(client, editor, site_admin, new_alt, text):
    proposal = propose(text, new_alt, "Teach as a team", body=BODY.replace("together", "as a team"))
    client.force_login(editor)
    fields = form_fields(client, proposal)  # the editor opens the page…
    publish(text, site_admin, title="Planning lessons")  # …and someone publishes meanwhile
    response = client.post(
        decide_url(proposal), {**fields, "action": "approve", "comment": "Looks good"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone published a new version while you were working; here is the new merge." in page
    assert ">Looks good</textarea>" in page
    assert response.context["merge_state"] == "clean"
    assert f'name="head" value="{actions.head(text).pk}"' in page
    assert actions.head(text).number == 2
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    assert not AuditEntry.objects.exists()


def test_a_form_opened_before_the_proposer_amended_it_is_refused(client, editor, new_alt, text):
    proposal = propose(text, new_alt, "First try", body="Plan.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    actions.amend(proposal, new_alt, current(text, body="Plan well.\n"), "Second try")
    response = client.post(decide_url(proposal), {**fields, "action": "approve", "comment": "Ok"})
    assert response.status_code == 409
    assert "This proposal changed while you were reviewing it" in response.content.decode()
    assert actions.head(text).number == 1


def test_an_already_decided_proposal_cannot_be_decided_again(
    client, editor, site_admin, new_alt, text
):
    proposal = propose(text, new_alt, "Shorter", body="Plan.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    actions.reject(proposal, site_admin, "Too short.")
    for action in ("approve", "changes", "reject"):
        response = client.post(decide_url(proposal), {**fields, "action": action, "comment": "Ok"})
        assert response.status_code == 409
        page = response.content.decode()
        assert "Someone already decided this proposal: it is rejected." in page
        assert "This proposal is closed: Rejected." in page
        assert 'value="approve"' not in page
    assert actions.head(text).number == 1
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["reject"]


def test_editors_cannot_approve_their_own_proposal(client, editor, text):
    proposal = propose(text, editor, "My own idea", body="Plan.\n")
    client.force_login(editor)
    response = client.get(review_url(proposal))
    page = response.content.decode()
    assert 'value="approve"' not in page
    assert "You proposed this, so another editor must approve it." in page
    fields = {"head": str(response.context["head"].pk), "version": response.context["version"]}
    response = client.post(decide_url(proposal), {**fields, "action": "approve", "comment": "Me"})
    assert response.status_code == 403
    assert "You cannot approve your own proposal: another editor must." in response.content.decode()
    assert actions.head(text).number == 1


@pytest.mark.parametrize(
    ("action", "state", "kind", "audit", "notice"),
    [
        (
            "changes",
            Proposal.State.CHANGES_REQUESTED,
            "changes",
            "request_changes",
            "proposal_changes",
        ),
        ("reject", Proposal.State.REJECTED, "rejected", "reject", "proposal_rejected"),
    ],
)
def test_requesting_changes_or_rejecting_needs_a_comment_the_proposer_sees(
    client,
    editor,
    new_alt,
    text,
    action,
    state,
    kind,
    audit,
    notice,
    django_capture_on_commit_callbacks,
):
    proposal = propose(text, new_alt, "Shorter", body="Plan.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    response = client.post(decide_url(proposal), {**fields, "action": action, "comment": "  "})
    assert response.status_code == 400
    assert "Please write a comment for the proposer." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(proposal), {**fields, "action": action, "comment": "Add a source, please."}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == state
    assert proposal.events.get(kind=kind).comment == "Add a source, please."
    assert AuditEntry.objects.get().action == audit
    assert Notification.objects.get(user=new_alt).kind == notice
    assert actions.head(text).number == 1


def test_an_empty_approval_comment_is_refused_and_nothing_is_published(
    client, editor, new_alt, text
):
    proposal = propose(text, new_alt, "Shorter", body="Plan.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    response = client.post(decide_url(proposal), {**fields, "action": "approve", "comment": ""})
    assert response.status_code == 400
    assert "Please write a comment for the proposer." in response.content.decode()
    assert actions.head(text).number == 1


def test_private_notes_are_for_editors_only(client, editor, new_alt, text):
    proposal = propose(text, new_alt, "Shorter", body="Plan.\n")
    client.force_login(editor)
    response = client.post(decide_url(proposal), {"action": "note", "note": "Check with Ada."})
    assert response.status_code == 302
    assert response["Location"] == review_url(proposal)
    note = ProposalEvent.objects.get(kind="note")
    assert (note.actor, note.comment, note.is_private) == (editor, "Check with Ada.", True)
    page = client.get(review_url(proposal)).content.decode()
    assert "Check with Ada." in page
    assert "Only editors see this" in page
    assert not Notification.objects.filter(user=new_alt).exists()
    client.force_login(new_alt)  # the proposer cannot open the review page…
    assert client.get(review_url(proposal)).status_code == 403
    page = client.get(proposal.get_absolute_url()).content.decode()  # …and their own page
    assert "Shorter" in page
    assert "Check with Ada." not in page
    response = client.post(decide_url(proposal), {"action": "note", "note": "Sneaky"})
    assert response.status_code == 403
    client.force_login(editor)
    response = client.post(decide_url(proposal), {"action": "note", "note": " "})
    assert response.status_code == 400
    assert "The note is empty." in response.content.decode()
    assert ProposalEvent.objects.filter(kind="note").count() == 1


def test_an_unknown_decision_is_refused(client, editor, new_alt, text):
    proposal = propose(text, new_alt, "Shorter", body="Plan.\n")
    client.force_login(editor)
    fields = form_fields(client, proposal)
    response = client.post(decide_url(proposal), {**fields, "action": "publish", "comment": "x"})
    assert response.status_code == 400
    assert client.get("/review/proposals/999/").status_code == 404


def test_the_review_page_runs_a_fixed_number_of_queries(
    client, editor, site_admin, new_alt, text, django_assert_num_queries
):
    proposal = propose(text, new_alt, "Teach as a team", body=BODY.replace("together", "as a team"))
    publish(text, site_admin, title="Planning lessons")
    client.force_login(editor)
    # session, user, the editor's roles, proposal with proposer/base/revision, its lesson
    # with module, module titles, the head revision, the timeline with actors
    with django_assert_num_queries(8):
        assert client.get(review_url(proposal)).status_code == 200
    for number in range(10):
        actions.add_private_note(proposal, editor, f"Note {number}")
    with django_assert_num_queries(8):
        assert client.get(review_url(proposal)).status_code == 200


# --- Outdated reports -----------------------------------------------------------------------


def test_dismissing_an_outdated_report_needs_a_comment_and_is_audited(
    client, editor, new_alt, text, django_capture_on_commit_callbacks
):
    vote = actions.vote_freshness(text, new_alt, "outdated", "The Course of Study changed.")
    url = f"/review/outdated/{vote.pk}/dismiss/"
    client.force_login(editor)
    response = client.post(url, {"comment": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please write a comment for the reader who reported it." in page
    assert '<details class="review-dismiss" open>' in page
    vote.refresh_from_db()
    assert vote.resolved_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "The 2017 edition is still current."})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.resolved_by, vote.resolution) == (editor, "The 2017 edition is still current.")
    assert vote.resolved_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.document) == ("dismiss_outdated", editor, text)
    assert Notification.objects.get(user=new_alt).kind == "outdated_dismissed"
    assert "The Course of Study changed." not in client.get(QUEUE).content.decode()
    response = client.post(url, {"comment": "Again"})
    assert response.status_code == 409
    assert "Someone already answered this report." in response.content.decode()
    accurate = actions.vote_freshness(text, editor, "accurate")
    assert (
        client.post(f"/review/outdated/{accurate.pk}/dismiss/", {"comment": "x"}).status_code == 404
    )
    assert FreshnessVote.objects.filter(resolved_at__isnull=False).count() == 1


# --- Audit ----------------------------------------------------------------------------------


def test_the_audit_log_lists_decisions_newest_first(client, editor, site_admin, new_alt, text):
    first = propose(text, new_alt, "One", body="Plan.\n")
    actions.reject(first, site_admin, "Too short.")
    second = propose(text, new_alt, "Two", title="Planning")
    actions.approve(
        second, editor, "Nice title.", data=second.data, expected_head=actions.head(text)
    )
    client.force_login(editor)
    page = client.get(AUDIT).content.decode()
    assert page.index("approved a proposal") < page.index("rejected a proposal")
    assert page.index("Nice title.") < page.index("Too short.")
    assert "Ada" in page and "Erin" in page
    assert "Planning" in page
    assert f'href="/review/proposals/{second.pk}/"' in page


def test_the_audit_log_is_paginated_with_a_fixed_number_of_queries(
    client, editor, new_alt, text, django_assert_num_queries
):
    from altto.revisions.actions import _audit

    for number in range(3):
        _audit(text, editor, "mark_reviewed", f"Check {number}")
    client.force_login(editor)
    # session, user, the editor's roles, the count, one page of entries with actors,
    # their lessons with module, module titles
    with django_assert_num_queries(7):
        assert client.get(AUDIT).status_code == 200
    for number in range(3, 60):
        _audit(text, editor, "mark_reviewed", f"Check {number}")
    with django_assert_num_queries(7):
        page = client.get(AUDIT).content.decode()
    assert page.count("marked as reviewed") == 50
    assert "Check 59" in page and "Check 9<" not in page
    assert "Page 1 of 2" in page
    page = client.get(AUDIT + "?page=2").content.decode()
    assert page.count("marked as reviewed") == 10


# --- Two approvals at once --------------------------------------------------------------------


def test_two_approvals_against_the_same_head_cannot_both_publish(
    editor, site_admin, new_alt, contributor, text
):
    one = propose(text, new_alt, "Title", title="Planning lessons")
    two = propose(text, contributor, "Body", body="Plan.\n")
    head = actions.head(text)
    actions.approve(one, editor, "Ok", data=one.data, expected_head=head)
    with pytest.raises(actions.StaleDocument):
        actions.approve(two, site_admin, "Ok", data=two.data, expected_head=head)
    assert actions.revisions_of(text).count() == 2
    two.refresh_from_db()
    assert two.state == Proposal.State.OPEN
    assert not two.events.filter(kind="approved").exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_approving_at_the_same_moment_one_wins(
    editor, site_admin, new_alt, contributor, text
):
    proposals = [
        propose(text, new_alt, "Title", title="Planning lessons"),
        propose(text, contributor, "Body", body="Plan.\n"),
    ]
    head = actions.head(text)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(proposal, reviewer) -> None:
        start.wait()
        try:
            for _attempt in range(2000):  # up to ~20 s, SQLite's own busy timeout
                try:
                    actions.approve(
                        proposal, reviewer, "Ok", data=proposal.data, expected_head=head
                    )
                except OperationalError as error:
                    # The test database is in-memory SQLite, whose shared cache refuses a
                    # second writer at once instead of waiting for it as a file database
                    # does (timeout=20). Wait and retry, as SQLite would.
                    if "locked" not in str(error):
                        raise
                    connection.close()
                    time.sleep(0.01)
                    # The lock may have hit after this approval committed (while sending
                    # its notifications): then it is published, not to be tried again. The
                    # check itself may meet the lock too (a busy machine): try again later.
                    try:
                        done = Proposal.objects.filter(pk=proposal.pk, state="approved").exists()
                    except OperationalError as again:
                        if "locked" not in str(again):
                            raise
                        connection.close()
                        continue
                    if done:
                        outcomes.append("published")
                        return
                    continue
                except actions.StaleDocument:
                    outcomes.append("stale")
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    outcomes.append(repr(error))
                else:
                    outcomes.append("published")
                return
            outcomes.append("still locked after 20 s")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(proposals[0], editor)),
        threading.Thread(target=approve, args=(proposals[1], site_admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # One editor published; the other was told the document moved on. Nothing overwritten.
    assert sorted(outcomes) == ["published", "stale"]
    assert actions.revisions_of(text).count() == 2
    states = sorted(Proposal.objects.values_list("state", flat=True))
    assert states == [Proposal.State.APPROVED, Proposal.State.OPEN]
    assert actions.head(text).parent == head
