"""Who may do what on the blog (see altto/accounts/roles.py). `may()` has already checked
that the user is signed in and active. Writers (guest writers included) hold no role: they
edit their own drafts; blog editors (and admins) run the editorial path."""

from typing import Any

from altto.accounts.roles import ADMIN, BLOG_EDITOR, has_role, rule
from altto.discussion.rules import has_verified_email


def is_blog_editor(user: Any) -> bool:
    return has_role(user, BLOG_EDITOR) or has_role(user, ADMIN)


def is_writer(user: Any, post: Any) -> bool:
    """Is `user` on the post's byline? (Uses prefetched authors when there are some.)"""
    return any(writer.pk == user.pk for writer in post.authors.all())


@rule("write_blog_post")
def _write_blog_post(user: Any, obj: Any) -> bool:
    return has_verified_email(user)


@rule("see_blog_draft")
def _see_blog_draft(user: Any, post: Any) -> bool:
    return is_blog_editor(user) or is_writer(user, post)


@rule("edit_blog_post")
def _edit_blog_post(user: Any, post: Any) -> bool:
    """Writers while it is theirs to change (a draft, or unpublished); blog editors always."""
    if is_blog_editor(user):
        return True
    return post.status in {"draft", "unpublished"} and is_writer(user, post)


@rule("submit_blog_post")
def _submit_blog_post(user: Any, post: Any) -> bool:
    return post.status in {"draft", "unpublished"} and (
        is_writer(user, post) or is_blog_editor(user)
    )


@rule("review_blog_post")
def _review_blog_post(user: Any, post: Any) -> bool:
    return is_blog_editor(user)


@rule("approve_blog_post")
def _approve_blog_post(user: Any, post: Any) -> bool:
    return is_blog_editor(user) and not is_writer(user, post)


@rule("add_blog_topic")
def _add_blog_topic(user: Any, obj: Any) -> bool:
    return has_verified_email(user)


@rule("edit_blog_topic")
def _edit_blog_topic(user: Any, topic: Any) -> bool:
    """Blog editors refine any topic; whoever suggested one, until it has a writer."""
    return is_blog_editor(user) or (topic.created_by_id == user.pk and topic.writer_id is None)


@rule("volunteer_for_topic")
def _volunteer_for_topic(user: Any, topic: Any) -> bool:
    return has_verified_email(user) and topic.writer_id is None


@rule("assign_blog_topic")
def _assign_blog_topic(user: Any, topic: Any) -> bool:
    return is_blog_editor(user)
