"""Retries with backoff when the mail server is away, and no double send when a worker
dies mid-batch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from altto.mail import queue, sending
from altto.mail.models import OutgoingEmail
from tests.conftest import make_user
from tests.mail.helpers import notification, subject
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def test_backoff_grows_five_fold():
    assert [sending.backoff(n) for n in range(1, 6)] == [
        timedelta(minutes=m) for m in (1, 5, 25, 125, 625)
    ]


def test_a_failed_send_is_retried_with_backoff_then_delivered(smtp_inbox, settings, new_alt):
    inbox_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    start = timezone.now()
    queue.queue_for_notifications([notification(new_alt)], now=start, wake=False)

    assert sending.deliver_due(now=start)["failed"] == 1
    email = OutgoingEmail.objects.get()
    assert email.attempts == 1 and email.sent_at is None
    assert email.next_attempt_at == start + timedelta(minutes=1)
    assert "ConnectionRefused" in email.last_error
    assert sending.deliver_due(now=start + timedelta(seconds=59))["failed"] == 0  # not yet

    assert sending.deliver_due(now=start + timedelta(minutes=1))["failed"] == 1
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at == start + timedelta(minutes=6)  # then 5 minutes

    settings.EMAIL_PORT = inbox_port  # the server is back
    assert sending.deliver_due(now=start + timedelta(minutes=5))["sent"] == 0
    assert sending.deliver_due(now=start + timedelta(minutes=6))["sent"] == 1
    [message] = smtp_inbox.wait_for(1)
    assert "mentioned you" in subject(message)
    email.refresh_from_db()
    assert email.attempts == 3 and email.sent_at is not None and email.last_error == ""
    assert sending.deliver_due(now=start + timedelta(days=30))["sent"] == 0
    assert len(smtp_inbox.messages) == 1


def test_after_six_failures_it_gives_up(settings, new_alt):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    now = timezone.now()
    queue.queue_for_notifications([notification(new_alt)], now=now, wake=False)
    outcomes = []
    for _attempt in range(6):
        counts = sending.deliver_due(now=now)
        outcomes.append(next(k for k, v in counts.items() if v))
        email = OutgoingEmail.objects.get()
        now = email.next_attempt_at or now
    assert outcomes == ["failed"] * 5 + ["gave_up"]
    email = OutgoingEmail.objects.get()
    assert email.state == "failed" and email.attempts == 6 and email.next_attempt_at is None
    assert sending.deliver_due(now=now + timedelta(days=365))["failed"] == 0


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def test_a_worker_killed_mid_batch_never_sends_anything_twice(smtp_inbox, monkeypatch):
    members = [make_user(f"member{n}") for n in range(6)]
    start = timezone.now()
    queue.queue_for_notifications([notification(m) for m in members], now=start, wake=False)
    transmit = sending._transmit
    calls = []

    def dies_on_the_fourth(connection, message):
        calls.append(message.to[0])
        if len(calls) == 4:
            raise Killed  # killed after claiming the 4th row, before sending it
        transmit(connection, message)

    monkeypatch.setattr(sending, "_transmit", dies_on_the_fourth)
    with pytest.raises(Killed):
        sending.deliver_due(now=start)
    smtp_inbox.wait_for(3)
    assert OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 3

    monkeypatch.setattr(sending, "_transmit", transmit)  # a new worker starts
    assert sending.deliver_due(now=start) == {
        "sent": 2, "failed": 0, "gave_up": 0, "cancelled": 0, "skipped": 0
    }  # fmt: skip
    # The row claimed when the worker died waits for its backoff, then goes once.
    assert sending.deliver_due(now=start + timedelta(minutes=1))["sent"] == 1
    received = [m["To"] for m in smtp_inbox.wait_for(6)]
    assert sorted(received) == sorted(m.email for m in members)  # each exactly once
    assert sending.deliver_due(now=start + timedelta(days=1))["sent"] == 0
    assert len(smtp_inbox.messages) == 6


def test_a_row_claimed_by_another_worker_is_skipped(new_alt):
    now = timezone.now()
    queue.queue_for_notifications([notification(new_alt)], now=now, wake=False)
    mine = OutgoingEmail.objects.get()
    theirs = OutgoingEmail.objects.get()
    assert sending.claim(theirs, now)
    assert not sending.claim(mine, now)  # stale copy: the conditional UPDATE matches nothing
    assert sending.deliver(mine, now) == "skipped"
