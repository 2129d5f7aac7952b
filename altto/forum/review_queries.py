"""Reads for the moderators' pages. Each runs a fixed number of queries, however many posts
wait for review."""

from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Prefetch, Q

from altto.discussion.models import Comment
from altto.forum.models import Flag, ModerationEntry, Post

# The oldest this many of each list are shown; acting on them brings the next ones up.
QUEUE_LIMIT = 50


@dataclass
class Queue:
    held: list[Post] = field(default_factory=list)
    held_count: int = 0
    flagged: list[Post] = field(default_factory=list)
    flagged_count: int = 0
    held_comments: list = field(default_factory=list)


def _with_context(posts):
    """Posts with their thread, category and author, and `.open_flags` (oldest first, each
    with its flagger)."""
    open_flags = Flag.objects.open().select_related("flagger").order_by("created_at", "pk")
    return posts.select_related("thread__category", "author").prefetch_related(
        Prefetch("flags", queryset=open_flags, to_attr="open_flags")
    )


def review_queue(limit: int = QUEUE_LIMIT) -> Queue:
    """Held posts (new members' first posts and threads), oldest first; then posts with open
    flags, the longest-flagged first."""
    # 5 queries: held posts and their flags, flagged posts and their flags, held blog
    # comments with their posts; and a count for each list that is longer than `limit`.
    held = Post.objects.filter(status=Post.Status.HELD)
    has_open_flag = Exists(Flag.objects.open().filter(post=OuterRef("pk")))
    flagged = (
        Post.objects.filter(has_open_flag)
        .exclude(status=Post.Status.HELD)
        .annotate(first_flagged=Min("flags__created_at", filter=Q(flags__resolved_at=None)))
    )
    held_rows = list(_with_context(held.order_by("created_at", "pk"))[:limit])
    flagged_rows = list(_with_context(flagged.order_by("first_flagged", "pk"))[:limit])
    held_comments = (
        Comment.objects.filter(is_held=True, is_removed=False)
        .select_related("author", "blog_post")
        .order_by("created_at", "pk")[:limit]
    )
    return Queue(
        held_comments=list(held_comments),
        held=held_rows,
        held_count=len(held_rows) if len(held_rows) < limit else held.count(),
        flagged=flagged_rows,
        flagged_count=len(flagged_rows) if len(flagged_rows) < limit else flagged.count(),
    )


def log_entries():
    """The moderators' log, newest first, with who, which thread and which member."""
    return ModerationEntry.objects.select_related("actor", "thread", "member").order_by(
        "-created_at", "-pk"
    )
