"""Shared builders for the email tests."""

from datetime import datetime
from urllib.parse import urlparse

from django.test import TestCase

from altto.notifications.actions import notify
from altto.notifications.models import Notification


def mention(user, actor: str = "Priya", title: str = "Team teaching tips") -> None:
    """A forum mention of `user`, through notify() as the forum makes it, committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([user], "forum_mention", "/forum/t/1/", actor=actor, title=title)


def notification(user, kind: str = "forum_mention", when: datetime | None = None, **params):
    """A saved notification row, made without notify() (so nothing is queued yet)."""
    params = params or {"actor": "Priya", "title": "Team teaching tips"}
    found = Notification.objects.create(user=user, kind=kind, url="/forum/t/1/", params=params)
    if when is not None:
        Notification.objects.filter(pk=found.pk).update(created_at=when)
        found.created_at = when
    return found


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def unsubscribe_link(message) -> str:
    """The List-Unsubscribe address (a long header arrives folded: unfold it)."""
    header = "".join(str(message["List-Unsubscribe"]).split())
    assert header.startswith("<") and header.endswith(">"), header
    return header[1:-1]


def unsubscribe_path(message) -> str:
    header = "".join(str(message["List-Unsubscribe"]).split())
    assert header.startswith("<") and header.endswith(">"), header
    return urlparse(header[1:-1]).path


def subject(message) -> str:
    """The decoded subject (a long non-ASCII one arrives folded: unfold it)."""
    return " ".join(str(message["Subject"]).split())
