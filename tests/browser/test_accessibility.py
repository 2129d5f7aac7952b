"""axe-core (4.12, bundled by axe-playwright-python) finds no accessibility violations on the
pages learners use, in English and Japanese, on a phone-sized screen: labels, landmarks,
names, ARIA, headings, and colour contrast."""

import io
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from altto.accounts.roles import BLOG_EDITOR, MODERATOR
from altto.blog import actions as blog_actions
from altto.blog.models import Post as BlogPost
from altto.blog.models import Topic
from altto.courses import actions
from altto.forum import actions as forum_actions
from altto.forum.models import Post, Thread
from altto.revisions.actions import ensure_revision
from tests.browser.helpers import forum_categories
from tests.conftest import make_user
from tests.courses.factories import add_check, make_lesson, make_module
from tests.forum import helpers as forum
from tests.forum.helpers import BODY, make_member, opening, promote
from tests.library.factories import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The thread made by `signed_in_context` (its number is only known once it is made).
FORUM_THREAD = "(forum thread)"
FORUM_THREAD_TITLE = "Warm-ups for sleepy first-period classes"
MY_REPLY = "We sing a song first, then play four corners."
EDIT_MY_REPLY = "(forum: edit my reply)"
HISTORY_OF_MY_REPLY = "(forum: history of my reply)"
FLAG_A_REPLY = "(forum: flag a reply)"

# The blog made by `signed_in_context`: a live post (with a cover, tags and a comment), one
# coming up, one in review with an editor's inline note, a topic Sam offered to write, and
# Sam's own draft, sent back to him with changes asked for.
BLOG_POST_TITLE = "Your first week at a new school"
BLOG_TAG = "first-week"
BLOG_WRITER = "maya"
BLOG_POST = "(blog: a live post)"
BLOG_TOPIC = "(blog: a topic Sam offered to write)"
BLOG_TOPIC_TITLE = "Surviving sports day as an ALT"
MY_DRAFT_TITLE = "My first term in Hokkaido"
EDIT_MY_DRAFT = "(blog: edit my draft)"
PREVIEW_MY_DRAFT = "(blog: preview my draft)"
IN_REVIEW_TITLE = "Games for a class of forty"
REVIEW_A_POST = "(blog: review a post)"
BLOG_OPENING = "Day one is for people: the vice principal, the office staff and your JTEs."
BLOG_BODY = f"""{BLOG_OPENING}

## Before your first lesson

- Ask for the textbooks and the year plan.
- Learn the bell times.

> Bring a map of your home town and *three* photos.

Read [the team-teaching module](/modules/team-teaching/) too."""

PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/modules/",
    "/modules/team-teaching/",
    "/modules/team-teaching/planning/",
    "/me/",
    "/me/record/",
    "/me/settings/",
    "/u/sam/",
    "/no-such-page/",
    "/modules/team-teaching/planning/history/",
    "/modules/team-teaching/planning/propose/",
    "/notifications/",
    "/library/",
    "/library/?level=es&grade=3",
    "/library/whats-missing/",
    "/library/submit/",
    "/forum/",
    "/forum/all/",
    "/forum/lesson-ideas/",
    FORUM_THREAD,
    "/forum/new/",
    "/forum/trust/",
    EDIT_MY_REPLY,
    HISTORY_OF_MY_REPLY,
    FLAG_A_REPLY,
    "/blog/",
    BLOG_POST,
    f"/blog/tags/{BLOG_TAG}/",
    f"/blog/writers/{BLOG_WRITER}/",
    "/blog/upcoming/",
    "/blog/topics/",
    BLOG_TOPIC,
    "/blog/topics/new/",
    "/blog/new/",
    "/blog/drafts/",
    EDIT_MY_DRAFT,
    PREVIEW_MY_DRAFT,
    "/search/",
    "/search/?q=teach",
    "/search/?q=自己紹介",
]

EDITOR_PAGES = [
    "/review/",
    "/review/audit/",
    "/library/textbooks/",
    "/library/whats-missing/rights/",
    "/author/modules/",
]

BLOG_EDITOR_PAGES = [
    "/blog/editorial/",
    REVIEW_A_POST,  # with inline and overall notes, and the decision forms
    BLOG_TOPIC,  # with the offers and the assign buttons
]

MODERATOR_PAGES = [
    "/forum/review/",
    "/forum/log/",
    FORUM_THREAD,  # with the moderator tools and a held reply
]


@pytest.fixture
def signed_in_context(chromium, live_server, new_alt):
    """A phone-sized browser where Sam is signed in, with a lesson, a check and progress."""
    module = make_module(lessons=0)
    lesson = make_lesson(module, "planning", title="Planning together")
    add_check(lesson)
    make_lesson(module, "in-class", order=2)
    actions.mark_lesson_complete(new_alt, lesson)
    ensure_revision(lesson.texts.get(), kind="import", summary="Imported")
    make_activity()
    forum_categories()
    make_forum_thread(new_alt)
    make_blog(new_alt)
    context = browser_for(chromium, live_server, new_alt)
    yield context
    context.close()


def make_forum_thread(reader):
    """A solved question with upvoted replies, one by the reader, and one reply held for a
    moderator; a moderator's approval and hiding for the log."""
    asker = make_member("kim", display_name="Kim")
    answerer = make_member("lee", display_name="Lee")
    thread = forum.start(asker, FORUM_THREAD_TITLE, BODY, levels=["jhs"], tags=["games"])
    answer = forum.reply(
        answerer, thread, "> wake everyone up\n\nTry **four corners**:\n\n- ask\n- move"
    )
    forum.reply(asker, thread, "Thanks, [this lesson](/modules/) helps too.")
    promote(reader)
    mine = forum.reply(reader, thread, "We sing a song first.")
    forum_actions.edit_post(mine, reader, MY_REPLY)
    forum_actions.vote(answer, asker)
    forum_actions.accept_answer(thread, answer, asker)
    newcomer = make_user("nora", display_name="Nora")
    held = forum_actions.reply(newcomer, thread, "Does this work with elementary classes?")
    assert held.status == Post.Status.HELD
    moderator = make_user("mod", roles=(MODERATOR,))
    newcomer_thread = forum.start(newcomer, "Where can I buy indoor shoes?", "Size 29 please.")
    forum_actions.approve_post(opening(newcomer_thread), moderator)
    forum_actions.hide_post(mine, moderator, "Too short")
    forum_actions.restore_post(mine, moderator)
    return thread


def cover() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def blog_post(writer, editor, title, *, until="published", tags=("first week",), **fields):
    """A post by `writer`, taken along the editorial path as far as `until`."""
    post = blog_actions.start_draft(writer, title)
    blog_actions.save_post(
        post, writer, title=title, slug=post.slug, summary=fields.get("summary", ""),
        body=BLOG_BODY, language="en", tags=list(tags), cover=fields.get("cover"),
        cover_alt=fields.get("cover_alt", ""),
    )  # fmt: skip
    if until == "draft":
        return post
    blog_actions.submit_for_review(post, writer)
    if until == "review":
        return post
    now = timezone.now()
    if until == "scheduled":
        return blog_actions.schedule(post, editor, now + timedelta(days=2), now=now)
    blog_actions.schedule(post, editor, now - timedelta(minutes=1), now=now)
    blog_actions.publish_due_posts(now)
    return post


def make_blog(reader):
    """A live post with a cover, tags and a comment; one coming up; one in review with an
    editor's notes; topics (one the reader offered to write, one assigned); and the
    reader's own draft, sent back to them with changes asked for, with its history."""
    from altto.discussion import actions as discussion_actions

    editor = make_user("hana", display_name="Hana", roles=(BLOG_EDITOR,))
    writer = make_user("maya", display_name="Maya", bio="Six years in *Niigata* schools.")
    live = blog_post(
        writer, editor, BLOG_POST_TITLE, tags=("first week", "new school"), cover=cover(),
        summary="Whom to meet and what to ask before your first lesson.",
        cover_alt="A school entrance with cherry blossoms",
    )  # fmt: skip
    discussion_actions.post_comment(reader, live, "Thank you, this helped on Monday.")
    blog_post(writer, editor, "Sports day survival guide", until="scheduled")
    in_review = blog_post(writer, editor, IN_REVIEW_TITLE, until="review")
    blog_actions.add_note(in_review, editor, "And the school nurse?", quote=BLOG_OPENING)
    blog_actions.add_note(in_review, editor, "A lovely start. Maybe add a photo.")

    asked = blog_actions.add_topic(editor, BLOG_TOPIC_TITLE, "New ALTs don't know their role.")
    blog_actions.volunteer(asked, reader, "I have run the English relay three times.")
    blog_actions.volunteer(asked, writer, "A checklist for the day.")
    given = blog_actions.add_topic(editor, "Lunch with the students", "What to talk about?")
    pitch = blog_actions.volunteer(given, writer, "Ten easy questions for lunch.")
    blog_actions.assign(given, pitch, editor)

    mine = blog_post(reader, editor, MY_DRAFT_TITLE, until="review", tags=("hokkaido",))
    blog_actions.add_note(mine, editor, "Snow days?", quote=BLOG_OPENING)
    blog_actions.request_changes(mine, editor, "Please say more about the winter.")


def resolve(path: str) -> str:
    """The address of a page named by one of the placeholders above."""
    blog = {
        BLOG_POST: lambda: BlogPost.objects.get(title=BLOG_POST_TITLE).get_absolute_url(),
        BLOG_TOPIC: lambda: Topic.objects.get(title=BLOG_TOPIC_TITLE).get_absolute_url(),
        EDIT_MY_DRAFT: lambda: f"/blog/drafts/{my_draft().pk}/edit/",
        PREVIEW_MY_DRAFT: lambda: f"/blog/drafts/{my_draft().pk}/",
        REVIEW_A_POST: lambda: (
            f"/blog/drafts/{BlogPost.objects.get(title=IN_REVIEW_TITLE).pk}/review/"
        ),
    }
    if path in blog:
        return blog[path]()
    if path == FORUM_THREAD:
        return Thread.objects.get(title=FORUM_THREAD_TITLE).get_absolute_url()
    mine = Post.objects.filter(body=MY_REPLY).first()
    if path == EDIT_MY_REPLY:
        return f"/forum/p/{mine.pk}/edit/"
    if path == HISTORY_OF_MY_REPLY:
        return f"/forum/p/{mine.pk}/history/"
    if path == FLAG_A_REPLY:
        return f"/forum/p/{Post.objects.get(thread=mine.thread, author__username='lee').pk}/flag/"
    return path


def my_draft() -> BlogPost:
    return BlogPost.objects.get(title=MY_DRAFT_TITLE)


def browser_for(chromium, live_server, user):
    client = Client()
    client.force_login(user)
    # axe is injected as a script, which the site's own CSP rightly forbids.
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, bypass_csp=True
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_pages_have_no_accessibility_violations(signed_in_context, live_server, language):
    signed_in_context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = signed_in_context.new_page()
    found = {}
    for path in PAGES:
        status = page.goto(resolve(path)).status
        assert status == (404 if path == "/no-such-page/" else 200), path
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}


def test_a_check_with_feedback_has_no_accessibility_violations(signed_in_context):
    page = signed_in_context.new_page()
    page.goto("/modules/team-teaching/planning/")
    page.get_by_label("The ALT").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("Not yet").wait_for()
    assert violations(page) == []


def test_editors_pages_have_no_accessibility_violations(
    signed_in_context, chromium, live_server, editor
):
    context = browser_for(chromium, live_server, editor)
    page = context.new_page()
    found = {}
    for path in EDITOR_PAGES:
        assert page.goto(path).status == 200, path
        problems = violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_blog_editors_pages_have_no_accessibility_violations(
    signed_in_context, chromium, live_server, blog_editor
):
    context = browser_for(chromium, live_server, blog_editor)
    page = context.new_page()
    found = {}
    for path in BLOG_EDITOR_PAGES:
        assert page.goto(resolve(path)).status == 200, path
        problems = violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_moderators_pages_have_no_accessibility_violations(
    signed_in_context, chromium, live_server, moderator
):
    context = browser_for(chromium, live_server, moderator)
    page = context.new_page()
    found = {}
    for path in MODERATOR_PAGES:
        assert page.goto(resolve(path)).status == 200, path
        problems = violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_composing_in_the_forum_has_no_accessibility_violations(signed_in_context):
    """The new-thread form with the similar-questions panel filled (htmx), then refused
    with its errors shown."""
    page = signed_in_context.new_page()
    page.goto("/forum/new/")
    page.get_by_label("Title").fill("Sleepy first-period warm-ups?")
    page.get_by_role("heading", name="Already answered?").wait_for()
    assert violations(page) == []
    page.get_by_role("button", name="Post thread").click()
    page.locator(".errorlist").first.wait_for()
    assert violations(page) == []


def test_the_blogs_forms_open_and_refused_have_no_accessibility_violations(
    signed_in_context, chromium, live_server, blog_editor
):
    """A writer's draft refused (its errors shown) and an empty pitch refused; an editor's
    inline note form opened, and a schedule in the past refused."""
    page = signed_in_context.new_page()
    page.goto(resolve(EDIT_MY_DRAFT))
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_role("button", name="Save draft").click()
    page.locator(".errorlist").first.wait_for()
    assert violations(page) == []
    page.goto(resolve(BLOG_TOPIC))
    page.get_by_role("textbox", name="Your pitch").fill("")
    page.get_by_role("button", name="Save my pitch").click()
    page.locator(".errorlist").first.wait_for()
    assert violations(page) == []

    context = browser_for(chromium, live_server, blog_editor)
    page = context.new_page()
    page.goto(resolve(REVIEW_A_POST))
    page.get_by_text("Comment on this paragraph", exact=True).first.click()
    page.get_by_label("Your note on this paragraph").first.wait_for()
    assert violations(page) == []
    page.get_by_label("Publish on (Japan time)").fill("2020-04-01T09:00")
    page.get_by_role("button", name="Approve and schedule").click()
    page.locator(".form-errors").first.wait_for()
    problems = violations(page)
    context.close()
    assert problems == []
