"""Reads the discussion pages share. Each runs a fixed number of queries, however many
comments there are."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from altto.accounts.roles import may
from altto.courses.models.content import current_language, pick_text
from altto.discussion.models import Comment, Report, on_target, target_field


@dataclass
class Thread:
    """A page's top-level comments, oldest first, each with `.thread_replies` (oldest
    first). `count` is the number of comments and replies that are not removed. `target` is
    the lesson or library item the thread is on."""

    target: Any = None
    comments: list[Comment] = field(default_factory=list)
    count: int = 0

    @property
    def post_url(self) -> str:
        """Where the thread's forms post (a lesson's needs its module, already loaded)."""
        field = target_field(self.target)
        if field == "lesson":
            kwargs = {"slug": self.target.module.slug, "lesson": self.target.slug}
            return reverse("discussion:post", kwargs=kwargs)
        if field == "blog_post":
            return reverse("discussion:post_blog", kwargs={"pk": self.target.pk})
        return reverse("discussion:post_item", kwargs={"slug": self.target.slug})

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    def __len__(self) -> int:
        return len(self.comments)


def thread_for(target, viewer=None) -> Thread:
    """The thread on `target`, a Lesson, a library Item or a blog Post. Comments waiting
    for a moderator are shown to their author and to moderators only."""
    # 1 query: every comment on the page with its author, oldest first.
    rows = list(Comment.objects.filter(**on_target(target)).select_related("author"))
    if any(c.is_held for c in rows):
        moderator = viewer is not None and may(viewer, "see_reports")
        mine = viewer.pk if viewer is not None and viewer.is_authenticated else None
        rows = [c for c in rows if not c.is_held or moderator or c.author_id == mine]
    top_level = {c.pk: c for c in rows if c.parent_id is None}
    for comment in top_level.values():
        comment.thread_replies = []
    for comment in rows:
        if comment.parent_id in top_level:
            top_level[comment.parent_id].thread_replies.append(comment)
    return Thread(
        target=target,
        comments=list(top_level.values()),
        count=sum(1 for c in rows if not c.is_removed),
    )


def open_reports() -> list[Report]:
    """Reports waiting for a moderator, oldest first, with what each one is about."""
    # 2 queries: the reports with comment, author, reporter, lesson and module or library
    # item; lesson texts (none when every report is about a library item).
    reports = list(
        Report.objects.open()
        .select_related("reporter", "comment__author", "comment__lesson__module", "comment__item")
        .prefetch_related("comment__lesson__texts")
    )
    language = current_language()
    for report in reports:
        lesson = report.comment.lesson
        if lesson is not None:
            lesson.text = pick_text(list(lesson.texts.all()), language)
    return reports
