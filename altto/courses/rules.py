"""Who may do what in the course (see altto/accounts/roles.py)."""

from altto.accounts.roles import ADMIN, EDITOR, has_role, rule


@rule("author_course")
def _author_course(user, obj) -> bool:
    return has_role(user, EDITOR) or has_role(user, ADMIN)


@rule("download_certificate")
def _download_certificate(user, certificate) -> bool:
    return certificate.user_id == user.pk
