"""Putting emails in the outbox (OutgoingEmail), each rendered now in its recipient's
language; `altto.mail.sending` sends them.

- queue_for_notifications: called by notifications.actions.notify() for the rows it made.
  Per recipient, the delivery for the kind (notifications.delivery.delivery_for) decides:
  "immediate" → an email now, or when the member's quiet hours end; "daily"/"weekly" →
  nothing now, the digest picks it up; "app" → never an email.
- queue_digests: one email per member per period with their notifications not emailed yet
  (unread, of the groups they want in that digest), grouped by group; those notifications
  are then marked emailed.
- queue_newsletter: a published edition, once to each receiving subscriber.

Keys ("notification:<id>", "digest:<period>:<user>:<yyyy-mm-dd>",
"newsletter:<edition>:<subscriber>") are unique, so nothing is ever queued twice.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from altto.mail.models import OutgoingEmail
from altto.mail.unsubscribe import unsubscribe_url
from altto.notifications import delivery

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = 150
PERIODS = {delivery.DAILY: timedelta(days=1), delivery.WEEKLY: timedelta(days=7)}
# A digest looks back two periods, so a missed run (a worker down for a day) loses nothing;
# emailed_at keeps anything from being told twice.
LOOKBACK = 2


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def settings_url() -> str:
    return absolute(reverse("accounts:settings"))


def _language(code: str | None) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _subject(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SUBJECT_LENGTH:
        text = text[: SUBJECT_LENGTH - 1] + "…"
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + text


def _render(template: str, context: dict) -> tuple[str, str]:
    """(text, html) of mail/<template>.txt and .html, in the active language."""
    context = {
        "site_url": settings.SITE_URL,
        "settings_url": settings_url(),
        "language": translation.get_language(),
        **context,
    }
    return (
        render_to_string(f"mail/{template}.txt", context),
        render_to_string(f"mail/{template}.html", context),
    )


def member_addresses(user_ids) -> dict[int, str]:
    """Each member's verified address (primary first); members without one get no email."""
    from allauth.account.models import EmailAddress

    found: dict[int, str] = {}
    rows = EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True).order_by(
        "-primary", "pk"
    )
    for user_id, email in rows.values_list("user_id", "email"):
        found.setdefault(user_id, email)
    return found


def _quiet_hours(user_ids) -> dict[int, tuple]:
    from altto.notifications.models import DeliverySettings

    rows = DeliverySettings.objects.filter(user_id__in=list(user_ids))
    return {
        user_id: (start, end)
        for user_id, start, end in rows.values_list("user_id", "quiet_start", "quiet_end")
    }


def wake_sender() -> None:
    """Ask the task backend to send what is due (inline with the immediate backend, by
    `db_worker` with the database one). A failure here only delays: `send_mail_queue`
    sends everything due anyway."""
    from altto.mail import tasks

    try:
        tasks.deliver_due.enqueue()
    except Exception:
        logger.exception("could not enqueue deliver_due")


# ---- notifications ------------------------------------------------------------------------


def _notification_email(user, address, notification, when, quiet_until) -> OutgoingEmail:
    group = delivery.group_of(notification.kind) or ""
    language = _language(user.preferred_language)
    with translation.override(language):
        if group:
            link = unsubscribe_url("notification", user=user, group=group, now=when)
            group_label = str(delivery.GROUPS[group][0])
        else:  # a kind in no group: its email can only be stopped with all of them
            link = unsubscribe_url("digest", user=user, now=when)
            group_label = ""
        message = notification.message()
        text, html = _render(
            "notification",
            {
                "user": user,
                "message": message,
                "url": absolute(notification.url),
                "group_label": group_label,
                "unsubscribe_url": link,
            },
        )
    return OutgoingEmail(
        key=f"notification:{notification.pk}",
        kind=OutgoingEmail.Kind.NOTIFICATION,
        user=user,
        topic=notification.kind,
        to=address,
        language=language,
        subject=_subject(message),
        text=text,
        html=html,
        unsubscribe_url=link,
        send_after=quiet_until,
        next_attempt_at=quiet_until,
    )


def queue_for_notifications(notifications, now: datetime | None = None, wake=True) -> int:
    """Queue the immediate emails for these new notifications (saved rows); returns how
    many were queued. Digest and in-app-only kinds are left for later or for never."""
    from altto.accounts.models import User
    from altto.notifications.models import Notification

    now = now or timezone.now()
    notifications = [n for n in notifications if n.pk is not None]
    if not notifications:
        return 0
    user_ids = {n.user_id for n in notifications}
    users = User.objects.filter(pk__in=user_ids, is_active=True).in_bulk()
    prefs = delivery.preferences_of(users)
    addresses = member_addresses(users)
    quiet = _quiet_hours(users)
    emails, emailed = [], []
    for notification in notifications:
        user = users.get(notification.user_id)
        if user is None or user.pk not in addresses:
            continue
        if delivery.delivery_for(user, notification.kind, prefs[user.pk]) != delivery.IMMEDIATE:
            continue
        when = delivery.send_after(user, now, quiet.get(user.pk, (None, None)))
        emails.append(_notification_email(user, addresses[user.pk], notification, now, when))
        emailed.append(notification.pk)
    if not emails:
        return 0
    with transaction.atomic():
        OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=True)
        Notification.objects.filter(pk__in=emailed, emailed_at__isnull=True).update(emailed_at=now)
    if wake:
        transaction.on_commit(wake_sender, robust=True)
    return len(emails)


# ---- digests ------------------------------------------------------------------------------


def digest_key(period: str, user_pk: int, slot: datetime) -> str:
    day = timezone.localtime(slot, delivery.JAPAN).date()
    return f"digest:{period}:{user_pk}:{day.isoformat()}"


def _digest_email(user, address, period, items, slot, now) -> OutgoingEmail:
    language = _language(user.preferred_language)
    with translation.override(language):
        link = unsubscribe_url("digest", user=user, now=now)
        sections = []
        for group, (label, _kinds, _default) in delivery.GROUPS.items():
            in_group = [n for n in items if delivery.group_of(n.kind) == group]
            if in_group:
                sections.append((str(label), [(n.message(), absolute(n.url)) for n in in_group]))
        other = [n for n in items if delivery.group_of(n.kind) is None]
        if other:
            sections.append((_("Other"), [(n.message(), absolute(n.url)) for n in other]))
        count = len(items)
        if period == delivery.DAILY:
            subject = ngettext(
                "Your daily digest: %(count)s new notification",
                "Your daily digest: %(count)s new notifications",
                count,
            ) % {"count": count}
        else:
            subject = ngettext(
                "Your weekly digest: %(count)s new notification",
                "Your weekly digest: %(count)s new notifications",
                count,
            ) % {"count": count}
        text, html = _render(
            "digest",
            {
                "user": user,
                "title": subject,
                "sections": sections,
                "unsubscribe_url": link,
                "notifications_url": absolute(reverse("notifications:list")),
            },
        )
    when = delivery.send_after(user, now)
    return OutgoingEmail(
        key=digest_key(period, user.pk, slot),
        kind=OutgoingEmail.Kind.DIGEST,
        user=user,
        to=address,
        language=language,
        subject=_subject(subject),
        text=text,
        html=html,
        unsubscribe_url=link,
        send_after=when,
        next_attempt_at=when,
    )


def queue_digests(period: str, now: datetime | None = None, wake=True) -> int:
    """One digest per member who has notifications waiting for this period's digest
    (unread, not emailed, at most two periods old), for the latest digest moment
    (DIGEST_HOUR Japan time; Mondays for the weekly one). Safe to run any number of times:
    the key holds one digest per member per moment. Returns how many were queued."""
    from altto.accounts.models import User
    from altto.notifications.models import Notification

    if period not in PERIODS:
        raise ValueError(f"unknown digest period: {period!r}")
    now = now or timezone.now()
    slot = delivery.last_digest_time(period, now)
    waiting = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=slot - LOOKBACK * PERIODS[period],
            created_at__lte=now,
            user__is_active=True,
        )
        .only("pk", "user_id", "kind", "params", "url", "created_at")
        .order_by("created_at", "pk")
    )
    by_user: dict[int, list] = {}
    for notification in waiting:
        by_user.setdefault(notification.user_id, []).append(notification)
    if not by_user:
        return 0
    prefs = delivery.preferences_of(by_user)
    addresses = member_addresses(by_user)
    done = set(
        OutgoingEmail.objects.filter(
            key__in=[digest_key(period, pk, slot) for pk in by_user]
        ).values_list("user_id", flat=True)
    )
    users = User.objects.in_bulk(list(by_user))
    queued = 0
    for user_pk, notifications in by_user.items():
        user = users.get(user_pk)
        if user is None or user_pk in done or user_pk not in addresses:
            continue
        items = [
            n
            for n in notifications
            if delivery.delivery_for(user, n.kind, prefs[user_pk]) == period
        ]
        if not items:
            continue
        email = _digest_email(user, addresses[user_pk], period, items, slot, now)
        try:
            with transaction.atomic():
                email.save()
                Notification.objects.filter(
                    pk__in=[n.pk for n in items], emailed_at__isnull=True
                ).update(emailed_at=now)
        except IntegrityError:  # another worker queued it meanwhile
            continue
        queued += 1
    if queued and wake:
        transaction.on_commit(wake_sender, robust=True)
    return queued


# ---- the newsletter -----------------------------------------------------------------------


class NotPublished(Exception):
    pass


def _newsletter_parts(edition) -> dict[str, dict]:
    """What the edition shows, per language (computed once for each)."""
    from altto.blog import newsletter

    items = newsletter.shown_entries(edition)
    parts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts[code] = {
                "sections": [
                    (kind, str(heading), [(item, absolute(item.url)) for item in found])
                    for kind, heading, found in newsletter.sections(items)
                ],
                "name": newsletter.NEWSLETTER_NAME,
            }
    return parts


def newsletter_key(edition, subscriber_pk: int) -> str:
    return f"newsletter:{edition.pk}:{subscriber_pk}"


def queue_newsletter(edition, now: datetime | None = None, wake=True) -> int:
    """The published edition to every receiving subscriber, once each (in their language);
    returns how many were newly queued (0 when asked again)."""
    from altto.blog.models import Subscriber

    if not edition.is_published:
        raise NotPublished
    now = now or timezone.now()
    prefix = f"newsletter:{edition.pk}:"
    already = set(
        OutgoingEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )
    parts = None
    emails = []
    for subscriber in Subscriber.objects.receiving().order_by("pk").iterator():
        key = newsletter_key(edition, subscriber.pk)
        if key in already:
            continue
        parts = parts or _newsletter_parts(edition)
        language = _language(subscriber.language)
        with translation.override(language):
            link = unsubscribe_url("newsletter", subscriber=subscriber, now=now)
            text, html = _render(
                "newsletter",
                {
                    "edition": edition,
                    "edition_url": absolute(edition.get_absolute_url()),
                    "unsubscribe_url": link,
                    **parts[language],
                },
            )
        emails.append(
            OutgoingEmail(
                key=key,
                kind=OutgoingEmail.Kind.NEWSLETTER,
                user_id=subscriber.user_id,
                subscriber=subscriber,
                to=subscriber.email,
                language=language,
                subject=_subject(edition.title),
                text=text,
                html=html,
                unsubscribe_url=link,
                send_after=now,
                next_attempt_at=now,
            )
        )
    created = OutgoingEmail.objects.bulk_create(emails, batch_size=500, ignore_conflicts=True)
    if created and wake:
        transaction.on_commit(wake_sender, robust=True)
    return len(created)


def newsletter_progress(edition) -> dict[str, int]:
    """How many of the edition's emails are queued in all, sent, and given up (1 query)."""
    return OutgoingEmail.objects.filter(key__startswith=f"newsletter:{edition.pk}:").aggregate(
        queued=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
    )
