"""Reads the blog's public pages share. Each runs a fixed number of queries, however many
posts, writers or tags there are: writers (in byline order) and tags come in one prefetch
each. Only live posts (`Post.objects.published()`, which asks the clock) are ever read
here; the upcoming list reads titles, writers and dates, never the words."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from altto.accounts.models import User
from altto.blog.models import Authorship, Post

POSTS_PER_PAGE = 12
# What a card or byline never shows of a writer.
_CARD_DEFERRED = ("writer__bio", "writer__bio_html", "writer__school_levels")


def _bylines(*, with_bios: bool) -> Prefetch:
    authorships = Authorship.objects.select_related("writer").order_by("position", "pk")
    if not with_bios:
        authorships = authorships.defer(*_CARD_DEFERRED)
    return Prefetch("authorship_set", queryset=authorships, to_attr="bylines")


def with_writers_and_tags(posts: QuerySet, *, with_bios: bool = False) -> QuerySet:
    """`post.writers` (byline order) and `post.tags.all()` in one query each."""
    return posts.prefetch_related(_bylines(with_bios=with_bios), "tags")


def _decorate(posts) -> list[Post]:
    rows = list(posts)
    for post in rows:
        post.writers = [a.writer for a in post.bylines]
    return rows


def live_posts(now=None) -> QuerySet:
    return Post.objects.published(now).defer("body").order_by("-publish_at", "-pk")


def page_of(posts: QuerySet, page_number) -> Page:
    """One page of cards, with writers and tags (count, rows, writers, tags: 4 queries;
    2 when there are none)."""
    page = Paginator(with_writers_and_tags(posts.defer("body_html")), POSTS_PER_PAGE).get_page(
        page_number
    )
    page.object_list = _decorate(page.object_list)
    return page


def live_post(now=None, **lookup) -> Post | None:
    """The live post with this `slug` (or `pk`), with writers (and their bios) and tags
    (3 queries)."""
    found = _decorate(
        with_writers_and_tags(
            Post.objects.published(now).filter(**lookup).defer("body"), with_bios=True
        )
    )
    return found[0] if found else None


def upcoming_posts(now=None, limit: int | None = None) -> list[Post]:
    """Scheduled posts not yet live, soonest first: titles, writers and dates only (2
    queries). The words are not even read from the database."""
    posts = (
        Post.objects.upcoming(now)
        .only("pk", "title", "language", "publish_at")
        .order_by("publish_at", "pk")
        .prefetch_related(_bylines(with_bios=False))
    )
    if limit is not None:
        posts = posts[:limit]
    return _decorate(posts)


def upcoming_titles(limit: int = 3, now=None) -> list[Post]:
    """The next few scheduled titles and dates, for the home page (1 query)."""
    return list(
        Post.objects.upcoming(now)
        .only("pk", "title", "language", "publish_at")
        .order_by("publish_at", "pk")[:limit]
    )


def blog_writer(username: str) -> User | None:
    """An active member with at least one live post (guest writers included) (1 query)."""
    live = Post.objects.published().values("pk")
    return (
        User.objects.filter(username=username, is_active=True, blog_posts__in=live)
        .distinct()
        .first()
    )


# ---- reach: canonical address, link previews, share links ---------------------------------


def absolute(url: str) -> str:
    """`url` on the public site (left alone when it already names a host, e.g. a CDN)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def share_links(url: str, title: str) -> dict[str, str]:
    """Plain share addresses (no third-party scripts): they open the service's own page."""
    return {
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "x": "https://x.com/intent/tweet?" + urlencode({"text": title, "url": url}),
        "line": "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url}),
    }


def post_year(post: Post) -> int:
    return timezone.localtime(post.publish_at).year
