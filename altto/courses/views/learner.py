from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from altto.courses import queries
from altto.courses.models.content import current_language
from altto.revisions.queries import proposals_by


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    language = current_language()
    modules = queries.attach_progress(
        queries.published_modules(language), queries.completed_counts(request.user)
    )
    started = queries.started_module_ids(request.user)
    return render(
        request,
        "courses/dashboard.html",
        {
            "in_progress": [m for m in modules if m.pk in started and m.done < m.lesson_count],
            "completed": [m for m in modules if m.lesson_count and m.done == m.lesson_count],
            "continue_target": queries.continue_target(request.user, language),
            "certificates": queries.learner_certificates(request.user),
            "module_count": len(modules),
            "proposals": proposals_by(request.user),
        },
    )
