"""The starter curriculum ships in content/modules/ and loads idempotently."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from altto.courses.curriculum import CurriculumError, load_curriculum, read_document
from altto.courses.models import Lesson, LessonText, Module, ModuleText, Question
from tests.courses.factories import write_curriculum

CONTENT = Path(settings.BASE_DIR) / "content" / "modules"


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time(tmp_path):
    root = write_curriculum(tmp_path)
    first = load_curriculum(root)
    assert first.created == 4  # module text in English and Japanese, lesson text, check
    second = load_curriculum(root)
    assert (second.created, second.updated, second.kept_site_edits) == (0, 0, [])
    assert Module.objects.count() == 1
    assert Lesson.objects.count() == 1
    assert Question.objects.count() == 1
    assert ModuleText.objects.get(language="ja").title == "初日"


@pytest.mark.django_db
def test_a_changed_file_updates_its_lesson(tmp_path):
    root = write_curriculum(tmp_path)
    load_curriculum(root)
    write_curriculum(root, body="Say **ohayō gozaimasu**.")
    report = load_curriculum(root)
    assert report.updated == 1
    assert "ohayō" in LessonText.objects.get().body_html


@pytest.mark.django_db
def test_an_edit_made_on_the_site_is_never_overwritten(tmp_path):
    root = write_curriculum(tmp_path)
    load_curriculum(root)
    text = LessonText.objects.get()
    text.body = "An editor's better wording."
    text.save()
    question = Question.objects.get()
    question.prompt = "An editor's better question?"
    question.save()
    write_curriculum(root, body="The file changed too.")
    report = load_curriculum(root)
    assert sorted(report.kept_site_edits) == [
        "first-day/greetings (check)",
        "first-day/greetings [en]",
    ]
    assert LessonText.objects.get().body == "An editor's better wording."
    assert Question.objects.get().prompt == "An editor's better question?"


@pytest.mark.django_db
def test_the_command_says_what_it_kept(tmp_path, capsys):
    root = write_curriculum(tmp_path)
    call_command("load_curriculum", path=str(root))
    text = LessonText.objects.get()
    text.title = "Edited"
    text.save()
    call_command("load_curriculum", path=str(root))
    out = capsys.readouterr().out
    assert "first-day/greetings [en]: edited on the site, so the file was not applied." in out


def test_a_file_without_front_matter_is_a_clear_error(tmp_path):
    path = tmp_path / "01-x.md"
    path.write_text("no front matter")
    with pytest.raises(CurriculumError, match="no front matter"):
        read_document(path)


# --- The shipped starter curriculum ------------------------------------------------------


def shipped_lessons():
    return sorted(p for p in CONTENT.glob("*/[0-9]*.md") if not p.name.endswith(".ja.md"))


def test_the_starter_curriculum_has_nine_modules_of_three_to_five_lessons():
    modules = sorted(p for p in CONTENT.iterdir() if (p / "module.md").exists())
    assert len(modules) >= 9
    for module in modules:
        meta, _intro = read_document(module / "module.md")
        assert meta["ja"]["title"] and meta["ja"]["summary"], module.name
        lessons = [p for p in module.glob("[0-9]*.md") if not p.name.endswith(".ja.md")]
        assert 3 <= len(lessons) <= 5, module.name


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_starter_lesson_is_substantial_checked_and_sourced(path):
    meta, body = read_document(path)
    words = len(body.split())
    assert 400 <= words <= 1200, f"{words} words"
    assert meta["check"]["questions"], "needs a knowledge check"
    assert meta.get("references"), "needs cited sources"
    assert meta.get("objectives"), "needs learning objectives"


@pytest.mark.django_db
def test_the_starter_curriculum_loads_and_reloads_cleanly():
    first = load_curriculum(CONTENT)
    assert first.created > 0
    second = load_curriculum(CONTENT)
    assert (second.created, second.updated) == (0, 0)
    assert Module.objects.published().count() >= 9
    assert not Lesson.objects.filter(questions__isnull=True).exists()
