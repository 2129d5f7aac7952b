"""Atom feeds: the newest live posts (/blog/feed/) and the newest with one tag
(/blog/tags/<tag>/feed/). Every address in them is absolute, on SITE_URL. Rendered feeds
are cached under the live state's version (altto/blog/cache.py): a post going live at its
time shows in the next request, with nothing to clear."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from altto.blog.cache import blog_version, cached_response
from altto.blog.models import Authorship, Post, Tag

FEED_LENGTH = 20
SUMMARY_WORDS = 60


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class AtomWithContent(Atom1Feed):
    """Atom with each post's full text as <content type="html">, next to its summary."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestPosts(Feed):
    feed_type = AtomWithContent

    def __call__(self, request, *args, **kwargs):
        return cached_response(
            type(self).__name__,
            tuple(sorted(kwargs.items())),
            blog_version(),
            lambda: super(LatestPosts, self).__call__(request, *args, **kwargs),
        )

    # --- the feed --------------------------------------------------------------------------

    def title(self, obj=None) -> str:
        return _("ALTTO blog")

    def subtitle(self, obj=None) -> str:
        return _("Stories and advice from Assistant Language Teachers in Japan.")

    def link(self, obj=None) -> str:
        return absolute(reverse("blog:index"))

    def feed_url(self, obj=None) -> str:
        return absolute(reverse("blog:feed"))

    def author_name(self, obj=None) -> str:
        return "ALTTO"

    def live_posts(self):
        # 3 queries, however many posts: the posts, their writers in order, their tags.
        return (
            Post.objects.published()
            .order_by("-publish_at", "-pk")
            .prefetch_related(
                Prefetch(
                    "authorship_set",
                    queryset=Authorship.objects.select_related("writer").order_by("position", "pk"),
                ),
                "tags",
            )
        )

    def items(self, obj=None):
        return self.live_posts()[:FEED_LENGTH]

    # --- each post ------------------------------------------------------------------------

    def item_title(self, post: Post) -> str:
        return post.title

    def item_link(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_guid(self, post: Post) -> str:
        # Stable when the post's address changes: a tag: URI (RFC 4151) made of its id.
        host = urlparse(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},2025:blog-post-{post.pk}"

    def item_guid_is_permalink(self, post: Post) -> bool:
        return False

    def item_description(self, post: Post) -> str:
        if post.summary.strip():
            return post.summary
        return Truncator(strip_tags(post.body_html)).words(SUMMARY_WORDS)

    def item_extra_kwargs(self, post: Post) -> dict:
        return {"content": post.body_html}

    def _first_writer(self, post: Post):
        authorships = post.authorship_set.all()
        return authorships[0].writer if authorships else None

    def item_author_name(self, post: Post) -> str | None:
        writer = self._first_writer(post)
        return writer.name if writer else None

    def item_author_link(self, post: Post) -> str | None:
        writer = self._first_writer(post)
        if writer is None:
            return None
        return absolute(reverse("blog:writer", kwargs={"username": writer.username}))

    def item_pubdate(self, post: Post):
        return post.publish_at

    def item_updateddate(self, post: Post):
        # A post edited before its scheduled time was not updated before it appeared.
        return max(post.updated_at, post.publish_at)

    def item_categories(self, post: Post) -> list[str]:
        return [tag.slug for tag in post.tags.all()]


class TagPosts(LatestPosts):
    def get_object(self, request, tag: str) -> Tag:
        return get_object_or_404(Tag, slug=tag)

    def title(self, obj: Tag) -> str:
        return _("ALTTO blog: #%(tag)s") % {"tag": obj.slug}

    def link(self, obj: Tag) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Tag) -> str:
        return absolute(reverse("blog:tag_feed", kwargs={"tag": obj.slug}))

    def items(self, obj: Tag):
        return self.live_posts().filter(tags=obj)[:FEED_LENGTH]
