"""A library item is a versioned document, like a lesson: history, diffs and proposals."""

import pytest

from altto.library.models import Item
from altto.revisions import actions as revisions
from altto.revisions.documents import diff_documents
from tests.library.factories import make_activity

pytestmark = pytest.mark.django_db


def test_ensure_revision_records_the_items_words_as_revision_one():
    item = make_activity()
    revision = revisions.ensure_revision(item, kind="import", summary="Imported")
    assert revision.number == 1
    assert set(revision.data) == {
        "title",
        "summary",
        "body",
        "grammar_point",
        "materials",
        "steps",
        "variations",
    }
    assert revision.data["steps"].startswith("1. Show six cards.")
    assert revisions.ensure_revision(item, kind="import", summary="Again") is None


def test_a_revision_applies_its_words_and_renders_them(editor):
    item = make_activity()
    revisions.ensure_revision(item, kind="import", summary="Imported")
    data = {**item.revision_data(), "variations": "- Hide **three** cards."}
    revision = revisions.record_revision(
        item, kind="edit", summary="Harder", author=editor, data=data
    )
    item.refresh_from_db()
    assert revision.number == 2
    assert "<strong>three</strong>" in item.variations_html
    assert item.last_reviewed_at == revision.created_at


def test_two_versions_diff_field_by_field_with_labels():
    item = make_activity()
    old = item.revision_data()
    new = {**old, "materials": "Picture cards and a timer."}
    diffs = {d.name: d for d in diff_documents(item, old, new)}
    assert diffs["materials"].label == "Materials"
    assert diffs["materials"].changed
    assert [(op, text.strip()) for op, text in diffs["materials"].pieces] == [
        ("equal", "Picture cards"),
        ("insert", "and a timer"),
        ("equal", "."),
    ]
    assert not any(d.changed for name, d in diffs.items() if name != "materials")


def test_only_a_published_item_is_open_for_proposals(contributor):
    item = make_activity()
    revisions.ensure_revision(item, kind="import", summary="Imported")
    proposal = revisions.propose(
        item, contributor, {**item.revision_data(), "title": "Quick"}, "Shorter title"
    )
    assert proposal.data["title"] == "Quick"
    draft = make_activity("a-draft", publish=False)
    assert not draft.is_open_for_proposals()
    assert item.watch_targets() == [item]
    assert Item.objects.get(pk=item.pk).is_open_for_proposals()
