"""One-click unsubscribe (RFC 8058) without logging in, and bad tokens refused without
saying whose they were."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from altto.mail import unsubscribe
from altto.mail.models import OutgoingEmail
from altto.notifications import delivery
from altto.notifications.models import Preference
from tests.mail.helpers import mention, unsubscribe_path

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def one_click(client, path):
    return client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")


def test_the_one_click_post_works_without_login_and_stops_that_group(smtp_inbox, client, new_alt):
    mention(new_alt)
    [message] = smtp_inbox.wait_for(1)
    path = unsubscribe_path(message)
    page = client.get(path)  # asks; a mail scanner's GET changes nothing
    assert page.status_code == 200
    assert "Someone mentions me" in page.content.decode()
    assert not Preference.objects.exists()
    assert delivery.delivery_for(new_alt, "forum_mention") == delivery.IMMEDIATE

    response = one_click(client, path)
    assert response.status_code == 200
    assert delivery.delivery_for(new_alt, "forum_mention") == delivery.APP
    assert delivery.delivery_for(new_alt, "forum_reply_to_you") == delivery.IMMEDIATE  # only that
    assert one_click(client, path).status_code == 200  # again: still fine, nothing more

    mention(new_alt)  # no email any more; the notification is still there
    assert OutgoingEmail.objects.count() == 1
    assert new_alt.notifications.count() == 2


def test_the_digest_link_turns_all_email_off(client, new_alt):
    path = reverse(
        "mail:unsubscribe", kwargs={"token": unsubscribe.make_token("digest", user=new_alt)}
    )
    assert one_click(client, path).status_code == 200
    assert set(delivery.deliveries(new_alt).values()) == {delivery.APP}


def bad_tokens(victim, stranger) -> dict[str, str]:
    good = unsubscribe.make_token("notification", user=victim, group="mentions")
    prefix, signed = good.split(".", 1)
    long_ago = timezone.now() - unsubscribe.UNSUBSCRIBE_MAX_AGE - timedelta(days=1)
    return {
        "forged": good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb"),
        "other purpose": "d." + signed,  # a notification token presented as a digest one
        "made up": "n.eyJ1IjoxLCJnIjoibWVudGlvbnMiLCJ0IjoxfQ:1abcde:notasignature",
        "garbage": "hello",
        "expired": unsubscribe.make_token(
            "notification", user=victim, group="mentions", now=long_ago
        ),
        "unknown group": unsubscribe.make_token("notification", user=victim, group="nothing"),
    }


def test_forged_expired_and_odd_tokens_are_refused_without_naming_anyone(client, new_alt):
    for name, token in bad_tokens(new_alt, None).items():
        path = reverse("mail:unsubscribe", kwargs={"token": token})
        for response in (client.get(path), one_click(client, path)):
            body = response.content.decode()
            assert response.status_code == 400, name
            assert "This link does not work" in body
            for secret in ("sam", "Sam", "example.org"):
                assert secret not in body, (name, secret)
    assert not Preference.objects.exists()


def test_a_token_for_another_member_is_refused_when_signed_in(client, new_alt, contributor):
    token = unsubscribe.make_token("notification", user=new_alt, group="mentions")
    path = reverse("mail:unsubscribe", kwargs={"token": token})
    client.force_login(contributor)
    for response in (client.get(path), one_click(client, path)):
        body = response.content.decode()
        assert response.status_code == 400
        assert "sam@example.org" not in body and "Sam" not in body
    assert not Preference.objects.exists()
    client.force_login(new_alt)  # their own link, signed in: fine
    assert one_click(client, path).status_code == 200
    assert delivery.delivery_for(new_alt, "forum_mention") == delivery.APP


def test_a_closed_account_token_is_refused(client, new_alt):
    token = unsubscribe.make_token("digest", user=new_alt)
    new_alt.is_active = False
    new_alt.save(update_fields=["is_active"])
    assert client.get(reverse("mail:unsubscribe", kwargs={"token": token})).status_code == 400
