"""The feed and the sitemap, cached and never stale.

A scheduled post goes live when its time comes, with no event anyone could hook an
invalidation to. So instead of deleting cache entries, the key is a *version of the live
state*: one cheap aggregate over the live posts (newest publish time, newest edit, how many).
Publishing, editing, unpublishing, or the clock passing a post's time all change the version,
so the next request renders afresh; old entries simply expire.

The sitemap covers more than the blog, so its version adds one aggregate per other section
(modules, lessons, library items, forum threads). What no aggregate sees (a thread renamed
without a new reply, a writer's new display name) shows within `TIMEOUT` at the latest.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from altto.blog.models import Post

TIMEOUT = 60 * 60  # a safety net only: the version changes with every change that matters
KEPT_HEADERS = ("Last-Modified", "X-Robots-Tag")


def _summary(queryset, *fields: str) -> tuple:
    aggregates = {f"max_{name}": Max(name) for name in fields}
    values = queryset.aggregate(count=Count("pk"), **aggregates)
    return tuple(values[key] for key in sorted(values))


def blog_version(now=None) -> tuple:
    """What the live posts look like now (1 query)."""
    return _summary(Post.objects.published(now or timezone.now()), "publish_at", "updated_at")


def site_version(now=None) -> tuple:
    """The blog's version plus each other sitemap section's (5 queries in all)."""
    from altto.courses.models import Lesson, Module
    from altto.forum.models import Thread
    from altto.library.models import Item

    return (
        blog_version(now),
        _summary(Module.objects.published(), "updated_at"),
        _summary(Lesson.objects.published(), "updated_at"),
        _summary(Item.objects.published(), "updated_at"),
        _summary(Thread.objects.listed(), "last_posted_at", "pk"),
    )


def cached_response(
    name: str, parts: tuple, version: tuple, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """`build()`'s response, kept under (`name`, `parts`, language, `version`). Only a 200 is
    kept; anything else (a 404 for an unknown tag) is returned as it is."""
    raw = repr((name, parts, get_language(), version)).encode()
    key = f"blog-cache:{name}:{hashlib.sha256(raw).hexdigest()}"
    kept = cache.get(key)
    if kept is None:
        response = build()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            return response
        headers = {h: response[h] for h in KEPT_HEADERS if h in response}
        kept = (response.content, response["Content-Type"], headers)
        cache.set(key, kept, TIMEOUT)
    content, content_type, headers = kept
    response = HttpResponse(content, content_type=content_type)
    for header, value in headers.items():
        response[header] = value
    return response
