"""/sitemap.xml: the public pages, the live blog posts, the published modules and lessons,
the published library items and the listed forum threads, on SITE_URL's scheme and host
(never the request's: the rendered sitemap is cached and shared).

Queries: two per section (a count and the page), whatever the number of rows; a cache hit
costs only the version's aggregates (altto/blog/cache.py: `site_version`)."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from altto.blog.cache import cached_response, site_version
from altto.blog.models import Post


class OnSiteUrl(Sitemap):
    """Addresses on SITE_URL, whatever Site record or Host header the request came with."""

    def get_protocol(self, protocol=None) -> str:
        return urlparse(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlparse(settings.SITE_URL).netloc


class PagesSitemap(OnSiteUrl):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "courses:catalogue", "library:index", "forum:index", "blog:index"]

    def location(self, name: str) -> str:
        return reverse(name)


class BlogSitemap(OnSiteUrl):
    def items(self):
        return (
            Post.objects.published()
            .order_by("-publish_at", "-pk")
            .only("slug", "status", "publish_at", "updated_at")
        )

    def lastmod(self, post: Post):
        return max(post.updated_at, post.publish_at)


class ModuleSitemap(OnSiteUrl):
    def items(self):
        from altto.courses.models import Module

        return Module.objects.published().order_by("order", "slug").only("slug", "updated_at")

    def lastmod(self, module):
        return module.updated_at


class LessonSitemap(OnSiteUrl):
    def items(self):
        from altto.courses.models import Lesson

        return (
            Lesson.objects.published()
            .select_related("module")
            .order_by("module__order", "module__slug", "order", "slug")
            .only("slug", "updated_at", "module__slug")
        )

    def lastmod(self, lesson):
        return lesson.updated_at


class LibrarySitemap(OnSiteUrl):
    def items(self):
        from altto.library.models import Item

        return Item.objects.published().order_by("-published_at", "-pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ForumSitemap(OnSiteUrl):
    def items(self):
        from altto.forum.models import Thread

        return (
            Thread.objects.listed()
            .order_by("-last_posted_at", "-pk")
            .only("slug", "created_at", "last_posted_at")
        )

    def lastmod(self, thread):
        return thread.last_posted_at or thread.created_at


SITEMAPS = {
    "pages": PagesSitemap,
    "blog": BlogSitemap,
    "modules": ModuleSitemap,
    "lessons": LessonSitemap,
    "library": LibrarySitemap,
    "forum": ForumSitemap,
}


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("p", "1")
    return cached_response(
        "sitemap", (page,), site_version(), lambda: sitemap_view(request, sitemaps=SITEMAPS)
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
