"""What editors do to the course on the site. Each write is one transaction; views only call
these. Texts keep their `loaded_hash`, so the curriculum loader sees a site edit and keeps it."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from altto.courses.models import Lesson, LessonText, Module, ModuleText
from altto.courses.models.checks import check_as_data, replace_check
from altto.revisions.actions import ensure_revision
from altto.revisions.models import Revision

# Columns each text's save() fills in from the ones an editor types.
RENDERED_FIELDS = {
    ModuleText: ("intro_html",),
    LessonText: ("body_html", "references_html", "word_count"),
}


def normalise(value: Any) -> Any:
    """Browsers send CRLF from text areas and forms strip ends; compare and store without."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    return value


def _save_texts(model, owner_field: str, owner, texts: Mapping[str, dict | None]) -> None:
    """Write each language's text; None removes that language. A text whose words did not
    change is not written at all, so it still counts as the loader's."""
    existing = {text.language: text for text in model.objects.filter(**{owner_field: owner})}
    for language, values in texts.items():
        text = existing.get(language)
        if values is None:
            if text is not None:
                text.delete()
            continue
        if text is None:
            text = model(**{owner_field: owner}, language=language, **normalise(values))
            text.save()
            continue
        changed = [
            name
            for name, value in values.items()
            if normalise(value) != normalise(getattr(text, name))
        ]
        for name in changed:
            setattr(text, name, normalise(values[name]))
        if changed:
            text.save(update_fields=[*changed, *RENDERED_FIELDS[model], "updated_at"])


def next_module_order() -> int:
    return (Module.objects.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def save_module(module: Module, *, maintainers: Iterable, texts: Mapping[str, dict | None]):
    """Create or update a module with its maintainers and its texts by language."""
    module.save()
    module.maintainers.set(maintainers)
    _save_texts(ModuleText, "module", module, texts)
    return module


def record_edits(lesson: Lesson, editor, summary: str) -> None:
    """An editor's direct edit is a revision too, for each language whose content changed."""
    for text in lesson.texts.all():
        ensure_revision(text, kind=Revision.Kind.EDIT, summary=summary, author=editor)


@transaction.atomic
def save_lesson(lesson: Lesson, *, texts: Mapping[str, dict | None], editor=None) -> Lesson:
    """Create or update a lesson and its texts. A new lesson goes last in its module."""
    if lesson.pk is None:
        last = lesson.module.lessons.aggregate(last=Max("order"))["last"]
        lesson.order = (last or 0) + 1
    lesson.save()
    _save_texts(LessonText, "lesson", lesson, texts)
    record_edits(lesson, editor, _("Edited in the authoring pages"))
    return lesson


def _move(items: list, item, step: int) -> list:
    """Swap `item` with its neighbour `step` away (if any), then number all 1…n so that
    ties in the old order can never make a move do nothing. Returns the rows to update."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for position, other in enumerate(items, start=1):
        if other.order != position:
            other.order = position
            changed.append(other)
    return changed


@transaction.atomic
def move_module(module: Module, step: int) -> None:
    """Move a module one place up (step -1) or down (+1) in the catalogue."""
    modules = list(Module.objects.select_for_update().order_by("order", "slug"))
    Module.objects.bulk_update(_move(modules, module, step), ["order"])


@transaction.atomic
def move_lesson(lesson: Lesson, step: int) -> None:
    """Move a lesson one place up (step -1) or down (+1) within its module."""
    lessons = list(
        Lesson.objects.select_for_update().filter(module=lesson.module_id).order_by("order", "slug")
    )
    Lesson.objects.bulk_update(_move(lessons, lesson, step), ["order"])


@transaction.atomic
def set_module_published(module: Module, published: bool) -> None:
    module.is_published = published
    module.save(update_fields=["is_published", "updated_at"])


@transaction.atomic
def save_check(lesson: Lesson, questions: list[dict], editor=None) -> bool:
    """Replace the lesson's check with `questions` (kind, prompt, options with text, correct,
    feedback). Returns False, writing nothing, when nothing changed."""
    questions = normalise(questions)
    if normalise(check_as_data(lesson)) == questions:
        return False
    replace_check(lesson, questions)
    lesson.save(update_fields=["updated_at"])
    record_edits(lesson, editor, _("Knowledge check edited"))
    return True
