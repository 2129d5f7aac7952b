"""/sitemap.xml: every public section (blog, modules and lessons, library, forum, the main
pages) on SITE_URL's host, only what the public may see, bounded queries, cached under a
version that changes with what is live."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from altto.blog.models import Post
from altto.forum.models import Category, Thread
from altto.library.models import Item
from tests.blog.test_feeds import make_live_post
from tests.courses.factories import make_lesson, make_module
from tests.library.browse_factories import make_item

pytestmark = pytest.mark.django_db

SITE = "https://altto.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    site = Site.objects.get_current()
    site.domain = "example.com"  # a stale Site record must not leak into the sitemap
    site.save()
    Site.objects.clear_cache()
    Site.objects.get_current()


def read(client) -> dict[str, str | None]:
    """Location → lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    return {
        url.find("s:loc", NS).text: getattr(url.find("s:lastmod", NS), "text", None)
        for url in root.findall("s:url", NS)
    }


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    return len(queries)


def make_thread(author, title, **fields) -> Thread:
    category = Category.objects.order_by("pk").first()
    fields.setdefault("last_posted_at", timezone.now())
    return Thread.objects.create(category=category, title=title, author=author, **fields)


def fill(contributor, n: int) -> None:
    """n of each kind of page, public and not."""
    for i in range(n):
        make_live_post(f"Live post {n} {i}", writers=[contributor])
        make_live_post(f"Draft {n} {i}", writers=[contributor], status=Post.Status.DRAFT)
        module = make_module(f"module-{n}-{i}", order=i)
        make_lesson(module, "open", order=1)
        make_lesson(module, "hidden", order=2, is_published=False)
        make_item(f"Item {n} {i}")
        make_item(f"Draft item {n} {i}", status=Item.Status.DRAFT)
        make_thread(contributor, f"Thread {n} {i}")
        make_thread(contributor, f"Hidden thread {n} {i}", status=Thread.Status.HIDDEN)


def test_the_sitemap_covers_every_public_section_on_the_real_host(client, contributor):
    post = make_live_post("Games for big classes", writers=[contributor])
    make_live_post("Next week", writers=[contributor], publish_at=timezone.now() + timedelta(1))
    make_live_post("A draft", writers=[contributor], status=Post.Status.DRAFT)
    module = make_module("team-teaching")
    lesson = make_lesson(module, "planning")
    make_lesson(module, "unfinished", order=2, is_published=False)
    hidden_module = make_module("secret", is_published=False)
    make_lesson(hidden_module, "inside")
    item = make_item("Word chain")
    make_item("Not yet", status=Item.Status.DRAFT)
    thread = make_thread(contributor, "Warm-ups for sleepy classes")
    anonymous = make_thread(None, "A question I'd rather not sign", is_anonymous=True)
    make_thread(contributor, "Removed", status=Thread.Status.HIDDEN)
    make_thread(contributor, "Held", status=Thread.Status.HELD)

    urls = read(client)

    assert all(loc.startswith(SITE + "/") for loc in urls)
    expected = {
        f"{SITE}/",
        f"{SITE}/modules/",
        f"{SITE}/library/",
        f"{SITE}/forum/",
        f"{SITE}/blog/",
        SITE + post.get_absolute_url(),
        SITE + module.get_absolute_url(),
        SITE + lesson.get_absolute_url(),
        SITE + item.get_absolute_url(),
        SITE + thread.get_absolute_url(),
        SITE + anonymous.get_absolute_url(),
    }
    assert set(urls) == expected
    lastmod = urls[SITE + post.get_absolute_url()]
    assert lastmod == timezone.localtime(post.updated_at).date().isoformat()  # Japan's date
    assert urls[SITE + thread.get_absolute_url()] is not None
    assert urls[SITE + lesson.get_absolute_url()] is not None


def test_the_sitemap_queries_do_not_grow_with_rows_and_a_hit_costs_only_the_version(
    client, contributor, django_assert_num_queries
):
    fill(contributor, 1)
    few = count_queries(client)
    # version: 5 aggregates; then per section with rows: a count and a page (pages: no query)
    assert few == 5 + 2 * 5
    with django_assert_num_queries(5):
        client.get("/sitemap.xml")

    fill(contributor, 12)
    assert count_queries(client) == few
    assert len(read(client)) == 5 + 5 * 13


def test_the_cached_sitemap_changes_when_any_section_changes(client, contributor, monkeypatch):
    now = timezone.now()
    post = make_live_post("At nine", writers=[contributor], publish_at=now + timedelta(minutes=5))
    before = read(client)
    assert SITE + post.get_absolute_url() not in before

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=6))
    assert SITE + post.get_absolute_url() in read(client)  # its time came: nothing cleared

    item = make_item("Word chain")
    assert SITE + item.get_absolute_url() in read(client)
    thread = make_thread(contributor, "A new question")
    assert SITE + thread.get_absolute_url() in read(client)
    module = make_module("new-module")
    assert SITE + module.get_absolute_url() in read(client)
    lesson = make_lesson(module, "late", order=5, is_published=False)
    assert SITE + lesson.get_absolute_url() not in read(client)
    lesson.is_published = True
    lesson.save()
    assert SITE + lesson.get_absolute_url() in read(client)
    Thread.objects.filter(pk=thread.pk).update(status=Thread.Status.HIDDEN)
    assert SITE + thread.get_absolute_url() not in read(client)


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in response.content.decode()
