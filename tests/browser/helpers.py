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


def forum_categories() -> None:
    """The forum's starter categories, which a data migration makes: transactional tests
    flush them away with everything else, so tests that use the forum make them again."""
    from importlib import import_module

    from django.apps import apps

    import_module("altto.forum.migrations.0002_starter_categories").add_categories(apps, None)
