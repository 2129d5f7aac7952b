"""The newsletter edition goes to its confirmed subscribers through the same outbox: once
each, in their language, with the one-click unsubscribe; from a button on the editor's
page."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from altto.blog.models import Edition, EditionEntry, Subscriber
from altto.mail import queue, sending
from altto.mail.models import OutgoingEmail
from tests.forum.helpers import flashes, make_member, start
from tests.mail.helpers import html_part, plain, subject, unsubscribe_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(blog_editor):
    kim = make_member("kim")
    thread = start(kim, "How do you run a spelling bee?")
    found = Edition.objects.create(
        title="The Monthly Trainer — October 2026", slug="2026-10",
        month=timezone.localdate().replace(day=1), intro="A month of **festivals**.",
        status=Edition.Status.PUBLISHED, published_at=timezone.now(), created_by=blog_editor,
    )  # fmt: skip
    EditionEntry.objects.create(edition=found, kind="thread", thread=thread, note="Great ideas.")
    return found


@pytest.fixture
def subscribers(db):
    now = timezone.now()
    return {
        "en": Subscriber.objects.create(email="reader@example.net", confirmed_at=now),
        "ja": Subscriber.objects.create(
            email="dokusha@example.jp", language="ja", confirmed_at=now
        ),
        "waiting": Subscriber.objects.create(email="waiting@example.net"),
        "left": Subscriber.objects.create(
            email="left@example.net", confirmed_at=now, unsubscribed_at=now
        ),
    }


def committed(function, *args):
    """Run as a request would: what waits for the commit (waking the sender) runs too."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args)


def test_an_edition_goes_once_to_each_confirmed_subscriber(smtp_inbox, edition, subscribers):
    assert committed(queue.queue_newsletter, edition) == 2
    messages = {m["To"]: m for m in smtp_inbox.wait_for(2)}
    assert set(messages) == {"reader@example.net", "dokusha@example.jp"}
    english = messages["reader@example.net"]
    assert subject(english) == "[ALTTO] The Monthly Trainer — October 2026"
    assert english["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    text = plain(english)
    assert "How do you run a spelling bee?" in text and "Great ideas." in text
    assert "Popular in the forum" in text
    assert "<strong>festivals</strong>" in html_part(english)
    japanese = messages["dokusha@example.jp"]
    assert '<html lang="ja">' in html_part(japanese)
    assert "Popular in the forum" not in plain(japanese)  # the heading is in Japanese

    assert queue.queue_newsletter(edition) == 0  # pressing again sends nothing twice
    assert sending.deliver_due()["sent"] == 0
    assert len(smtp_inbox.messages) == 2
    assert queue.newsletter_progress(edition) == {"queued": 2, "sent": 2, "failed": 0}


def test_one_click_unsubscribes_the_subscriber(smtp_inbox, client, edition, subscribers):
    committed(queue.queue_newsletter, edition)
    message = next(m for m in smtp_inbox.wait_for(2) if m["To"] == "reader@example.net")
    path = unsubscribe_path(message)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscribers["en"].refresh_from_db()
    assert subscribers["en"].unsubscribed_at is not None
    assert "reader@example.net" not in response.content.decode()


def test_a_subscriber_who_left_before_it_went_out_is_skipped(edition, subscribers):
    queue.queue_newsletter(edition, wake=False)
    Subscriber.objects.filter(pk=subscribers["ja"].pk).update(unsubscribed_at=timezone.now())
    counts = sending.deliver_due(now=timezone.now())
    assert counts["cancelled"] == 1
    assert OutgoingEmail.objects.get(subscriber=subscribers["ja"]).sent_at is None


def test_the_send_button_on_the_editors_page(smtp_inbox, client, blog_editor, edition, subscribers):
    page = reverse("blog:newsletter_edit", kwargs={"pk": edition.pk})
    client.force_login(make_member("nosy"))
    assert client.post(page, {"action": "send"}).status_code == 403
    assert not OutgoingEmail.objects.exists()

    client.force_login(blog_editor)
    assert "Send to subscribers" in client.get(page).content.decode()
    response = committed(client.post, page, {"action": "send"})
    assert response.status_code == 302
    assert flashes(response) == ["Sending to 2 subscribers."]
    smtp_inbox.wait_for(2)
    shown = client.get(page).content.decode()
    assert "Queued for 2 subscribers: 2 sent, 0 not delivered." in shown
    response = client.post(page, {"action": "send"})
    assert flashes(response) == ["Sending to 0 subscribers."]
    assert len(smtp_inbox.messages) == 2


def test_a_draft_edition_cannot_be_sent(client, blog_editor, edition, subscribers):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.DRAFT)
    page = reverse("blog:newsletter_edit", kwargs={"pk": edition.pk})
    client.force_login(blog_editor)
    assert "Send to subscribers" not in client.get(page).content.decode()
    response = client.post(page, {"action": "send"})
    assert flashes(response) == ["Publish the edition before sending it."]
    assert not OutgoingEmail.objects.exists()
