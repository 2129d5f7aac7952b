"""Browser fixtures: Debian's Chromium driven by Playwright (the SMTP server is in
tests/conftest.py).

Playwright never downloads a browser here: the tests use /usr/bin/chromium and skip, saying
why, when it is not installed (`make browser-deps` installs it).
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.helpers import PASSWORD, WAIT_MS, field

# Playwright's sync API keeps an event loop running in this thread; without this, Django's
# ORM (used by live_server and by the tests themselves) refuses to run "in async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # The machine has no outside network: stop Chromium from trying to reach it.
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (run `make browser-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh context (no cookies, no storage) and one page per test, with short timeouts."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browse_as(chromium, live_server):
    """Opens a fresh browser context for a person, logs them in through the login form and
    lands them on `start`; every context is closed at the end of the test."""
    from playwright.sync_api import expect

    contexts = []

    def browse_as(user, start: str):
        expect.set_options(timeout=WAIT_MS)
        context = chromium.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"/accounts/login/?next={start}")
        page.get_by_label(field("Login")).fill(user.username)
        page.get_by_label(field("Password")).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"{re.escape(start)}$"))
        return page

    yield browse_as
    for context in contexts:
        context.close()
