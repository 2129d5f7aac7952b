from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.courses import actions, queries
from altto.courses.models import Attempt, Lesson, LessonProgress, Reflection
from altto.courses.models.content import current_language, pick_text
from altto.discussion.queries import thread_for
from altto.notifications.queries import watch_state
from altto.revisions.credits import contributors_of
from altto.revisions.queries import open_vote


def get_lesson(slug: str, lesson_slug: str) -> Lesson:
    """The published lesson at this address, or 404."""
    return get_object_or_404(
        Lesson.objects.published().select_related("module"), module__slug=slug, slug=lesson_slug
    )


def lesson_context(request: HttpRequest, lesson: Lesson, attempt: Attempt | None = None) -> dict:
    """Everything the lesson page shows. A fixed number of queries (see the tests)."""
    ui_language = current_language()
    texts = list(lesson.texts.all())
    languages = sorted(text.language for text in texts)
    wanted = request.GET.get("lang") if request.GET.get("lang") in languages else ui_language
    text = pick_text(texts, wanted)
    module = lesson.module
    module.text = pick_text(list(module.texts.all()), ui_language)
    siblings = queries.module_lessons(module, ui_language)
    position = next(i for i, item in enumerate(siblings) if item.pk == lesson.pk)
    questions = list(lesson.questions.prefetch_related("options"))
    user = request.user
    progress = reflection = last_attempt = None
    if user.is_authenticated:
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
        reflection = Reflection.objects.filter(user=user, lesson=lesson).first()
        last_attempt = attempt or Attempt.objects.filter(user=user, lesson=lesson).first()
    watching = watch_state(user, lesson, module)
    chosen = {}
    if attempt:
        chosen = {int(q): set(options) for q, options in attempt.answers.items()}
        for question in questions:
            question.chosen = chosen.get(question.pk, set())
            question.was_right = question.is_answered_correctly(question.chosen)
    return {
        "module": module,
        "lesson": lesson,
        "text": text,
        "other_languages": [code for code in languages if code != text.language],
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if position + 1 < len(siblings) else None,
        "position": position + 1,
        "lesson_total": len(siblings),
        "questions": questions,
        "attempt": attempt,
        "last_attempt": last_attempt,
        "progress": progress,
        "reflection": reflection,
        "is_complete": bool(progress and progress.completed_at),
        "can_author": may(user, "author_course"),
        "comments": thread_for(lesson),
        "contributors": contributors_of(text),
        "watching_lesson": watching.get(lesson, False),
        "watching_module": watching.get(module, False),
        "my_vote": open_vote(user, text),
    }


def lesson_page(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_lesson(slug, lesson)
    return render(request, "courses/lesson.html", lesson_context(request, lesson_obj))


@require_POST
@login_required
def mark_complete(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_lesson(slug, lesson)
    progress = actions.mark_lesson_complete(request.user, lesson_obj)
    if progress.completed_at:
        messages.success(request, _("Lesson complete. Well done!"))
    else:
        messages.info(request, _("Marked as read. Pass the knowledge check to complete it."))
    return redirect(lesson_obj)


def parse_answers(post) -> dict[int, set[int]] | None:
    """Form fields q<question id> = <option id>. None when a value is not a number."""
    answers: dict[int, set[int]] = {}
    try:
        for key in post:
            if key.startswith("q") and key[1:].isdigit():
                answers[int(key[1:])] = {int(value) for value in post.getlist(key)}
    except ValueError:
        return None
    return answers


@require_POST
@login_required
def submit_check(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_lesson(slug, lesson)
    answers = parse_answers(request.POST)
    if answers is None:
        return HttpResponseBadRequest(_("Those answers are not valid."))
    try:
        attempt = actions.submit_check(request.user, lesson_obj, answers)
    except actions.InvalidAnswer:
        return HttpResponseBadRequest(_("Those answers are not part of this check."))
    context = lesson_context(request, lesson_obj, attempt)
    if request.headers.get("HX-Request"):
        return render(request, "courses/_check.html", context)
    return render(request, "courses/lesson.html", context)


@require_POST
@login_required
def save_reflection(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_lesson(slug, lesson)
    text = request.POST.get("text", "").strip()
    if not text or len(text) > 5000:
        context = lesson_context(request, lesson_obj)
        context["reflection_error"] = _("Write between 1 and 5,000 characters.")
        context["reflection_draft"] = text
        return render(request, "courses/lesson.html", context, status=400)
    actions.save_reflection(request.user, lesson_obj, text)
    messages.success(request, _("Your reflection is saved in your training record."))
    return redirect(f"{lesson_obj.get_absolute_url()}#reflection")
