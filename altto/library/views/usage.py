""" "I used this": a signed-in member marks a published item used, rates it, keeps notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.library import usage
from altto.library.models import Item
from altto.library.views import browse


def _published(slug: str) -> Item:
    # Only a published item can be marked, whoever asks (an editor included).
    return get_object_or_404(Item.objects.published().only("pk", "slug", "status"), slug=slug)


@require_POST
@login_required
def mark_used(request: HttpRequest, slug: str) -> HttpResponse:
    item = _published(slug)
    raw_rating = request.POST.get("rating", "")
    notes = request.POST.get("notes", "")
    try:
        rating = usage.parse_rating(raw_rating)
        usage.mark_used(item, request.user, rating=rating, notes=notes)
    except usage.UsageError as error:
        # The page again, with the message and what they wrote, so nothing is lost.
        full = browse.get_item_or_404(request, slug)
        context = browse.item_context(request, full)
        context["usage_error"] = str(error)
        context["usage_form"] = {"rating": raw_rating.strip(), "notes": notes}
        return render(request, "library/item.html", context, status=400)
    messages.success(request, _("Thank you: your mark is saved."))
    return redirect(f"{item.get_absolute_url()}#used")


@require_POST
@login_required
def unmark_used(request: HttpRequest, slug: str) -> HttpResponse:
    item = _published(slug)
    if usage.unmark_used(item, request.user):
        messages.success(request, _("Your mark is removed."))
    return redirect(f"{item.get_absolute_url()}#used")
