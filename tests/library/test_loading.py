"""The starter library ships in content/library/ and loads idempotently."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from altto.courses.curriculum import read_document
from altto.library.loading import LibraryContentError, load_library
from altto.library.models import Item, Licence, Tag, Textbook, TextbookEdition
from altto.revisions import actions as revisions
from altto.revisions.models import AuditEntry
from tests.library.factories import write_library

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "content" / "library"


def test_it_loads_textbooks_editions_and_items(tmp_path):
    report = load_library(write_library(tmp_path))
    assert (report.textbooks.created, report.items.created) == (3, 2)
    textbook = Textbook.objects.get(slug="lets-try")
    assert (textbook.name, textbook.publisher, textbook.school_level) == (
        "Let's Try!",
        "MEXT",
        "es",
    )
    assert list(textbook.editions.values_list("year", "is_obsolete")) == [
        (2018, False),
        (2014, True),
    ]
    activity = Item.objects.get(slug="whats-missing")
    assert activity.edition == TextbookEdition.objects.get(year=2018)
    assert (activity.unit, activity.minutes, activity.skills) == (
        "Unit 4",
        10,
        ["listening", "speaking"],
    )
    assert "<li>Put six cards on the board.</li>" in activity.steps_html
    assert activity.body == "Why it works: everyone looks hard at the board.\n"
    assert [c.name for c in activity.creators.all()] == ["ALTTO contributors"]
    assert dict(Tag.objects.values_list("slug", "name")) == {
        "vocabulary": "Vocabulary",
        "warm-up": "Warm-up",
        "storytelling": "Storytelling",
    }


def test_an_item_with_its_rights_complete_is_published(tmp_path):
    report = load_library(write_library(tmp_path))
    item = Item.objects.get(slug="whats-missing")
    assert (item.status, item.licence) == (Item.Status.PUBLISHED, Licence.ORIGINAL)
    assert item.published_at is not None
    assert report.published == ["whats-missing"]
    assert not AuditEntry.objects.exists()  # loading is not an editorial decision


def test_an_item_used_with_permission_but_no_permission_on_record_stays_a_draft(tmp_path):
    report = load_library(write_library(tmp_path))
    item = Item.objects.get(slug="jalt-story-circle")
    assert item.status == Item.Status.DRAFT
    assert report.drafts == {
        "jalt-story-circle": ["Record a current permission from the rights holder."]
    }
    assert [(c.name, c.url) for c in item.creators.all()] == [
        ("Kim Ito", "https://example.org/kim")
    ]


def test_each_item_gets_an_imported_revision(tmp_path):
    load_library(write_library(tmp_path))
    item = Item.objects.get(slug="whats-missing")
    [revision] = revisions.revisions_of(item)
    assert (revision.number, revision.kind, revision.author) == (1, "import", None)
    assert revision.summary == "Imported from content/library/items/whats-missing.md"
    assert revision.data["steps"].endswith("Hide one while they close their eyes.")


def test_loading_twice_changes_nothing_the_second_time(tmp_path):
    root = write_library(tmp_path)
    load_library(root)
    second = load_library(root)
    assert (second.textbooks.created, second.textbooks.updated) == (0, 0)
    assert (second.items.created, second.items.updated, second.items.unchanged) == (0, 0, 2)
    assert second.kept_site_edits == []
    assert second.published == []
    assert Item.objects.count() == 2
    assert Tag.objects.count() == 3
    for item in Item.objects.all():
        assert revisions.revisions_of(item).count() == 1


def test_a_changed_file_updates_its_item_and_records_a_revision(tmp_path):
    root = write_library(tmp_path)
    load_library(root)
    write_library(root, step="Hide **one** card.")
    report = load_library(root)
    assert (report.items.updated, report.items.unchanged) == (1, 1)
    item = Item.objects.get(slug="whats-missing")
    assert "<strong>one</strong>" in item.steps_html
    assert [r.number for r in revisions.revisions_of(item)] == [2, 1]


def test_an_edit_made_on_the_site_is_kept_and_reported(tmp_path, editor):
    root = write_library(tmp_path)
    load_library(root)
    item = Item.objects.get(slug="whats-missing")
    revisions.record_revision(
        item,
        kind="edit",
        summary="Clearer",
        author=editor,
        data={**item.revision_data(), "steps": "1. An editor's better steps."},
    )
    write_library(root, step="The file changed too.")
    report = load_library(root)
    assert report.kept_site_edits == ["whats-missing"]
    item.refresh_from_db()
    assert item.steps == "1. An editor's better steps."
    assert revisions.revisions_of(item).count() == 2


def test_a_textbook_edited_on_the_site_is_kept(tmp_path):
    root = write_library(tmp_path)
    load_library(root)
    TextbookEdition.objects.filter(year=2018).update(is_obsolete=True)
    report = load_library(root)
    assert report.kept_site_edits == ["lets-try 2018"]
    assert TextbookEdition.objects.get(year=2018).is_obsolete


def test_the_command_says_what_it_kept_and_what_stays_a_draft(tmp_path, capsys):
    root = write_library(tmp_path)
    call_command("load_library", path=str(root))
    Item.objects.filter(slug="whats-missing").update(title="Edited")
    call_command("load_library", path=str(root))
    out = capsys.readouterr().out
    assert "Library items: 0 created, 0 updated, 1 unchanged." in out
    assert "whats-missing: edited on the site, so the file was not applied." in out
    assert "jalt-story-circle: left as a draft. Record a current permission" in out


@pytest.mark.parametrize(
    "change, problem",
    [
        (("---\nslug:", "slug:"), "no front matter"),
        (("kind: activity", "kind: [activity"), "front matter is not valid YAML"),
        (("edition: 2018", "edition: 2099"), "no 2099 edition of textbook 'lets-try'"),
        (("licence: original", "licence: cc-by-nd"), "licence must be one of"),
        (("skills: [listening, speaking]", "skills: [singing]"), "skills must be a list of"),
        (("grades: [3, 4]", "grades: [13]"), "grades must be a list of"),
        (("language: en", "language: fr"), "language: Value 'fr' is not a valid choice."),
        (("title: What's missing?\n", ""), "title is missing"),
        (("slug: whats-missing", "slug: whats-gone"), "must be named after its slug"),
    ],
)
def test_a_bad_item_file_is_a_clear_error_naming_the_file(tmp_path, change, problem):
    root = write_library(tmp_path)
    path = root / "items" / "whats-missing.md"
    path.write_text(path.read_text().replace(*change, 1))
    with pytest.raises(CommandError, match="Library not loaded") as raised:
        call_command("load_library", path=str(root))
    assert str(path) in str(raised.value)
    assert problem in str(raised.value)
    assert not Item.objects.exists()


def test_a_bad_textbooks_file_is_a_clear_error(tmp_path):
    root = write_library(tmp_path)
    (root / "textbooks.yaml").write_text("- slug: x\n  name: X\n  school_level: university\n")
    with pytest.raises(LibraryContentError, match="textbooks.yaml: textbook 1: school_level"):
        load_library(root)


# --- The shipped starter library ---------------------------------------------------------


def shipped_activities() -> list[dict]:
    metas = [read_document(path)[0] for path in sorted((CONTENT / "items").glob("*.md"))]
    return [meta for meta in metas if meta.get("kind") == "activity"]


def test_the_starter_library_loads_cleanly_and_is_all_published():
    activities = shipped_activities()
    if len(activities) < 30:
        pytest.skip(f"content/library/items has {len(activities)} activities; 30 are planned")
    report = load_library(CONTENT)
    assert report.drafts == {}
    assert not Item.objects.exclude(status=Item.Status.PUBLISHED).exists()
    published = Item.objects.published().filter(kind=Item.Kind.ACTIVITY)
    assert published.count() >= 30
    levels = {
        level for levels in published.values_list("school_levels", flat=True) for level in levels
    }
    assert levels >= {"es", "jhs", "shs"}
    again = load_library(CONTENT)
    assert (again.items.created, again.items.updated, again.kept_site_edits) == (0, 0, [])
