"""Sending the outbox: every due row, each at most once.

A row is due when it is neither sent nor given up and its next_attempt_at has come. Before
sending, a worker claims the row with one conditional UPDATE (still unsent, same attempt
count, still due): the attempt is counted and next_attempt_at moves on by the backoff, so
two workers never send the same row, and a row whose worker died before sending is tried
again after the backoff. sent_at is written right after the SMTP server accepted the
message, so a worker killed mid-batch never re-sends what it sent. (The one window left is
between the server's "250 OK" and that UPDATE: a crash exactly there sends that one email
again on a later attempt — at least once, never lost.)

Backoff after attempt n: 1, 5, 25, 125, 625 minutes; after MAX_ATTEMPTS (6) failures the
row is given up (failed_at, with last_error).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from altto.mail.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_BACKOFF = timedelta(minutes=1)
BACKOFF_FACTOR = 5
BATCH = 100


def backoff(attempt: int) -> timedelta:
    """How long after attempt `attempt` (1, 2, …) the next one may start."""
    return FIRST_BACKOFF * BACKOFF_FACTOR ** max(attempt - 1, 0)


def due(now: datetime):
    return OutgoingEmail.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")


def claim(email: OutgoingEmail, now: datetime) -> bool:
    """Take the row for one attempt; False when another worker has it (or it was sent)."""
    attempt = email.attempts + 1
    taken = OutgoingEmail.objects.filter(
        pk=email.pk,
        sent_at__isnull=True,
        failed_at__isnull=True,
        attempts=email.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff(attempt))
    if taken:
        email.attempts = attempt
        email.next_attempt_at = now + backoff(attempt)
    return bool(taken)


def still_wanted(email: OutgoingEmail) -> str:
    """Why the email should no longer go ("" when it should): an account closed, a
    newsletter unsubscribed, notifications of that kind switched to in-app only since."""
    from altto.notifications import delivery

    if email.user_id is not None and not email.user.is_active:
        return "the account is no longer active"
    if email.kind == OutgoingEmail.Kind.NEWSLETTER:
        subscriber = email.subscriber
        if subscriber is None or not subscriber.is_receiving:
            return "unsubscribed"
    elif (
        email.kind == OutgoingEmail.Kind.NOTIFICATION
        and email.topic
        and delivery.delivery_for(email.user, email.topic) == delivery.APP
    ):
        return "switched to in-app only"
    return ""


def message_for(email: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{email.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # The same on every attempt: a receiver may recognise a repeat.
            "Message-ID": f"<altto-mail-{email.pk}@{domain}>",
        },
    )
    message.attach_alternative(email.html, "text/html")
    return message


def _transmit(connection, message: EmailMultiAlternatives) -> None:
    """Hand the message to the SMTP server (raises on failure)."""
    if connection.send_messages([message]) != 1:
        raise OSError("the mail server did not accept the message")


def deliver(
    email: OutgoingEmail, now: datetime | None = None, connection=None, *, claimed=False
) -> str:
    """One attempt at one email: "sent", "failed" (will retry), "gave_up", "cancelled" or
    "skipped" (someone else has it)."""
    now = now or timezone.now()
    if not claimed and not claim(email, now):
        return "skipped"
    reason = still_wanted(email)
    if reason:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            failed_at=now, next_attempt_at=None, last_error=f"cancelled: {reason}"
        )
        return "cancelled"
    own_connection = connection is None
    connection = connection or get_connection(fail_silently=False)
    try:
        _transmit(connection, message_for(email, connection))
    except Exception as error:
        if not own_connection:
            try:  # the next email opens a fresh connection
                connection.close()
            except Exception:
                logger.debug("closing a failed mail connection failed", exc_info=True)
        error_text = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= MAX_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                failed_at=now, next_attempt_at=None, last_error=error_text
            )
            logger.error("gave up on email %s after %s attempts: %s", email.pk,
                         email.attempts, error_text)  # fmt: skip
            return "gave_up"
        OutgoingEmail.objects.filter(pk=email.pk).update(last_error=error_text)
        logger.warning("email %s attempt %s failed: %s", email.pk, email.attempts, error_text)
        return "failed"
    finally:
        if own_connection:
            connection.close()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=now, next_attempt_at=None, last_error=""
    )
    return "sent"


def deliver_due(now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send every due email (up to `limit`), over one SMTP connection; counts by outcome.
    `now` fixes the clock (tests); otherwise each email uses the time it is sent."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else timezone.now
    counts = {"sent": 0, "failed": 0, "gave_up": 0, "cancelled": 0, "skipped": 0}
    connection = get_connection(fail_silently=False)
    done = 0
    try:
        while limit is None or done < limit:
            size = BATCH if limit is None else min(BATCH, limit - done)
            batch = list(due(clock()).select_related("user", "subscriber")[:size])
            if not batch:
                break
            for email in batch:
                outcome = deliver(email, clock(), connection)
                counts[outcome] += 1
                done += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("closing the mail connection failed", exc_info=True)
    return counts
