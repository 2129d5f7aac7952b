"""The Atom feeds, read by a real feed parser: valid, absolute links, the right posts in
the right order with their writers, dates and tags; cached, with bounded queries, and never
stale when a scheduled post's time comes."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from altto.blog.models import Authorship, Post, Tag

pytestmark = pytest.mark.django_db

SITE = "https://altto.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    Site.objects.get_current()  # the Site record is cached per process: count it out


def make_live_post(
    title, *, writers, publish_at=None, tags=(), summary="", body="Some **advice**.", status=None
):
    """A post as the editorial path leaves it (scheduled, live once `publish_at` has come)."""
    publish_at = publish_at or timezone.now() - timedelta(hours=1)
    post = Post.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=summary,
        body=body,
        status=status or Post.Status.SCHEDULED,
        publish_at=publish_at,
    )
    for position, writer in enumerate(writers):
        Authorship.objects.create(post=post, writer=writer, position=position)
    post.tags.set([Tag.objects.get_or_create(slug=slug)[0] for slug in tags])
    return post


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_feed_lists_live_posts_newest_first_with_absolute_links(
    client, contributor, new_alt, blog_editor
):
    now = timezone.now()
    older = make_live_post(
        "Your first self-introduction",
        writers=[contributor, new_alt],
        publish_at=now - timedelta(days=2),
        tags=["first-week", "self-introduction"],
        summary="Bring a map and three photos.",
        body="Bring a **map** of your home town.",
    )
    newer = make_live_post(
        "Games for big classes", writers=[new_alt], publish_at=now - timedelta(hours=3),
        body="Word chains work with forty students. " * 30,
    )  # fmt: skip
    make_live_post("Next week", writers=[contributor], publish_at=now + timedelta(days=1))
    make_live_post("A draft", writers=[contributor], status=Post.Status.DRAFT)
    make_live_post("Taken down", writers=[contributor], status=Post.Status.UNPUBLISHED)

    feed = parse(client, "/blog/feed/")

    assert feed.version == "atom10"
    assert feed.feed.title == "ALTTO blog"
    assert feed.feed.link == f"{SITE}/blog/"
    assert any(link.href == f"{SITE}/blog/feed/" for link in feed.feed.links)
    assert [e.title for e in feed.entries] == [newer.title, older.title]
    first, second = feed.entries
    year = timezone.localtime(older.publish_at).year
    assert second.link == f"{SITE}/blog/{year}/your-first-self-introduction/"
    assert all(e.link.startswith(SITE + "/") for e in feed.entries)
    assert second.author == "Priya"  # the first writer
    assert second.author_detail.href == f"{SITE}/blog/writers/priya/"
    assert first.author == "Sam"
    published = datetime(*second.published_parsed[:6], tzinfo=UTC)
    assert published == older.publish_at.replace(microsecond=0)
    assert second.updated_parsed >= second.published_parsed
    assert second.summary == "Bring a map and three photos."
    assert "<strong>map</strong>" in second.content[0].value
    assert sorted(t.term for t in second.tags) == ["first-week", "self-introduction"]
    assert first.summary.startswith("Word chains work") and first.summary.endswith("…")
    assert first.id != second.id and first.id.startswith("tag:altto.example.org,")


def test_a_tag_feed_has_only_that_tags_posts_and_an_unknown_tag_is_404(client, contributor):
    make_live_post("Phonics games", writers=[contributor], tags=["phonics"])
    make_live_post("Lunch with students", writers=[contributor], tags=["school-life"])
    make_live_post("Phonics next month", writers=[contributor], tags=["phonics"],
                   publish_at=timezone.now() + timedelta(days=30))  # fmt: skip

    feed = parse(client, "/blog/tags/phonics/feed/")

    assert [e.title for e in feed.entries] == ["Phonics games"]
    assert feed.feed.link == f"{SITE}/blog/tags/phonics/"
    assert "phonics" in feed.feed.title
    assert feed.entries[0].link.startswith(f"{SITE}/blog/")
    assert feed.entries[0].author == "Priya"
    assert client.get("/blog/tags/no-such-tag/feed/").status_code == 404


def test_a_japanese_tag_and_title_make_a_valid_feed(client, contributor):
    post = make_live_post(
        "自己紹介", writers=[contributor], tags=["自己紹介"], summary="地図を持って"
    )
    feed = parse(client, "/blog/tags/自己紹介/feed/")
    assert [e.title for e in feed.entries] == [post.title]
    assert feed.entries[0].tags[0].term == "自己紹介"


def test_the_feed_is_cached_and_its_queries_do_not_grow_with_posts(
    client, contributor, new_alt, django_assert_num_queries
):
    for number in range(2):
        make_live_post(f"Post {number}", writers=[contributor], tags=["a"])
    few = count_queries(client, "/blog/feed/")
    # version + posts + writers + tags
    assert few == 4
    with django_assert_num_queries(1):  # the version only: the feed comes from the cache
        client.get("/blog/feed/")

    for number in range(2, 30):
        make_live_post(f"Post {number}", writers=[contributor, new_alt], tags=["a", f"t{number}"])
    assert count_queries(client, "/blog/feed/") == few  # new posts: a new version, re-rendered
    assert len(parse(client, "/blog/feed/").entries) == 20
    assert count_queries(client, "/blog/tags/a/feed/") == few + 1  # + the tag
    with django_assert_num_queries(1):
        client.get("/blog/tags/a/feed/")


def test_publishing_editing_and_unpublishing_change_the_cached_feed(client, contributor):
    post = make_live_post("Before", writers=[contributor])
    assert [e.title for e in parse(client, "/blog/feed/").entries] == ["Before"]

    post.title = "After an edit"
    post.save()
    assert [e.title for e in parse(client, "/blog/feed/").entries] == ["After an edit"]

    Post.objects.filter(pk=post.pk).update(status=Post.Status.UNPUBLISHED)
    assert parse(client, "/blog/feed/").entries == []


def test_a_scheduled_post_appears_in_the_feed_when_its_time_comes(client, contributor, monkeypatch):
    now = timezone.now()
    make_live_post("Already out", writers=[contributor], tags=["news"])
    make_live_post("At nine", writers=[contributor], tags=["news"],
                   publish_at=now + timedelta(minutes=10))  # fmt: skip
    for url in ("/blog/feed/", "/blog/tags/news/feed/"):
        assert [e.title for e in parse(client, url).entries] == ["Already out"]

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=11))

    for url in ("/blog/feed/", "/blog/tags/news/feed/"):  # nobody cleared anything
        assert [e.title for e in parse(client, url).entries] == ["At nine", "Already out"]
