"""Reads the discussion pages share. Each runs a fixed number of queries, however many
comments there are."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from altto.courses.models import Lesson
from altto.courses.models.content import current_language, pick_text
from altto.discussion.models import Comment, Report


@dataclass
class Thread:
    """A lesson's top-level comments, oldest first, each with `.thread_replies` (oldest
    first). `count` is the number of comments and replies that are not removed."""

    comments: list[Comment] = field(default_factory=list)
    count: int = 0

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    def __len__(self) -> int:
        return len(self.comments)


def thread_for(lesson: Lesson) -> Thread:
    # 1 query: every comment on the lesson with its author, oldest first.
    rows = list(Comment.objects.filter(lesson=lesson).select_related("author"))
    top_level = {c.pk: c for c in rows if c.parent_id is None}
    for comment in top_level.values():
        comment.thread_replies = []
    for comment in rows:
        if comment.parent_id in top_level:
            top_level[comment.parent_id].thread_replies.append(comment)
    return Thread(
        comments=list(top_level.values()),
        count=sum(1 for c in rows if not c.is_removed),
    )


def open_reports() -> list[Report]:
    """Reports waiting for a moderator, oldest first, with what each one is about."""
    # 2 queries: the reports with comment, author, reporter, lesson and module; lesson texts.
    reports = list(
        Report.objects.open()
        .select_related("reporter", "comment__author", "comment__lesson__module")
        .prefetch_related("comment__lesson__texts")
    )
    language = current_language()
    for report in reports:
        lesson = report.comment.lesson
        lesson.text = pick_text(list(lesson.texts.all()), language)
    return reports
