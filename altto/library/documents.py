"""The library item that revision pages (history, proposals) work on, found from its URL."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from altto.accounts.roles import may
from altto.library.models import Item


def item_document(request: HttpRequest, slug: str) -> Item:
    """The published item at `slug` (an editor also reaches one in any other state);
    404 otherwise. Its words are the versioned document: see Item.REVISION_FIELDS."""
    items = Item.objects.all()
    if not may(request.user, "review_proposals"):
        items = items.published()
    return get_object_or_404(items, slug=slug)
