"""A learner's whole course journey, in a real browser: sign up and confirm by email, find a
module on their learning path, pass a knowledge check, complete every lesson, download the
certificate PDF, and show the public certificate page to an employer while logged out.
Plus the knowledge check answered with the keyboard alone, with htmx and without JavaScript."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import field
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "aiko_alt"
EMAIL = "aiko@example.org"
PASSWORD = "Kettle-Meadow-73-Lantern"
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/accounts/confirm-email/[^\s/]+/)")

MODULE_TITLE = "Team teaching at junior high"
FIRST_LESSON = "Planning with your JTE"
SECOND_LESSON = "After the lesson"
OTHER_MODULE_TITLE = "Songs for elementary school"


def jhs_module():
    """Two published lessons for junior high school ALTs; only the first has a check."""
    module = make_module("jhs-team-teaching", title=MODULE_TITLE, school_levels=["jhs"])
    first = make_lesson(module, "planning-with-your-jte", title=FIRST_LESSON, order=1)
    add_check(first)  # single choice: "The JTE" is right, "The ALT" is wrong
    make_lesson(module, "after-the-lesson", title=SECOND_LESSON, order=2)
    return module, first


def sign_up_confirm_and_log_in(page, live_server, smtp_inbox) -> None:
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label(field("Email")).fill(EMAIL)
    page.get_by_label(field("Username")).fill(USERNAME)
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_label(field("Password (again)")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    # The link arrives through a real SMTP conversation; its host is not trusted, only its path.
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == EMAIL
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    link = CONFIRM_LINK.search(body)
    assert link, f"no confirmation link in the email:\n{body}"
    page.goto(live_server.url + link.group(1))
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    log_in(page, USERNAME, PASSWORD)


def log_in(page, login: str, password: str) -> None:
    page.get_by_label(field("Login")).fill(login)
    page.get_by_label(field("Password")).fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Log out")).to_be_visible()


def fact(certificate, term: str):
    """The <dd> that follows the <dt> with this text, in the certificate's facts."""
    return certificate.locator(f"dt:text-is('{term}') + dd")


def pdf_text(content: bytes) -> str:
    return "\n".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_learner_follows_a_path_completes_a_module_and_shares_the_certificate(
    page, live_server, smtp_inbox
):
    jhs_module()
    make_module("elementary-songs", title=OTHER_MODULE_TITLE, order=2, school_levels=["es"])

    sign_up_confirm_and_log_in(page, live_server, smtp_inbox)

    # Modules, from the main navigation; then a learning path for junior high school.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Modules", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/modules/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Training modules")
    path_form = page.get_by_role("form", name="Your learning path")
    path_form.get_by_label("I teach at").select_option(label="Junior high school")
    path_form.get_by_role("button", name="Show my path").click()
    expect(page).to_have_url(re.compile(r"/modules/\?.*\blevel=jhs\b"))
    expect(page.get_by_label("I teach at")).to_have_value("jhs")
    modules = page.locator("ol.module-list")
    expect(modules.get_by_role("link", name=MODULE_TITLE)).to_be_visible()
    expect(modules.get_by_role("link", name=OTHER_MODULE_TITLE)).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("1 more module is outside this path.")

    # The module, then its first lesson.
    modules.get_by_role("link", name=MODULE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE_TITLE)
    expect(page.get_by_role("main")).to_contain_text("0 of 2 lessons complete")
    lessons = page.get_by_role("region", name="Lessons")
    lessons.get_by_role("link", name=FIRST_LESSON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_LESSON)
    lesson_url = page.url

    # The knowledge check: a wrong answer first, then the right one (swapped in by htmx).
    check = page.locator("#check")
    page.get_by_label("The ALT").check()
    check.get_by_role("button", name="Check my answers").click()
    expect(check.get_by_role("status")).to_contain_text("Not yet: 0 of 1 correct.")
    expect(check.locator(".feedback.wrong")).to_have_text(
        "Not quite: The ALT assists; the JTE leads."
    )
    expect(check.get_by_text("✗ Not correct yet")).to_be_visible()

    page.get_by_label("The JTE").check()
    check.get_by_role("button", name="Check again").click()
    expect(check.get_by_role("status")).to_contain_text("Passed: 1 of 1 correct.")
    expect(check.locator(".feedback.right")).to_have_text("Right: Yes: they are T1.")
    expect(page).to_have_url(lesson_url)  # htmx swapped the check; the page stayed

    progress = page.get_by_role("region", name="Lesson progress")
    progress.get_by_role("button", name="Mark complete").click()
    expect(page.locator(".messages")).to_contain_text("Lesson complete. Well done!")
    expect(progress).to_contain_text("You completed this lesson.")

    # The pager leads to the second lesson, which has no check.
    pager = page.get_by_role("navigation", name="Lessons in this module")
    pager.get_by_role("link", name=f"{SECOND_LESSON} →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_LESSON)
    expect(page.locator("#check")).to_have_count(0)
    progress.get_by_role("button", name="Mark complete").click()
    expect(progress).to_contain_text("You completed this lesson.")

    # My learning lists the module as completed and its certificate.
    page.get_by_role("banner").get_by_role("link", name="My learning").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    completed = page.get_by_role("region", name="Completed")
    expect(completed.get_by_role("link", name=MODULE_TITLE)).to_be_visible()
    certificates = page.get_by_role("region", name="Certificates")
    listed = certificates.get_by_role("listitem").filter(has_text=MODULE_TITLE)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b"))
    listed.get_by_role("link", name=MODULE_TITLE).click()

    # The certificate page, as its owner sees it.
    expect(page).to_have_url(re.compile(r"/certificates/[2-9A-Z]{12}/$"))
    certificate_url = page.url
    certificate = page.get_by_role("article", name="Certificate of completion")
    expect(certificate).to_contain_text("Valid certificate")
    formatted_code = certificate.locator("code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", formatted_code)
    code = formatted_code.replace("-", "")
    assert certificate_url.endswith(f"/certificates/{code}/")
    expect(fact(certificate, "Name")).to_have_text(USERNAME)
    expect(fact(certificate, "Module")).to_have_text(MODULE_TITLE)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"altto-certificate-{code}.pdf"
    with open(download.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (MODULE_TITLE, formatted_code, USERNAME):
        assert expected in text, f"{expected!r} not in the PDF's text:\n{text}"

    # Logged out, anyone with the address can check the certificate, but not download it.
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    page.goto(certificate_url)
    certificate = page.get_by_role("article", name="Certificate of completion")
    expect(certificate).to_contain_text("Valid certificate")
    expect(fact(certificate, "Name")).to_have_text(USERNAME)
    expect(fact(certificate, "Module")).to_have_text(MODULE_TITLE)
    expect(certificate.locator("code")).to_have_text(formatted_code)
    expect(page.get_by_role("link", name="Download PDF")).to_have_count(0)
    expect(page.get_by_role("button", name="Change the name")).to_have_count(0)


# --- The knowledge check, by keyboard -----------------------------------------------------

WAIT_MS = 10_000


@pytest.fixture(params=[True, False], ids=["htmx", "without-javascript"])
def learner_page(request, chromium, live_server, new_alt):
    """A page for Sam (a verified learner), logged in through the form, with JavaScript on
    (the check goes through htmx) or off (the same form posts and the page reloads)."""
    expect.set_options(timeout=WAIT_MS)
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=request.param
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    log_in(page, new_alt.username, "correct horse battery staple")
    yield page, request.param
    context.close()


def tab_until_focused(page, target, most: int = 40) -> int:
    """Press Tab until `target` has the focus; the number of presses it took (0: it had it)."""
    for presses in range(most + 1):
        if target.evaluate("element => element === document.activeElement"):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{most} Tab presses never reached {target}")


def test_a_keyboard_only_learner_answers_the_knowledge_check(learner_page):
    page, javascript = learner_page
    _module, lesson = jhs_module()
    lesson_path = f"/modules/{lesson.module.slug}/{lesson.slug}/"
    page.goto(lesson_path)
    check = page.locator("#check")
    form = check.locator("form")
    expect(form).to_have_attribute("hx-post", f"{lesson_path}check/")
    expect(form).to_have_attribute("hx-target", "#check")
    question = check.get_by_role("group", name=re.compile(r"^1\. Who leads the class\?"))
    jte = question.get_by_role("radio", name="The JTE")
    alt = question.get_by_role("radio", name="The ALT")

    # From the top of the page, Tab reaches the radio group at its first option, unchosen.
    assert tab_until_focused(page, jte) > 0
    expect(jte).not_to_be_checked()

    # The arrow keys move through the group and choose; Enter in the group submits the form.
    page.keyboard.press("ArrowDown")
    expect(alt).to_be_focused()
    expect(alt).to_be_checked()
    with page.expect_response(f"**{lesson_path}check/") as answered:
        page.keyboard.press("Enter")
    assert answered.value.ok
    assert (answered.value.request.header_value("hx-request") == "true") is javascript

    expect(check.get_by_role("status")).to_contain_text("Not yet: 0 of 1 correct.")
    expect(check.locator(".feedback.wrong")).to_have_text(
        "Not quite: The ALT assists; the JTE leads."
    )
    expect(alt).to_be_checked()  # the answer given stays chosen
    if javascript:
        # Only #check was swapped: same address, and the focus stays on the chosen answer.
        expect(page).to_have_url(re.compile(rf"{re.escape(lesson_path)}$"))
        expect(alt).to_be_focused()
    else:
        # The form posted and the whole lesson page came back, result included.
        expect(page).to_have_url(re.compile(rf"{re.escape(lesson_path)}check/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_LESSON)

    # Try again by keyboard: back to the group, up to the right answer, Space, Tab, Enter.
    tab_until_focused(page, alt)
    page.keyboard.press("ArrowUp")
    expect(jte).to_be_focused()
    page.keyboard.press("Space")
    expect(jte).to_be_checked()
    submit = check.get_by_role("button", name="Check again")
    assert tab_until_focused(page, submit) == 1
    with page.expect_response(f"**{lesson_path}check/") as answered:
        page.keyboard.press("Enter")
    assert (answered.value.request.header_value("hx-request") == "true") is javascript
    expect(check.get_by_role("status")).to_contain_text("Passed: 1 of 1 correct.")
    expect(check.locator(".feedback.right")).to_have_text("Right: Yes: they are T1.")
    expect(check.get_by_text("✓ Correct")).to_be_visible()
