"""Forum moderation: the review queue, post and thread actions, the log, suspensions, and
the admins' category pages."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from altto.accounts.models import User
from altto.forum import actions
from altto.forum.models import Category, Flag, ModerationEntry, Post, Standing, Thread
from tests.conftest import make_user
from tests.forum.helpers import make_member

pytestmark = pytest.mark.django_db

QUEUE = "/forum/review/"
LOG = "/forum/log/"
BODY = "We play a quick game of fruit basket to wake everyone up."


@pytest.fixture
def lesson_ideas():
    return Category.objects.get(slug="lesson-ideas")


@pytest.fixture
def visible_thread(member, lesson_ideas):
    return actions.start_thread(
        member, lesson_ideas, "question", "Warm-ups for sleepy classes", BODY
    )


def opening(thread: Thread) -> Post:
    return Post.objects.get(thread=thread, is_opening=True)


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_anonymous_visitors_are_sent_to_log_in(client, visible_thread):
    post = opening(visible_thread)
    for url, method in [
        (QUEUE, "get"),
        (LOG, "get"),
        ("/forum/members/mina/suspend/", "get"),
        (f"/forum/p/{post.pk}/moderate/", "post"),
        (f"/forum/t/{visible_thread.pk}/moderate/", "post"),
        ("/forum/categories/new/", "get"),
        ("/forum/lesson-ideas/edit/", "get"),
    ]:
        response = getattr(client, method)(url, {"action": "lock"} if method == "post" else {})
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "editor", "blog_editor", "outsider"])
def test_members_cannot_moderate(client, request, persona, visible_thread):
    client.force_login(request.getfixturevalue(persona))
    post = opening(visible_thread)
    assert client.get(QUEUE).status_code == 403
    assert client.get(LOG).status_code == 403
    assert client.get("/forum/members/mina/suspend/").status_code == 403
    assert (
        client.post("/forum/members/mina/suspend/", {"days": 3, "reason": "x"}).status_code == 403
    )
    assert client.post(f"/forum/p/{post.pk}/moderate/", {"action": "hide"}).status_code == 403
    thread_url = f"/forum/t/{visible_thread.pk}/moderate/"
    assert client.post(thread_url, {"action": "lock"}).status_code == 403
    visible_thread.refresh_from_db()
    post.refresh_from_db()
    assert (post.status, visible_thread.is_locked) == ("visible", False)
    assert not ModerationEntry.objects.exists()
    assert not Standing.objects.get(user__username="mina").suspended_until


@pytest.mark.parametrize("persona", ["moderator", "site_admin"])
def test_moderators_and_admins_open_the_queue_and_the_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert "No posts are waiting for review." in page.content.decode()
    assert client.get(LOG).status_code == 200


def test_the_queue_lists_held_threads_and_replies_oldest_first(
    client, moderator, new_alt, visible_thread, lesson_ideas
):
    held_thread = actions.start_thread(
        new_alt, lesson_ideas, "question", "My first question here", "Hello, how do I **start**?"
    )
    held_reply = actions.reply(new_alt, visible_thread, "I agree, fruit basket works!")
    assert held_thread.status == "held" and held_reply.status == "held"
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert page.index("My first question here") < page.index("I agree, fruit basket works!")
    assert "<strong>start</strong>" in page  # the rendered body
    assert "New thread" in page
    assert held_thread.get_absolute_url() in page
    assert "Lesson ideas" in page
    assert 'href="/u/sam/"' in page and "Sam" in page
    assert f'action="/forum/p/{held_reply.pk}/moderate/"' in page
    assert 'value="approve"' in page


def test_moderators_see_who_wrote_an_anonymous_held_post(client, moderator, new_alt, lesson_ideas):
    actions.start_thread(
        new_alt, lesson_ideas, "question", "Trouble with my supervisor", "Private.", anonymous=True
    )
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert "Anonymous to members — posted by" in page
    assert 'href="/u/sam/">Sam</a>' in page


def test_the_queue_shows_flags_and_posts_hidden_by_them(
    client, moderator, site_admin, contributor, visible_thread
):
    post = opening(visible_thread)
    actions.flag_post(post, contributor, "unkind", "Mocks the JTE by name.")
    actions.flag_post(post, moderator, "spam")
    actions.flag_post(post, site_admin, "off_topic")  # trusted flags hide the post
    post.refresh_from_db()
    assert (post.status, post.hidden_by) == ("hidden", "flags")
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert "Unkind or disrespectful" in page and "Spam or advertising" in page
    assert "Mocks the JTE by name." in page
    assert "Priya" in page and "Morgan" in page
    assert page.count("trusted member</span>") == 2  # the moderators' flags, not Priya's
    assert "Hidden automatically after flags from trusted members" in page
    assert "3 open flags" in page
    assert 'value="restore"' in page


def test_the_queue_links_to_the_comment_reports_and_the_log(client, moderator):
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert 'href="/review/reports/"' in page and "0 open reports on lesson comments" in page
    assert 'href="/forum/log/"' in page


def _fill_queue(count: int, category: Category, flagger, start: int) -> None:
    for n in range(start, start + count):
        newcomer = make_user(f"new{n}")
        actions.start_thread(newcomer, category, "question", f"Held question {n}", BODY)
        writer = make_member(f"writer{n}")
        thread = actions.start_thread(writer, category, "discussion", f"Flagged thread {n}", BODY)
        actions.flag_post(opening(thread), flagger, "other", "Please look.")


def test_the_queue_costs_the_same_queries_however_long_it_is(
    client, moderator, contributor, lesson_ideas, django_assert_max_num_queries
):
    client.force_login(moderator)
    _fill_queue(3, lesson_ideas, contributor, start=0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    _fill_queue(12, lesson_ideas, contributor, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(QUEUE)
    assert page.content.decode().count("Held question") == 15
    assert page.content.decode().count("Flagged thread") == 15
    assert len(few.captured_queries) <= 12


def _post_action(client, post, **data):
    return client.post(f"/forum/p/{post.pk}/moderate/", data)


def test_approving_a_held_thread_shows_it_and_counts_for_its_author(
    client, moderator, new_alt, lesson_ideas
):
    thread = actions.start_thread(new_alt, lesson_ideas, "question", "My first question here", BODY)
    post = opening(thread)
    client.force_login(moderator)
    response = _post_action(client, post, action="approve", next=QUEUE)
    assert response.status_code == 302 and response.url == QUEUE
    assert flashes(response) == ["The post is approved and visible, and its author is told."]
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.status == thread.status == "visible"
    assert Standing.objects.get(user=new_alt).approved_posts == 1
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.actor, entry.post, entry.thread) == (
        "approve",
        moderator,
        post,
        thread,
    )


def test_hiding_a_post_keeps_the_reason_and_closes_its_flags(
    client, moderator, contributor, visible_thread
):
    post = opening(visible_thread)
    actions.flag_post(post, contributor, "spam")
    client.force_login(moderator)
    response = _post_action(client, post, action="hide", reason="Advert for a school")
    assert response.status_code == 302 and response.url == QUEUE
    post.refresh_from_db()
    assert (post.status, post.hidden_by) == ("hidden", "moderator")
    assert not Flag.objects.open().exists()
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.reason, entry.actor) == ("hide", "Advert for a school", moderator)


def test_restoring_a_post_hidden_by_flags(client, moderator, site_admin, visible_thread):
    post = opening(visible_thread)
    actions.flag_post(post, moderator, "spam")
    actions.flag_post(post, site_admin, "spam")
    client.force_login(moderator)
    response = _post_action(client, post, action="restore")
    assert flashes(response) == ["The post is visible again and its flags are closed."]
    post.refresh_from_db()
    assert (post.status, post.hidden_by) == ("visible", "")
    assert not Flag.objects.open().exists()
    assert ModerationEntry.objects.filter(action="restore", actor=moderator, post=post).exists()
    assert ModerationEntry.objects.filter(action="auto_hide", actor=None).exists()


def test_dismissing_flags_keeps_a_visible_post(client, moderator, contributor, visible_thread):
    post = opening(visible_thread)
    actions.flag_post(post, contributor, "off_topic")
    client.force_login(moderator)
    response = _post_action(client, post, action="restore")
    assert flashes(response) == ["The flags are dismissed and the post stays as it is."]
    post.refresh_from_db()
    assert post.status == "visible"
    assert Flag.objects.get().resolved_by == moderator
    assert ModerationEntry.objects.get().action == "dismiss"
    client.force_login(moderator)
    assert "No flagged posts." in client.get(QUEUE).content.decode()


def test_post_actions_go_back_only_to_this_site(client, moderator, visible_thread):
    post = opening(visible_thread)
    client.force_login(moderator)
    away = _post_action(client, post, action="hide", next="https://evil.example/")
    assert away.url == QUEUE
    back = _post_action(client, post, action="restore", next="/forum/review/?from=thread")
    assert back.url == "/forum/review/?from=thread"


def test_an_unknown_post_action_is_a_bad_request(client, moderator, visible_thread):
    post = opening(visible_thread)
    client.force_login(moderator)
    assert _post_action(client, post, action="delete").status_code == 400
    assert _post_action(client, post).status_code == 400
    assert client.get(f"/forum/p/{post.pk}/moderate/").status_code == 405
    assert client.post("/forum/p/999999/moderate/", {"action": "hide"}).status_code == 404
    assert not ModerationEntry.objects.exists()


def _thread_action(client, thread, **data):
    return client.post(f"/forum/t/{thread.pk}/moderate/", data)


def test_locking_a_thread_stops_replies_until_unlocked(
    client, moderator, member, contributor, visible_thread
):
    Standing.objects.create(user=contributor, approved_posts=2)
    client.force_login(moderator)
    response = _thread_action(client, visible_thread, action="lock")
    assert response.status_code == 302 and response.url == visible_thread.get_absolute_url()
    visible_thread.refresh_from_db()
    assert visible_thread.is_locked
    with pytest.raises(actions.Refused):
        actions.reply(contributor, visible_thread, "Me too!")
    _thread_action(client, visible_thread, action="unlock")
    visible_thread.refresh_from_db()
    assert not visible_thread.is_locked
    actions.reply(contributor, visible_thread, "Me too!")
    assert list(ModerationEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "lock",
        "unlock",
    ]


def test_pinning_and_unpinning_a_thread(client, moderator, visible_thread):
    client.force_login(moderator)
    _thread_action(client, visible_thread, action="pin")
    visible_thread.refresh_from_db()
    assert visible_thread.is_pinned
    _thread_action(client, visible_thread, action="unpin")
    visible_thread.refresh_from_db()
    assert not visible_thread.is_pinned
    assert ModerationEntry.objects.filter(action__in=["pin", "unpin"], actor=moderator).count() == 2


def test_moving_a_thread_to_another_category(client, moderator, visible_thread):
    client.force_login(moderator)
    response = _thread_action(client, visible_thread, action="move", category="stories")
    assert response.url == visible_thread.get_absolute_url()
    visible_thread.refresh_from_db()
    assert visible_thread.category.slug == "stories"
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.reason) == ("move", "lesson-ideas → stories")


@pytest.mark.parametrize("slug", ["", "no-such-category", "lesson-ideas"])
def test_moving_to_a_missing_or_the_same_category_changes_nothing(
    client, moderator, visible_thread, slug
):
    client.force_login(moderator)
    response = _thread_action(client, visible_thread, action="move", category=slug)
    assert response.status_code == 302 and response.url == visible_thread.get_absolute_url()
    assert len(flashes(response)) == 1
    visible_thread.refresh_from_db()
    assert visible_thread.category.slug == "lesson-ideas"
    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize(
    "into", ["{pk}", "#{pk}", "/forum/t/{pk}-warm-ups/", "https://testserver/forum/t/{pk}/"]
)
def test_merging_a_thread_by_number_or_address(client, moderator, member, lesson_ideas, into):
    target = actions.start_thread(
        member, lesson_ideas, "question", "Warm-ups for sleepy classes", BODY
    )
    source = actions.start_thread(
        member, lesson_ideas, "question", "Sleepy class warm-up ideas?", "Same?"
    )
    client.force_login(moderator)
    response = _thread_action(client, source, action="merge", into=into.format(pk=target.pk))
    assert response.status_code == 302 and response.url == target.get_absolute_url()
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert Post.objects.filter(thread=target).count() == 2
    assert target.reply_count == 1
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.thread) == ("merge", target)


@pytest.mark.parametrize("into", ["", "abc", "999999", "/forum/t/x/", "self"])
def test_merging_into_nothing_or_itself_changes_nothing(client, moderator, visible_thread, into):
    client.force_login(moderator)
    into = str(visible_thread.pk) if into == "self" else into
    response = _thread_action(client, visible_thread, action="merge", into=into)
    assert response.status_code == 302 and response.url == visible_thread.get_absolute_url()
    messages = flashes(response)
    assert len(messages) == 1
    if into == str(visible_thread.pk):
        assert messages == ["Choose another thread to merge into."]  # Refused by the action
    visible_thread.refresh_from_db()
    assert visible_thread.merged_into is None
    assert not ModerationEntry.objects.exists()


def test_an_unknown_thread_action_is_a_bad_request(client, moderator, visible_thread):
    client.force_login(moderator)
    assert _thread_action(client, visible_thread, action="delete").status_code == 400
    assert not ModerationEntry.objects.exists()


def test_the_log_names_who_did_what(client, moderator, site_admin, member, visible_thread):
    post = opening(visible_thread)
    actions.flag_post(post, moderator, "spam")
    actions.flag_post(post, site_admin, "spam")
    actions.restore_post(post, moderator)
    actions.suspend(member, moderator, 2, "Shouting at everyone")
    client.force_login(moderator)
    page = client.get(LOG).content.decode()
    assert "Automatic (flags from trusted members)" in page
    assert "hid a post after flags from trusted members" in page
    assert "restored a post" in page and "suspended a member" in page
    assert "2d: Shouting at everyone" in page
    assert "Morgan" in page and "Mina" in page
    assert visible_thread.get_absolute_url() in page


def test_the_log_is_paged_and_its_queries_do_not_grow(
    client, moderator, member, visible_thread, django_assert_max_num_queries
):
    def add(count):
        ModerationEntry.objects.bulk_create(
            ModerationEntry(actor=moderator, action="pin", thread=visible_thread, member=member)
            for _ in range(count)
        )

    client.force_login(moderator)
    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    add(117)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):  # + the page count
        page = client.get(LOG)
    assert page.content.decode().count("pinned a thread") == 50
    assert "Page 1 of 3" in page.content.decode()
    last = client.get(LOG, {"page": 3}).content.decode()
    assert last.count("pinned a thread") == 20


def test_suspending_a_member_stops_their_posts(client, moderator, member, visible_thread):
    client.force_login(moderator)
    assert client.get("/forum/members/mina/suspend/").status_code == 200
    response = client.post(
        "/forum/members/mina/suspend/", {"days": "7", "reason": "Repeated insults"}
    )
    assert response.status_code == 302 and response.url == "/u/mina/"
    assert "suspended from the forum for 7 days" in flashes(response)[0]
    standing = Standing.objects.get(user=member)
    assert standing.suspension_reason == "Repeated insults"
    assert standing.suspended_until > timezone.now() + timedelta(days=6)
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.actor, entry.member) == ("suspend", moderator, member)
    with pytest.raises(actions.Refused) as refused:
        actions.reply(User.objects.get(pk=member.pk), visible_thread, "Let me in!")
    assert "suspended" in refused.value.message
    page = client.get("/forum/members/mina/suspend/").content.decode()
    assert "Current suspension" in page and "Repeated insults" in page
    assert 'value="lift"' in page


def test_lifting_a_suspension(client, moderator, member, visible_thread):
    actions.suspend(member, moderator, 3, "Cool down")
    client.force_login(moderator)
    response = client.post("/forum/members/mina/suspend/", {"action": "lift"})
    assert response.url == "/u/mina/"
    assert Standing.objects.get(user=member).suspended_until is None
    assert ModerationEntry.objects.filter(action="unsuspend", member=member).exists()
    # A fresh copy, as the next request has: lift_suspension() leaves the Standing that
    # trust.standing_of() remembered on `member` as it was.
    actions.reply(User.objects.get(pk=member.pk), visible_thread, "Sorry, everyone.")


@pytest.mark.parametrize(
    "days", ["", "0", "366", "many"], ids=["missing", "zero", "too-long", "not-a-number"]
)
def test_a_suspension_needs_1_to_365_days_and_keeps_what_was_typed(client, moderator, member, days):
    client.force_login(moderator)
    response = client.post("/forum/members/mina/suspend/", {"days": days, "reason": "Spam links"})
    assert response.status_code == 400
    assert "Spam links</textarea>" in response.content.decode()
    assert not ModerationEntry.objects.exists()


def test_a_suspension_needs_a_reason(client, moderator, member):
    client.force_login(moderator)
    response = client.post("/forum/members/mina/suspend/", {"days": "3", "reason": "  "})
    assert response.status_code == 400
    assert "Tell the member why they are suspended." in response.content.decode()
    too_long = client.post("/forum/members/mina/suspend/", {"days": "3", "reason": "x" * 1001})
    assert too_long.status_code == 400
    assert not Standing.objects.get(user=member).suspended_until


@pytest.mark.parametrize("target", ["morgan", "ada", "root"])
def test_moderators_cannot_suspend_themselves_or_other_moderators(
    client, moderator, site_admin, target
):
    User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(moderator)
    url = f"/forum/members/{target}/suspend/"
    page = client.get(url)
    assert page.status_code == 403
    assert "cannot suspend yourself" in page.content.decode() or "cannot be suspended here" in (
        page.content.decode()
    )
    assert client.post(url, {"days": "3", "reason": "x"}).status_code == 403
    assert not ModerationEntry.objects.exists()


def test_suspending_an_unknown_member_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get("/forum/members/nobody/suspend/").status_code == 404


# ---- categories (admins) ----------------------------------------------------------------


NEW_CATEGORY = {
    "slug": "special-needs",
    "name": "Special needs",
    "name_ja": "特別支援",
    "description": "Teaching in special needs classes.",
    "description_ja": "",
    "position": "12",
}


def test_admins_add_a_category(client, site_admin):
    client.force_login(site_admin)
    page = client.get("/forum/categories/new/")
    assert page.status_code == 200
    html = page.content.decode()
    for field in NEW_CATEGORY:
        assert f'<label for="id_{field}">' in html
    response = client.post("/forum/categories/new/", NEW_CATEGORY)
    assert response.status_code == 302 and response.url == "/forum/special-needs/"
    category = Category.objects.get(slug="special-needs")
    assert (category.name_ja, category.position) == ("特別支援", 12)


@pytest.mark.parametrize("slug", ["review", "log", "t", "Categories"])
def test_a_category_cannot_take_a_forum_address(client, site_admin, slug):
    client.force_login(site_admin)
    response = client.post("/forum/categories/new/", {**NEW_CATEGORY, "slug": slug})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is used by another forum page" in html
    assert 'value="Special needs"' in html
    assert not Category.objects.filter(name="Special needs").exists()


def test_admins_edit_a_category(client, site_admin):
    client.force_login(site_admin)
    assert client.get("/forum/lesson-ideas/edit/").status_code == 200
    category = Category.objects.get(slug="lesson-ideas")
    data = {
        "slug": "lesson-ideas",
        "name": "Lesson ideas & games",
        "name_ja": category.name_ja,
        "description": category.description,
        "description_ja": category.description_ja,
        "position": category.position,
    }
    response = client.post("/forum/lesson-ideas/edit/", data)
    assert response.status_code == 302 and response.url == "/forum/lesson-ideas/"
    category.refresh_from_db()
    assert category.name == "Lesson ideas & games"
    taken = client.post("/forum/lesson-ideas/edit/", {**data, "slug": "stories"})
    assert taken.status_code == 400
    assert 'value="stories"' in taken.content.decode()
    assert 'href="/forum/lesson-ideas/"' in taken.content.decode()  # Cancel: where it is now
    assert client.get("/forum/no-such/edit/").status_code == 404


@pytest.mark.parametrize("persona", ["moderator", "contributor", "editor", "outsider"])
def test_only_admins_edit_categories(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/forum/categories/new/").status_code == 403
    assert client.post("/forum/categories/new/", NEW_CATEGORY).status_code == 403
    assert client.post("/forum/lesson-ideas/edit/", {**NEW_CATEGORY}).status_code == 403
    assert not Category.objects.filter(slug="special-needs").exists()
    assert Category.objects.filter(slug="lesson-ideas").exists()


def test_the_thread_tools_offer_each_action(rf, moderator, visible_thread):
    """forum/moderation_thread_tools.html, for the thread page to include for moderators."""
    from django.template.loader import render_to_string

    request = rf.get(visible_thread.get_absolute_url())
    request.user = moderator
    html = render_to_string(
        "forum/moderation_thread_tools.html",
        {"thread": visible_thread, "categories": Category.objects.all()},
        request=request,
    )
    assert html.count(f'action="/forum/t/{visible_thread.pk}/moderate/"') == 4
    for action in ["lock", "pin", "move", "merge"]:
        assert f'value="{action}"' in html
    assert '<option value="lesson-ideas" selected>' in html
    assert '<label for="merge-' in html and '<label for="move-' in html
