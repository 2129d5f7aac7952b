"""Notification emails over a real SMTP server: sent at once for mentions (both parts, the
RFC 8058 headers, the recipient's language), held for quiet hours, left to digests or to
the app by the member's preferences, and grouped into one digest per member."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from altto.mail import queue, sending
from altto.mail.models import OutgoingEmail
from altto.notifications import delivery
from altto.notifications.models import DeliverySettings, Notification
from tests.conftest import make_user
from tests.mail.helpers import (
    html_part,
    mention,
    notification,
    plain,
    subject,
    unsubscribe_link,
    unsubscribe_path,
)

pytestmark = pytest.mark.django_db

JAPAN = delivery.JAPAN


def test_a_mention_is_emailed_at_once_with_both_parts_and_the_unsubscribe_headers(
    smtp_inbox, new_alt
):
    mention(new_alt)
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "sam@example.org"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert subject(message) == "[ALTTO] Priya mentioned you in “Team teaching tips”."
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    assert path.startswith("/mail/unsubscribe/") and path.endswith("/")
    link = unsubscribe_link(message)
    assert link.startswith(settings.SITE_URL)
    text, page = plain(message), html_part(message)
    assert "Priya mentioned you in “Team teaching tips”." in text
    assert f"{settings.SITE_URL}/forum/t/1/" in text
    assert link in text  # the one-click link is in the body too
    assert '<html lang="en">' in page
    assert f'href="{link}"' in page
    assert f'href="{settings.SITE_URL}/forum/t/1/"' in page
    assert "style" not in page
    email = OutgoingEmail.objects.get()
    assert email.key == f"notification:{Notification.objects.get().pk}"
    assert email.sent_at is not None and email.attempts == 1
    assert Notification.objects.get().emailed_at is not None


def test_a_japanese_speaking_member_gets_it_in_japanese(smtp_inbox):
    kenji = make_user("kenji", display_name="Kenji", preferred_language="ja")
    mention(kenji, actor="Priya")
    [message] = smtp_inbox.wait_for(1)
    assert (
        subject(message)
        == "[ALTTO] Priyaさんが「Team teaching tips」であなたをメンションしました。"
    )
    assert "Priyaさんが「Team teaching tips」であなたをメンションしました。" in plain(message)
    page = html_part(message)
    assert '<html lang="ja">' in page
    assert "メンション" in page
    assert OutgoingEmail.objects.get().language == "ja"


def test_preferences_decide_per_group(smtp_inbox, new_alt, django_capture_on_commit_callbacks):
    from altto.notifications.actions import notify

    delivery.set_delivery(new_alt, "mentions", delivery.APP)
    with django_capture_on_commit_callbacks(execute=True):
        notify([new_alt], "forum_mention", "/forum/t/1/", actor="Priya", title="A")
        notify([new_alt], "revision_published", "/modules/x/", title="B", summary="C")  # weekly
        notify([new_alt], "forum_reply_to_you", "/forum/t/2/", actor="Priya", title="Mine")
    [message] = smtp_inbox.wait_for(1)
    assert "replied to your thread" in subject(message)
    assert OutgoingEmail.objects.count() == 1
    waiting = Notification.objects.filter(emailed_at__isnull=True)
    assert sorted(waiting.values_list("kind", flat=True)) == ["forum_mention", "revision_published"]


def test_quiet_hours_hold_an_immediate_email_until_they_end(smtp_inbox, new_alt):
    DeliverySettings.objects.create(user=new_alt, quiet_start=time(22), quiet_end=time(7))
    day = timezone.localtime(timezone.now(), JAPAN).date() + timedelta(days=30)
    late = datetime.combine(day, time(23, 30), tzinfo=JAPAN)
    morning = datetime.combine(day + timedelta(days=1), time(7), tzinfo=JAPAN)
    found = notification(new_alt)
    assert queue.queue_for_notifications([found], now=late, wake=False) == 1
    email = OutgoingEmail.objects.get()
    assert email.send_after == morning
    assert sending.deliver_due(now=morning - timedelta(minutes=1))["sent"] == 0
    assert sending.deliver_due(now=morning)["sent"] == 1
    [message] = smtp_inbox.wait_for(1)
    assert "mentioned you" in subject(message)
    # Outside quiet hours it goes at once.
    noon = datetime.combine(day, time(12), tzinfo=JAPAN)
    other = notification(new_alt)
    queue.queue_for_notifications([other], now=noon, wake=False)
    assert OutgoingEmail.objects.get(key=f"notification:{other.pk}").send_after == noon


def test_a_digest_groups_a_members_notifications_into_one_email(smtp_inbox, new_alt, contributor):
    delivery.set_delivery(contributor, "watched", delivery.DAILY)
    now = timezone.now() + timedelta(seconds=1)  # just after they were all made
    for number in (1, 2):
        notification(new_alt, "revision_published", title=f"Lesson {number}", summary="New")
        notification(contributor, "revision_published", title=f"Lesson {number}", summary="New")
    notification(new_alt, "forum_answer_accepted", title="Best warm-ups")
    notification(new_alt, "forum_mention")  # immediate: not in a digest
    old = notification(new_alt, "revision_published", title="Long ago", summary="Old")
    Notification.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=60))
    read = notification(new_alt, "revision_published", title="Seen", summary="Read")
    Notification.objects.filter(pk=read.pk).update(read_at=now)

    assert queue.queue_digests("weekly", now, wake=False) == 1  # Sam (Priya's are daily)
    assert queue.queue_digests("weekly", now, wake=False) == 0  # once per member per week
    assert queue.queue_digests("daily", now, wake=False) == 1  # Priya
    assert sending.deliver_due(now=now)["sent"] == 2
    messages = {m["To"]: m for m in smtp_inbox.wait_for(2)}
    weekly = messages["sam@example.org"]
    assert subject(weekly) == "[ALTTO] Your weekly digest: 3 new notifications"
    text = plain(weekly)
    for line in [
        "“Lesson 1” was updated",
        "“Lesson 2” was updated",
        "“Best warm-ups” was accepted",
    ]:
        assert line in text
    assert "Lessons I watch are updated" in text and "My answer is accepted" in text
    assert "Long ago" not in text and "Seen" not in text and "mentioned you" not in text
    assert weekly["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert "Lesson 1" in html_part(weekly)
    daily = messages["priya@example.org"]
    assert subject(daily) == "[ALTTO] Your daily digest: 2 new notifications"
    emailed = Notification.objects.filter(user=new_alt, emailed_at__isnull=False)
    assert emailed.count() == 3
    key = queue.digest_key("weekly", new_alt.pk, delivery.last_digest_time("weekly", now))
    assert OutgoingEmail.objects.filter(key=key, user=new_alt).exists()


def test_the_mail_clock_command_queues_digests_and_sends(smtp_inbox, new_alt):
    from django.core.management import call_command

    notification(new_alt, "revision_published", title="Lesson", summary="New")
    call_command("send_mail_queue")
    [message] = smtp_inbox.wait_for(1)
    assert "weekly digest" in subject(message)
