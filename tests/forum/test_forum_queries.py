"""Query bounds and page weight: forum pages cost the same number of queries however many
threads or replies there are, and a long thread stays light."""

import random
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from altto.forum import actions, queries
from altto.forum.models import Category, Post, Thread, Vote
from altto.lib.markdown import render_markdown
from tests.courses.test_page_weight import BUDGET, gzipped
from tests.forum.helpers import lesson_ideas, make_member, start, thread_url

pytestmark = pytest.mark.django_db

WORDS = [
    "students", "class", "lesson", "game", "warm-up", "JTE", "vocabulary", "phonics",
    "flashcards", "board", "team", "point", "quiet", "shy", "pair", "group", "share", "try",
    "worked", "well", "next", "time", "homeroom", "lunch", "club", "sports", "day",
    "elementary", "junior", "high", "textbook", "unit", "review", "song", "chant", "picture",
    "card",
]  # fmt: skip


def sentence(rng: random.Random, words: int = 45) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


@pytest.fixture
def authors(db):
    return [make_member(name, display_name=name.title()) for name in ("ana", "ben", "cho")]


def thread_with_replies(authors, count: int, title: str) -> Thread:
    """A question with `count` replies by several members, one accepted, some upvoted."""
    rng = random.Random(count)
    thread = start(authors[0], title=title, body=sentence(rng))
    replies = []
    for i in range(count):
        body = f"{sentence(rng)}\n\n- {sentence(rng, 8)}\n- {sentence(rng, 8)}"
        replies.append(
            Post(thread=thread, author=authors[i % len(authors)], body=body,
                 body_html=render_markdown(body))
        )  # fmt: skip
    Post.objects.bulk_create(replies)
    actions.refresh_thread(thread)
    replies = list(Post.objects.filter(thread=thread, is_opening=False))
    thread.accepted_answer = replies[1]
    thread.save(update_fields=["accepted_answer"])
    Vote.objects.bulk_create(Vote(post=p, voter=authors[2]) for p in replies[:3])
    Post.objects.filter(pk__in=[p.pk for p in replies[:3]]).update(score=1)
    return thread


def count_queries(client, url: str) -> list[dict]:
    client.get(url)  # warm caches that live for the process (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_page_queries_do_not_grow_with_replies(
    client, authors, new_alt, signed_in, django_assert_num_queries, django_assert_max_num_queries
):
    if signed_in:
        client.force_login(new_alt)
    short = thread_url(thread_with_replies(authors, 5, "A thread with five replies"))
    long = thread_url(thread_with_replies(authors, 100, "A thread with a hundred replies"))
    few = count_queries(client, short)
    if signed_in:
        assert any("auth_group" in q["sql"] for q in few), "the viewer's roles are read"
    client.get(long)
    with django_assert_num_queries(len(few)):
        page = client.get(long)
    assert page.content.count(b'<article id="post-') == queries.REPLIES_PER_PAGE + 2
    with django_assert_num_queries(len(few)):
        client.get(long, {"page": 2})
    with django_assert_max_num_queries(15):
        client.get(long)


def test_thread_page_for_a_moderator_does_not_grow_either(
    client, authors, moderator, django_assert_num_queries
):
    client.force_login(moderator)
    short = thread_url(thread_with_replies(authors, 5, "A thread with five replies"))
    long = thread_url(thread_with_replies(authors, 100, "A thread with a hundred replies"))
    few = count_queries(client, short)
    client.get(long)
    with django_assert_num_queries(len(few)):
        client.get(long)


def make_threads(authors, count: int, category: Category) -> None:
    for i in range(count):
        thread = Thread.objects.create(
            category=category, kind=["question", "discussion", "story"][i % 3],
            title=f"Thread number {i} about games", author=authors[i % len(authors)],
            is_anonymous=i % 4 == 0,
        )  # fmt: skip
        Post.objects.create(
            thread=thread,
            author=thread.author,
            is_opening=True,
            is_anonymous=thread.is_anonymous,
            body="x",
            body_html="<p>x</p>",
        )
        thread.tags.set(actions._tags_for(["jhs"], ["jet"], [f"tag{i % 5}"]))
        actions.refresh_thread(thread)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("url", ["/forum/lesson-ideas/", "/forum/all/", "/forum/"])
def test_list_pages_queries_do_not_grow_with_threads(
    client, authors, new_alt, signed_in, url, django_assert_num_queries
):
    if signed_in:
        client.force_login(new_alt)
    make_threads(authors, 3, lesson_ideas())
    few = count_queries(client, url)
    if signed_in:
        assert any("auth_group" in q["sql"] for q in few), "the viewer's roles are read"
    make_threads(authors, 37, lesson_ideas())
    make_threads(authors, 10, Category.objects.get(slug="stories"))
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    rows = response.content.count(b'<li class="forum-row')
    assert rows == {"/forum/": 8}.get(url, queries.THREADS_PER_PAGE)
    with django_assert_num_queries(len(few)):
        client.get(url, {"kind": "question", "sort": "top", "tag": "tag1", "page": 1})
    assert len(few) <= 12


def test_long_thread_fits_the_page_weight_budget(client, authors, new_alt):
    thread = thread_with_replies(authors, 100, "A thread with a hundred replies")
    client.force_login(new_alt)
    html = client.get(thread_url(thread)).content
    assets = re.findall(rb'(?:src|href)="/static/([^"]+\.(?:css|js))"', html)
    linked = {a.decode() for a in assets}
    assert "css/site.css" in linked
    assert any(a.startswith("vendor/htmx") for a in linked)
    assert "forum/quote.js" in linked
    total = gzipped(html)
    for asset in assets:
        if b"print.css" in asset:
            continue  # fetched only when printing
        with open(finders.find(asset.decode()), "rb") as handle:
            total += gzipped(handle.read())
    assert total < BUDGET, f"{total / 1024:.1f} KB gzipped"
