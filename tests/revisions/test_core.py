"""The revision mechanism itself: numbering, imports, editors' edits, merges of documents."""

import pytest

from altto.courses.curriculum import load_curriculum
from altto.courses.models import LessonText
from altto.revisions import actions
from altto.revisions.documents import merge_documents, resolve_merge
from altto.revisions.models import Revision
from tests.courses.factories import add_check, make_lesson, make_module, write_curriculum

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(db):
    lesson = make_lesson(make_module(), "planning", body="Plan.\n\nTeach.\n")
    add_check(lesson)
    text = lesson.texts.get()
    actions.ensure_revision(text, kind="import", summary="Imported")
    return text


def edited(text, **changes):
    return {**text.revision_data(), **changes}


def test_loading_the_curriculum_records_imported_revisions_once(tmp_path):
    root = write_curriculum(tmp_path)
    load_curriculum(root)
    text = LessonText.objects.get()
    [revision] = actions.revisions_of(text)
    assert (revision.number, revision.kind, revision.author) == (1, "import", None)
    assert revision.data["check"][0]["prompt"] == "Who do you greet first?"
    load_curriculum(root)
    assert actions.revisions_of(text).count() == 1
    write_curriculum(root, body="Say hello.")
    load_curriculum(root)
    assert [r.number for r in actions.revisions_of(text)] == [2, 1]


def test_an_editors_direct_edit_is_a_revision_too(client, editor, text):
    from altto.courses.authoring import save_lesson

    text.body = "Plan together."
    save_lesson(text.lesson, texts={"en": {"body": "Plan together."}}, editor=editor)
    latest = actions.head(text)
    assert (latest.number, latest.kind, latest.author) == (2, "edit", editor)
    assert latest.parent.number == 1
    assert latest.data["body"] == "Plan together."


def test_revisions_number_up_and_apply_their_data(text, editor):
    revision = actions.record_revision(
        text, kind="edit", summary="Shorter", author=editor, data=edited(text, body="Plan.\n")
    )
    text.refresh_from_db()
    assert revision.number == 2
    assert text.body == "Plan.\n"
    assert text.body_html == "<p>Plan.</p>\n"
    assert text.last_reviewed_at == revision.created_at


def test_a_revision_based_on_an_old_head_is_refused(text, editor):
    old_head = actions.head(text)
    actions.record_revision(
        text, kind="edit", summary="One", author=editor, data=edited(text, title="A")
    )
    with pytest.raises(actions.StaleDocument):
        actions.record_revision(
            text,
            kind="edit",
            summary="Two",
            author=editor,
            data=edited(text, title="B"),
            expected_head=old_head,
        )
    assert actions.revisions_of(text).count() == 2


def test_ensure_revision_records_only_real_changes(text, editor):
    assert actions.ensure_revision(text, kind="edit", summary="Nothing", author=editor) is None
    text.title = "New title"
    text.save()
    assert actions.ensure_revision(text, kind="edit", summary="Title", author=editor).number == 2


def test_rollback_publishes_old_content_as_a_new_revision(text, editor):
    first = actions.head(text)
    actions.record_revision(
        text, kind="edit", summary="x", author=editor, data=edited(text, body="X\n")
    )
    revision = actions.rollback(text, first, editor, "Back")
    text.refresh_from_db()
    assert revision.number == 3
    assert revision.kind == Revision.Kind.ROLLBACK
    assert text.body == "Plan.\n\nTeach.\n"
    assert actions.revisions_of(text).count() == 3  # nothing rewritten


def test_a_proposal_identical_to_the_current_text_is_refused(text, new_alt):
    with pytest.raises(actions.RevisionError, match="same as the current version"):
        actions.propose(text, new_alt, text.revision_data(), "No change")
    with pytest.raises(actions.RevisionError, match="what you changed"):
        actions.propose(text, new_alt, edited(text, title="T"), "   ")


def test_document_merge_combines_fields_and_flags_conflicts(text):
    base = text.revision_data()
    current = {**base, "title": "Current title", "objectives": ["Plan", "Teach"]}
    proposed = {**base, "body": "Plan well.\n\nTeach.\n", "objectives": ["Plan", "Reflect"]}
    merge = merge_documents(text, base, current, proposed)
    assert merge.data["title"] == "Current title"
    assert merge.data["body"] == "Plan well.\n\nTeach.\n"
    assert set(merge.conflicts) == {"objectives"}
    data = resolve_merge(text, merge, proposed, {"objectives": ["Plan\nTeach\nReflect"]})
    assert data["objectives"] == ["Plan", "Teach", "Reflect"]


def test_the_check_is_merged_whole_and_chosen_by_a_person(text):
    base = text.revision_data()
    check = base["check"]
    changed_now = [{**check[0], "prompt": "Who leads?"}]
    changed_proposed = [{**check[0], "prompt": "Who is T1?"}]
    merge = merge_documents(
        text, base, {**base, "check": changed_now}, {**base, "check": changed_proposed}
    )
    assert "check" in merge.conflicts
    assert "Who is T1?" in merge.conflicts["check"][0].proposed
    proposed = {**base, "check": changed_proposed}
    data = resolve_merge(text, merge, proposed, {"check": ["proposed"]})
    assert data["check"] == changed_proposed
    with pytest.raises(ValueError):
        resolve_merge(text, merge, proposed, {"check": ["my own"]})


def test_a_contributors_profile_lists_their_accepted_edits(client, text, contributor, editor):
    proposal = actions.propose(text, contributor, edited(text, body="Plan first.\n"), "Clearer")
    actions.approve(
        proposal, editor, "Thanks", data=proposal.data, expected_head=actions.head(text)
    )
    html = client.get("/u/priya/").content.decode()
    assert "Accepted edits" in html
    assert 'href="/modules/team-teaching/planning/">Planning</a>: Clearer' in html
    from altto.revisions.credits import contributors_of

    assert contributors_of(text) == [contributor]


def test_a_proposal_can_be_amended_in_its_summary_alone(text, new_alt):
    proposal = actions.propose(text, new_alt, edited(text, title="T"), "First words")
    actions.amend(proposal, new_alt, proposal.data, "Better summary")
    proposal.refresh_from_db()
    assert proposal.summary == "Better summary"
    with pytest.raises(actions.RevisionError, match="not changed anything"):
        actions.amend(proposal, new_alt, proposal.data, "Better summary")
