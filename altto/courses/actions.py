"""What learners do in the course. Each write is one transaction; views only call these."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from altto.courses.models import (
    Attempt,
    Certificate,
    Lesson,
    LessonProgress,
    Module,
    Reflection,
)
from altto.courses.models.content import current_language, pick_text
from altto.notifications.actions import notify


class InvalidAnswer(ValueError):
    """An answer names a question or option that is not in the lesson's check."""


def _progress_for(user, lesson: Lesson) -> LessonProgress:
    # A double click sends two requests at once; the unique constraint keeps one row.
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:
        progress = LessonProgress.objects.get(user=user, lesson=lesson)
    return progress


def _has_check(lesson: Lesson) -> bool:
    return lesson.questions.exists()


def _refresh_completion(progress: LessonProgress, has_check: bool) -> None:
    done = progress.marked_complete_at and (progress.check_passed_at or not has_check)
    if done and not progress.completed_at:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
        issue_certificate_if_due(progress.user, progress.lesson.module)


@transaction.atomic
def mark_lesson_complete(user, lesson: Lesson) -> LessonProgress:
    progress = _progress_for(user, lesson)
    if not progress.marked_complete_at:
        progress.marked_complete_at = timezone.now()
        progress.save(update_fields=["marked_complete_at", "updated_at"])
    _refresh_completion(progress, _has_check(lesson))
    return progress


def grade(lesson: Lesson, answers: Mapping[int, set[int]]) -> tuple[int, int, dict[int, bool]]:
    """Score answers against the check: (correct, questions, per-question verdicts).
    Every answer must name a question of this lesson and only that question's options."""
    questions = list(lesson.questions.prefetch_related("options"))
    by_id = {q.pk: q for q in questions}
    for question_id, option_ids in answers.items():
        question = by_id.get(question_id)
        if question is None:
            raise InvalidAnswer(f"question {question_id} is not in this check")
        valid = {option.pk for option in question.options.all()}
        if not option_ids <= valid:
            raise InvalidAnswer(f"answer to question {question_id} names unknown options")
        if question.kind == question.Kind.SINGLE and len(option_ids) > 1:
            raise InvalidAnswer(f"question {question_id} takes one answer")
    verdicts = {q.pk: q.is_answered_correctly(set(answers.get(q.pk, set()))) for q in questions}
    return sum(verdicts.values()), len(questions), verdicts


@transaction.atomic
def submit_check(user, lesson: Lesson, answers: Mapping[int, set[int]]) -> Attempt:
    correct, total, _verdicts = grade(lesson, answers)
    needed = total if lesson.pass_mark is None else min(lesson.pass_mark, total)
    attempt = Attempt.objects.create(
        user=user,
        lesson=lesson,
        answers={str(q): sorted(o) for q, o in answers.items()},
        correct_count=correct,
        question_count=total,
        passed=total > 0 and correct >= needed,
    )
    progress = _progress_for(user, lesson)
    if attempt.passed and not progress.check_passed_at:
        progress.check_passed_at = timezone.now()
        progress.save(update_fields=["check_passed_at", "updated_at"])
        _refresh_completion(progress, has_check=True)
    return attempt


@transaction.atomic
def save_reflection(user, lesson: Lesson, text: str) -> Reflection:
    reflection, _created = Reflection.objects.update_or_create(
        user=user, lesson=lesson, defaults={"text": text}
    )
    _progress_for(user, lesson)  # reflecting counts as taking part
    return reflection


def issue_certificate_if_due(user, module: Module) -> Certificate | None:
    """A certificate, once every published lesson of the module is complete."""
    lessons = list(module.lessons.filter(is_published=True).values_list("pk", "estimated_minutes"))
    if not lessons:
        return None
    done = LessonProgress.objects.filter(
        user=user, lesson__in=[pk for pk, _m in lessons], completed_at__isnull=False
    ).count()
    if done < len(lessons):
        return None
    existing = Certificate.objects.filter(user=user, module=module).first()
    if existing:
        return existing
    text = pick_text(list(module.texts.all()), user.preferred_language or current_language())
    certificate = Certificate.objects.create(
        user=user,
        module=module,
        name_on_certificate=user.name,
        module_title=text.title if text else module.slug,
        minutes=sum(minutes for _pk, minutes in lessons) or module.estimated_minutes,
    )
    notify([user], "certificate_issued", certificate.get_absolute_url(),
           title=certificate.module_title)  # fmt: skip
    return certificate


def rename_certificate(certificate: Certificate, name: str) -> Certificate:
    """Change the name printed on a certificate (the learner's own choice of spelling)."""
    certificate.name_on_certificate = name
    certificate.save(update_fields=["name_on_certificate"])
    return certificate
