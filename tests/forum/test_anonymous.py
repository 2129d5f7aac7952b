"""Anonymous posting: members never learn who asked, wherever they look; moderators do."""

import pytest

from altto.forum.models import Post, Thread
from altto.notifications.models import Notification
from tests.forum.helpers import html, make_member, promote, reply, thread_url

pytestmark = pytest.mark.django_db

TITLE = "Is it normal that my JTE never speaks to me?"
BODY = "I feel a bit lost and do not want my school to recognise me."
REPLY = "Thank you all, I will try talking to the vice principal."
SECRETS = ("kazuko", "whitfield")  # the asker's username and display name, lower-cased


def assert_nothing_gives_the_asker_away(text: str, where: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret not in lowered, f"{secret!r} appears in {where}"


@pytest.fixture
def asker(db):
    return make_member("kazuko", display_name="Kazuko Whitfield")


@pytest.fixture
def story(client, asker, contributor, django_capture_on_commit_callbacks):
    """Kazuko asks anonymously (Priya follows the category), Ren answers, Kazuko replies."""
    priya = promote(contributor)
    client.force_login(priya)
    client.post("/forum/lesson-ideas/follow/")
    client.force_login(asker)
    data = {"category": "lesson-ideas", "kind": "question", "title": TITLE, "body": BODY,
            "anonymous": "on"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/forum/new/", data)
    assert response.status_code == 302
    thread = Thread.objects.get(title=TITLE)
    ren = make_member("ren", display_name="Ren")
    with django_capture_on_commit_callbacks(execute=True):
        reply(ren, thread, "Many JTEs are shy at first; try small talk about lunch.")
    client.force_login(asker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{thread.pk}/reply/", {"body": REPLY + " Thanks @priya too."})
    client.logout()
    return {"thread": thread, "priya": priya, "ren": ren}


def test_the_thread_and_the_askers_reply_are_anonymous(asker, story):
    thread = story["thread"]
    assert thread.is_anonymous
    own_reply = Post.objects.get(thread=thread, author=asker, is_opening=False)
    assert own_reply.is_anonymous
    assert not Post.objects.get(author=story["ren"]).is_anonymous


@pytest.mark.parametrize("viewer", ["visitor", "member", "ren"])
def test_members_never_see_who_asked(client, asker, story, viewer, new_alt):
    thread = story["thread"]
    if viewer == "member":
        client.force_login(new_alt)
    elif viewer == "ren":
        client.force_login(story["ren"])
    page = client.get(thread_url(thread))
    assert BODY in html(page) and REPLY in html(page)
    assert "Anonymous member" in html(page)
    assert_nothing_gives_the_asker_away(html(page), "the thread page")
    for url in ["/", "/forum/", "/forum/all/", "/forum/lesson-ideas/", "/forum/all/?show=solved",
                "/forum/lesson-ideas/?sort=new"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        assert_nothing_gives_the_asker_away(html(response), url)
    assert TITLE in html(client.get("/forum/all/"))
    for post in Post.objects.filter(author=asker):
        permalink = client.get(f"/forum/p/{post.pk}/", follow=True)
        assert permalink.status_code == 200
        assert_nothing_gives_the_asker_away(html(permalink), f"the permalink of {post}")
        quoted = client.get(thread_url(thread), {"quote": post.pk})
        assert_nothing_gives_the_asker_away(html(quoted), "a quote of the anonymous post")


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_the_askers_profile_does_not_list_anonymous_posts(client, asker, story, viewer, new_alt):
    if viewer == "member":
        client.force_login(new_alt)
    profile = client.get("/u/kazuko/")
    assert profile.status_code == 200
    page = html(profile)
    assert TITLE not in page
    assert "do not want my school" not in page
    assert REPLY not in page
    assert f"/forum/t/{story['thread'].pk}-" not in page


def test_notifications_do_not_name_the_asker(asker, story):
    priya, ren = story["priya"], story["ren"]
    new_thread = Notification.objects.get(user=priya, kind="forum_new_thread_anon")
    replies = Notification.objects.filter(user=ren, kind="forum_reply_anon")
    mention = Notification.objects.get(user=priya, kind="forum_mention_anon")
    assert replies.count() == 1
    assert not Notification.objects.filter(kind__in=["forum_new_thread", "forum_mention"]).exists()
    assert not Notification.objects.filter(user=ren, kind="forum_reply").exists()
    for note in [new_thread, mention, *replies]:
        assert_nothing_gives_the_asker_away(str(note.params), f"the params of {note}")
        assert_nothing_gives_the_asker_away(note.message(), f"the message of {note}")
        assert TITLE in note.message()
    # Ren's (named) reply still names Ren to the asker.
    named = Notification.objects.get(user=asker, kind="forum_reply_to_you")
    assert named.params["actor"] == "Ren"


def test_notification_pages_do_not_name_the_asker(client, story):
    client.force_login(story["ren"])
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert "An anonymous member replied in" in html(response)
    assert_nothing_gives_the_asker_away(html(response), "the notifications page")


def test_moderators_see_who_asked(client, moderator, story):
    client.force_login(moderator)
    page = html(client.get(thread_url(story["thread"])))
    assert "Kazuko Whitfield" in page
    assert "anonymous to members" in page
    assert 'href="/u/kazuko/"' in page


def test_a_named_thread_shows_its_author(client, asker, new_alt):
    from tests.forum.helpers import start

    thread = start(asker, title="Which textbook does your school use?")
    client.force_login(new_alt)
    page = html(client.get(thread_url(thread)))
    assert "Kazuko Whitfield" in page
    assert "Kazuko Whitfield" in html(client.get("/forum/all/"))
