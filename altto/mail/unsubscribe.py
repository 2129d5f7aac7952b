"""One-click unsubscribe links (RFC 8058) that work without logging in.

A token is signed with django.core.signing, with a salt per purpose, and carries the moment
it was made (checked against UNSUBSCRIBE_MAX_AGE):

- "notification": {"u": member, "g": group} — that group becomes in-app only;
- "digest": {"u": member} — every group becomes in-app only (all email off);
- "newsletter": {"s": subscriber} — the subscriber is unsubscribed.

The purpose is the token's first letter (n, d, s), so one address serves every email:
/mail/unsubscribe/<token>/. A forged, altered, expired or unknown token, or one made for
another member than the one signed in, reads as None: the page then says the link does not
work, and never whose it was.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from altto.notifications import delivery

UNSUBSCRIBE_MAX_AGE = timedelta(days=180)
SALTS = {
    "notification": "altto.mail.unsubscribe.notification",
    "digest": "altto.mail.unsubscribe.digest",
    "newsletter": "altto.mail.unsubscribe.newsletter",
}
PREFIXES = {"notification": "n", "digest": "d", "newsletter": "s"}
PURPOSES = {prefix: purpose for purpose, prefix in PREFIXES.items()}


@dataclass
class Unsubscribe:
    """What a valid token stands for."""

    purpose: str
    user: object = None  # the member (notification, digest)
    group: str = ""  # the notification group (notification)
    subscriber: object = None  # the newsletter subscriber (newsletter)

    @property
    def group_label(self) -> str:
        return str(delivery.GROUPS[self.group][0]) if self.group in delivery.GROUPS else ""


def make_token(purpose: str, *, user=None, group: str = "", subscriber=None, now=None) -> str:
    if purpose == "notification":
        payload = {"u": user.pk, "g": group}
    elif purpose == "digest":
        payload = {"u": user.pk}
    elif purpose == "newsletter":
        payload = {"s": subscriber.pk}
    else:
        raise ValueError(f"unknown unsubscribe purpose: {purpose!r}")
    payload["t"] = int(now.timestamp() if now else time.time())
    return PREFIXES[purpose] + "." + signing.dumps(payload, salt=SALTS[purpose])


def unsubscribe_url(purpose: str, **kwargs) -> str:
    token = make_token(purpose, **kwargs)
    return settings.SITE_URL + reverse("mail:unsubscribe", kwargs={"token": token})


def read_token(token: str, now: datetime | None = None) -> Unsubscribe | None:
    """What the token stands for, or None (forged, altered, expired, or pointing at nobody)."""
    from altto.accounts.models import User
    from altto.blog.models import Subscriber

    prefix, _dot, signed = (token or "").partition(".")
    purpose = PURPOSES.get(prefix)
    if purpose is None or not signed:
        return None
    try:
        payload = signing.loads(signed, salt=SALTS[purpose])
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        return None
    made = payload["t"]
    current = now.timestamp() if now else time.time()
    if current - made > UNSUBSCRIBE_MAX_AGE.total_seconds() or made > current + 300:
        return None
    if purpose == "newsletter":
        subscriber_pk = payload.get("s")
        if not isinstance(subscriber_pk, int):
            return None
        subscriber = Subscriber.objects.filter(pk=subscriber_pk).first()
        return Unsubscribe(purpose, subscriber=subscriber) if subscriber else None
    user_pk = payload.get("u")
    if not isinstance(user_pk, int):
        return None
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return None
    group = payload.get("g", "")
    if purpose == "notification" and group not in delivery.GROUPS:
        return None
    return Unsubscribe(purpose, user=user, group=group)


def is_for(found: Unsubscribe, request_user) -> bool:
    """A member signed in may only use their own links (a visitor may use any valid one: the
    one-click POST of a mail program carries no session)."""
    if not request_user.is_authenticated:
        return True
    if found.purpose == "newsletter":
        owner = found.subscriber.user_id
        return owner is None or owner == request_user.pk
    return found.user.pk == request_user.pk


def apply(found: Unsubscribe, now=None) -> None:
    """Idempotent: a second click changes nothing more."""
    if found.purpose == "notification":
        delivery.set_delivery(found.user, found.group, delivery.APP)
    elif found.purpose == "digest":
        delivery.stop_all_email(found.user)
    else:
        from altto.blog import newsletter

        newsletter.unsubscribe(found.subscriber, now)
