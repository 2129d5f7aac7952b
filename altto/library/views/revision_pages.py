"""An item's history and proposals: the generic revision views (altto/revisions/views/),
given the item found from its address. The routes carry the same names as a lesson's
(history, revision, compare, rollback, mark_reviewed, propose, propose_preview) in the
library namespace, so the pages' links between themselves resolve here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.library.documents import item_document
from altto.revisions.views import history, proposals


def item_history(request: HttpRequest, slug: str) -> HttpResponse:
    return history.history(request, item_document(request, slug))


def item_revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return history.revision_page(request, item_document(request, slug), number)


def item_compare(request: HttpRequest, slug: str) -> HttpResponse:
    return history.compare(request, item_document(request, slug))


@require_POST
def item_rollback(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return history.rollback(request, item_document(request, slug), number)


@require_POST
def item_mark_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    return history.mark_reviewed(request, item_document(request, slug))


@login_required
def item_propose(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = item_document(request, slug)
    except Http404:
        if request.method == "POST":
            return proposals._gone(request)
        raise
    return proposals.propose(
        request,
        item,
        action_url=reverse("library:propose", kwargs={"slug": slug}),
        preview_url=reverse("library:propose_preview", kwargs={"slug": slug}),
    )


@require_POST
@login_required
def item_propose_preview(request: HttpRequest, slug: str) -> HttpResponse:
    item = item_document(request, slug)
    if not may(request.user, "propose_edit", item):
        raise PermissionDenied
    return proposals.preview(request)
