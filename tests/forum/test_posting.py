"""Reading and posting in the forum, persona by persona: threads, replies, Markdown, quotes,
mentions, edits, deletion, votes, accepted answers and following."""

import re

import pytest
from django.urls import reverse

from altto.forum import actions, queries
from altto.forum.models import Post, PostRevision, Tag, Thread, Vote
from altto.notifications.models import Notification
from tests.forum.helpers import (
    BODY,
    TITLE,
    flashes,
    html,
    lesson_ideas,
    make_member,
    opening,
    promote,
    reply,
    start,
    thread_url,
)

pytestmark = pytest.mark.django_db

NEW = "/forum/new/"


def new_thread_data(**changes) -> dict:
    data = {"category": "lesson-ideas", "kind": "question", "title": TITLE, "body": BODY}
    data.update(changes)
    return data


def notified(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


# ---- anonymous visitors and outsiders -------------------------------------------------


def test_anonymous_visitor_reads_lists_and_threads(client, thread):
    reply(make_member("ren"), thread, "Try a two-minute picture description race.")
    for url in ["/forum/", "/forum/all/", "/forum/lesson-ideas/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert TITLE in html(response), url
    page = client.get(thread_url(thread))
    assert page.status_code == 200
    assert BODY in html(page)
    assert "picture description race" in html(page)
    assert "Log in to reply" in html(page)
    assert 'action="/forum/t/' not in html(page).split('id="reply"')[1]


def test_anonymous_visitor_posting_is_sent_to_log_in(client, thread):
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Hello there, everyone!"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get(NEW).url.startswith("/accounts/login/")
    assert client.post(NEW, new_thread_data()).url.startswith("/accounts/login/")
    assert Post.objects.count() == 1
    assert Thread.objects.count() == 1


def test_outsider_may_read_but_not_post(client, outsider, thread):
    client.force_login(outsider)
    assert client.get(thread_url(thread)).status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_thread_data(title="An outsider asks a question")).status_code == 403
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Outsider words here."})
    assert response.status_code == 403
    assert not Post.objects.filter(author=outsider).exists()


# ---- new members: held for review ---------------------------------------------------------


def test_new_members_thread_waits_for_review_and_only_they_see_it(
    client, new_alt, contributor, moderator
):
    client.force_login(new_alt)
    response = client.post(NEW, new_thread_data())
    assert response.status_code == 302
    thread = Thread.objects.get(author=new_alt)
    assert thread.status == Thread.Status.HELD
    assert any("checked by a moderator" in m for m in flashes(response))

    own = client.get(response.url)
    assert own.status_code == 200
    assert "Waiting for review" in html(own)
    assert BODY in html(own)
    assert TITLE not in html(client.get("/forum/all/"))

    client.force_login(contributor)
    assert client.get(thread_url(thread)).status_code == 404
    assert client.get(f"/forum/t/{thread.pk}/").status_code == 404
    assert client.get(f"/forum/p/{opening(thread).pk}/").status_code == 404
    assert TITLE not in html(client.get("/forum/lesson-ideas/"))
    client.logout()
    assert client.get(thread_url(thread)).status_code == 404
    client.force_login(moderator)
    assert client.get(thread_url(thread)).status_code == 200


def test_new_members_reply_waits_for_review(client, new_alt, contributor, thread):
    client.force_login(new_alt)
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "My first reply, hello!"})
    assert response.status_code == 302
    held = Post.objects.get(author=new_alt)
    assert held.status == Post.Status.HELD
    page = html(client.get(thread_url(thread)))
    assert "My first reply, hello!" in page
    assert "Waiting for review" in page

    client.force_login(contributor)
    assert "My first reply, hello!" not in html(client.get(thread_url(thread)))
    assert client.get(f"/forum/p/{held.pk}/").status_code == 404
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_new_member_may_post_two_outside_links(client, new_alt, thread):
    client.force_login(new_alt)
    body = "See [a](https://example.com/a) and ![b](https://example.com/b.png) for ideas."
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 302
    assert Post.objects.filter(author=new_alt).count() == 1


def test_new_member_with_three_links_gets_a_clear_error_and_keeps_the_text(client, new_alt, thread):
    client.force_login(new_alt)
    body = "Links: " + " ".join(f"[{i}](https://spam.example/{i})" for i in (1, 2, 3)) + " end"
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 400
    page = html(response)
    assert "at most 2 links" in page
    assert "[3](https://spam.example/3) end" in page  # the text is still in the reply box
    assert not Post.objects.filter(author=new_alt).exists()

    response = client.post(NEW, new_thread_data(body=body))
    assert response.status_code == 400
    assert "at most 2 links" in html(response)
    assert "[3](https://spam.example/3) end" in html(response)
    assert not Thread.objects.filter(author=new_alt).exists()


def test_members_posts_appear_at_once(client, member, contributor):
    client.force_login(member)
    response = client.post(NEW, new_thread_data())
    thread = Thread.objects.get(author=member)
    assert thread.status == Thread.Status.VISIBLE
    assert "Your thread is posted." in flashes(response)
    client.force_login(promote(contributor))
    response = client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Fruit basket works!"})
    post = Post.objects.get(author=contributor)
    assert response.url == f"/forum/p/{post.pk}/"
    client.logout()
    page = html(client.get(thread_url(thread)))
    assert "Fruit basket works!" in page
    assert "Waiting for review" not in page
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_new_thread_form_prefills_category_and_saves_tags(client, member):
    client.force_login(member)
    form = client.get(NEW, {"category": "stories", "kind": "story"})
    assert form.status_code == 200
    assert re.search(r'<option value="stories" selected>', html(form))
    client.post(
        NEW,
        new_thread_data(levels=["jhs"], employers=["jet"], tags="phonics, Games"),
    )
    thread = Thread.objects.get(author=member)
    assert set(thread.tags.values_list("slug", flat=True)) == {"jhs", "jet", "phonics", "games"}


# ---- thread addresses -------------------------------------------------------------------


def test_thread_addresses(client, thread):
    canonical = f"/forum/t/{thread.pk}-{thread.slug}/"
    assert thread.get_absolute_url() == canonical
    assert client.get(canonical).status_code == 200

    wrong = client.get(f"/forum/t/{thread.pk}-some-old-title/", {"page": "1"})
    assert wrong.status_code == 302
    assert wrong.url == f"{canonical}?page=1"

    short = client.get(f"/forum/t/{thread.pk}/")
    assert short.status_code == 301
    assert short.url == canonical

    assert client.get(f"/forum/t/{thread.pk + 99}/").status_code == 404


def test_japanese_titles_get_working_addresses(client, member):
    thread = start(member, title="中学校の授業で使えるゲームは？")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "中学校の授業で使えるゲームは？" in html(response)


# ---- lists --------------------------------------------------------------------------------


def titles_in(response) -> list[str]:
    return re.findall(
        r'<p class="forum-row-title">.*?<a href="[^"]+">([^<]+)</a>', html(response), re.S
    )


@pytest.fixture
def listed(member, contributor):
    """A question (solved), an unanswered question, a discussion with a tag, a story."""
    answerer = promote(contributor)
    solved = start(member, title="How do I handle a silent class?")
    answer = reply(answerer, solved, "Pair work first, then share.")
    actions.accept_answer(solved, answer, member)
    unanswered = start(member, title="Where can I buy cheap flashcards?")
    discussion = start(
        member, title="Phonics in elementary school", kind="discussion", tags=["phonics"]
    )
    story = start(member, title="My first sports day as an ALT", kind="story")
    actions.vote(opening(story), answerer)
    return {"solved": solved, "unanswered": unanswered, "discussion": discussion, "story": story}


def test_lists_filter_by_kind_tag_and_answers(client, listed):
    url = "/forum/lesson-ideas/"
    assert set(titles_in(client.get(url, {"kind": "question"}))) == {
        "How do I handle a silent class?",
        "Where can I buy cheap flashcards?",
    }
    assert titles_in(client.get(url, {"kind": "story"})) == ["My first sports day as an ALT"]
    assert titles_in(client.get(url, {"tag": "phonics"})) == ["Phonics in elementary school"]
    assert titles_in(client.get("/forum/all/", {"show": "solved"})) == [
        "How do I handle a silent class?"
    ]
    assert titles_in(client.get(url, {"show": "unanswered"})) == [
        "Where can I buy cheap flashcards?"
    ]
    none = client.get(url, {"kind": "story", "tag": "phonics"})
    assert "No threads match these filters." in html(none)
    # Nonsense values are ignored rather than breaking the page.
    assert len(titles_in(client.get(url, {"kind": "nonsense", "sort": "drop"}))) == 4


def test_lists_sort_latest_new_and_top(client, listed):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    # Created: solved oldest ... story newest; activity: the solved question most recent.
    for age, key in enumerate(["story", "discussion", "unanswered", "solved"]):
        Thread.objects.filter(pk=listed[key].pk).update(created_at=now - timedelta(hours=age))
    Thread.objects.filter(pk=listed["solved"].pk).update(last_posted_at=now)
    for age, key in enumerate(["story", "discussion", "unanswered"], start=1):
        Thread.objects.filter(pk=listed[key].pk).update(last_posted_at=now - timedelta(hours=age))
    url = "/forum/lesson-ideas/"
    latest = titles_in(client.get(url))
    assert latest[0] == "How do I handle a silent class?"
    assert titles_in(client.get(url, {"sort": "latest"})) == latest
    newest = titles_in(client.get(url, {"sort": "new"}))
    assert newest[0] == "My first sports day as an ALT"
    assert newest[-1] == "How do I handle a silent class?"
    top = titles_in(client.get(url, {"sort": "top"}))
    assert top[0] == "My first sports day as an ALT"  # the only upvoted thread


def test_pagination_keeps_the_filters(client, member):
    rows = [
        Thread(category=lesson_ideas(), kind="discussion", title=f"Discussion number {i}",
               author=member, status="visible")
        for i in range(queries.THREADS_PER_PAGE + 5)
    ]  # fmt: skip
    for row in rows:
        row.save()
        Post.objects.create(thread=row, author=member, is_opening=True, body="x", body_html="x")
        actions.refresh_thread(row)
    start(member, title="A question that is filtered out")
    response = client.get("/forum/lesson-ideas/", {"kind": "discussion", "sort": "new"})
    page = html(response)
    assert len(titles_in(response)) == queries.THREADS_PER_PAGE
    assert 'href="?kind=discussion&amp;sort=new&amp;page=2"' in page
    second = client.get("/forum/lesson-ideas/", {"kind": "discussion", "sort": "new", "page": 2})
    assert len(titles_in(second)) == 5
    assert 'href="?kind=discussion&amp;sort=new&amp;page=1"' in html(second)
    assert "A question that is filtered out" not in html(second)


def test_forum_index_shows_thread_count_and_latest_activity(client, member):
    start(member)
    start(member, title="Another lesson idea for Monday")
    page = html(client.get("/forum/"))
    card = page.split('href="/forum/lesson-ideas/"')[1].split("</li>")[0]
    assert "2 threads" in card
    assert "latest activity" in card
    stories = page.split('href="/forum/stories/"')[1].split("</li>")[0]
    assert "0 threads" in stories
    assert "latest activity" not in stories


# ---- replies: Markdown, quotes, mentions ----------------------------------------------------


def test_markdown_is_rendered_and_sanitised(client, member, thread):
    client.force_login(member)
    body = "**Bold idea** and <script>alert('x')</script> and [bad](javascript:alert(1))"
    client.post(f"/forum/t/{thread.pk}/reply/", {"body": body})
    page = html(client.get(thread_url(thread)))
    assert "<strong>Bold idea</strong>" in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert 'href="javascript:' not in page


def test_quote_prefills_the_reply_box(client, contributor, member, thread):
    post = reply(member, thread, "First line of advice\nSecond line of advice")
    client.force_login(contributor)
    response = client.get(thread_url(thread), {"quote": post.pk})
    initial = response.context["reply_form"]["body"].value()
    assert "> First line of advice\n> Second line of advice" in initial
    assert initial.startswith("@mina")
    assert "&gt; First line of advice" in html(response)
    # Nonsense or unknown quote ids leave the box empty.
    assert client.get(thread_url(thread), {"quote": "x"}).context["reply_form"]["body"].value() in (
        "",
        None,
    )


def test_mentions_link_to_profiles_and_notify(
    client, member, contributor, django_capture_on_commit_callbacks
):
    thread = start(member)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{thread.pk}/reply/", {"body": "What do you think, @priya?"})
    page = html(client.get(thread_url(thread)))
    assert f'href="{reverse("accounts:profile", kwargs={"username": "priya"})}"' in page
    [note] = notified(contributor, "forum_mention")
    assert note.params["actor"] == "Mina"
    assert "Mina mentioned you" in note.message()


# ---- editing and deleting -------------------------------------------------------------------


def test_author_edits_and_history_is_kept(client, member, contributor, moderator, thread):
    post = reply(member, thread, "Original words of advice.")
    client.force_login(member)
    assert client.get(f"/forum/p/{post.pk}/edit/").status_code == 200
    response = client.post(f"/forum/p/{post.pk}/edit/", {"body": "Better words of advice."})
    assert response.status_code == 302
    assert PostRevision.objects.get(post=post).body == "Original words of advice."
    own = html(client.get(thread_url(thread)))
    assert "Better words of advice." in own
    assert f'href="/forum/p/{post.pk}/history/"' in own
    history = client.get(f"/forum/p/{post.pk}/history/")
    assert history.status_code == 200
    assert "Original words of advice." in html(history)

    client.force_login(contributor)
    other = html(client.get(thread_url(thread)))
    assert "edited" in other
    assert "Original words of advice." not in other
    assert client.get(f"/forum/p/{post.pk}/history/").status_code == 403

    client.force_login(moderator)
    assert "Original words of advice." in html(client.get(f"/forum/p/{post.pk}/history/"))


def test_editing_the_title_keeps_the_old_one(client, member, thread):
    client.force_login(member)
    post = opening(thread)
    response = client.post(
        f"/forum/p/{post.pk}/edit/", {"title": "Warm-ups for very sleepy classes", "body": BODY}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Warm-ups for very sleepy classes"
    assert PostRevision.objects.get(post=post).title == TITLE


def test_editing_someone_elses_post_is_forbidden(client, member, contributor, moderator, thread):
    post = opening(thread)
    for user in [contributor, moderator]:
        client.force_login(user)
        assert client.get(f"/forum/p/{post.pk}/edit/").status_code == 403
        response = client.post(f"/forum/p/{post.pk}/edit/", {"title": TITLE, "body": "Hijacked!"})
        assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == BODY
    assert not PostRevision.objects.exists()


def test_deleted_post_leaves_a_placeholder_without_its_words(
    client, member, contributor, moderator, thread
):
    post = reply(member, thread, "Words I regret writing here.")
    client.force_login(contributor)
    assert client.post(f"/forum/p/{post.pk}/delete/").status_code == 403
    client.force_login(member)
    assert client.post(f"/forum/p/{post.pk}/delete/").status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED
    for user in [member, contributor]:
        client.force_login(user)
        page = html(client.get(thread_url(thread)))
        assert "This post was deleted." in page
        assert "Words I regret writing here." not in page
        quoted = client.get(thread_url(thread), {"quote": post.pk})
        assert "regret" not in (quoted.context["reply_form"]["body"].value() or "")
    client.logout()
    assert "Words I regret writing here." not in html(client.get(thread_url(thread)))
    client.force_login(moderator)
    assert "Words I regret writing here." in html(client.get(thread_url(thread)))
    thread.refresh_from_db()
    assert thread.reply_count == 0


# ---- votes and accepted answers -------------------------------------------------------------


def test_upvote_counts_once(client, contributor, thread):
    post = opening(thread)
    client.force_login(contributor)
    url = f"/forum/p/{post.pk}/vote/"
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    fragment = html(first)
    assert 'aria-pressed="true"' in fragment
    assert '<span class="forum-score">1</span>' in fragment
    assert "<html" not in fragment
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert '<span class="forum-score">1</span>' in html(second)
    assert Vote.objects.filter(post=post).count() == 1
    thread.refresh_from_db()
    assert thread.score == 1
    post.refresh_from_db()
    assert post.score == 1
    # Without htmx: back to the post.
    assert client.post(url).status_code == 302
    assert Vote.objects.filter(post=post).count() == 1
    # Taking the vote back.
    removed = client.post(url, {"vote": "remove"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in html(removed)
    assert Vote.objects.filter(post=post).count() == 0


def test_cannot_upvote_own_post(client, member, thread):
    post = opening(thread)
    client.force_login(member)
    assert client.post(f"/forum/p/{post.pk}/vote/").status_code == 403
    with pytest.raises(actions.Refused):
        actions.vote(post, member)
    assert not Vote.objects.exists()


@pytest.fixture
def answered(member, contributor):
    """A question with two replies: an early one, and priya's later one."""
    thread = start(member)
    early = reply(make_member("ren", display_name="Ren"), thread, "Early reply: stretch.")
    late = reply(promote(contributor), thread, "Late reply: shiritori relay.")
    return thread, early, late


def test_asker_accepts_an_answer_shown_first(
    client, member, answered, django_capture_on_commit_callbacks
):
    thread, early, late = answered
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forum/t/{thread.pk}/accept/", {"post": late.pk})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_answer_id == late.pk
    page = html(client.get(thread_url(thread)))
    assert '<span class="tag tag-solved">Solved</span>' in page.split("<article")[0]
    positions = [page.index(f'id="post-{p.pk}"') for p in (opening(thread), late, early)]
    assert positions == sorted(positions)
    [note] = notified(late.author, "forum_answer_accepted")
    assert note.url == f"/forum/p/{late.pk}/"
    assert titles_in(client.get("/forum/all/", {"show": "solved"})) == [thread.title]
    assert titles_in(client.get("/forum/all/", {"show": "unanswered"})) == []


def test_moderator_may_accept_but_other_members_may_not(client, moderator, answered):
    thread, early, late = answered
    client.force_login(late.author)
    assert client.post(f"/forum/t/{thread.pk}/accept/", {"post": late.pk}).status_code == 403
    client.force_login(early.author)
    assert client.post(f"/forum/t/{thread.pk}/accept/", {"post": late.pk}).status_code == 403
    thread.refresh_from_db()
    assert thread.accepted_answer_id is None
    client.force_login(moderator)
    client.post(f"/forum/t/{thread.pk}/accept/", {"post": early.pk})
    thread.refresh_from_db()
    assert thread.accepted_answer_id == early.pk


def test_accepting_a_post_from_another_thread_is_refused(client, member, answered):
    thread, early, late = answered
    other = start(member, title="Another question about games")
    stranger = reply(make_member("kai"), other, "An answer elsewhere.")
    client.force_login(member)
    response = client.post(f"/forum/t/{thread.pk}/accept/", {"post": stranger.pk})
    assert response.status_code == 302
    assert "That answer belongs to another thread." in flashes(response)
    thread.refresh_from_db()
    other.refresh_from_db()
    assert thread.accepted_answer_id is None
    assert other.accepted_answer_id is None


def test_accept_buttons_only_for_the_asker(client, member, contributor, answered):
    thread, early, late = answered
    client.force_login(member)
    assert "Accept this answer" in html(client.get(thread_url(thread)))
    client.force_login(contributor)
    assert "Accept this answer" not in html(client.get(thread_url(thread)))


# ---- following --------------------------------------------------------------------------


def test_posting_follows_the_thread_and_followers_hear_of_replies(
    client, member, contributor, django_capture_on_commit_callbacks
):
    thread = start(member)
    replier = promote(contributor)
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Try a quick stretch first."})
    # Mina asked: the reply is addressed to her, a kind email preferences can tell apart.
    [note] = notified(member, "forum_reply_to_you")
    assert "Priya replied to your thread" in note.message()
    assert not notified(member, "forum_reply")
    assert not notified(replier, "forum_reply")  # not told of their own words
    # Priya now follows too: Mina's answer reaches her.
    client.force_login(member)
    assert "Stop following" in html(client.get(thread_url(thread)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forum/t/{thread.pk}/reply/", {"body": "Thanks, that worked well!"})
    assert len(notified(replier, "forum_reply")) == 1


def test_follow_and_unfollow_a_thread(
    client, member, contributor, django_capture_on_commit_callbacks
):
    thread = start(member)
    client.force_login(contributor)
    assert "Follow this thread" in html(client.get(thread_url(thread)))
    client.post(f"/forum/t/{thread.pk}/follow/")
    assert "Stop following" in html(client.get(thread_url(thread)))
    with django_capture_on_commit_callbacks(execute=True):
        reply(member, thread, "Update: it worked.")
    assert len(notified(contributor, "forum_reply")) == 1
    client.post(f"/forum/t/{thread.pk}/follow/", {"follow": "off"})
    assert "Follow this thread" in html(client.get(thread_url(thread)))
    with django_capture_on_commit_callbacks(execute=True):
        reply(member, thread, "Another update.")
    assert len(notified(contributor, "forum_reply")) == 1


def test_category_followers_hear_of_new_threads(
    client, member, contributor, django_capture_on_commit_callbacks
):
    client.force_login(contributor)
    client.post("/forum/lesson-ideas/follow/")
    assert "Stop following" in html(client.get("/forum/lesson-ideas/"))
    with django_capture_on_commit_callbacks(execute=True):
        start(member)
        start(member, title="A story for another category", kind="story",
              category=lesson_ideas().__class__.objects.get(slug="stories"))  # fmt: skip
    [note] = notified(contributor, "forum_new_thread")
    assert note.params["title"] == TITLE
    assert "Mina started" in note.message()
    client.post("/forum/lesson-ideas/follow/", {"follow": "off"})
    assert "Follow this category" in html(client.get("/forum/lesson-ideas/"))
    with django_capture_on_commit_callbacks(execute=True):
        start(member, title="Yet another lesson idea")
    assert len(notified(contributor, "forum_new_thread")) == 1


def test_tags_link_to_filtered_lists(client, member):
    start(member, tags=["phonics"])
    page = html(client.get("/forum/lesson-ideas/"))
    assert 'href="/forum/lesson-ideas/?tag=phonics"' in page
    assert Tag.objects.filter(slug="phonics").exists()


def test_the_new_thread_form_starts_as_a_question_or_the_kind_asked_for(client, member):
    client.force_login(member)
    checked = re.compile(r'<input type="radio" name="kind" value="(\w+)"[^>]*checked')
    assert checked.findall(client.get("/forum/new/").content.decode()) == ["question"]
    story = client.get("/forum/new/?kind=story").content.decode()
    assert checked.findall(story) == ["story"]
    nonsense = client.get("/forum/new/?kind=nonsense").content.decode()
    assert checked.findall(nonsense) == ["question"]


def test_deleting_an_unanswered_question_takes_the_thread_out_of_sight(
    client, member, contributor, moderator, thread
):
    client.force_login(member)
    response = client.post(f"/forum/p/{opening(thread).pk}/delete/")
    assert response.status_code == 302
    assert response.url == thread.category.get_absolute_url()
    thread.refresh_from_db()
    assert thread.status == Thread.Status.HIDDEN
    assert TITLE not in html(client.get("/forum/all/"))
    client.force_login(contributor)
    assert client.get(thread_url(thread)).status_code == 404
    client.force_login(moderator)
    assert client.get(thread_url(thread)).status_code == 200


def test_a_question_others_answered_cannot_be_deleted(client, member, contributor, thread):
    reply(promote(contributor), thread, "Here is what worked for me.")
    client.force_login(member)
    page = html(client.get(thread_url(thread)))
    assert f'action="/forum/p/{opening(thread).pk}/delete/"' not in page
    assert client.post(f"/forum/p/{opening(thread).pk}/delete/").status_code == 403
    thread.refresh_from_db()
    assert thread.status == Thread.Status.VISIBLE
