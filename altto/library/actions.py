"""Every change to an item's place in the library goes through here: publishing (only with
its rights complete), takedown, and the automatic takedown of items whose permission ran out.
Each function is one transaction. History (revisions, the audit log) is never removed."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from altto.accounts.roles import ADMIN, EDITOR, holders
from altto.library.models import Item, Licence, Permission
from altto.notifications.actions import notify
from altto.notifications.models import Notification
from altto.revisions.models import AuditEntry


class LibraryError(Exception):
    """A change that cannot be made as asked; the message says why, for the person."""


class RightsIncomplete(LibraryError):
    """The item's rights ledger is not complete, so it may not be published."""

    def __init__(self, item: Item, problems: list[str]) -> None:
        self.item, self.problems = item, problems
        super().__init__(
            _("“%(title)s” cannot be published until its rights are complete: %(problems)s")
            % {"title": item.title, "problems": " ".join(problems)}
        )


def _audit(item: Item, actor, action: str, comment: str = "") -> None:
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        actor=actor,
        action=action,
        comment=comment,
    )


@transaction.atomic
def publish(item: Item, editor=None) -> Item:
    """Publish the item, refused unless its rights ledger is complete. An editor's decision
    goes in the audit log; the starter library's loader (no editor) does not."""
    if problems := item.rights_problems():
        raise RightsIncomplete(item, problems)
    was_submitted = item.status == Item.Status.SUBMITTED
    item.status, item.takedown_reason = Item.Status.PUBLISHED, ""
    item.published_at = item.published_at or timezone.now()
    item.save(update_fields=["status", "takedown_reason", "published_at", "updated_at"])
    if editor is not None:
        _audit(item, editor, "publish")
    if was_submitted and item.submitted_by_id:
        # A member's submission: tell them it is out (after the commit, see notify).
        notify(
            [item.submitted_by], "submission_published", item.get_absolute_url(), title=item.title
        )
    return item


@transaction.atomic
def unpublish(item: Item, editor, reason: str) -> Item:
    """Take a published item down. The reason is kept on the item and in the audit log;
    its revisions stay, so it can be published again later."""
    if not reason.strip():
        raise LibraryError(_("Please say why the item is taken down."))
    if item.status != Item.Status.PUBLISHED:
        raise LibraryError(_("Only a published item can be taken down."))
    item.status, item.takedown_reason = Item.Status.UNPUBLISHED, reason.strip()
    item.save(update_fields=["status", "takedown_reason", "updated_at"])
    _audit(item, editor, "unpublish", item.takedown_reason)
    return item


def expired_items(today: datetime.date):
    """Published "used with permission" items whose every permission ended before today."""
    still_valid = Permission.objects.filter(item=OuterRef("pk")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    expired = Permission.objects.filter(item=OuterRef("pk"), expires_on__lt=today)
    return (
        Item.objects.published()
        .filter(licence=Licence.PERMISSION)
        .filter(Exists(expired))
        .exclude(Exists(still_valid))
        .annotate(last_expiry=Max("permissions__expires_on"))
    )


def _editors() -> list:
    """Active editors and admins (superusers hold every role): who hears of an expiry."""
    return list(holders(EDITOR, ADMIN))


WARN_DAYS = 14


def warn_expiring_permissions(today: datetime.date | None = None) -> list[Item]:
    """Tell the editors, once, about published items whose permission ends within
    WARN_DAYS: time to ask the rights holder again before the item is taken down."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=WARN_DAYS)
    # Covered past `soon` by some permission (or one without an end): nothing to warn of.
    lasting = Permission.objects.filter(item=OuterRef("pk")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=soon)
    )
    ending = Permission.objects.filter(item=OuterRef("pk"), expires_on__gte=today)
    items = list(
        Item.objects.published()
        .filter(licence=Licence.PERMISSION)
        .filter(Exists(ending))
        .exclude(Exists(lasting))
        .order_by("pk")
    )
    warned = []
    editors = None
    for item in items:
        rights_page = reverse("library:rights", kwargs={"slug": item.slug})
        if Notification.objects.filter(kind="permission_expiring", url=rights_page).exists():
            continue  # told already for this item
        editors = _editors() if editors is None else editors
        notify(editors, "permission_expiring", rights_page, title=item.title, days=WARN_DAYS)
        warned.append(item)
    return warned


def expire_permissions(today: datetime.date | None = None) -> list[Item]:
    """Unpublish the items whose permission has expired, tell the editors, and return the
    items. Run daily (`manage.py expire_permissions`); each takedown is its own transaction,
    and its notifications go out when it commits."""
    today = today or timezone.localdate()
    taken_down = []
    editors = None
    for item in expired_items(today):
        reason = _("The permission to use this item expired on %(day)s.") % {
            "day": item.last_expiry.isoformat()
        }
        editors = _editors() if editors is None else editors
        with transaction.atomic():
            taken_down.append(unpublish(item, None, reason))
            rights_page = reverse("library:rights", kwargs={"slug": item.slug})
            notify(editors, "permission_expired", rights_page, title=item.title)
    return taken_down
