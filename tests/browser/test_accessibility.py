"""axe-core (4.12, bundled by axe-playwright-python) finds no accessibility violations on the
pages learners use, in English and Japanese, on a phone-sized screen: labels, landmarks,
names, ARIA, headings, and colour contrast."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from altto.accounts.roles import MODERATOR
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
]

EDITOR_PAGES = [
    "/review/",
    "/review/audit/",
    "/library/textbooks/",
    "/library/whats-missing/rights/",
    "/author/modules/",
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


def resolve(path: str) -> str:
    """The address of a page named by one of the placeholders above."""
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
