"""An item's file (a document or audio), served with headers that keep a browser from
running it."""

from pathlib import PurePath

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from altto.accounts.roles import may
from altto.library.files import AUDIO_TYPES
from altto.library.models import Item

# Whatever the file turns out to be, it runs nothing and loads nothing on this site.
FILE_CSP = "default-src 'none'; sandbox"


@require_GET
def item_file(request: HttpRequest, slug: str) -> FileResponse:
    """The item's file as a download (audio inline, for the item page's player): published
    items for everyone, any item for editors."""
    items = Item.objects.only("pk", "slug", "status", "file", "file_type")
    if not may(request.user, "review_proposals"):
        items = items.published()
    item = get_object_or_404(items, slug=slug)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # The type check_document or check_audio found when it was uploaded; a file that never
    # went through the check (none should) is served as plain bytes.
    content_type = item.file_type or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=content_type not in AUDIO_TYPES,
        filename=PurePath(item.file.name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if item.status != Item.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response
