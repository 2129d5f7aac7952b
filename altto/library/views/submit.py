"""Members submit new items; editors approve (publish) or reject them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.library import actions, submissions
from altto.library.models import Item
from altto.library.submission_forms import SubmissionForm

RECENT_SUBMISSIONS = 20


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    """The form for a new item; on success, back here with a thank-you and the member's
    submissions, the new one first."""
    if not may(request.user, "propose_edit"):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                item = submissions.submit(
                    request.user,
                    form.item_fields(),
                    tags=form.cleaned_data["tags"],
                    creators=form.cleaned_data["creators"],
                    upload=form.cleaned_data["file"],
                )
            except actions.LibraryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you! “%(title)s” is waiting for an editor, who will review it.")
                    % {"title": item.title},
                )
                return redirect("library:submit")
        status = 400
    else:
        form = SubmissionForm()
    mine = list(
        Item.objects.filter(submitted_by=request.user)
        .only("slug", "title", "status", "takedown_reason", "created_at")
        .order_by("-created_at", "-pk")[:RECENT_SUBMISSIONS]
    )
    return render(request, "library/submit.html", {"form": form, "mine": mine}, status=status)


def _submission_for_editor(request: HttpRequest, slug: str) -> Item:
    if not may(request.user, "review_proposals"):
        raise PermissionDenied
    return get_object_or_404(Item.objects.select_related("submitted_by"), slug=slug)


@require_POST
@login_required
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a waiting item: refused, with what is missing, until its rights are complete."""
    item = _submission_for_editor(request, slug)
    if item.status == Item.Status.PUBLISHED:
        messages.info(request, _("This item is already published."))
        return redirect(item)
    try:
        actions.publish(item, request.user)
    except actions.RightsIncomplete as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("“%(title)s” is published. The member is notified.") % {"title": item.title}
        )
    return redirect(item)


@require_POST
@login_required
def reject(request: HttpRequest, slug: str) -> HttpResponse:
    item = _submission_for_editor(request, slug)
    try:
        submissions.reject(item, request.user, request.POST.get("reason", "")[:2000])
    except actions.LibraryError as error:
        messages.error(request, str(error))
        return redirect(item)
    messages.success(request, _("The submission is turned down. The member sees your reason."))
    return redirect("revisions:queue")
