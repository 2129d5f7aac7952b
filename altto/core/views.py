from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from altto.blog.queries import upcoming_titles
from altto.core import health
from altto.courses.models.content import current_language
from altto.courses.queries import continue_target
from altto.forum.queries import latest_threads


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "continue_target": continue_target(request.user, current_language()),
            "forum_latest": latest_threads(5),
            "blog_upcoming": upcoming_titles(3),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_reachable()
    migrations = database and health.migrations_applied()
    ok = database and migrations
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "database": "ok" if database else "unreachable",
            "migrations": "ok" if migrations else ("pending" if database else "unknown"),
        },
        status=200 if ok else 503,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher (cookie), plus the signed-in user's saved preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    known = dict(settings.LANGUAGES)
    if user.is_authenticated and language in known and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the failure may have come from one of them.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
