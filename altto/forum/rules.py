"""Who may do what in the forum (see altto/accounts/roles.py). `may()` has already checked
that the user is signed in and active. The rules of the place that come with a message
(locked threads, suspensions, rate limits) are in actions.py."""

from typing import Any

from altto.accounts.roles import ADMIN, MODERATOR, has_role, rule
from altto.discussion.rules import has_verified_email


def is_moderator(user: Any) -> bool:
    return has_role(user, MODERATOR) or has_role(user, ADMIN)


@rule("post_in_forum")
def _post_in_forum(user: Any, obj: Any) -> bool:
    return has_verified_email(user)


@rule("edit_post")
def _edit_post(user: Any, post: Any) -> bool:
    return post.author_id == user.pk and post.status in {"visible", "held"}


@rule("delete_post")
def _delete_post(user: Any, post: Any) -> bool:
    """Authors delete their own words; a question others have answered stays (its answers
    would lose their sense), as on Stack Overflow. Moderators hide rather than delete."""
    if post.status == "deleted" or post.author_id != user.pk:
        return False
    return not (post.is_opening and post.thread.reply_count > 0)


@rule("see_post_history")
def _see_post_history(user: Any, post: Any) -> bool:
    return post.author_id == user.pk or is_moderator(user)


@rule("vote_post")
def _vote_post(user: Any, post: Any) -> bool:
    return has_verified_email(user) and post.author_id != user.pk


@rule("flag_post")
def _flag_post(user: Any, post: Any) -> bool:
    return has_verified_email(user) and post.author_id != user.pk


@rule("accept_answer")
def _accept_answer(user: Any, thread: Any) -> bool:
    return thread.kind == "question" and (thread.author_id == user.pk or is_moderator(user))


@rule("moderate_forum")
def _moderate_forum(user: Any, obj: Any) -> bool:
    return is_moderator(user)


@rule("edit_forum_categories")
def _edit_forum_categories(user: Any, obj: Any) -> bool:
    return has_role(user, ADMIN)
