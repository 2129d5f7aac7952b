"""Readers say whether a page is still accurate; "outdated" goes to the editors' queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.courses.documents import lesson_document
from altto.revisions import actions
from altto.revisions.models import FreshnessVote


def vote(request: HttpRequest, document) -> HttpResponse:
    verdict = request.POST.get("verdict", "")
    if verdict not in FreshnessVote.Verdict.values:
        return HttpResponse(_("Choose “still accurate” or “outdated”."), status=400)
    reason = request.POST.get("reason", "")[:2000]
    try:
        actions.vote_freshness(document, request.user, verdict, reason)
    except actions.RevisionError as error:
        return render(
            request,
            "revisions/vote_error.html",
            {"document": document, "error": str(error), "reason": reason},
            status=400,
        )
    if verdict == FreshnessVote.Verdict.OUTDATED:
        messages.success(request, _("Thank you. Editors will look at what you reported."))
    else:
        messages.success(request, _("Thank you for confirming this lesson is still accurate."))
    return redirect(f"{document.get_absolute_url()}#freshness")


@require_POST
@login_required
def lesson_vote(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    return vote(request, lesson_document(request, slug, lesson))
