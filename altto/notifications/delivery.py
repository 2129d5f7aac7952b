"""How and when each member hears about each kind of notification by email.

Kinds are grouped (GROUPS); a member picks one delivery per group (Preference), else the
group's default applies: a weekly digest, except mentions and replies to the member's own
threads, which are emailed right away. "app" means in-app only (no email).

Quiet hours (DeliverySettings) are in Japan time and may cross midnight (22:00–07:00):
an immediate email due inside them waits until they end (send_after). Digests go out at
DIGEST_HOUR Japan time, daily, or on Mondays for the weekly one (digest_due).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

JAPAN = ZoneInfo("Asia/Tokyo")

APP, IMMEDIATE, DAILY, WEEKLY = "app", "immediate", "daily", "weekly"
DELIVERIES = [
    (APP, _("In the app only")),
    (IMMEDIATE, _("Right away by email")),
    (DAILY, _("Daily email digest")),
    (WEEKLY, _("Weekly email digest")),
]
DELIVERY_VALUES = frozenset(value for value, _label in DELIVERIES)
DEFAULT_DELIVERY = WEEKLY  # for kinds not in any group

# group → (label, kinds, default delivery). Ordered as shown on the settings page.
# Defaults follow the issue: weekly digest, immediate only for mentions and replies to me.
GROUPS: dict[str, tuple] = {
    "mentions": (
        _("Someone mentions me"),
        ["forum_mention", "forum_mention_anon"],
        IMMEDIATE,
    ),
    "replies_to_me": (
        _("Replies to my threads"),
        ["forum_reply_to_you", "forum_reply_to_you_anon"],
        IMMEDIATE,
    ),
    "replies": (
        _("Replies and new threads in what I follow"),
        ["forum_reply", "forum_reply_anon", "forum_new_thread", "forum_new_thread_anon"],
        WEEKLY,
    ),
    "answers": (
        _("My answer is accepted"),
        ["forum_answer_accepted"],
        WEEKLY,
    ),
    "watched": (
        _("Lessons I watch are updated"),
        ["revision_published"],
        WEEKLY,
    ),
    "proposals": (
        _("Decisions on my proposals and notes"),
        ["proposal_approved", "proposal_rejected", "proposal_changes", "outdated_dismissed"],
        WEEKLY,
    ),
    "writing": (
        _("Writing for the blog (reviews, topics, pitches)"),
        [
            "blog_submitted",
            "blog_note",
            "blog_changes_requested",
            "blog_scheduled",
            "blog_unpublished",
            "blog_live",
            "blog_pitch",
            "blog_topic_assigned",
            "blog_pitch_not_chosen",
        ],
        WEEKLY,
    ),
    "blog": (
        _("New blog posts"),
        ["blog_published"],
        WEEKLY,
    ),
    "library": (
        _("Library submissions and permissions"),
        [
            "submission_published",
            "submission_rejected",
            "permission_expired",
            "permission_expiring",
        ],
        WEEKLY,
    ),
    "moderation": (
        _("Moderation of my posts and comments"),
        ["forum_post_approved", "comment_held", "comment_approved", "forum_suspended"],
        WEEKLY,
    ),
    "certificates": (
        _("Certificates issued to me"),
        ["certificate_issued"],
        WEEKLY,
    ),
}

KIND_GROUP: dict[str, str] = {
    kind: group for group, (_l, kinds, _d) in GROUPS.items() for kind in kinds
}

DIGEST_HOUR = 8  # Japan time
WEEKLY_DIGEST_WEEKDAY = 0  # Monday


def group_of(kind: str) -> str | None:
    return KIND_GROUP.get(kind)


def default_for_group(group: str) -> str:
    return GROUPS[group][2] if group in GROUPS else DEFAULT_DELIVERY


def preferences_of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """{user_id: {group: delivery}} of saved choices (1 query) — for batches; pass one
    user's dict to delivery_for(prefs=…) to avoid a query per notification."""
    from altto.notifications.models import Preference

    result: dict[int, dict[str, str]] = {pk: {} for pk in user_ids}
    for user_id, group, delivery in Preference.objects.filter(user_id__in=list(result)).values_list(
        "user_id", "group", "delivery"
    ):
        result[user_id][group] = delivery
    return result


def deliveries(user, prefs: dict[str, str] | None = None) -> dict[str, str]:
    """Every group → the member's effective delivery (saved choice or default). 1 query
    unless prefs is given."""
    if prefs is None:
        prefs = preferences_of([user.pk])[user.pk]
    return {
        group: (prefs.get(group) if prefs.get(group) in DELIVERY_VALUES else default)
        for group, (_label, _kinds, default) in GROUPS.items()
    }


def delivery_for(user, kind: str, prefs: dict[str, str] | None = None) -> str:
    """ "app", "immediate", "daily" or "weekly" for this member and kind: the saved choice
    for the kind's group, else the group default; unknown kinds → "weekly".
    One query unless prefs ({group: delivery}, see preferences_of) is given."""
    group = KIND_GROUP.get(kind)
    if group is None:
        return DEFAULT_DELIVERY
    if prefs is None:
        from altto.notifications.models import Preference

        saved = (
            Preference.objects.filter(user_id=user.pk, group=group)
            .values_list("delivery", flat=True)
            .first()
        )
    else:
        saved = prefs.get(group)
    return saved if saved in DELIVERY_VALUES else GROUPS[group][2]


def set_delivery(user, group: str, delivery: str) -> None:
    """Save one group's choice (used by the settings form and by unsubscribe links)."""
    from altto.notifications.models import Preference

    if group not in GROUPS or delivery not in DELIVERY_VALUES:
        raise ValueError(f"unknown group or delivery: {group!r}, {delivery!r}")
    Preference.objects.update_or_create(user=user, group=group, defaults={"delivery": delivery})


def stop_all_email(user) -> None:
    """Every group becomes in-app only (what a one-click "unsubscribe from all" does)."""
    for group in GROUPS:
        set_delivery(user, group, APP)


# --- quiet hours -------------------------------------------------------------------------


def quiet_hours(user) -> tuple[time | None, time | None]:
    """(start, end) in Japan time, or (None, None). 1 query."""
    from altto.notifications.models import DeliverySettings

    row = (
        DeliverySettings.objects.filter(user_id=user.pk)
        .values_list("quiet_start", "quiet_end")
        .first()
    )
    return row if row else (None, None)


def quiet_until(start: time | None, end: time | None, now: datetime) -> datetime:
    """`now` if it is outside the quiet window [start, end) (Japan time; crosses midnight
    when start > end), else the moment the window ends. start == end or a missing bound
    means no quiet hours. Always an aware datetime in UTC."""
    now_utc = now.astimezone(UTC)
    if start is None or end is None or start == end:
        return now_utc
    local = now.astimezone(JAPAN)
    clock = local.time().replace(tzinfo=None)
    # start > end: the window crosses midnight
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return now_utc
    ends = datetime.combine(local.date(), end, tzinfo=JAPAN)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(UTC)


def send_after(user, now: datetime, quiet: tuple | None = None) -> datetime:
    """When an immediate email to this member may go: `now` outside their quiet hours,
    else the end of the quiet period. 1 query unless quiet=(start, end) is given."""
    start, end = quiet if quiet is not None else quiet_hours(user)
    return quiet_until(start, end, now)


# --- digests -----------------------------------------------------------------------------


def last_digest_time(period: str, now: datetime) -> datetime:
    """The most recent scheduled digest moment at or before `now` (UTC, aware): DIGEST_HOUR
    Japan time every day ("daily") or every Monday ("weekly")."""
    local = now.astimezone(JAPAN)
    slot = datetime.combine(local.date(), time(DIGEST_HOUR), tzinfo=JAPAN)
    if slot > local:
        slot -= timedelta(days=1)
    if period == WEEKLY:
        slot -= timedelta(days=(slot.weekday() - WEEKLY_DIGEST_WEEKDAY) % 7)
    elif period != DAILY:
        raise ValueError(f"unknown digest period: {period!r}")
    return slot.astimezone(UTC)


def digest_due(
    user,
    period: str,
    now: datetime,
    last_sent: datetime | None = None,
    quiet: tuple | None = None,
) -> bool:
    """Is this member's daily/weekly digest due at `now`? Yes when no digest of that
    period went out since the latest scheduled moment and `now` is outside quiet hours."""
    slot = last_digest_time(period, now)
    if last_sent is not None and last_sent >= slot:
        return False
    return send_after(user, now, quiet) <= now.astimezone(UTC)
