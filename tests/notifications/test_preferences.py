"""Notification preferences (/me/settings/ → Notifications by email), quiet hours in Japan
time with a controlled clock, and watches that expire."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from altto.notifications import delivery
from altto.notifications.actions import is_watching, watch, watchers_of
from altto.notifications.delivery import (
    DAILY,
    GROUPS,
    IMMEDIATE,
    WEEKLY,
    delivery_for,
    digest_due,
    last_digest_time,
    send_after,
)
from altto.notifications.models import MESSAGES, DeliverySettings, Notification, Preference, Watch
from altto.notifications.queries import watch_state
from altto.revisions.actions import record_revision

pytestmark = pytest.mark.django_db

JAPAN = ZoneInfo("Asia/Tokyo")
SETTINGS = "/me/settings/"


def japan(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """A controlled clock: 2026-03-<day> hour:minute in Japan (2 March 2026 is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=JAPAN)


def form_data(**overrides) -> dict:
    """What the notifications form posts when nothing is changed (the defaults)."""
    data = {"form": "notifications", "quiet_start": "", "quiet_end": ""}
    data.update({f"group_{group}": default for group, (_l, _k, default) in GROUPS.items()})
    data.update(overrides)
    return data


def quiet(user, start: str | None, end: str | None) -> None:
    DeliverySettings.objects.update_or_create(
        user=user,
        defaults={
            "quiet_start": time.fromisoformat(start) if start else None,
            "quiet_end": time.fromisoformat(end) if end else None,
        },
    )


# --- defaults ---------------------------------------------------------------------------


def test_every_kind_the_site_sends_belongs_to_one_group():
    grouped = [kind for _label, kinds, _default in GROUPS.values() for kind in kinds]
    assert len(grouped) == len(set(grouped))
    assert set(MESSAGES) <= set(grouped)


@pytest.mark.parametrize(
    ("group", "expected"),
    [(group, IMMEDIATE if group in {"mentions", "replies_to_me"} else WEEKLY) for group in GROUPS],
)
def test_defaults_are_weekly_except_mentions_and_replies_to_me(new_alt, group, expected):
    assert GROUPS[group][2] == expected
    for kind in GROUPS[group][1]:
        assert delivery_for(new_alt, kind) == expected, kind


def test_unknown_kinds_go_in_the_weekly_digest(new_alt):
    assert delivery_for(new_alt, "something_new") == WEEKLY


def test_delivery_for_costs_one_query_or_none_with_preloaded_choices(
    new_alt, contributor, django_assert_num_queries
):
    Preference.objects.create(user=new_alt, group="blog", delivery="app")
    with django_assert_num_queries(1):
        assert delivery_for(new_alt, "blog_published") == "app"
    with django_assert_num_queries(1):
        prefs = delivery.preferences_of([new_alt.pk, contributor.pk])
    with django_assert_num_queries(0):
        assert delivery_for(new_alt, "blog_published", prefs[new_alt.pk]) == "app"
        assert delivery_for(contributor, "blog_published", prefs[contributor.pk]) == WEEKLY
        assert delivery_for(new_alt, "forum_mention", prefs[new_alt.pk]) == IMMEDIATE


def test_a_stored_value_that_is_no_longer_a_choice_falls_back_to_the_default(new_alt):
    Preference.objects.create(user=new_alt, group="mentions", delivery="hourly")
    assert delivery_for(new_alt, "forum_mention") == IMMEDIATE


# --- the settings form ------------------------------------------------------------------


def test_the_settings_page_shows_one_select_per_group_with_the_defaults(client, new_alt):
    client.force_login(new_alt)
    html = client.get(SETTINGS).content.decode()
    assert 'id="notifications"' in html
    assert 'name="form" value="notifications"' in html
    for group, (label, _kinds, _default) in GROUPS.items():
        assert f'<label for="id_group_{group}">{label}</label>' in html
        assert f'<select name="group_{group}"' in html
    for option in (
        "In the app only",
        "Right away by email",
        "Daily email digest",
        "Weekly email digest",
    ):
        assert option in html
    assert '<option value="immediate" selected>Right away by email</option>' in html
    assert '<option value="weekly" selected>Weekly email digest</option>' in html
    assert 'type="time" name="quiet_start"' in html
    assert "Save notification settings" in html
    assert "Save profile" in html  # the profile form is still there


@pytest.mark.parametrize("choice", ["app", "immediate", "daily", "weekly"])
@pytest.mark.parametrize("group", list(GROUPS))
def test_a_saved_preference_applies_to_every_kind_of_its_group(client, new_alt, group, choice):
    client.force_login(new_alt)
    response = client.post(SETTINGS, form_data(**{f"group_{group}": choice}))
    assert response.status_code == 302
    assert response["Location"] == "/me/settings/#notifications"
    for kind in GROUPS[group][1]:
        assert delivery_for(new_alt, kind) == choice, kind
    # the other groups keep their defaults
    for other, (_label, kinds, default) in GROUPS.items():
        if other != group:
            assert delivery_for(new_alt, kinds[0]) == default


def test_only_choices_that_differ_from_the_default_are_stored(client, new_alt):
    client.force_login(new_alt)
    client.post(SETTINGS, form_data(group_mentions="app", group_blog=DAILY))
    assert dict(Preference.objects.values_list("group", "delivery")) == {
        "mentions": "app",
        "blog": DAILY,
    }
    client.post(SETTINGS, form_data(group_blog=DAILY))  # mentions back to its default
    assert dict(Preference.objects.values_list("group", "delivery")) == {"blog": DAILY}
    html = client.get(SETTINGS).content.decode()
    assert '<option value="daily" selected>Daily email digest</option>' in html


def test_saving_notifications_leaves_the_profile_alone_and_the_profile_form_still_works(
    client, new_alt
):
    client.force_login(new_alt)
    client.post(SETTINGS, form_data(group_blog="app", display_name="Not This"))
    new_alt.refresh_from_db()
    assert new_alt.display_name == "Sam"
    response = client.post(SETTINGS, {"display_name": "Sam S.", "preferred_language": "en"})
    assert response.status_code == 302
    new_alt.refresh_from_db()
    assert new_alt.display_name == "Sam S."
    assert delivery_for(new_alt, "blog_published") == "app"  # untouched by the profile form


def test_quiet_hours_are_saved_and_cleared(client, new_alt):
    client.force_login(new_alt)
    client.post(SETTINGS, form_data(quiet_start="22:00", quiet_end="07:00"))
    assert DeliverySettings.objects.get(user=new_alt).quiet_start == time(22)
    html = client.get(SETTINGS).content.decode()
    assert 'value="22:00"' in html and 'value="07:00"' in html
    client.post(SETTINGS, form_data())
    assert not DeliverySettings.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("22:00", "", "Give both a start and an end for quiet hours, or leave both empty."),
        ("", "07:00", "Give both a start and an end for quiet hours, or leave both empty."),
        ("07:00", "07:00", "Quiet hours must start and end at different times."),
        ("25:00", "07:00", "Enter a valid time."),
        ("<script>", "07:00", "Enter a valid time."),
    ],
)
def test_quiet_hours_need_both_ends(client, new_alt, start, end, message):
    client.force_login(new_alt)
    response = client.post(SETTINGS, form_data(quiet_start=start, quiet_end=end, group_blog="app"))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Please correct the errors below." in html
    assert "<script>" not in html.split('id="notifications"')[1]
    assert not DeliverySettings.objects.exists()
    assert not Preference.objects.exists()  # nothing half-saved


def test_a_group_left_out_of_the_post_keeps_its_current_choice(client, new_alt):
    Preference.objects.create(user=new_alt, group="blog", delivery="app")
    client.force_login(new_alt)
    data = form_data(group_mentions=DAILY)
    del data["group_blog"], data["group_replies_to_me"]
    assert client.post(SETTINGS, data).status_code == 302
    assert delivery_for(new_alt, "blog_published") == "app"
    assert delivery_for(new_alt, "forum_reply_to_you") == IMMEDIATE
    assert delivery_for(new_alt, "forum_mention") == DAILY


def test_an_unknown_delivery_is_refused(client, new_alt):
    client.force_login(new_alt)
    response = client.post(SETTINGS, form_data(group_mentions="hourly"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Preference.objects.exists()


def test_the_settings_page_costs_the_same_queries_with_or_without_preferences(
    client, new_alt, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(new_alt)
    client.get(SETTINGS)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as before:
        assert client.get(SETTINGS).status_code == 200
    for group in GROUPS:
        Preference.objects.create(user=new_alt, group=group, delivery="app")
    quiet(new_alt, "22:00", "07:00")
    with CaptureQueriesContext(connection) as after:
        assert client.get(SETTINGS).status_code == 200
    assert len(after) == len(before)
    with django_assert_max_num_queries(len(before) + 6):  # saving every group: bounded too
        client.post(
            SETTINGS,
            form_data(
                **{f"group_{group}": DAILY for group in GROUPS},
                quiet_start="23:00",
                quiet_end="06:30",
            ),
        )
    assert Preference.objects.filter(user=new_alt, delivery=DAILY).count() == len(GROUPS)


# --- who may ----------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(SETTINGS, form_data(group_mentions="app"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Preference.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["new_alt", "contributor", "editor", "blog_editor", "moderator", "site_admin", "outsider"],
)
def test_every_member_sets_their_own_preferences_only(client, request, persona, new_alt):
    member = request.getfixturevalue(persona)
    client.force_login(member)
    assert 'id="notifications"' in client.get(SETTINGS).content.decode()
    client.post(SETTINGS, form_data(group_replies="app", user=str(new_alt.pk)))
    assert delivery_for(member, "forum_reply") == "app"
    if member != new_alt:
        assert delivery_for(new_alt, "forum_reply") == WEEKLY


# --- quiet hours with a controlled clock --------------------------------------------------


def test_without_quiet_hours_emails_go_now(new_alt):
    now = japan(3)
    assert send_after(new_alt, now) == now


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (japan(12), japan(12)),  # outside
        (japan(21, 59), japan(21, 59)),  # a minute before
        (japan(22), japan(7, day=3)),  # start exactly: quiet
        (japan(23, 30), japan(7, day=3)),  # before midnight: until tomorrow morning
        (japan(0, 0), japan(7)),  # across midnight
        (japan(6, 59), japan(7)),
        (japan(7), japan(7)),  # end exactly: no longer quiet
        (japan(7, 1), japan(7, 1)),
    ],
)
def test_quiet_hours_across_midnight(new_alt, now, expected):
    quiet(new_alt, "22:00", "07:00")
    assert send_after(new_alt, now) == expected
    assert send_after(new_alt, now).tzinfo is not None


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (japan(12, 59), japan(12, 59)),
        (japan(13), japan(14, 30)),
        (japan(14, 29), japan(14, 30)),
        (japan(14, 30), japan(14, 30)),  # end exactly
        (japan(23), japan(23)),
    ],
)
def test_quiet_hours_within_one_day(new_alt, now, expected):
    quiet(new_alt, "13:00", "14:30")
    assert send_after(new_alt, now) == expected


def test_quiet_hours_are_japan_time_whatever_the_clock_says(new_alt):
    quiet(new_alt, "22:00", "07:00")
    # 14:00 UTC is 23:00 in Japan: quiet until 07:00 JST = 22:00 UTC
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert send_after(new_alt, now) == datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    assert send_after(new_alt, datetime(2026, 3, 2, 3, 0, tzinfo=UTC)) == datetime(
        2026, 3, 2, 3, 0, tzinfo=UTC
    )  # 12:00 in Japan


def test_send_after_with_preloaded_quiet_hours_costs_nothing(new_alt, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert send_after(new_alt, japan(23), quiet=(time(22), time(7))) == japan(7, day=3)


def test_digests_go_out_at_eight_in_japan_daily_and_on_mondays(new_alt):
    # 2 March 2026 is a Monday
    assert last_digest_time(DAILY, japan(9, day=4)) == japan(8, day=4)
    assert last_digest_time(DAILY, japan(7, day=4)) == japan(8, day=3)
    assert last_digest_time(WEEKLY, japan(9, day=4)) == japan(8, day=2)
    assert last_digest_time(WEEKLY, japan(7, day=2)) == japan(8, day=2) - timedelta(days=7)
    assert digest_due(new_alt, DAILY, japan(9, day=4), last_sent=None)
    assert not digest_due(new_alt, DAILY, japan(9, day=4), last_sent=japan(8, 1, day=4))
    assert digest_due(new_alt, DAILY, japan(9, day=4), last_sent=japan(8, 1, day=3))
    quiet(new_alt, "06:00", "10:00")
    assert not digest_due(new_alt, DAILY, japan(9, day=4))  # waits for quiet hours to end
    assert digest_due(new_alt, DAILY, japan(10, day=4))


# --- watches with an expiry -------------------------------------------------------------


def test_expired_watches_are_ignored_by_watchers_of(new_alt, contributor, editor, lesson, module):
    now = timezone.now()
    watch(new_alt, lesson, until=now - timedelta(seconds=1))
    watch(contributor, lesson, until=now + timedelta(days=3))
    watch(editor, lesson)  # until they stop
    assert {u.username for u in watchers_of(lesson)} == {contributor.username, editor.username}
    assert not is_watching(new_alt, lesson)
    assert watch_state(new_alt, lesson) == {lesson: False}
    # a live watch on another target still counts
    watch(new_alt, module)
    assert new_alt in watchers_of(lesson, module)


def test_nobody_is_notified_through_an_expired_watch(
    new_alt, editor, module, lesson, django_capture_on_commit_callbacks
):
    watch(new_alt, lesson, until=timezone.now() - timedelta(minutes=1))
    text = lesson.texts.get(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        record_revision(
            text,
            kind="edit",
            summary="Tidy",
            author=editor,
            data={**text.revision_data(), "body": "New body."},
        )
    assert not Notification.objects.exists()


def test_watching_for_30_days_from_the_button(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(f"/watch/lesson/{lesson.pk}/", {"watch": "1", "for": "30"}, follow=True)
    assert "You are watching this for 30 days." in response.content.decode()
    expires = Watch.objects.get().expires_at
    assert timedelta(days=29, hours=23) < expires - timezone.now() <= timedelta(days=30)
    # choosing "until I stop" later removes the expiry
    client.post(f"/watch/lesson/{lesson.pk}/", {"watch": "1", "for": ""})
    assert Watch.objects.get().expires_at is None


def test_the_button_offers_how_long_only_before_watching(client, new_alt, lesson):
    client.force_login(new_alt)
    fragment = client.post(
        f"/watch/lesson/{lesson.pk}/", {"watch": "0"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'<label for="watch-for-lesson-{lesson.pk}"' in fragment
    assert '<option value="30">for 30 days</option>' in fragment
    fragment = client.post(
        f"/watch/lesson/{lesson.pk}/", {"watch": "1", "for": "30"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "for 30 days" not in fragment
    assert "Stop watching this lesson" in fragment


def test_an_unknown_duration_means_until_i_stop(client, new_alt, lesson):
    client.force_login(new_alt)
    client.post(f"/watch/lesson/{lesson.pk}/", {"watch": "1", "for": "99999"})
    assert Watch.objects.get().expires_at is None


def test_an_automatic_watch_keeps_a_live_expiry_and_revives_an_expired_one(new_alt, lesson):
    soon = timezone.now() + timedelta(days=2)
    watch(new_alt, lesson, until=soon)
    watch(new_alt, lesson)  # e.g. the site watching on the member's behalf
    assert Watch.objects.get().expires_at == soon
    Watch.objects.update(expires_at=timezone.now() - timedelta(days=1))
    watch(new_alt, lesson)
    assert Watch.objects.get().expires_at is None
    assert is_watching(new_alt, lesson)
