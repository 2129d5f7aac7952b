"""axe-core (4.12, bundled by axe-playwright-python) finds no accessibility violations on the
pages learners use, in English and Japanese, on a phone-sized screen: labels, landmarks,
names, ARIA, headings, and colour contrast."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from altto.courses import actions
from altto.revisions.actions import ensure_revision
from tests.courses.factories import add_check, make_lesson, make_module
from tests.library.factories import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
]

EDITOR_PAGES = [
    "/review/",
    "/review/audit/",
    "/library/textbooks/",
    "/library/whats-missing/rights/",
    "/author/modules/",
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
    context = browser_for(chromium, live_server, new_alt)
    yield context
    context.close()


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
        status = page.goto(path).status
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
