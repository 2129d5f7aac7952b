"""What /review/ shows about the library. Each function runs a fixed number of queries."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.timesince import timesince

from altto.library.models import Item, Licence, Permission
from altto.revisions.models import AuditEntry


def submissions_for_review() -> list[Item]:
    """Members' submissions waiting for an editor, oldest first, each with its submitter,
    `age` and `problems` (what its rights ledger still lacks): 3 queries (the items with
    their submitter, their creators, their permissions), 1 when there are none."""
    items = list(
        Item.objects.filter(status=Item.Status.SUBMITTED)
        .select_related("submitted_by")
        .prefetch_related("creators", "permissions")
        .order_by("created_at", "pk")
    )
    for item in items:
        item.age = timesince(item.created_at, depth=1)
        item.problems = item.rights_problems(
            creators=list(item.creators.all()), permissions=list(item.permissions.all())
        )
    return items


RIGHTS_WINDOW_DAYS = 60
RIGHTS_ROWS = 50


def rights_for_review(today=None) -> dict:
    """The rights section of /review/: 2 queries, at most RIGHTS_ROWS rows each.

    `expiring`: permissions of "used with permission" items that end within
    RIGHTS_WINDOW_DAYS, soonest first, each with its item and `renewed` (the item has a
    permission lasting longer). `expired`: items taken down because their permission ran out
    (by altto.library.actions.expire_permissions, the only takedown with no editor), each
    with `last_expiry`, the day its last permission ended."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=RIGHTS_WINDOW_DAYS)
    lasts_longer = Permission.objects.filter(item=OuterRef("item")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=until)
    )
    expiring = (
        Permission.objects.filter(
            expires_on__gte=today, expires_on__lte=until, item__licence=Licence.PERMISSION
        )
        .select_related("item")
        .annotate(renewed=Exists(lasts_longer))
        .order_by("expires_on", "pk")
    )
    takedowns = AuditEntry.objects.filter(
        content_type__app_label="library",
        content_type__model="item",
        object_id=OuterRef("pk"),
        action="unpublish",
    ).order_by("-created_at", "-pk")
    expired = (
        Item.objects.filter(status=Item.Status.UNPUBLISHED, licence=Licence.PERMISSION)
        .annotate(
            takedowns=Exists(takedowns),
            last_takedown_by=Subquery(takedowns.values("actor_id")[:1]),
            last_expiry=Subquery(
                Permission.objects.filter(item=OuterRef("pk"))
                .order_by(F("expires_on").desc(nulls_first=True))
                .values("expires_on")[:1]
            ),
        )
        .filter(takedowns=True, last_takedown_by__isnull=True)
        .order_by("-updated_at", "-pk")
    )
    return {
        "expiring": list(expiring[:RIGHTS_ROWS]),
        "expired": list(expired[:RIGHTS_ROWS]),
        "window_days": RIGHTS_WINDOW_DAYS,
    }
