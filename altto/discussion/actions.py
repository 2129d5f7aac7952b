"""What members and moderators do in a discussion, on a lesson or a library item. Each
write is one transaction; views check `may()` first and then only call these."""

import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from altto.discussion.models import Comment, CommentRevision, Report, on_target, target_field
from altto.forum import trust
from altto.forum.actions import OUTSIDE_LINK, count_approved
from altto.notifications.actions import notify

POSTS_PER_MINUTE = 10


class PostingTooFast(Exception):
    """The member posted POSTS_PER_MINUTE comments in the last minute already."""


class TooManyLinks(Exception):
    """A new member's comment on the blog holds more links than the trust ladder allows."""


def _rate_key(user) -> str:
    return f"discussion:posts:{user.pk}"


def _note_post_or_refuse(user) -> None:
    """A sliding one-minute window kept in the cache (shared by every worker, see
    docs/decisions/003). It works the same on every cache backend; two posts in the same
    instant may both slip through, which is fine for a gentle limit."""
    now = time.time()
    recent = [t for t in cache.get(_rate_key(user), []) if now - t < 60]
    if len(recent) >= POSTS_PER_MINUTE:
        raise PostingTooFast
    cache.set(_rate_key(user), [*recent, now], timeout=60)


@transaction.atomic
def post_comment(author, target, body: str, parent: Comment | None = None) -> Comment:
    """A new comment on `target` (a Lesson, a library Item or a blog Post), or a reply. A
    reply to a reply joins its top-level comment's thread. On the blog, which anyone can
    find from a search engine, a new member's comment waits for a moderator and may hold
    few links (the forum's trust ladder)."""
    if parent is not None:
        if getattr(parent, f"{target_field(target)}_id") != target.pk:
            raise ValueError("the parent comment belongs to another page")
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    held = False
    if target_field(target) == "blog_post":
        held = trust.level_of(author) == trust.NEW
        if held and len(OUTSIDE_LINK.findall(body)) > trust.NEW_MEMBER_LINKS:
            raise TooManyLinks
    _note_post_or_refuse(author)
    comment = Comment.objects.create(
        **on_target(target), author=author, parent=parent, body=body, is_held=held
    )
    if held:
        notify([author], "comment_held", comment.get_absolute_url(), title=str(target))
    return comment


@transaction.atomic
def approve_comment(comment: Comment, moderator) -> Comment:
    """A held comment is shown, and counts towards its author's trust."""
    changed = Comment.objects.filter(pk=comment.pk, is_held=True).update(is_held=False)
    comment.is_held = False
    if changed and comment.author_id:
        count_approved(comment.author)
        notify([comment.author], "comment_approved", comment.get_absolute_url(),
               title=str(comment.target))  # fmt: skip
    return comment


@transaction.atomic
def edit_comment(comment: Comment, editor, body: str) -> Comment:
    """Replace the words and keep the old ones as a revision. Same words: nothing changes."""
    current = Comment.objects.select_for_update().get(pk=comment.pk)
    if current.body == body:
        return current
    CommentRevision.objects.create(comment=current, body=current.body)
    current.body = body
    current.edited_at = timezone.now()
    current.save(update_fields=["body", "edited_at"])
    return current


@transaction.atomic
def report_comment(comment: Comment, reporter, reason: str) -> Report:
    """One open report per member and comment: reporting again returns the open one."""
    existing = Report.objects.open().filter(comment=comment, reporter=reporter).first()
    if existing:
        return existing
    try:
        # Two clicks at once: the unique constraint keeps one row.
        with transaction.atomic():
            return Report.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        return Report.objects.open().get(comment=comment, reporter=reporter)


@transaction.atomic
def remove_comment(comment: Comment, moderator) -> Comment:
    """Hide the comment (its replies stay) and close every open report about it."""
    current = Comment.objects.select_for_update().get(pk=comment.pk)
    now = timezone.now()
    if not current.is_removed:
        current.is_removed = True
        current.removed_at = now
        current.removed_by = moderator
        current.save(update_fields=["is_removed", "removed_at", "removed_by"])
    Report.objects.open().filter(comment=current).update(resolved_at=now, resolved_by=moderator)
    return current


@transaction.atomic
def resolve_report(report: Report, moderator) -> Report:
    """Close a report and keep the comment."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.resolved_at is None:
        current.resolved_at = timezone.now()
        current.resolved_by = moderator
        current.save(update_fields=["resolved_at", "resolved_by"])
    return current
