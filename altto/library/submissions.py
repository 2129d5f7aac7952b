"""Members' submissions: a new item waits for an editor, who publishes it (actions.publish,
only with its rights complete) or rejects it with a reason. Each function is one transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from altto.library.actions import LibraryError
from altto.library.files import store_document
from altto.library.models import Creator, Item, Tag
from altto.notifications.actions import notify
from altto.revisions.actions import ensure_revision
from altto.revisions.models import AuditEntry

# Addresses under /library/ that are pages, not items.
RESERVED_SLUGS = {"submit", "textbooks", "review", "new"}
SLUG_LENGTH = 100


def unique_slug(title: str) -> str:
    """An address from the title, free among items: "title", else "title-2", "title-3"…"""
    base = slugify(title)[: SLUG_LENGTH - 4].strip("-") or "item"
    taken = (
        set(Item.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def submit(
    member,
    fields: dict,
    *,
    tags: list[tuple[str, str]] = (),
    creators: list[tuple[str, str]] = (),
    upload=None,
) -> Item:
    """Save a member's new item, waiting for review, with its first revision. The address
    is made from the title; should another submission take it at the same moment, try the
    next one."""
    for _attempt in range(3):
        try:
            return _create(member, fields, tags, creators, upload)
        except IntegrityError:
            continue
    raise LibraryError(_("Please try again: the site was busy."))


@transaction.atomic
def _create(member, fields: dict, tags, creators, upload) -> Item:
    item = Item.objects.create(
        slug=unique_slug(fields["title"]),
        status=Item.Status.SUBMITTED,
        submitted_by=member,
        **fields,
    )
    for slug, name in tags:
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        item.tags.add(tag)
    Creator.objects.bulk_create(
        Creator(item=item, name=name, url=url, order=order)
        for order, (name, url) in enumerate(creators)
    )
    if upload is not None:
        store_document(item, upload)  # checked by the form (audio or document, by kind)
    ensure_revision(item, kind="edit", summary=_("Submitted"), author=member)
    return item


@transaction.atomic
def reject(item: Item, editor, reason: str) -> Item:
    """Turn a submission down: it is kept, unpublished, with the reason the member is told."""
    if not reason.strip():
        raise LibraryError(_("Please tell the member why it is not accepted."))
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Item.Status.SUBMITTED:
        raise LibraryError(_("This item is not waiting for review any more."))
    item.status, item.takedown_reason = Item.Status.UNPUBLISHED, reason.strip()
    item.save(update_fields=["status", "takedown_reason", "updated_at"])
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        actor=editor,
        action="reject_submission",
        comment=item.takedown_reason,
    )
    notify(
        [item.submitted_by],
        "submission_rejected",
        reverse("library:submit"),
        title=item.title,
        comment=item.takedown_reason,
    )
    return item
