from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from altto.accounts.models import User
from altto.mail.queue import queue_for_notifications
from altto.notifications.models import Notification, Watch


def notify(users: Iterable, kind: str, url: str, **params) -> int:
    """Tell each user (once, skipping None) something happened. Runs after the current
    transaction commits, so a rolled-back action notifies nobody."""
    user_ids = {user.pk for user in users if user is not None}
    if not user_ids:
        return 0

    @transaction.atomic
    def send() -> None:
        created = Notification.objects.bulk_create(
            Notification(user_id=pk, kind=kind, url=url, params=params) for pk in user_ids
        )
        User.objects.filter(pk__in=user_ids).update(
            unread_notifications=F("unread_notifications") + 1
        )
        # Emails (immediate ones now, digests later) once these rows are committed; a mail
        # failure never undoes the notifications.
        transaction.on_commit(lambda: queue_for_notifications(created), robust=True)

    # robust: a failed notification is logged, and never turns the action it follows (already
    # committed) into an error page.
    transaction.on_commit(send, robust=True)
    return len(user_ids)


def live_watch(prefix: str = "", now=None) -> Q:
    """Watches that have not expired (no expiry, or one still ahead)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})


def watchers_of(*targets) -> list[User]:
    """Everyone watching any of these objects (1 query). Expired watches count for nothing."""
    condition = Q(pk__in=[])
    for target in targets:
        condition |= Q(
            watch__content_type=ContentType.objects.get_for_model(target),
            watch__object_id=target.pk,
        )
    # One filter() call: the expiry applies to the same watch row that matched.
    return list(User.objects.filter(condition & live_watch("watch__"), is_active=True).distinct())


# watch(until=…) left out: a new watch lasts until the member stops, an existing one keeps
# its expiry (an expired one starts again without one).
KEEP = object()


def watch(user, target, until=KEEP) -> Watch:
    """Watch `target`. until: a datetime after which the watch is ignored, or None for
    "until I stop"; left out, an existing live watch keeps its expiry."""
    content_type = ContentType.objects.get_for_model(target)
    key = {"user": user, "content_type": content_type, "object_id": target.pk}
    wanted = None if until is KEEP else until
    try:
        with transaction.atomic():
            existing, created = Watch.objects.get_or_create(**key, defaults={"expires_at": wanted})
    except IntegrityError:
        existing, created = Watch.objects.get(**key), False
    if not created:
        expired = existing.expires_at is not None and existing.expires_at <= timezone.now()
        if (until is not KEEP or expired) and existing.expires_at != wanted:
            existing.expires_at = wanted
            existing.save(update_fields=["expires_at"])
    return existing


def unwatch(user, target) -> None:
    Watch.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).delete()


def is_watching(user, target) -> bool:
    if not user.is_authenticated:
        return False
    return Watch.objects.filter(
        live_watch(),
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).exists()


@transaction.atomic
def mark_all_read(user) -> None:
    # Lock the member's row first: a notification being sent meanwhile then counts after us.
    User.objects.select_for_update().filter(pk=user.pk).first()
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    User.objects.filter(pk=user.pk).update(unread_notifications=0)
    user.unread_notifications = 0


@transaction.atomic
def mark_read(notification: Notification) -> bool:
    """Mark one notification read, taking one off its owner's unread counter (never below
    zero). False, changing nothing, if it was already read."""
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now
    )
    if not changed:
        return False
    User.objects.filter(pk=notification.user_id, unread_notifications__gt=0).update(
        unread_notifications=F("unread_notifications") - 1
    )
    notification.read_at = now
    return True
