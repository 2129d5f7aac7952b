"""The sample forum that `make run` loads: threads written by the sample members
(altto/core/sample_data.py) in content/forum/sample_threads.yaml, posted through the real
actions so counts, notifications and trust behave as on a live site.

Every opening post ends with SAMPLE_MARKER, so nobody mistakes the demo for real advice
from real people. Safe to run again: a thread already posted (same title, same sample
author) is skipped, so nothing is duplicated.

The sample members post months of conversation in a second, so before posting each is
given a standing of approved posts (their posts appear at once, as an established member's
would) and each post is backdated as soon as it is made: the rate limits, which count
posts from the last minute and day, then see none, and the threads read as if written over
the last two months.
"""

import random
from datetime import timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from altto.accounts.models import User
from altto.core.sample_data import SAMPLE_MEMBERS
from altto.forum import actions
from altto.forum.models import Category, Post, Standing, Thread, Vote

SAMPLE_FILE = Path(settings.BASE_DIR) / "content" / "forum" / "sample_threads.yaml"
SAMPLE_MARKER = "*Sample thread: written for ALTTO's demo community.*"
SAMPLE_STANDING = 50  # approved posts: past the "new member" step, so nothing is held
MODERATOR_USERNAME = "morgan_mod"


class SampleError(ValueError):
    """The sample file says something the loader cannot post."""


def read_sample_threads(path: Path = SAMPLE_FILE) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SampleError(f"{path}: {exc}") from exc
    threads = data.get("threads") or []
    if not isinstance(threads, list):
        raise SampleError(f"{path}: 'threads' must be a list")
    return threads


def _voters(members: dict[str, User], exclude: set[str], count: int, seed: str) -> list[User]:
    names = sorted(name for name in members if name not in exclude)
    random.Random(seed).shuffle(names)
    return [members[name] for name in names[:count]]


def _backdate(post: Post, when) -> None:
    Post.objects.filter(pk=post.pk).update(created_at=when)
    post.created_at = when


def _vote(post: Post, members, exclude: set[str], count: int, seed: str, when) -> None:
    for voter in _voters(members, exclude, int(count or 0), seed):
        actions.vote(post, voter)
    Vote.objects.filter(post=post).update(created_at=when + timedelta(hours=3))


def _reply_times(opened, replies: list[dict], seed: str, now) -> list:
    """When each reply came: spread over the hours and days after the opening post (or
    `days_later` than it, when the sample says), in order, never in the future."""
    rng = random.Random(seed)
    times, at = [], opened
    for index, data in enumerate(replies):
        if data.get("days_later") is not None:
            at = max(at, opened + timedelta(days=float(data["days_later"])))
        else:
            at += timedelta(minutes=rng.randint(25, 200 if index < 3 else 900))
        times.append(at)
    latest = now - timedelta(minutes=30)
    if times and times[-1] > latest:
        # Squeeze into the time there was: keep the order, end half an hour ago.
        span = (latest - opened) / (times[-1] - opened)
        times = [opened + (t - opened) * span for t in times]
    return times


def _check(entry: dict, index: int, members: dict, categories: dict) -> None:
    where = f"{SAMPLE_FILE.name}, thread {index + 1} ({entry.get('title', '?')!r})"
    if entry.get("category") not in categories:
        raise SampleError(f"{where}: unknown category {entry.get('category')!r}")
    if entry.get("kind") not in Thread.Kind.values:
        raise SampleError(f"{where}: unknown kind {entry.get('kind')!r}")
    names = [entry.get("author")] + [r.get("by") for r in entry.get("replies") or []]
    for name in names:
        if name not in members:
            raise SampleError(f"{where}: {name!r} is not a sample member")
    for votes in [entry.get("votes")] + [r.get("votes") for r in entry.get("replies") or []]:
        if not 0 <= int(votes or 0) < len(members):
            raise SampleError(f"{where}: {votes} votes, from {len(members)} sample members?")
    accepted = [r for r in entry.get("replies") or [] if r.get("accepted")]
    if len(accepted) > 1 or (accepted and entry["kind"] != Thread.Kind.QUESTION):
        raise SampleError(f"{where}: only a question has an accepted answer, and only one")


def _prepare_members(usernames: list[str], earliest) -> dict[str, User]:
    members = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = set(usernames) - set(members)
    if missing:
        raise SampleError(
            f"sample members missing: {', '.join(sorted(missing))} (load_sample_community first)"
        )
    for user in members.values():
        Standing.objects.get_or_create(user=user)
    Standing.objects.filter(user__in=members.values(), approved_posts__lt=SAMPLE_STANDING).update(
        approved_posts=SAMPLE_STANDING
    )
    # They joined before they first posted.
    for offset, user in enumerate(sorted(members.values(), key=lambda u: u.username)):
        if user.date_joined > earliest:
            user.date_joined = earliest - timedelta(days=3 + 7 * offset)
            user.save(update_fields=["date_joined"])
        user.__dict__.pop("_forum_standing", None)
    return members


def _post_thread(entry: dict, members: dict, categories: dict, moderator, now) -> Thread:
    author = members[entry["author"]]
    opened = now - timedelta(days=float(entry["days_ago"]))
    body = entry["body"].rstrip() + "\n\n" + SAMPLE_MARKER
    thread = actions.start_thread(
        author,
        categories[entry["category"]],
        entry["kind"],
        entry["title"],
        body,
        levels=entry.get("levels") or [],
        employers=entry.get("employers") or [],
        tags=entry.get("tags") or [],
        anonymous=bool(entry.get("anonymous")),
    )
    Thread.objects.filter(pk=thread.pk).update(created_at=opened)
    thread.created_at = opened
    opening = thread.posts.get(is_opening=True)
    _backdate(opening, opened)
    _vote(opening, members, {author.username}, entry.get("votes"), thread.title, opened)

    replies = entry.get("replies") or []
    accepted = None
    for index, (data, when) in enumerate(
        zip(replies, _reply_times(opened, replies, thread.title, now), strict=True)
    ):
        post = actions.reply(members[data["by"]], thread, data["body"].rstrip())
        _backdate(post, when)
        seed = f"{thread.title}/{index}"
        _vote(post, members, {data["by"]}, data.get("votes"), seed, when)
        if data.get("accepted"):
            accepted = post
    if accepted is not None:
        actions.accept_answer(thread, accepted, author)
    if entry.get("pinned"):
        actions.set_pinned(thread, moderator, True)
    actions.refresh_thread(thread)
    return thread


@transaction.atomic
def load_sample_forum(path: Path = SAMPLE_FILE) -> int:
    """Post the sample threads not posted yet; return how many were created."""
    entries = read_sample_threads(path)
    usernames = [member["username"] for member in SAMPLE_MEMBERS]
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    earliest = now - timedelta(days=max((float(e.get("days_ago", 0)) for e in entries), default=0))
    members = _prepare_members(usernames, earliest)
    for index, entry in enumerate(entries):
        _check(entry, index, members, categories)
    posted = set(
        Thread.objects.filter(author__username__in=usernames).values_list(
            "author__username", "title"
        )
    )
    moderator = members[MODERATOR_USERNAME]
    created = 0
    for entry in entries:
        if (entry["author"], actions.check_title(entry["title"])) in posted:
            continue
        _post_thread(entry, members, categories, moderator, now)
        created += 1
    return created
