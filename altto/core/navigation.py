"""The main navigation. Each section appears once its app provides the named URL."""

from functools import cache

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    (_("Modules"), "courses:catalogue"),
    (_("Library"), "library:index"),
    (_("Blog"), "blog:index"),
    (_("Forum"), "forum:index"),
    (_("Search"), "search:index"),
]


@cache
def _available() -> tuple[tuple[str, str], ...]:
    found = []
    for label, url_name in SECTIONS:
        try:
            found.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return tuple(found)


def main_navigation() -> list[dict]:
    return [{"label": label, "url": url} for label, url in _available()]
