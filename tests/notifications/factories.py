"""Notifications made the way the site makes them: through notify(), delivered on commit."""

from django.test import TestCase

from altto.notifications.actions import notify


def send(user, count: int = 1, *, url: str = "/modules/team-teaching/", title: str = "Planning"):
    """`count` revision notices for `user`, delivered as if their transaction committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for number in range(1, count + 1):
            notify([user], "revision_published", url, title=title, summary=f"Change {number}")
    user.refresh_from_db(fields=["unread_notifications"])
