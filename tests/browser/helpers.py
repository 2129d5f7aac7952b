"""Small things the browser tests share."""

import re

WAIT_MS = 10_000
PASSWORD = "correct horse battery staple"  # every persona's, see tests/conftest.py


def field(text: str) -> re.Pattern:
    """A form field's visible label, exactly, with or without Django's ":" suffix."""
    return re.compile(rf"^{re.escape(text)}:?$")


def notifications_link(page, unread: int | None = None):
    """The header's link, "Notifications" or "Notifications (N unread)" ("unread" is only
    for screen readers; being out of the flow, it may come with a space after it)."""
    name = "Notifications" if unread is None else rf"Notifications \({unread} unread ?\)"
    return page.get_by_role("banner").get_by_role("link", name=re.compile(rf"^{name}$"))
