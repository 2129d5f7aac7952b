"""The sample blog that `make run` loads: posts and a topics board written by the sample
members (altto/core/sample_data.py) in content/blog/sample_blog.yaml, made through the real
actions (drafts, review, approval by the sample blog editor, publication) so states,
revisions and notifications behave as on a live site.

Every post ends with SAMPLE_MARKER. Safe to run again: a topic or post whose title is
already there is skipped. Published posts are scheduled at times in the past (with the
clock set to that time) and then announced, so they read as written over the last weeks.
Load the sample forum first: one topic is made from a sample forum thread.
"""

from datetime import timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from altto.accounts.models import User
from altto.blog import actions, newsletter
from altto.blog.models import Edition, EditionEntry, Post, PostEvent, Topic
from altto.blog.topic_forms import thread_reader_need
from altto.core.sample_data import SAMPLE_MEMBERS
from altto.forum.models import Thread
from altto.lib.text import clean_title

SAMPLE_FILE = Path(settings.BASE_DIR) / "content" / "blog" / "sample_blog.yaml"
SAMPLE_MARKER = "*Sample post: written for ALTTO's demo community.*"
EDITOR_USERNAME = "hana_editor"
STATES = {"published", "scheduled", "review", "draft"}


class SampleError(ValueError):
    """The sample file says something the loader cannot make."""


def read_sample_blog(path: Path = SAMPLE_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SampleError(f"{path}: {exc}") from exc
    for key in ("topics", "posts"):
        if not isinstance(data.get(key) or [], list):
            raise SampleError(f"{path}: {key!r} must be a list")
    return {"topics": data.get("topics") or [], "posts": data.get("posts") or []}


def _check(data: dict, members: dict) -> None:
    topics = {}
    for entry in data["topics"]:
        where = f"{SAMPLE_FILE.name}, topic {entry.get('title')!r}"
        names = [entry.get("by")] if not entry.get("from_thread") else []
        names += [p.get("by") for p in entry.get("pitches") or []]
        for name in names:
            if name not in members:
                raise SampleError(f"{where}: {name!r} is not a sample member")
        writer = entry.get("writer")
        if writer and writer not in [p["by"] for p in entry.get("pitches") or []]:
            raise SampleError(f"{where}: the writer {writer!r} did not pitch")
        topics[entry["title"]] = entry
    for entry in data["posts"]:
        where = f"{SAMPLE_FILE.name}, post {entry.get('title')!r}"
        if entry.get("state") not in STATES:
            raise SampleError(f"{where}: unknown state {entry.get('state')!r}")
        authors = entry.get("authors") or []
        if not authors or any(name not in members for name in authors):
            raise SampleError(f"{where}: authors must be sample members")
        if EDITOR_USERNAME in authors:
            raise SampleError(f"{where}: the sample blog editor cannot approve their own post")
        topic = entry.get("topic")
        if topic and topics.get(topic, {}).get("writer") != authors[0]:
            raise SampleError(f"{where}: the topic {topic!r} is not given to {authors[0]}")


def _make_topic(entry: dict, members: dict, editor: User, now) -> Topic:
    if entry.get("from_thread"):
        thread = Thread.objects.filter(
            title=entry["from_thread"], status=Thread.Status.VISIBLE
        ).first()
        if thread is None:
            raise SampleError(
                f"no forum thread {entry['from_thread']!r} (load the sample forum first)"
            )
        topic = actions.add_topic(
            editor, entry["title"], thread_reader_need(thread), entry.get("angle", ""),
            forum_thread=thread,
        )  # fmt: skip
    else:
        topic = actions.add_topic(
            members[entry["by"]], entry["title"], entry["reader_need"].strip(),
            (entry.get("angle") or "").strip(),
        )  # fmt: skip
    created = now - timedelta(days=float(entry.get("days_ago", 0)))
    Topic.objects.filter(pk=topic.pk).update(created_at=created)
    pitches = {}
    for data in entry.get("pitches") or []:
        pitches[data["by"]] = actions.volunteer(topic, members[data["by"]], data["pitch"].strip())
    if entry.get("writer"):
        actions.assign(topic, pitches[entry["writer"]], editor)
        Topic.objects.filter(pk=topic.pk).update(assigned_at=created + timedelta(days=1))
    return topic


def _write_post(entry: dict, members: dict, editor: User, now) -> Post:
    authors = [members[name] for name in entry["authors"]]
    if entry.get("topic"):
        topic = Topic.objects.filter(title=clean_title(entry["topic"]), writer=authors[0]).first()
        post = getattr(topic, "post", None) if topic else None
        if post is None:
            raise SampleError(f"post {entry['title']!r}: its topic has no draft by its writer")
    else:
        post = actions.start_draft(authors[0], entry["title"], language=entry["language"])
    for writer in authors[1:]:
        actions.add_writer(post, writer)
    slug = entry.get("slug") or actions.unique_slug(entry["title"], exclude_pk=post.pk)
    actions.save_post(
        post, authors[0], title=entry["title"], slug=slug,
        summary=(entry.get("summary") or "").strip(),
        body=entry["body"].rstrip() + "\n\n" + SAMPLE_MARKER,
        language=entry["language"], tags=entry.get("tags") or [],
    )  # fmt: skip
    state = entry["state"]
    if state == "draft":
        return post
    actions.submit_for_review(post, authors[0])
    if state == "published":
        when = now - timedelta(days=float(entry["days_ago"]))
        actions.schedule(post, editor, when, now=when)
        Post.objects.filter(pk=post.pk).update(created_at=when - timedelta(days=4))
        PostEvent.objects.filter(post=post).update(created_at=when - timedelta(days=1))
        PostEvent.objects.filter(post=post, kind=PostEvent.Kind.CREATED).update(
            created_at=when - timedelta(days=4)
        )
    elif state == "scheduled":
        actions.schedule(post, editor, now + timedelta(days=float(entry["days_ahead"])), now=now)
    return post


@transaction.atomic
def load_sample_blog(path: Path = SAMPLE_FILE) -> int:
    """Make the sample topics and posts not made yet; return how many posts were made."""
    data = read_sample_blog(path)
    usernames = [member["username"] for member in SAMPLE_MEMBERS]
    members = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = set(usernames) - set(members)
    if missing:
        raise SampleError(
            f"sample members missing: {', '.join(sorted(missing))} (load_sample_community first)"
        )
    _check(data, members)
    editor = members[EDITOR_USERNAME]
    now = timezone.now()
    topics = set(Topic.objects.values_list("title", flat=True))
    for entry in data["topics"]:
        if clean_title(entry["title"]) not in topics:
            _make_topic(entry, members, editor, now)
    posts = set(Post.objects.values_list("title", flat=True))
    created = []
    for entry in data["posts"]:
        if clean_title(entry["title"]) not in posts:
            created.append(_write_post(entry, members, editor, now))
    if created:
        announced = actions.publish_due_posts(now)
        for post in announced:
            PostEvent.objects.filter(post=post, kind=PostEvent.Kind.PUBLISHED).update(
                created_at=post.publish_at
            )
    load_sample_edition(editor, now)
    return len(created)


SAMPLE_EDITION_INTRO = """Welcome to **The Monthly Trainer**, ALTTO's monthly round-up for Assistant
Language Teachers: the month's blog posts, new and updated lessons, and the forum threads
that got people talking.

*Sample edition: written for ALTTO's demo community.*"""


def load_sample_edition(editor: User, now) -> Edition | None:
    """Last month's newsletter edition, assembled and published by the sample blog editor
    (once: skipped when last month already has one)."""
    month = newsletter.previous_month(newsletter.this_month(now))
    if Edition.objects.filter(month=month).exists():
        return None
    edition = newsletter.assemble(month, editor, now=now)
    if not edition.entries.exists():
        # Early in a month the sample posts may all be from this one: take the newest.
        for position, post in enumerate(Post.objects.published(now).order_by("-publish_at")[:3]):
            EditionEntry.objects.create(edition=edition, kind="post", post=post, position=position)
    newsletter.update_edition(edition, title=edition.title, intro=SAMPLE_EDITION_INTRO)
    published_at = newsletter.month_bounds(newsletter.this_month(now))[0] + timedelta(hours=9)
    return newsletter.publish(edition, editor, now=min(published_at, now))
