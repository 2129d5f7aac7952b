"""Who may do what in a lesson's discussion (see altto/accounts/roles.py).

`may()` has already checked that the user is signed in and active before any rule runs.
"""

from typing import Any

from allauth.account.models import EmailAddress

from altto.accounts.roles import ADMIN, MODERATOR, has_role, rule


def has_verified_email(user: Any) -> bool:
    """Does this member hold a verified email address? One query, then remembered on the
    user object for the rest of the request (a thread asks once per comment)."""
    known = getattr(user, "_has_verified_email", None)
    if known is None:
        known = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
        user._has_verified_email = known
    return known


def _is_moderator(user: Any) -> bool:
    return has_role(user, MODERATOR) or has_role(user, ADMIN)


@rule("post_comment")
def _post_comment(user: Any, lesson: Any) -> bool:
    return has_verified_email(user)


@rule("edit_comment")
def _edit_comment(user: Any, comment: Any) -> bool:
    return comment.author_id == user.pk and not comment.is_removed


@rule("report_comment")
def _report_comment(user: Any, comment: Any) -> bool:
    return comment.author_id != user.pk and not comment.is_removed and has_verified_email(user)


@rule("remove_comment")
def _remove_comment(user: Any, comment: Any) -> bool:
    return _is_moderator(user)


@rule("see_reports")
def _see_reports(user: Any, obj: Any) -> bool:
    return _is_moderator(user)


@rule("see_comment_history")
def _see_comment_history(user: Any, comment: Any) -> bool:
    return comment.author_id == user.pk or _is_moderator(user)
