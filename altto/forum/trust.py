"""The trust ladder: three steps, earned by posting kindly, explained on /forum/trust/.

- **New** (until 2 posts are approved): posts wait for a moderator; at most 2 links a post;
  2 posts a minute, 10 a day.
- **Member** (2 approved posts): posts appear at once; 4 a minute, 50 a day.
- **Trusted** (10 approved posts and 30 days since joining): 8 a minute, 200 a day; their
  flags count towards hiding a post until a moderator looks (FLAGS_TO_HIDE).

Moderators and admins stand above the ladder. A suspended member cannot post, vote or flag
until the suspension ends. Simpler than Discourse's five levels on purpose: a member can read
in one line what the next step needs.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from altto.accounts.roles import ADMIN, MODERATOR, has_role

NEW, MEMBER, TRUSTED, MODERATOR_LEVEL = 0, 1, 2, 3
APPROVALS_TO_MEMBER = 2
APPROVALS_TO_TRUSTED = 10
DAYS_TO_TRUSTED = 30
NEW_MEMBER_LINKS = 2
FLAGS_TO_HIDE = 2  # flags from trusted members (or moderators) that hide a post

LABELS = {
    NEW: _("New member"),
    MEMBER: _("Member"),
    TRUSTED: _("Trusted member"),
    MODERATOR_LEVEL: _("Moderator"),
}


@dataclass(frozen=True)
class Limits:
    per_minute: int
    per_day: int


LIMITS = {
    NEW: Limits(per_minute=2, per_day=10),
    MEMBER: Limits(per_minute=4, per_day=50),
    TRUSTED: Limits(per_minute=8, per_day=200),
    MODERATOR_LEVEL: Limits(per_minute=30, per_day=1000),
}


def standing_of(user):
    """The member's Standing row (created on first need), remembered on the user."""
    from altto.forum.models import Standing

    cached = getattr(user, "_forum_standing", None)
    if cached is None:
        cached = Standing.objects.get_or_create(user=user)[0]
        user._forum_standing = cached
    return cached


def level_of(user, standing=None) -> int:
    if has_role(user, MODERATOR) or has_role(user, ADMIN):
        return MODERATOR_LEVEL
    standing = standing or standing_of(user)
    if standing.approved_posts < APPROVALS_TO_MEMBER:
        return NEW
    old_enough = user.date_joined <= timezone.now() - timedelta(days=DAYS_TO_TRUSTED)
    if standing.approved_posts >= APPROVALS_TO_TRUSTED and old_enough:
        return TRUSTED
    return MEMBER


def is_suspended(user, standing=None) -> bool:
    standing = standing or standing_of(user)
    return standing.suspended_until is not None and standing.suspended_until > timezone.now()


def next_step(user, standing=None) -> str:
    """What the member needs for the next step, in one sentence."""
    from django.utils.translation import gettext, ngettext

    standing = standing or standing_of(user)
    level = level_of(user, standing)
    if level == NEW:
        left = APPROVALS_TO_MEMBER - standing.approved_posts
        return ngettext(
            "%(count)s more approved post and your posts appear without waiting.",
            "%(count)s more approved posts and your posts appear without waiting.",
            left,
        ) % {"count": left}
    if level == MEMBER:
        return gettext(
            "Trusted members have %(posts)s approved posts and joined %(days)s days ago."
        ) % {"posts": APPROVALS_TO_TRUSTED, "days": DAYS_TO_TRUSTED}
    return ""
