"""What members type (or send) that the forum must refuse kindly: locked threads, double
votes, huge or empty posts, Unicode tricks in titles, too many tags, hidden posts by id."""

import pytest

from altto.forum import actions
from altto.forum.forms import MAX_FREE_TAGS
from altto.forum.models import BODY_MAX_LENGTH, Post, Tag, Thread, Vote
from tests.forum.helpers import (
    BODY,
    TITLE,
    flashes,
    html,
    make_member,
    opening,
    reply,
    thread_url,
)

pytestmark = pytest.mark.django_db

NEW = "/forum/new/"


def new_thread(client, **changes):
    data = {"category": "lesson-ideas", "kind": "question", "title": TITLE, "body": BODY}
    data.update(changes)
    return client.post(NEW, data)


# ---- locked threads ----------------------------------------------------------------------


def test_replying_to_a_locked_thread_is_refused_and_keeps_the_text(
    client, member, moderator, thread
):
    actions.set_locked(thread, moderator, True)
    client.force_login(member)
    page = html(client.get(thread_url(thread)))
    assert "This thread is locked: it takes no new replies." in page
    assert f'action="/forum/t/{thread.pk}/reply/"' not in page
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "But I had one more idea!"})
    assert response.status_code == 403
    assert "This thread is locked: it takes no new replies." in html(response)
    assert "But I had one more idea!" in html(response)
    assert Post.objects.filter(thread=thread).count() == 1
    # Moderators may still reply.
    client.force_login(moderator)
    assert (
        client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Locked: see rules."}).status_code
        == 302
    )


# ---- votes -----------------------------------------------------------------------------


def test_voting_twice_counts_once(contributor, thread):
    post = opening(thread)
    assert actions.vote(post, contributor) == 1
    assert actions.vote(post, contributor) == 1
    assert Vote.objects.filter(post=post).count() == 1
    thread.refresh_from_db()
    assert thread.score == 1


def test_held_hidden_and_deleted_posts_take_no_votes(
    client, new_alt, moderator, contributor, thread
):
    held = reply(new_alt, thread, "Held words.")
    hidden = reply(make_member("ren"), thread, "Hidden words.")
    actions.hide_post(hidden, moderator)
    for post in [held, Post.objects.get(pk=hidden.pk)]:
        with pytest.raises(actions.Refused):
            actions.vote(post, contributor)
    client.force_login(contributor)
    response = client.post(f"/forum/p/{hidden.pk}/vote/", HTTP_HX_REQUEST="true")
    assert response.status_code in {400, 403, 404}
    assert not Vote.objects.exists()


# ---- bodies --------------------------------------------------------------------------------


def test_a_huge_reply_is_refused_with_a_clear_message_and_kept(client, member, thread):
    body = "x" * BODY_MAX_LENGTH + " THE-END-MARKER"
    client.force_login(member)
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 400
    page = html(response)
    assert f"at most {BODY_MAX_LENGTH} characters" in page or "at most 20,000 characters" in page
    assert "THE-END-MARKER" in page
    assert Post.objects.count() == 1


def test_a_huge_thread_is_refused_and_kept(client, member):
    client.force_login(member)
    response = new_thread(client, body="y" * (BODY_MAX_LENGTH + 1) + " TAIL-MARKER")
    assert response.status_code == 400
    assert "TAIL-MARKER" in html(response)
    assert TITLE in html(response)
    assert not Thread.objects.exists()


def test_a_body_of_exactly_the_limit_is_fine(client, member, thread):
    client.force_login(member)
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "z" * BODY_MAX_LENGTH})
    assert response.status_code == 302


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_an_empty_reply_is_refused(client, member, thread, body):
    client.force_login(member)
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert "Please write something before posting." in html(response)
    assert Post.objects.count() == 1


def test_an_empty_thread_is_refused(client, member):
    client.force_login(member)
    response = new_thread(client, body="")
    assert response.status_code == 400
    assert "Please write something before posting." in html(response)
    assert TITLE in html(response)
    assert not Thread.objects.exists()


def test_an_empty_edit_is_refused(client, member, thread):
    post = reply(member, thread, "Words worth keeping.")
    client.force_login(member)
    response = client.post(f"/forum/p/{post.pk}/edit/", {"body": ""})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == "Words worth keeping."


# ---- titles --------------------------------------------------------------------------------


def test_direction_overrides_and_zero_width_spaces_are_stripped_from_titles(client, member):
    client.force_login(member)
    tricky = "Free\u200b lesson\u200d plans\u202e fdp.exe\u2066 for\ufeff JHS"
    assert new_thread(client, title=tricky).status_code == 302
    thread = Thread.objects.get()
    assert thread.title == "Free lesson plans fdp.exe for JHS"
    for char in "\u200b\u200d\u202e\u2066\ufeff":
        assert char not in thread.title
        assert char not in html(client.get(thread_url(thread)))
        assert char not in html(client.get("/forum/all/"))


@pytest.mark.parametrize(
    "title",
    ["\u202e\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "\u2066\u2069" * 10, "Help!"],
)
def test_a_title_of_nothing_visible_is_refused(client, member, title):
    client.force_login(member)
    response = new_thread(client, title=title)
    assert response.status_code == 400
    assert "Please give a title of at least 8 characters" in html(response)
    assert BODY in html(response)
    assert not Thread.objects.exists()


def test_editing_a_title_into_nothing_is_refused(client, member, thread):
    client.force_login(member)
    post = opening(thread)
    response = client.post(f"/forum/p/{post.pk}/edit/", {"title": "\u200b" * 20, "body": BODY})
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.title == TITLE


# ---- tags ----------------------------------------------------------------------------------


def test_too_many_tags_are_refused_and_the_text_kept(client, member):
    client.force_login(member)
    tags = ", ".join(f"tag{i}" for i in range(MAX_FREE_TAGS + 1))
    response = new_thread(client, tags=tags)
    assert response.status_code == 400
    assert f"Please use at most {MAX_FREE_TAGS} tags." in html(response)
    assert tags in html(response)
    assert BODY in html(response)
    assert not Thread.objects.exists()
    assert not Tag.objects.filter(slug__startswith="tag").exists()


def test_tags_of_invisible_characters_are_dropped(client, member):
    client.force_login(member)
    assert new_thread(client, tags="games, \u200b\u200b, games").status_code == 302
    assert list(Thread.objects.get().tags.values_list("slug", flat=True)) == ["games"]


def test_an_overlong_tag_is_refused(client, member):
    client.force_login(member)
    response = new_thread(client, tags="a" * 31)
    assert response.status_code == 400
    assert "Each tag can be at most 30 characters." in html(response)


@pytest.mark.parametrize(("field", "value"), [("category", "no-such-category"), ("kind", "poll")])
def test_unknown_category_or_kind_is_refused(client, member, field, value):
    client.force_login(member)
    assert new_thread(client, **{field: value}).status_code == 400
    assert not Thread.objects.exists()


# ---- hidden and held posts by id ---------------------------------------------------------


def test_a_hidden_post_by_id(client, moderator, contributor, thread):
    hidden = reply(make_member("ren"), thread, "Words a moderator hid.")
    actions.hide_post(hidden, moderator)
    client.force_login(contributor)
    assert client.get(f"/forum/p/{hidden.pk}/").status_code == 404
    assert client.get(f"/forum/p/{hidden.pk}/history/").status_code == 403
    client.logout()
    assert client.get(f"/forum/p/{hidden.pk}/").status_code == 404
    client.force_login(moderator)
    response = client.get(f"/forum/p/{hidden.pk}/")
    assert response.status_code == 302
    assert response.url.endswith(f"#post-{hidden.pk}")
    assert "Words a moderator hid." in html(client.get(response.url))


def test_a_held_post_by_id(client, new_alt, contributor, moderator, thread):
    held = reply(new_alt, thread, "Words waiting for review.")
    for viewer in [contributor, None]:
        if viewer:
            client.force_login(viewer)
        else:
            client.logout()
        assert client.get(f"/forum/p/{held.pk}/").status_code == 404
        assert client.get(f"/forum/p/{held.pk}/history/").status_code == 404
        assert client.get(f"/forum/t/{thread.pk}-{thread.slug}/?quote={held.pk}").status_code == 200
    client.force_login(contributor)
    assert client.get(f"/forum/p/{held.pk}/edit/").status_code == 404
    assert client.get(f"/forum/p/{held.pk}/flag/").status_code == 404
    assert client.post(f"/forum/p/{held.pk}/vote/").status_code == 404
    quoted = client.get(thread_url(thread), {"quote": held.pk})
    assert "Words waiting for review." not in html(quoted)
    client.force_login(new_alt)
    assert client.get(f"/forum/p/{held.pk}/").status_code == 302
    client.force_login(moderator)
    assert client.get(f"/forum/p/{held.pk}/").status_code == 302


def test_unknown_ids_are_404(client, member, thread):
    client.force_login(member)
    assert client.get("/forum/p/999999/").status_code == 404
    assert client.get("/forum/t/999999/").status_code == 404
    assert client.post("/forum/t/999999/reply/", {"body": "Hello there"}).status_code == 404
    assert client.get("/forum/no-such-category/").status_code == 404


def test_accepting_nonsense_is_refused_with_a_message(client, member, thread):
    client.force_login(member)
    response = client.post(f"/forum/t/{thread.pk}/accept/", {"post": "not-a-number"})
    assert "That answer could not be found." in flashes(response)
    response = client.post(f"/forum/t/{thread.pk}/accept/", {"post": opening(thread).pk})
    assert "Only a visible reply can be the accepted answer." in flashes(response)
    thread.refresh_from_db()
    assert thread.accepted_answer_id is None


def test_odd_page_numbers_still_show_the_page(client, thread):
    assert client.get(thread_url(thread), {"page": "abc"}).status_code == 200
    assert client.get(thread_url(thread), {"page": "99999"}).status_code == 200
    assert client.get("/forum/all/", {"page": "-1", "tag": "x" * 500}).status_code == 200


def test_replying_needs_post(client, member, thread):
    client.force_login(member)
    assert client.get(f"/forum/t/{thread.pk}/reply/").status_code == 405
