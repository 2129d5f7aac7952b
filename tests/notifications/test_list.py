"""The member's notifications: read without side effects, opened one by one, or all at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from altto.notifications.models import Notification
from tests.notifications.factories import send
from tests.test_pages import ScriptAndStyleFinder

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_anonymous_posts_are_sent_to_log_in_and_back_to_the_list(client, new_alt):
    send(new_alt)
    notification = Notification.objects.get()
    for url in ("/notifications/read/", f"/notifications/{notification.pk}/open/"):
        response = client.post(url)
        assert response["Location"] == "/accounts/login/?next=/notifications/"
    assert Notification.objects.get().read_at is None


def test_it_lists_only_the_members_own_notifications_newest_first(client, new_alt, contributor):
    send(new_alt, 2, title="Greetings")
    send(contributor, title="Someone else's lesson")
    client.force_login(new_alt)
    page = client.get("/notifications/").content.decode()
    assert "Someone else" not in page
    assert page.index("“Greetings” was updated: Change 2") < page.index(
        "“Greetings” was updated: Change 1"
    )


def test_opening_the_list_marks_nothing_read(client, new_alt):
    send(new_alt, 3)
    client.force_login(new_alt)
    page = client.get("/notifications/").content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 3
    assert page.count('<span class="tag">New</span>') == 3  # in words, not colour alone
    assert "Mark all as read" in page


def test_read_notifications_link_straight_to_their_page(client, new_alt):
    send(new_alt, url="/modules/team-teaching/planning/")
    client.force_login(new_alt)
    client.post(f"/notifications/{Notification.objects.get().pk}/open/")
    page = client.get("/notifications/").content.decode()
    assert '<a href="/modules/team-teaching/planning/">“Planning” was updated: Change 1</a>' in page
    assert '<span class="tag">New</span>' not in page
    assert "Mark all as read" not in page


def test_the_list_has_no_inline_scripts_or_styles(client, new_alt):
    send(new_alt, 2)
    client.force_login(new_alt)
    finder = ScriptAndStyleFinder()
    finder.feed(client.get("/notifications/").content.decode())
    assert (finder.inline_scripts, finder.inline_styles) == (0, 0)


def test_an_empty_list_says_how_to_get_notified(client, new_alt):
    client.force_login(new_alt)
    page = client.get("/notifications/").content.decode()
    assert "No notifications yet." in page
    assert "Mark all as read" not in page


def test_the_list_shows_30_a_page(client, new_alt):
    send(new_alt, 40)
    client.force_login(new_alt)
    first = client.get("/notifications/").content.decode()
    assert first.count("was updated") == 30
    assert "Change 40" in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count("was updated") == 10
    assert "Change 1<" in second
    assert 'href="?page=1" rel="prev"' in second


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_runs_a_fixed_number_of_queries(client, new_alt, count, django_assert_num_queries):
    send(new_alt, count)
    client.force_login(new_alt)
    # session, user (with its unread counter, for the header), count of notifications (for the
    # pages), this page of notifications, the member's roles (header links)
    with django_assert_num_queries(5):
        assert client.get("/notifications/").status_code == 200


def test_opening_one_marks_it_read_and_goes_to_its_page(client, new_alt):
    send(new_alt, 2, url="/modules/team-teaching/planning/")
    opened, other = Notification.objects.order_by("pk")
    client.force_login(new_alt)
    response = client.post(f"/notifications/{opened.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/modules/team-teaching/planning/"
    opened.refresh_from_db()
    other.refresh_from_db()
    assert opened.read_at is not None
    assert other.read_at is None
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 1


def test_opening_a_read_one_again_does_not_count_down_twice(client, new_alt):
    send(new_alt, 2)
    opened = Notification.objects.order_by("pk").first()
    client.force_login(new_alt)
    client.post(f"/notifications/{opened.pk}/open/")
    client.post(f"/notifications/{opened.pk}/open/")
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 1


def test_the_counter_never_goes_below_zero(client, new_alt):
    send(new_alt)
    new_alt.__class__.objects.filter(pk=new_alt.pk).update(unread_notifications=0)
    client.force_login(new_alt)
    client.post(f"/notifications/{Notification.objects.get().pk}/open/")
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 0


def test_opening_someone_elses_notification_is_404(client, new_alt, contributor):
    send(contributor)
    theirs = Notification.objects.get()
    client.force_login(new_alt)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_is_post_only(client, new_alt):
    send(new_alt)
    client.force_login(new_alt)
    assert client.get(f"/notifications/{Notification.objects.get().pk}/open/").status_code == 405
    assert Notification.objects.get().read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:x"]
)
def test_a_stored_url_off_the_site_goes_to_the_list_instead(client, new_alt, url):
    send(new_alt, url=url)
    client.force_login(new_alt)
    response = client.post(f"/notifications/{Notification.objects.get().pk}/open/")
    assert response["Location"] == "/notifications/"
    page = client.get("/notifications/").content.decode()
    assert "evil.example" not in page
    assert "javascript:" not in page


def test_mark_all_read_reads_only_the_members_own(client, new_alt, contributor):
    send(new_alt, 3)
    send(contributor, 2)
    client.force_login(new_alt)
    response = client.post("/notifications/read/", follow=True)
    assert response.redirect_chain == [("/notifications/", 302)]
    assert "All your notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=new_alt, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=contributor, read_at__isnull=True).count() == 2
    new_alt.refresh_from_db()
    contributor.refresh_from_db()
    assert (new_alt.unread_notifications, contributor.unread_notifications) == (0, 2)


def test_the_header_shows_the_unread_count(client, new_alt):
    send(new_alt, 3)
    client.force_login(new_alt)
    page = client.get("/u/sam/").content.decode()
    assert (
        '<a href="/notifications/">Notifications (3<span class="visually-hidden"> unread</span>)'
        "</a>" in page
    )
    assert page.index("My learning") < page.index("Notifications (3") < page.index(">Sam</a>")


def test_the_header_shows_no_count_when_all_are_read(client, new_alt):
    client.force_login(new_alt)
    page = client.get("/u/sam/").content.decode()
    assert '<a href="/notifications/">Notifications</a>' in page


def test_visitors_see_no_notifications_link(client, db):
    assert "/notifications/" not in client.get("/").content.decode()


def test_the_header_count_costs_no_query(client, new_alt):
    """The counter is a column of the user row the session already loads: a page runs the
    same queries with 0 and with 5 unread (session, user, then the page's own)."""
    client.force_login(new_alt)
    with CaptureQueriesContext(connection) as none_unread:
        assert "Notifications (" not in client.get("/u/sam/").content.decode()
    send(new_alt, 5)
    with CaptureQueriesContext(connection) as five_unread:
        assert "Notifications (5" in client.get("/u/sam/").content.decode()
    assert len(five_unread) == len(none_unread)
