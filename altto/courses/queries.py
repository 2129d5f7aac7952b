"""Reads the course pages share. Each function runs a fixed number of queries, however many
modules, lessons or learners there are."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q

from altto.courses.models import Certificate, Lesson, LessonProgress, LessonText, Module
from altto.courses.models.content import pick_text


def with_texts(items, language: str):
    """Attach `.text` (the best text for `language`) to prefetched modules or lessons."""
    for item in items:
        item.text = pick_text(list(item.texts.all()), language)
    return items


def published_modules(language: str) -> list[Module]:
    # 2 queries: modules with their published lesson count; their texts.
    modules = (
        Module.objects.published()
        .annotate(lesson_count=Count("lessons", filter=Q(lessons__is_published=True)))
        .prefetch_related("texts")
        .order_by("order", "slug")  # Meta.ordering is dropped from aggregate queries
    )
    return with_texts(list(modules), language)


def completed_lesson_ids(user, lessons=None) -> set[int]:
    """Ids of the published lessons this learner completed (1 query)."""
    if not user.is_authenticated:
        return set()
    rows = LessonProgress.objects.filter(
        user=user, completed_at__isnull=False, lesson__is_published=True
    )
    if lessons is not None:
        rows = rows.filter(lesson__in=lessons)
    return set(rows.values_list("lesson_id", flat=True))


def completed_counts(user) -> dict[int, int]:
    """Module id → number of its published lessons this learner completed (1 query)."""
    if not user.is_authenticated:
        return {}
    rows = (
        LessonProgress.objects.filter(
            user=user, completed_at__isnull=False, lesson__is_published=True
        )
        .values("lesson__module_id")
        .annotate(done=Count("id"))
    )
    return {row["lesson__module_id"]: row["done"] for row in rows}


def started_module_ids(user) -> set[int]:
    """Modules in which this learner has done anything at all (1 query)."""
    if not user.is_authenticated:
        return set()
    rows = LessonProgress.objects.filter(user=user).values_list("lesson__module_id", flat=True)
    return set(rows.distinct())


def attach_progress(modules: list[Module], counts: dict[int, int]) -> list[Module]:
    for module in modules:
        module.done = min(counts.get(module.pk, 0), module.lesson_count)
        module.percent = (
            round(100 * module.done / module.lesson_count) if module.lesson_count else 0
        )
    return modules


def module_lessons(module: Module, language: str) -> list[Lesson]:
    """The module's published lessons in order, each with `.text` in `language` (1 query:
    the lessons' titles, joined to their lessons). A lesson with no text yet is left out."""
    texts = (
        LessonText.objects.filter(lesson__module=module, lesson__is_published=True)
        .select_related("lesson")
        .only("id", "language", "title", "lesson")
        .order_by("lesson__order", "lesson__slug", "language")
    )
    lessons: dict[int, Lesson] = {}
    by_lesson: dict[int, list[LessonText]] = {}
    for text in texts:
        lesson = lessons.setdefault(text.lesson_id, text.lesson)
        lesson.module = module  # already fetched: spare a query per link
        by_lesson.setdefault(lesson.pk, []).append(text)
    for lesson in lessons.values():
        lesson.text = pick_text(by_lesson[lesson.pk], language)
    return list(lessons.values())


@dataclass
class ContinueTarget:
    module: Module
    lesson: Lesson


def continue_target(user, language: str) -> ContinueTarget | None:
    """Where this learner left off: the first unfinished lesson of the module they touched
    last. None when they have not started, or finished what they started."""
    if not user.is_authenticated:
        return None
    last = (
        LessonProgress.objects.filter(user=user, lesson__is_published=True)
        .values("lesson__module_id")
        .annotate(last_seen=Max("updated_at"))
        .order_by("-last_seen")
        .first()
    )
    if last is None:
        return None
    lessons = (
        Lesson.objects.published()
        .filter(module_id=last["lesson__module_id"])
        .exclude(
            Exists(
                LessonProgress.objects.filter(
                    user=user, lesson=OuterRef("pk"), completed_at__isnull=False
                )
            )
        )
        .select_related("module")
        .prefetch_related("texts", "module__texts")
        .order_by("order", "slug")
    )
    lesson = lessons.first()
    if lesson is None:
        return None
    with_texts([lesson, lesson.module], language)
    return ContinueTarget(module=lesson.module, lesson=lesson)


def learner_certificates(user) -> list[Certificate]:
    return list(Certificate.objects.filter(user=user).select_related("module"))
