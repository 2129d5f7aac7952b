"""A new ALT's first visit, in a real browser: sign up, confirm the email that a real SMTP
server received, log in, fill in the profile, read it back, switch language and log out.
Plus the keyboard path into the page, the page landmarks, and a clean console."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "kenji_alt"
EMAIL = "kenji@example.org"
PASSWORD = "Tadpole-Lantern-42-Orbit"
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s/]+/)")


def label(text: str) -> re.Pattern:
    """A field's visible label, exactly, with or without Django's ":" suffix."""
    return re.compile(rf"^{re.escape(text)}:?$")


def confirmation_path(message) -> str:
    """The path of the confirmation link in an allauth email (its host is not trusted)."""
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    found = CONFIRM_LINK.search(body)
    assert found, f"no confirmation link in the email:\n{body}"
    return found.group(1)


def test_a_new_alt_signs_up_confirms_fills_profile_and_logs_out(page, live_server, smtp_inbox):
    # Home page → Sign up.
    page.goto("/")
    header = page.get_by_role("banner")
    header.get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    page.get_by_label(label("Email")).fill(EMAIL)
    page.get_by_label(label("Username")).fill(USERNAME)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("main")).to_contain_text(
        "We have sent an email to you for verification"
    )

    # The email went through a real SMTP conversation.
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == EMAIL
    assert message["Subject"].startswith("[ALTTO] ")
    page.goto(live_server.url + confirmation_path(message))

    # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: opening the link alone confirms nothing.
    main = page.get_by_role("main")
    expect(main).to_contain_text(EMAIL)
    main.get_by_role("button", name="Confirm").click()

    # Confirmed, but not logged in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off): log in.
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.get_by_label(label("Login")).fill(USERNAME)  # allauth's label; takes username or email
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()

    # Settings: fill in the profile.
    page.get_by_role("banner").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/me/settings/$"))
    page.get_by_label("Display name").fill("Kenji Watanabe")
    page.get_by_label("ALT type").select_option(label="Dispatch company")
    page.get_by_label("Prefecture").select_option(label="Hokkaido")
    page.get_by_label("Junior high school").check()
    page.get_by_label("Short bio").fill("I teach **phonics** to first-years in Sapporo.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile has been saved.")

    # The public profile shows it, with the bio's Markdown rendered.
    page.goto(f"/u/{USERNAME}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenji Watanabe")
    bio = page.get_by_role("region", name="About")
    expect(bio.locator("strong")).to_have_text("phonics")
    expect(page.get_by_role("main")).to_contain_text("Dispatch company")
    expect(page.get_by_role("main")).to_contain_text("Hokkaido")
    expect(page.get_by_role("main")).to_contain_text("Junior high school")

    # The footer's language switcher turns the site Japanese.
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="日本語")
    footer.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_url(re.compile(rf"/u/{USERNAME}/$"))

    # Log out from the header (a POST form; no Japanese text relied on).
    page.get_by_role("banner").locator("form[action='/accounts/logout/'] button").click()
    signed_out = page.get_by_role("banner").locator("a[href='/accounts/login/']")
    expect(signed_out).to_be_visible()
    expect(page.get_by_role("banner").locator("form[action='/accounts/logout/']")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def test_keyboard_users_can_skip_to_the_main_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused, even if hidden otherwise

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # One of each landmark; every navigation region is named.
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.locator("footer")).to_have_count(1)
    navs = page.locator("nav")
    assert navs.count() >= 1
    for nav in navs.all():
        label = nav.get_attribute("aria-label")
        assert label and label.strip(), f"a <nav> has no aria-label: {nav.inner_html()[:200]}"


# Reported from inside the page too, in case a violation is not echoed to the console.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const what = `${event.violatedDirective} ${event.blockedURI}`;
  console.error(`Content Security Policy violation: ${what}`);
});
"""


def test_pages_load_without_console_errors_or_csp_violations(page):
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console {message.type}: {message.text}")

    def on_response(response) -> None:
        # The browser's own favicon probe is not something the page asked for.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} for {response.url}")

    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_failed(request) -> None:
        # Leaving a page cancels the browser's own icon fetch (net::ERR_ABORTED): not an error.
        if request.failure == "net::ERR_ABORTED" and "favicon" in request.url:
            return
        problems.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)

    for path in ("/", "/accounts/signup/"):
        response = page.goto(path, wait_until="load")
        assert response is not None and response.ok, f"{path} answered {response.status}"
        expect(page.get_by_role("main")).to_be_visible()
        # The stylesheet and htmx really loaded (a blocked file would also show up above).
        assert page.evaluate("typeof window.htmx") == "object"
        assert page.evaluate("document.styleSheets.length") >= 1

    assert problems == []
