"""Reading the blog: the list, a post (with its link previews and share links), tags,
writers, what is coming up, and the home page's "coming up". Only live posts are ever
shown; a draft is "not found" at its would-be address."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from altto.blog import actions
from altto.blog.models import Post
from altto.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BODY = "Bring a map of your home town and *three* photos."
SUMMARY = "A self-introduction that works."


def png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def make_post(
    writers, editor, title, *, publish_at=None, status="published", tags=("first week",),
    language="en", body=BODY, summary=SUMMARY, cover=None, cover_alt="",
):  # fmt: skip
    """A post written by `writers` and taken along the editorial path to `status`.
    "published" and "scheduled" go live at `publish_at` (default: a day ago)."""
    post = actions.start_draft(writers[0], title, language=language)
    for writer in writers[1:]:
        actions.add_writer(post, writer)
    actions.save_post(
        post, writers[0], title=title, slug=post.slug, summary=summary, body=body,
        language=language, tags=list(tags), cover=cover, cover_alt=cover_alt,
    )  # fmt: skip
    if status == "draft":
        return post
    actions.submit_for_review(post, writers[0])
    if status == "review":
        return post
    publish_at = publish_at or timezone.now() - timedelta(days=1)
    actions.schedule(post, editor, publish_at, now=min(publish_at, timezone.now()))
    if status == "published":
        actions.publish_due_posts(max(publish_at, timezone.now()))
    elif status == "unpublished":
        actions.unpublish(post, editor, "Out of date.")
    post.refresh_from_db()
    return post


def would_be_url(post) -> str:
    return f"/blog/{timezone.localtime().year}/{post.slug}/"


@pytest.fixture
def guest(db):
    return make_user("gina", display_name="Gina Guest", bio="I teach in *Gifu*.")


# ---- the list ------------------------------------------------------------------------------


def test_the_blog_lists_live_posts_newest_first_with_writers_tags_and_language(
    client, contributor, guest, blog_editor
):
    now = timezone.now()
    older = make_post([contributor], blog_editor, "Older post", publish_at=now - timedelta(days=3))
    newer = make_post(
        [guest, contributor], blog_editor, "自己紹介のコツ", language="ja",
        publish_at=now - timedelta(days=1), tags=["self-introduction"],
    )  # fmt: skip
    make_post([contributor], blog_editor, "Still a draft", status="draft")
    make_post([contributor], blog_editor, "Waiting in review", status="review")
    make_post(
        [contributor], blog_editor, "Not yet", status="scheduled",
        publish_at=now + timedelta(days=2),
    )  # fmt: skip
    html = client.get("/blog/").content.decode()
    assert html.index("自己紹介のコツ") < html.index("Older post")
    assert "Still a draft" not in html and "Waiting in review" not in html
    assert "Not yet" not in html
    assert f'href="{newer.get_absolute_url()}"' in html
    assert f'href="{older.get_absolute_url()}"' in html
    assert 'lang="ja"><a href="' + newer.get_absolute_url() in html
    # writers in byline order, linked to their writer pages
    assert html.index('href="/blog/writers/gina/">Gina Guest</a>') < html.index(
        'href="/blog/writers/priya/">Priya</a>'
    )
    assert 'href="/blog/tags/self-introduction/"' in html
    assert SUMMARY in html
    assert 'href="/blog/upcoming/"' in html
    assert 'href="/blog/topics/"' in html
    assert "topics that need a writer" in html
    assert 'type="application/atom+xml"' in html


def test_dates_are_japan_time(client, contributor, blog_editor):
    # 20:00 UTC on 31 December is already 1 January in Japan.
    moment = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
    post = make_post([contributor], blog_editor, "New year", publish_at=moment)
    assert post.get_absolute_url() == f"/blog/2026/{post.slug}/"
    html = client.get("/blog/").content.decode()
    assert 'datetime="2026-01-01T05:00:00+09:00"' in html
    assert client.get(f"/blog/2026/{post.slug}/").status_code == 200


def test_the_list_is_paginated(client, contributor, blog_editor):
    now = timezone.now()
    for number in range(13):
        make_post([contributor], blog_editor, f"Post {number:02}",
                  publish_at=now - timedelta(hours=number + 1))  # fmt: skip
    html = client.get("/blog/").content.decode()
    assert "Post 00" in html and "Post 11" in html and "Post 12" not in html
    assert "Page 1 of 2" in html
    html = client.get("/blog/?page=2").content.decode()
    assert "Post 12" in html and "Post 00" not in html


def test_blog_index_query_count_does_not_grow_with_posts(
    client, contributor, guest, blog_editor, django_assert_num_queries
):
    now = timezone.now()

    def add(count, start):
        for number in range(start, start + count):
            make_post(
                [contributor, guest], blog_editor, f"Post {number}",
                publish_at=now - timedelta(hours=number + 1), tags=["a", f"t{number}"],
            )  # fmt: skip

    add(3, 0)
    # count, the page of posts, their writers, their tags
    with django_assert_num_queries(4):
        html = client.get("/blog/").content.decode()
    assert html.count('class="card blog-card"') == 3
    add(9, 3)
    with django_assert_num_queries(4):
        html = client.get("/blog/").content.decode()
    assert html.count('class="card blog-card"') == 12
    client.force_login(contributor)
    # + session, user, the member's roles (header links)
    with django_assert_num_queries(7):
        client.get("/blog/")


# ---- a post --------------------------------------------------------------------------------


def test_a_post_shows_its_words_writers_tags_and_link_previews(
    client, contributor, guest, blog_editor, settings
):
    settings.SITE_URL = "https://altto.example"
    post = make_post([guest, contributor], blog_editor, "Your first self-introduction",
                     tags=["self-introduction", "first week"])  # fmt: skip
    url = post.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>three</em>" in html  # the rendered Markdown
    assert "<title>Your first self-introduction · Blog · ALTTO</title>" in html
    canonical = f"https://altto.example{url}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Your first self-introduction">' in html
    assert f'<meta property="og:description" content="{SUMMARY}">' in html
    assert '<meta property="og:type" content="article">' in html
    published = timezone.localtime(post.publish_at).isoformat()
    assert f'<meta property="article:published_time" content="{published}">' in html
    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Your first self-introduction">' in html
    assert f'<meta name="twitter:description" content="{SUMMARY}">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/blog/feed/"' in html
    # writers with their bios, tags linked to their pages
    assert 'href="/blog/writers/gina/">Gina Guest</a>' in html
    assert "I teach in <em>Gifu</em>." in html
    assert 'href="/blog/tags/first-week/"' in html
    # share links: plain links, no third-party scripts
    facebook = "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Faltto.example%2Fblog%2F"
    assert facebook in html
    assert "https://x.com/intent/tweet?text=Your+first+self-introduction&amp;url=https%3A" in html
    assert "https://social-plugins.line.me/lineit/share?url=https%3A%2F%2Faltto.example" in html
    assert f'value="{canonical}" readonly' in html
    for link in re.findall(r'<a href="https://[^"]*(?:facebook|x\.com|line\.me)[^"]*"[^>]*>', html):
        assert 'rel="noopener"' in link
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [s for s in scripts if "/static/vendor/htmx" in s]
    assert "<style" not in html and " style=" not in html


def test_a_cover_makes_a_large_link_preview(client, contributor, blog_editor, settings):
    settings.SITE_URL = "https://altto.example"
    post = make_post([contributor], blog_editor, "With a cover", cover=png(),
                     cover_alt="A class waving hello")  # fmt: skip
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="https://altto.example{post.cover.url}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'src="{post.cover.url}" alt="A class waving hello"' in html
    assert f'src="{post.cover.url}"' in client.get("/blog/").content.decode()  # thumbnail


def test_the_wrong_year_redirects_to_the_posts_address(client, contributor, blog_editor):
    post = make_post([contributor], blog_editor, "Moved year")
    year = timezone.localtime(post.publish_at).year
    response = client.get(f"/blog/{year - 1}/{post.slug}/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()
    assert client.get(f"/blog/{year}/no-such-post/").status_code == 404


def test_posts_nobody_may_read_yet_are_not_found(client, contributor, blog_editor):
    hidden = [
        make_post([contributor], blog_editor, "A draft", status="draft"),
        make_post([contributor], blog_editor, "In review", status="review"),
        make_post([contributor], blog_editor, "Taken down", status="unpublished"),
        make_post([contributor], blog_editor, "Next week", status="scheduled",
                  publish_at=timezone.now() + timedelta(days=7)),
    ]  # fmt: skip
    for user in (None, blog_editor, contributor):
        if user:
            client.force_login(user)
        for post in hidden:
            assert client.get(would_be_url(post)).status_code == 404, post.title
            year = timezone.localtime().year
            assert client.get(f"/blog/{year + 1}/{post.slug}/").status_code == 404


def test_a_scheduled_post_is_live_once_its_time_has_passed_without_any_command(
    client, contributor, blog_editor
):
    now = timezone.now()
    due = make_post([contributor], blog_editor, "Due a moment ago", status="scheduled",
                    publish_at=now - timedelta(seconds=5))  # fmt: skip
    later = make_post([contributor], blog_editor, "Due in a while", status="scheduled",
                      publish_at=now + timedelta(seconds=30))  # fmt: skip
    assert due.status == later.status == Post.Status.SCHEDULED  # nobody ran anything
    html = client.get("/blog/").content.decode()
    assert "Due a moment ago" in html and "Due in a while" not in html
    assert client.get(due.get_absolute_url()).status_code == 200
    assert client.get(would_be_url(later)).status_code == 404
    upcoming = client.get("/blog/upcoming/").content.decode()
    assert "Due in a while" in upcoming and "Due a moment ago" not in upcoming


def test_blog_editors_see_an_edit_link(client, contributor, blog_editor, new_alt):
    post = make_post([contributor], blog_editor, "Editable")
    edit = f'href="/blog/drafts/{post.pk}/edit/"'
    assert edit not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(new_alt)
    assert edit not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(blog_editor)
    assert edit in client.get(post.get_absolute_url()).content.decode()


def test_post_page_query_count_is_bounded(
    client, contributor, guest, blog_editor, new_alt, django_assert_num_queries
):
    one = make_post([contributor], blog_editor, "One writer", tags=["a"])
    many = make_post([contributor, guest, new_alt], blog_editor, "Three writers",
                     tags=["a", "b", "c", "d", "e"])  # fmt: skip
    for post in (one, many):
        # the post, its writers, its tags, its comments (altto/discussion)
        with django_assert_num_queries(4):
            assert client.get(post.get_absolute_url()).status_code == 200
    client.force_login(new_alt)
    for post in (one, many):
        # + session, user, the member's roles (header links, may edit), a verified email
        # (may comment)
        with django_assert_num_queries(8):
            client.get(post.get_absolute_url())


# ---- tags, writers, upcoming -----------------------------------------------------------


def test_a_tag_page_lists_its_live_posts_and_links_its_feed(client, contributor, blog_editor):
    make_post([contributor], blog_editor, "Tagged live", tags=["games"])
    make_post([contributor], blog_editor, "Other tag", tags=["songs"])
    make_post([contributor], blog_editor, "Secret tag", tags=["secret"], status="draft")
    html = client.get("/blog/tags/games/").content.decode()
    assert "Tagged live" in html and "Other tag" not in html
    assert 'href="/blog/tags/games/feed/"' in html
    assert client.get("/blog/tags/no-such-tag/").status_code == 404
    assert client.get("/blog/tags/secret/").status_code == 404  # only on a draft


def test_a_writer_page_shows_bio_and_live_posts_guests_included(
    client, contributor, guest, blog_editor, new_alt
):
    make_post([guest], blog_editor, "Guest post")
    make_post([guest], blog_editor, "Guest draft", status="draft")
    html = client.get("/blog/writers/gina/").content.decode()
    assert "<h1" in html and "Gina Guest" in html
    assert "I teach in <em>Gifu</em>." in html
    assert "Guest post" in html and "Guest draft" not in html
    assert "Follow this writer" not in html  # signed out
    # members without a live post have no writer page
    make_post([new_alt], blog_editor, "Sam's draft", status="draft")
    assert client.get("/blog/writers/sam/").status_code == 404
    assert client.get("/blog/writers/nobody/").status_code == 404
    guest.is_active = False
    guest.save(update_fields=["is_active"])
    assert client.get("/blog/writers/gina/").status_code == 404


def test_members_follow_a_writer_and_hear_of_their_next_post(
    client, contributor, blog_editor, new_alt, django_capture_on_commit_callbacks
):
    make_post([contributor], blog_editor, "First")
    assert client.post("/blog/writers/priya/", {"follow": "on"}).status_code == 302  # to log in
    client.force_login(new_alt)
    response = client.post("/blog/writers/priya/", {"follow": "on"})
    assert response.status_code == 302 and response["Location"] == "/blog/writers/priya/"
    html = client.get("/blog/writers/priya/").content.decode()
    assert "Stop following" in html
    with django_capture_on_commit_callbacks(execute=True):
        make_post([contributor], blog_editor, "Second")
    assert Notification.objects.filter(user=new_alt, kind="blog_published").count() == 1
    client.post("/blog/writers/priya/", {"follow": "off"})
    assert "Follow this writer" in client.get("/blog/writers/priya/").content.decode()
    client.force_login(contributor)  # no button on your own page
    assert "Follow this writer" not in client.get("/blog/writers/priya/").content.decode()


def test_tag_and_writer_pages_query_counts_do_not_grow(
    client, contributor, guest, blog_editor, django_assert_num_queries
):
    make_post([contributor, guest], blog_editor, "First", tags=["games", "songs"])
    # tag: count, posts, writers, tags; writer: the writer + the same four
    with django_assert_num_queries(4):
        client.get("/blog/tags/games/")
    with django_assert_num_queries(5):
        client.get("/blog/writers/priya/")
    for number in range(5):
        make_post([contributor, guest], blog_editor, f"More {number}", tags=["games", f"t{number}"])
    with django_assert_num_queries(4):
        assert client.get("/blog/tags/games/").content.decode().count("blog-card") == 6
    with django_assert_num_queries(5):
        assert client.get("/blog/writers/priya/").content.decode().count("blog-card") == 6


def test_upcoming_lists_titles_writers_and_dates_never_the_words(
    client, contributor, guest, blog_editor
):
    now = timezone.now()
    make_post([guest], blog_editor, "In three days", status="scheduled",
              publish_at=now + timedelta(days=3), body="SECRET WORDS",
              summary="SECRET SUMMARY")  # fmt: skip
    make_post([contributor, guest], blog_editor, "Tomorrow", status="scheduled",
              publish_at=now + timedelta(days=1))  # fmt: skip
    make_post([contributor], blog_editor, "Already live")
    html = client.get("/blog/upcoming/").content.decode()
    assert html.index("Tomorrow") < html.index("In three days")
    assert "Already live" not in html
    assert "Gina Guest" in html and "Priya" in html
    assert "SECRET" not in html and "map of your home town" not in html
    assert SUMMARY not in html


def test_upcoming_query_count_does_not_grow(
    client, contributor, blog_editor, django_assert_num_queries
):
    now = timezone.now()
    for number in range(4):
        make_post([contributor], blog_editor, f"Soon {number}", status="scheduled",
                  publish_at=now + timedelta(days=number + 1))  # fmt: skip
    # the posts, their writers
    with django_assert_num_queries(2):
        client.get("/blog/upcoming/")


# ---- around the site -----------------------------------------------------------------------


def test_the_home_page_shows_what_is_coming_up_on_the_blog(
    client, contributor, blog_editor, django_assert_num_queries
):
    now = timezone.now()
    make_post([contributor], blog_editor, "Coming tomorrow", status="scheduled",
              publish_at=now + timedelta(days=1), body="HIDDEN BODY")  # fmt: skip
    with django_assert_num_queries(2):  # the forum's latest threads, the blog's upcoming
        html = client.get("/").content.decode()
    assert "Coming up on the blog" in html and "Coming tomorrow" in html
    assert "HIDDEN BODY" not in html
    assert 'href="/blog/upcoming/"' in html
    for number in range(5):
        make_post([contributor], blog_editor, f"Later {number}", status="scheduled",
                  publish_at=now + timedelta(days=number + 2))  # fmt: skip
    with django_assert_num_queries(2):
        html = client.get("/").content.decode()
    assert "Later 1" in html and "Later 2" not in html  # the next three


def test_the_main_navigation_shows_the_blog(client, db):
    html = client.get("/").content.decode()
    assert '<a href="/blog/">Blog</a>' in html
    html = client.get("/blog/").content.decode()
    assert '<a href="/blog/" aria-current="page">Blog</a>' in html
