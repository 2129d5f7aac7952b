"""The blog's clock, with a controlled clock: a scheduled post is not announced before its
time, is announced after it exactly once (however many runs, even racing ones), and the feed
and sitemap show it from its time on with nobody clearing a cache. Also the command, its loop,
and the `make run` recipe that starts it beside the server."""

import os
import re
import signal
import subprocess
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import QuerySet
from django.utils import timezone

from altto.blog import actions
from altto.blog.management.commands import publish_due_posts as command
from altto.blog.models import Post, PostEvent
from altto.notifications.models import Notification

pytestmark = pytest.mark.django_db

SITE = "https://altto.example.org"


@pytest.fixture
def scheduled(contributor, blog_editor):
    """A post approved for two days from now; returns (post, its time)."""
    now = timezone.now()
    post = actions.start_draft(contributor, "Surviving sports day")
    actions.save_post(
        post, contributor, title=post.title, slug=post.slug, summary="Sunscreen and a hat.",
        body="Bring water, sunscreen and a hat.", language="en", tags=["school-life"],
    )  # fmt: skip
    actions.submit_for_review(post, contributor)
    publish_at = now + timedelta(days=2)
    actions.schedule(post, blog_editor, publish_at, now=now)
    post.refresh_from_db()
    return post, publish_at


@pytest.fixture
def clock(monkeypatch):
    """Set the time everyone reads (`timezone.now`): clock(when)."""

    def set_time(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return set_time


def announced(post) -> int:
    return Notification.objects.filter(kind="blog_live", url=post.get_absolute_url()).count()


def test_a_post_is_announced_after_its_time_and_only_once(
    scheduled, contributor, django_capture_on_commit_callbacks
):
    post, publish_at = scheduled
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.publish_due_posts(publish_at - timedelta(seconds=1)) == []
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED and post.announced_at is None

    with django_capture_on_commit_callbacks(execute=True):
        assert [p.pk for p in actions.publish_due_posts(publish_at)] == [post.pk]  # at the time
        assert actions.publish_due_posts(publish_at) == []  # the same run again
        assert actions.publish_due_posts(publish_at + timedelta(minutes=1)) == []  # and later
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.announced_at == publish_at and post.published_at == publish_at
    assert Notification.objects.filter(user=contributor, kind="blog_live").count() == 1
    assert post.events.filter(kind=PostEvent.Kind.PUBLISHED).count() == 1


def test_two_racing_runs_announce_a_post_once(
    scheduled, contributor, monkeypatch, django_capture_on_commit_callbacks
):
    """Run B has listed the due post; before B claims it, run A (another process) claims and
    announces it. B's claim then finds nothing and B skips it."""
    post, publish_at = scheduled
    now = publish_at + timedelta(seconds=30)
    original_update = QuerySet.update
    rival = []

    def update_after_a_rival(queryset, **values):
        if "announced_at" in values and not rival:
            rival.append(None)
            rival[0] = actions.publish_due_posts(now)  # run A, in between B's list and claim
        return original_update(queryset, **values)

    monkeypatch.setattr(QuerySet, "update", update_after_a_rival)
    with django_capture_on_commit_callbacks(execute=True):
        run_b = actions.publish_due_posts(now)
    assert [p.pk for p in rival[0]] == [post.pk]
    assert run_b == []
    assert Notification.objects.filter(user=contributor, kind="blog_live").count() == 1
    assert post.events.filter(kind=PostEvent.Kind.PUBLISHED).count() == 1


def test_the_command_publishes_what_is_due_by_the_clock(
    scheduled, clock, django_capture_on_commit_callbacks
):
    post, publish_at = scheduled
    out = StringIO()
    clock(publish_at - timedelta(minutes=1))
    call_command("publish_due_posts", stdout=out)
    assert "Published 0 due blog post(s)." in out.getvalue()

    clock(publish_at + timedelta(seconds=5))
    for _ in range(2):  # run twice: announced once
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_due_posts", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines.count("Published 1 due blog post(s).") == 1
    assert lines.count("Published 0 due blog post(s).") == 2
    assert any(post.get_absolute_url() in line for line in lines)
    assert announced(post) == 1


def test_the_feed_and_sitemap_show_the_post_from_its_time_without_clearing_caches(
    client, scheduled, clock, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    post, publish_at = scheduled
    link = SITE + post.get_absolute_url()

    def visible() -> tuple[bool, bool]:
        feed, sitemap = client.get("/blog/feed/"), client.get("/sitemap.xml")
        assert feed.status_code == sitemap.status_code == 200
        return link in feed.content.decode(), f"<loc>{link}</loc>" in sitemap.content.decode()

    clock(publish_at - timedelta(seconds=1))
    assert visible() == (False, False)
    assert visible() == (False, False)  # now from the cache
    clock(publish_at)
    assert visible() == (True, True)  # before the command ran
    with django_capture_on_commit_callbacks(execute=True):
        assert len(actions.publish_due_posts()) == 1
    assert visible() == (True, True)


# --- the loop: `publish_due_posts --every SECONDS` ----------------------------------------


@pytest.fixture
def loop(monkeypatch):
    """The command's loop with a fake action: runs(results) returns the calls made; each
    result is a list of posts, or an exception (or a callable) to raise/run instead."""
    from altto.core import periodic

    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)  # keep the test's db

    def runs(*results):
        calls = []

        def fake():
            calls.append(len(calls))
            result = results[len(calls) - 1]
            if isinstance(result, BaseException):
                raise result
            if callable(result):
                result()
                return []
            return result

        monkeypatch.setattr(command, "publish_due_posts", fake)
        return calls

    return runs


def test_the_loop_runs_until_sigterm_and_puts_the_handler_back(loop):
    before = signal.getsignal(signal.SIGTERM)
    calls = loop(
        [], RuntimeError("database is locked"), lambda: signal.raise_signal(signal.SIGTERM)
    )
    out, err = StringIO(), StringIO()
    call_command("publish_due_posts", every=0.01, stdout=out, stderr=err)
    assert len(calls) == 3  # a failed run does not stop the clock
    assert "database is locked" in err.getvalue()
    assert "Stopped publishing due blog posts." in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == before


def test_the_loop_stops_cleanly_on_ctrl_c(loop):
    calls = loop([], KeyboardInterrupt())
    out = StringIO()
    call_command("publish_due_posts", every=0.01, stdout=out)
    assert len(calls) == 2
    assert out.getvalue().splitlines()[-1] == "Stopped publishing due blog posts."


def test_the_loop_refuses_a_silly_interval():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="above 0"):
        call_command("publish_due_posts", every=0)


# --- `make run` ---------------------------------------------------------------------------


def run_recipe() -> list[str]:
    """The `run` target's recipe as the shell commands Make runs (one per logical line)."""
    text = (Path(settings.BASE_DIR) / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.MULTILINE).group(1)
    return [line.strip() for line in recipe.replace("\\\n", " ").splitlines()]


def test_make_run_starts_the_clock_beside_the_server_and_stops_it_with_it():
    last = run_recipe()[-1]
    assert "manage.py publish_due_posts --every 60 &" in last
    assert "trap 'kill $$clock" in last and "EXIT" in last and "INT" in last
    assert last.endswith("manage.py runserver 127.0.0.1:$(PORT)")

    # The same shell line with stand-ins: the clock must be gone when the "server" ends.
    line = (
        last.replace("$(PY) manage.py publish_due_posts --every 60", "sleep 30")
        .replace("$(PY) manage.py runserver 127.0.0.1:$(PORT)", 'echo "$clock"')
        .replace("$$", "$")
    )
    shell = subprocess.run(["/bin/sh", "-c", line], capture_output=True, text=True, timeout=10)
    pid = int(shell.stdout.strip())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.05)
    assert not alive(pid)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")
    return state != "Z"
