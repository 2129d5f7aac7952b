"""`make_bench_thread`: the 100-reply thread `make bench` times, at the address it lists."""

from io import StringIO

import pytest
from django.core.management import call_command

from altto.forum.management.commands.make_bench_thread import BENCH_THREAD_PATH, REPLIES
from altto.forum.models import Post, Thread
from bench.run import IN_PROCESS_PAGES, PAGES, SETUP_COMMANDS

pytestmark = pytest.mark.django_db


def test_the_bench_thread_is_made_once_and_served_at_the_listed_address(client):
    call_command("make_bench_thread", stdout=StringIO())
    call_command("make_bench_thread", stdout=StringIO())

    thread = Thread.objects.get()
    assert thread.get_absolute_url() == BENCH_THREAD_PATH
    assert thread.status == Thread.Status.VISIBLE
    assert thread.reply_count == REPLIES == 100
    assert thread.accepted_answer_id is not None
    posts = Post.objects.filter(thread=thread)
    assert posts.count() == REPLIES + 1
    assert posts.filter(status=Post.Status.VISIBLE, is_opening=False).count() == REPLIES
    assert posts.filter(score__gt=0).count() >= 10
    assert len({p.author_id for p in posts}) >= 5
    assert all(p.body_html for p in posts)

    response = client.get(BENCH_THREAD_PATH)
    assert response.status_code == 200
    assert response.content.count(b'class="forum-post') == 52  # opening, accepted, 50 replies

    assert BENCH_THREAD_PATH in PAGES and BENCH_THREAD_PATH in IN_PROCESS_PAGES
    assert ["make_bench_thread"] in SETUP_COMMANDS
