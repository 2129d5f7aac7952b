"""The trust ladder: levels, what each level may post and how fast, flags, suspensions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from altto.accounts.models import User
from altto.forum import actions, trust
from altto.forum.models import Flag, ModerationEntry, Post, Standing
from altto.notifications.models import Notification
from tests.conftest import make_user
from tests.forum.helpers import (
    flashes,
    html,
    make_member,
    make_trusted,
    opening,
    promote,
    reply,
    start,
    suspend,
    thread_url,
)

pytestmark = pytest.mark.django_db


def post_reply(client, thread, body: str):
    return client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})


# ---- levels --------------------------------------------------------------------------------


def test_levels_come_from_approved_posts_and_days(new_alt, moderator, site_admin):
    assert trust.level_of(new_alt) == trust.NEW
    assert trust.level_of(promote(new_alt, 1)) == trust.NEW
    assert trust.level_of(promote(new_alt, 2)) == trust.MEMBER
    # Ten approved posts are not enough without thirty days.
    assert trust.level_of(promote(new_alt, 10)) == trust.MEMBER
    User.objects.filter(pk=new_alt.pk).update(date_joined=timezone.now() - timedelta(days=29))
    assert trust.level_of(User.objects.get(pk=new_alt.pk)) == trust.MEMBER
    User.objects.filter(pk=new_alt.pk).update(date_joined=timezone.now() - timedelta(days=31))
    assert trust.level_of(User.objects.get(pk=new_alt.pk)) == trust.TRUSTED
    assert trust.level_of(make_trusted("tomo")) == trust.TRUSTED
    assert trust.level_of(moderator) == trust.MODERATOR_LEVEL
    assert trust.level_of(site_admin) == trust.MODERATOR_LEVEL


def test_trust_page_tells_a_member_their_level_and_next_step(client, new_alt):
    client.force_login(new_alt)
    page = html(client.get("/forum/trust/"))
    assert "New member" in page
    assert "2 more approved posts and your posts appear without waiting." in page
    client.force_login(promote(new_alt, 1))
    assert "1 more approved post and your posts appear" in html(client.get("/forum/trust/"))


def test_approving_two_posts_makes_a_member(
    client, new_alt, moderator, member, django_capture_on_commit_callbacks
):
    thread = start(member)
    first = reply(new_alt, thread, "My first post here.")
    second = reply(new_alt, thread, "My second post here.")
    assert {first.status, second.status} == {Post.Status.HELD}
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_post(first, moderator)
    assert trust.level_of(User.objects.get(pk=new_alt.pk)) == trust.NEW
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_post(second, moderator)
    sam = User.objects.get(pk=new_alt.pk)
    assert Standing.objects.get(user=sam).approved_posts == 2
    assert trust.level_of(sam) == trust.MEMBER
    assert Notification.objects.filter(user=sam, kind="forum_post_approved").count() == 2
    # Now Sam's words appear at once.
    client.force_login(sam)
    Post.objects.filter(author=sam).update(created_at=timezone.now() - timedelta(minutes=5))
    assert post_reply(client, thread, "Third post, no waiting.").status_code == 302
    assert Post.objects.get(body="Third post, no waiting.").status == Post.Status.VISIBLE
    client.force_login(member)
    assert "Third post, no waiting." in html(client.get(thread_url(thread)))


# ---- limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "per_minute"), [(trust.NEW, 2), (trust.MEMBER, 4), (trust.TRUSTED, 8)]
)
def test_per_minute_limit_answers_429_and_keeps_the_text(client, thread, level, per_minute):
    assert trust.LIMITS[level].per_minute == per_minute
    poster = {
        trust.NEW: lambda: make_user("nao"),
        trust.MEMBER: lambda: make_member("mo"),
        trust.TRUSTED: lambda: make_trusted("tomo"),
    }[level]()
    assert trust.level_of(poster) == level
    client.force_login(poster)
    for i in range(per_minute):
        assert post_reply(client, thread, f"Quick reply number {i}.").status_code == 302
    response = post_reply(client, thread, "One reply too many, typed with care.")
    assert response.status_code == 429
    page = html(response)
    assert "You are posting very fast. Please wait a minute and try again." in page
    assert "One reply too many, typed with care." in page
    assert Post.objects.filter(author=poster).count() == per_minute


def test_new_thread_is_limited_too(client, member):
    for i in range(4):
        start(member, title=f"Lesson idea number {i} for Monday")
    Post.objects.filter(author=member).update(created_at=timezone.now())
    client.force_login(member)
    data = {"category": "lesson-ideas", "kind": "question", "title": "A fifth thread too fast",
            "body": "Words I do not want to lose."}  # fmt: skip
    response = client.post("/forum/new/", data)
    assert response.status_code == 429
    assert "Words I do not want to lose." in html(response)
    assert "A fifth thread too fast" in html(response)


def test_per_day_limit(client, member, thread):
    limit = trust.LIMITS[trust.MEMBER].per_day
    Post.objects.bulk_create(
        Post(thread=thread, author=member, body=f"Earlier post {i}", body_html="<p>x</p>")
        for i in range(limit - 1)  # plus the opening post
    )
    Post.objects.filter(author=member).update(created_at=timezone.now() - timedelta(hours=3))
    client.force_login(member)
    response = post_reply(client, thread, "Still more to say today.")
    assert response.status_code == 429
    assert f"You have reached today&#x27;s limit of {limit} posts." in html(response)
    assert "Still more to say today." in html(response)
    # Yesterday's posts do not count.
    Post.objects.filter(author=member).update(created_at=timezone.now() - timedelta(hours=25))
    assert post_reply(client, thread, "Still more to say today.").status_code == 302


# ---- flags ---------------------------------------------------------------------------------


def flag(client, post, reason="spam"):
    return client.post(f"/forum/p/{post.pk}/flag/", {"reason": reason, "note": ""})


def test_flags_from_trusted_members_hide_the_post(client, member, moderator, thread):
    post = reply(make_member("spammer"), thread, "Buy cheap watches at my shop today.")
    first, second = make_trusted("tomo"), make_trusted("taka")
    client.force_login(first)
    assert flag(client, post).status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE  # one flag is not enough
    client.force_login(second)
    response = flag(client, post)
    assert "Thank you. A moderator will look at this post." in flashes(response)
    post.refresh_from_db()
    assert trust.FLAGS_TO_HIDE == 2
    assert post.status == Post.Status.HIDDEN
    assert post.hidden_by == "flags"
    assert ModerationEntry.objects.filter(
        action=ModerationEntry.Action.AUTO_HIDE, post=post
    ).exists()

    client.force_login(member)
    page = html(client.get(thread_url(thread)))
    assert "This post is hidden while moderators look at it." in page
    assert "Buy cheap watches" not in page
    assert client.get(f"/forum/p/{post.pk}/").status_code == 404

    client.force_login(moderator)
    page = html(client.get(thread_url(thread)))
    assert "Buy cheap watches" in page
    assert "Hidden by flags" in page


def test_flags_from_other_members_only_reach_the_queue(client, thread):
    post = reply(make_member("spammer"), thread, "Buy cheap watches at my shop today.")
    for name in ["ana", "ben", "cho"]:
        client.force_login(make_member(name))
        flag(client, post)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert Flag.objects.open().filter(post=post).count() == 3
    assert not Flag.objects.filter(from_trusted=True).exists()
    client.logout()
    assert "Buy cheap watches" in html(client.get(thread_url(thread)))


def test_one_open_flag_per_member(client, contributor, thread):
    post = opening(thread)
    client.force_login(contributor)
    flag(client, post)
    response = flag(client, post, reason="unkind")
    assert "You have already flagged this post; a moderator will look at it." in flashes(response)
    assert Flag.objects.filter(post=post, flagger=contributor).count() == 1
    assert "You have already flagged this post" in html(client.get(f"/forum/p/{post.pk}/flag/"))
    with pytest.raises(actions.Refused):
        actions.flag_post(post, contributor, "spam")


def test_cannot_flag_own_post(client, member, thread):
    post = opening(thread)
    client.force_login(member)
    assert client.get(f"/forum/p/{post.pk}/flag/").status_code == 403
    assert flag(client, post).status_code == 403
    with pytest.raises(actions.Refused):
        actions.flag_post(post, member, "spam")
    assert not Flag.objects.exists()
    assert f'href="/forum/p/{post.pk}/flag/"' not in html(client.get(thread_url(thread)))


# ---- moderators and suspended members -------------------------------------------------


def test_moderator_sees_held_and_hidden_posts(client, new_alt, moderator, contributor, thread):
    held = reply(new_alt, thread, "A held reply from a new member.")
    hidden = reply(make_member("ren"), thread, "A reply a moderator hid.")
    actions.hide_post(hidden, moderator, "rude")
    client.force_login(contributor)
    page = html(client.get(thread_url(thread)))
    assert "A held reply from a new member." not in page
    assert "A reply a moderator hid." not in page
    client.force_login(moderator)
    page = html(client.get(thread_url(thread)))
    assert "A held reply from a new member." in page
    assert "Waiting for review" in page
    assert "A reply a moderator hid." in page
    assert client.get(f"/forum/p/{held.pk}/").status_code == 302
    assert client.get(f"/forum/p/{hidden.pk}/").status_code == 302


def test_suspended_member_cannot_reply_and_is_told_why(client, member, thread):
    replier = make_member("ren")
    suspend(replier, reason="Repeated advertising in replies.")
    client.force_login(replier)
    assert "You are suspended from posting for now." in html(client.get(thread_url(thread)))
    response = post_reply(client, thread, "Words typed before noticing the suspension.")
    assert response.status_code == 403
    page = html(response)
    assert "Repeated advertising in replies." in page
    assert "Words typed before noticing the suspension." in page
    assert not Post.objects.filter(author=replier).exists()


def test_suspended_member_cannot_start_threads_vote_or_flag(client, contributor, thread):
    suspend(contributor, reason="Spam.")
    client.force_login(contributor)
    data = {"category": "lesson-ideas", "kind": "question", "title": "A thread while suspended",
            "body": "Body typed while suspended."}  # fmt: skip
    response = client.post("/forum/new/", data)
    assert response.status_code == 403
    assert "Spam." in html(response)
    assert "Body typed while suspended." in html(response)
    post = opening(thread)
    client.post(f"/forum/p/{post.pk}/vote/")
    flag(client, post)
    assert not post.votes.exists()
    assert not post.flags.exists()
