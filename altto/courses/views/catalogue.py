from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from altto.accounts.models import AltType, SchoolLevel
from altto.accounts.roles import may
from altto.courses import queries
from altto.courses.models import Module
from altto.courses.models.content import current_language, pick_text
from altto.notifications.queries import watch_state

PATH_FIELDS = ("alt_type", "level", "first_weeks")


def learning_path(request: HttpRequest) -> dict:
    """The path asked for in the query string; for a signed-in learner with no choice made
    yet, the one their profile suggests."""
    params = request.GET
    if not any(name in params for name in (*PATH_FIELDS, "all")) and request.user.is_authenticated:
        user = request.user
        return {
            "alt_type": user.alt_type if user.alt_type in AltType.values else "",
            "level": user.school_levels[0] if len(user.school_levels) == 1 else "",
            "first_weeks": False,
            "from_profile": bool(user.alt_type or len(user.school_levels) == 1),
        }
    return {
        "alt_type": params.get("alt_type", "") if params.get("alt_type") in AltType.values else "",
        "level": params.get("level", "") if params.get("level") in SchoolLevel.values else "",
        "first_weeks": params.get("first_weeks") == "1",
        "from_profile": False,
    }


def catalogue(request: HttpRequest) -> HttpResponse:
    language = current_language()
    path = learning_path(request)
    modules = queries.published_modules(language)
    queries.attach_progress(modules, queries.completed_counts(request.user))
    shown = [m for m in modules if m.fits(path["alt_type"], path["level"], path["first_weeks"])]
    return render(
        request,
        "courses/catalogue.html",
        {
            "modules": shown,
            "hidden_count": len(modules) - len(shown),
            "path": path,
            "alt_types": AltType.choices,
            "levels": SchoolLevel.choices,
            "continue_target": queries.continue_target(request.user, language),
            "can_author": may(request.user, "author_course"),
        },
    )


def module_page(request: HttpRequest, slug: str) -> HttpResponse:
    language = current_language()
    module = get_object_or_404(
        Module.objects.published().prefetch_related("texts", "maintainers"), slug=slug
    )
    module.text = pick_text(list(module.texts.all()), language)
    lessons = queries.module_lessons(module, language)
    done = queries.completed_lesson_ids(request.user, lessons)
    for lesson in lessons:
        lesson.is_done = lesson.pk in done
    next_lesson = next((lesson for lesson in lessons if not lesson.is_done), None)
    return render(
        request,
        "courses/module.html",
        {
            "module": module,
            "lessons": lessons,
            "done_count": len(done),
            "percent": round(100 * len(done) / len(lessons)) if lessons else 0,
            "next_lesson": next_lesson,
            "started": bool(done),
            "watching_module": watch_state(request.user, module).get(module, False),
            "can_author": may(request.user, "author_course"),
        },
    )
