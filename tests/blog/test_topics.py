"""The topics board: topics in every state and their filters, who may add, volunteer and
assign, the kind word to the writers not chosen, and forum threads turned into topics."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from altto.blog import actions
from altto.blog.models import Pitch, Post, Topic
from altto.notifications.models import Notification
from tests.conftest import make_user
from tests.forum.helpers import flashes, html, make_member, start, thread_url

pytestmark = pytest.mark.django_db

BOARD = reverse("blog:topics")


def topic_by(user, title="Your first week at a new school", **kwargs) -> Topic:
    return actions.add_topic(user, title, "New ALTs starting in April.", **kwargs)


def written(post: Post, writer, body="Bring a map of your home town.") -> Post:
    return actions.save_post(
        post, writer, title=post.title, slug=post.slug, summary="", body=body,
        language="en", tags=[],
    )  # fmt: skip


@pytest.fixture
def board_in_every_state(new_alt, contributor, blog_editor):
    """One topic in each state: open, assigned (its draft gone), drafting, in review,
    scheduled, published (a scheduled post whose time came), plus a published one."""
    now = timezone.now()
    topics = {"open": topic_by(new_alt, "Open topic")}
    for state in ["assigned", "drafting", "review", "scheduled", "published", "announced"]:
        topic = topic_by(new_alt, f"Topic {state}")
        pitch = actions.volunteer(topic, contributor, "I know this well.")
        post = actions.assign(topic, pitch, blog_editor)
        topics[state] = topic
        if state == "assigned":
            post.delete()
            continue
        if state == "drafting":
            continue
        written(post, contributor)
        actions.submit_for_review(post, contributor)
        if state == "scheduled":
            actions.schedule(post, blog_editor, now + timedelta(days=2), now=now)
        elif state in {"published", "announced"}:
            then = now - timedelta(days=1)
            actions.schedule(post, blog_editor, then, now=then)
            if state == "announced":
                actions.publish_due_posts(now)
    return topics


def test_the_board_shows_every_state_and_filters_by_each(client, board_in_every_state):
    page = html(client.get(BOARD))
    for topic in board_in_every_state.values():
        assert topic.title in page
    loaded = {t.pk: t.state for t in Topic.objects.with_post()}
    expected = {
        "open": {"open"}, "assigned": {"assigned"}, "drafting": {"drafting"},
        "review": {"review"}, "scheduled": {"scheduled"},
        "published": {"published", "announced"},
    }  # fmt: skip
    for state, names in expected.items():
        pks = {board_in_every_state[name].pk for name in names}
        assert {pk for pk, s in loaded.items() if s == state} == pks
        response = client.get(BOARD, {"state": state})
        assert response.status_code == 200
        shown = {t.pk for t in response.context["topics"]}
        assert shown == pks, state
        assert all(t.state == state for t in response.context["topics"])
    # A published topic links to its post; an unknown state shows everything.
    post = board_in_every_state["published"].post
    assert post.get_absolute_url() in page
    response = client.get(BOARD, {"state": "nonsense"})
    assert len(response.context["topics"]) == len(board_in_every_state)


def test_the_board_paginates_and_its_queries_do_not_grow(
    client, new_alt, contributor, django_assert_num_queries
):
    def add(count):
        for i in range(count):
            topic = topic_by(new_alt, f"Topic {Topic.objects.count()} {i}")
            actions.volunteer(topic, contributor, "Me!")

    client.force_login(new_alt)
    add(3)
    client.get(BOARD)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    add(17)
    with django_assert_num_queries(len(few)):
        response = client.get(BOARD)
    assert len(response.context["topics"]) == 20
    add(15)
    with django_assert_num_queries(len(few)):
        response = client.get(BOARD, {"state": "open", "page": 2})
    assert len(response.context["topics"]) == 5
    assert "Offers to write" not in html(response)
    assert "1 offer to write" in html(response)


def test_anonymous_readers_see_the_board_and_topic_without_forms(client, new_alt):
    topic = topic_by(new_alt)
    board = html(client.get(BOARD))
    assert reverse("blog:topic_new") not in board
    page = html(client.get(topic.get_absolute_url()))
    assert "New ALTs starting in April." in page
    assert reverse("blog:volunteer", args=[topic.pk]) not in page
    assert "Log in to offer to write this" in page
    response = client.post(reverse("blog:volunteer", args=[topic.pk]), {"pitch": "Me"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Pitch.objects.exists()


def test_outsiders_may_not_add_topics_or_volunteer(client, outsider, new_alt):
    topic = topic_by(new_alt)
    client.force_login(outsider)
    assert reverse("blog:topic_new") not in html(client.get(BOARD))
    assert client.get(reverse("blog:topic_new")).status_code == 403
    response = client.post(reverse("blog:topic_new"), {"title": "A", "reader_need": "B"})
    assert response.status_code == 403
    response = client.post(reverse("blog:volunteer", args=[topic.pk]), {"pitch": "Me"})
    assert response.status_code == 403
    assert Topic.objects.count() == 1 and not Pitch.objects.exists()


def test_a_member_adds_a_topic_and_bad_input_keeps_what_was_typed(client, new_alt):
    client.force_login(new_alt)
    assert reverse("blog:topic_new") in html(client.get(BOARD))
    url = reverse("blog:topic_new")
    response = client.post(url, {"title": "Lunch with students", "angle": "Kyūshoku tips"})
    assert response.status_code == 400
    assert "Kyūshoku tips" in html(response) and "Lunch with students" in html(response)
    response = client.post(url, {"title": "Lunch with students", "reader_need": "x" * 2001})
    assert response.status_code == 400
    response = client.post(
        url, {"title": "Lunch with students", "reader_need": "What to talk about.", "angle": ""}
    )
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    assert (topic.created_by, topic.reader_need) == (new_alt, "What to talk about.")
    assert topic.state == "open"


def test_a_member_volunteers_and_sees_only_their_own_pitch(
    client, new_alt, contributor, blog_editor, django_capture_on_commit_callbacks
):
    topic = topic_by(new_alt)
    other = actions.volunteer(topic, new_alt, "Sam's secret plan for the post.")
    client.force_login(contributor)
    url = topic.get_absolute_url()
    page = html(client.get(url))
    assert "I&#x27;d like to write this" in page or "I'd like to write this" in page
    assert other.pitch not in page
    volunteer = reverse("blog:volunteer", args=[topic.pk])
    response = client.post(volunteer, {"pitch": ""})
    assert response.status_code == 400
    response = client.post(volunteer, {"pitch": "y" * 2001})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(volunteer, {"pitch": "Six years of first weeks."})
    assert response.status_code == 302
    assert Pitch.objects.get(writer=contributor).pitch == "Six years of first weeks."
    assert Notification.objects.filter(user=blog_editor, kind="blog_pitch").exists()
    page = html(client.get(url))
    assert "Six years of first weeks." in page and other.pitch not in page
    assert reverse("blog:assign", args=[topic.pk]) not in page
    # A member cannot assign.
    pitch = Pitch.objects.get(writer=contributor)
    response = client.post(reverse("blog:assign", args=[topic.pk]), {"pitch": pitch.pk})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.writer is None


def test_an_editor_assigns_one_writer_and_the_others_are_thanked(
    client, new_alt, contributor, blog_editor, django_capture_on_commit_callbacks
):
    topic = topic_by(new_alt)
    chosen = actions.volunteer(topic, contributor, "Priya's plan.")
    other = actions.volunteer(topic, new_alt, "Sam's plan.")
    client.force_login(blog_editor)
    page = html(client.get(topic.get_absolute_url()))
    assert "Priya&#x27;s plan." in page and "Sam&#x27;s plan." in page
    assert "Assign to Priya" in page and "Assign to Sam" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blog:assign", args=[topic.pk]), {"pitch": chosen.pk})
    assert response["Location"] == topic.get_absolute_url()
    topic = Topic.objects.with_post().get(pk=topic.pk)
    assert topic.writer == contributor and topic.state == "drafting"
    assert contributor in topic.post.authors.all()
    assert Notification.objects.filter(user=contributor, kind="blog_topic_assigned").exists()
    kind = Notification.objects.get(user=new_alt, kind="blog_pitch_not_chosen")
    assert "Sam" not in str(kind.params)  # a kind word, not a list of the others
    other.refresh_from_db()
    assert other.outcome == Pitch.Outcome.NOT_CHOSEN
    page = html(client.get(topic.get_absolute_url()))
    assert "Assign to" not in page
    assert reverse("blog:draft", args=[topic.post.pk]) in page
    # The draft link is for its writers and editors only.
    client.force_login(new_alt)
    page = html(client.get(topic.get_absolute_url()))
    assert reverse("blog:draft", args=[topic.post.pk]) not in page
    assert "Priya is writing this." in page
    # Volunteering is over.
    response = client.post(reverse("blog:volunteer", args=[topic.pk]), {"pitch": "Again?"})
    assert response.status_code == 400
    assert "already has a writer" in html(response) and "Again?" in html(response)


def test_two_writers_assigned_at_once_the_second_is_refused(
    client, new_alt, contributor, blog_editor, site_admin
):
    topic = topic_by(new_alt)
    first = actions.volunteer(topic, contributor, "Priya's plan.")
    second = actions.volunteer(topic, new_alt, "Sam's plan.")
    # Both editors opened the page before either pressed "Assign".
    client.force_login(blog_editor)
    client.post(reverse("blog:assign", args=[topic.pk]), {"pitch": first.pk})
    client.force_login(site_admin)
    response = client.post(reverse("blog:assign", args=[topic.pk]), {"pitch": second.pk})
    assert response.status_code == 400
    assert "just given to another writer" in " ".join(flashes(response)) + html(response)
    topic.refresh_from_db()
    assert topic.writer == contributor
    assert Post.objects.filter(topic=topic).count() == 1
    second.refresh_from_db()
    assert second.outcome == Pitch.Outcome.NOT_CHOSEN
    # A pitch of another topic is not found here.
    other = topic_by(new_alt, "Another topic")
    response = client.post(reverse("blog:assign", args=[other.pk]), {"pitch": first.pk})
    assert response.status_code == 404


def anonymous_thread(author):
    return start(author, title="Is it normal to feel lost in my first month?", anonymous=True)


def test_an_editor_turns_a_thread_into_a_topic_linked_both_ways(
    client, blog_editor, new_alt, contributor
):
    author = make_member("anon_author", display_name="Secret Person")
    thread = anonymous_thread(author)
    # Members see no button; the action is for blog editors.
    client.force_login(contributor)
    assert reverse("blog:from_thread", args=[thread.pk]) not in html(client.get(thread_url(thread)))
    assert client.post(reverse("blog:from_thread", args=[thread.pk])).status_code == 403
    client.force_login(blog_editor)
    page = html(client.get(thread_url(thread)))
    assert reverse("blog:from_thread", args=[thread.pk]) in page
    response = client.post(reverse("blog:from_thread", args=[thread.pk]))
    topic = Topic.objects.get()
    assert response["Location"] == topic.get_absolute_url()
    assert topic.title == thread.title and topic.forum_thread == thread
    assert topic.created_by == blog_editor
    assert reverse("forum:thread_short", args=[thread.pk]) in topic.reader_need
    assert "Secret" not in topic.reader_need and "anon_author" not in topic.reader_need
    page = html(client.get(topic.get_absolute_url()))
    assert thread.get_absolute_url() in page and "Secret" not in page
    # The thread links back, for everyone, and offers no second topic.
    client.logout()
    page = html(client.get(thread_url(thread)))
    assert "This question became a blog topic:" in page and topic.get_absolute_url() in page
    client.force_login(blog_editor)
    assert reverse("blog:from_thread", args=[thread.pk]) not in html(client.get(thread_url(thread)))
    response = client.post(reverse("blog:from_thread", args=[thread.pk]))
    assert response["Location"] == topic.get_absolute_url()
    assert "already a blog topic" in " ".join(flashes(response))
    assert Topic.objects.count() == 1


def test_a_thread_hidden_from_the_editor_is_not_found(client, blog_editor):
    author = make_user("newbie", display_name="Newbie")
    thread = start(author, title="A first post waiting for a moderator")  # held: new member
    assert thread.status == "held"
    client.force_login(blog_editor)
    assert client.post(reverse("blog:from_thread", args=[thread.pk])).status_code == 404
    assert not Topic.objects.exists()


def test_blog_editors_and_the_suggester_refine_a_topic_others_cannot(
    client, new_alt, contributor, blog_editor
):
    from altto.blog import actions as blog_actions

    topic = blog_actions.add_topic(new_alt, "Sports day", "What do ALTs do on sports day?")
    edit_url = f"/blog/topics/{topic.pk}/edit/"
    client.force_login(contributor)
    assert client.get(edit_url).status_code == 403
    assert "Edit topic" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(new_alt)
    assert "Edit topic" in client.get(topic.get_absolute_url()).content.decode()
    response = client.post(edit_url, {"title": "", "reader_need": "Kept words"})
    assert response.status_code == 400
    assert "Kept words" in response.content.decode()
    client.force_login(blog_editor)
    data = {"title": "Sports day for ALTs", "reader_need": "What to do all day.", "angle": ""}
    assert client.post(edit_url, data).status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Sports day for ALTs"
