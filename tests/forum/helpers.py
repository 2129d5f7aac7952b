"""Helpers shared by the forum's reading-and-posting tests (the personas are in conftest)."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.db.models import F
from django.utils import timezone

from altto.accounts.models import User
from altto.forum import actions
from altto.forum.models import Category, Post, Standing, Thread
from tests.conftest import make_user

BODY = "We play a quick game of fruit basket to wake everyone up before the lesson."
TITLE = "Warm-ups for sleepy first-period classes"


def lesson_ideas() -> Category:
    return Category.objects.get(slug="lesson-ideas")


def make_member(username: str, **fields) -> User:
    """A member whose posts appear at once (two approved posts already)."""
    user = make_user(username, **fields)
    Standing.objects.create(user=user, approved_posts=2)
    return user


def make_trusted(username: str, **fields) -> User:
    """A trusted member: ten approved posts and joined 31 days ago."""
    user = make_user(username, **fields)
    Standing.objects.create(user=user, approved_posts=10)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=31))
    return User.objects.get(pk=user.pk)


def promote(user, approved_posts: int = 2) -> User:
    """Give an existing persona standing (2: member) and return a fresh copy."""
    Standing.objects.update_or_create(user=user, defaults={"approved_posts": approved_posts})
    return User.objects.get(pk=user.pk)


def suspend(user, reason: str = "Repeated advertising in replies.", days: int = 3) -> None:
    Standing.objects.update_or_create(
        user=user,
        defaults={
            "suspended_until": timezone.now() + timedelta(days=days),
            "suspension_reason": reason,
        },
    )


def unthrottle(user) -> None:
    """Move the member's earlier posts two minutes back (order kept), so that setting up a
    test never trips the per-minute limit it is not about."""
    Post.objects.filter(author=user).update(created_at=F("created_at") - timedelta(minutes=2))


def start(author, title: str = TITLE, body: str = BODY, kind: str = "question", **kwargs):
    """A thread started through actions (as the new-thread page does)."""
    category = kwargs.pop("category", None) or lesson_ideas()
    unthrottle(author)
    return actions.start_thread(author, category, kind, title, body, **kwargs)


def reply(author, thread: Thread, body: str) -> Post:
    unthrottle(author)
    return actions.reply(author, thread, body)


def opening(thread: Thread) -> Post:
    return Post.objects.get(thread=thread, is_opening=True)


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def html(response) -> str:
    return response.content.decode()


def thread_url(thread: Thread) -> str:
    thread.refresh_from_db()
    return thread.get_absolute_url()


def backdate(post_or_posts, **delta) -> None:
    """Move posts into the past (created_at is set automatically on save)."""
    pks = [p.pk for p in post_or_posts] if isinstance(post_or_posts, list) else [post_or_posts.pk]
    Post.objects.filter(pk__in=pks).update(created_at=timezone.now() - timedelta(**delta))
