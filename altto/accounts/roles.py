"""Roles are Django groups. `may(user, action, obj)` is the one question views ask.

Each app registers the actions it guards with `@rule("action")`; a rule is a plain function
of (user, obj) that says yes or no. Unknown actions are a programming error, not a "no".
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

MEMBER = "member"
EDITOR = "editor"
BLOG_EDITOR = "blog editor"
MODERATOR = "moderator"
ADMIN = "admin"

ROLES = {
    MEMBER: _("Member"),
    EDITOR: _("Editor"),
    BLOG_EDITOR: _("Blog editor"),
    MODERATOR: _("Moderator"),
    ADMIN: _("Admin"),
}

# Django permissions each role's group holds ("app_label.codename"); apps add theirs here.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    MEMBER: set(),
    EDITOR: set(),
    BLOG_EDITOR: set(),
    MODERATOR: {"accounts.view_user"},
    ADMIN: {"accounts.view_user", "accounts.change_user"},
}

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[action] = func
        return func

    return register


def has_role(user: Any, role: str) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role in user.role_names


def holders(*roles: str):
    """Active members holding any of `roles` (superusers hold every role): who is told."""
    from django.db.models import Q

    from altto.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=roles) | Q(is_superuser=True))
        .distinct()
    )


def may(user: Any, action: str, obj: Any = None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RULES[action](user, obj)


@rule("edit_profile")
def _edit_profile(user: Any, profile_user: Any) -> bool:
    return user.pk == profile_user.pk or has_role(user, ADMIN)


@rule("see_member_email")
def _see_member_email(user: Any, profile_user: Any) -> bool:
    return user.pk == profile_user.pk or has_role(user, ADMIN) or has_role(user, MODERATOR)


@rule("moderate")
def _moderate(user: Any, obj: Any) -> bool:
    return has_role(user, MODERATOR) or has_role(user, ADMIN)


@rule("edit_content")
def _edit_content(user: Any, obj: Any) -> bool:
    return has_role(user, EDITOR) or has_role(user, ADMIN)


@rule("edit_blog")
def _edit_blog(user: Any, obj: Any) -> bool:
    return has_role(user, BLOG_EDITOR) or has_role(user, ADMIN)


def ensure_roles() -> None:
    """Create each role's group and give it exactly its permissions. Safe to re-run."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
