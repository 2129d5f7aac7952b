"""What every response carries: security headers, Server-Timing, friendly errors, one log line."""

import logging
import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

SERVER_TIMING = re.compile(r'^db;dur=\d+\.\d;desc="(\d+) queries"$')


class ScriptAndStyleFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.inline_styles = 0
        self.landmarks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.inline_scripts += 1
        if tag == "style" or "style" in attributes or any(a.startswith("on") for a in attributes):
            self.inline_styles += 1
        if tag in {"main", "header", "footer", "nav"}:
            self.landmarks.append(tag)


def test_server_timing_reports_query_count_and_database_time(client, new_alt):
    client.force_login(new_alt)
    response = client.get("/u/sam/")
    match = SERVER_TIMING.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    # session, user, profile, accepted edits, 4 for forum activity, the member's roles
    # (header links)
    assert match.group(1) == "9"


def test_server_timing_can_be_switched_off(client, settings):
    settings.SERVER_TIMING = False
    assert "Server-Timing" not in client.get("/")


def test_every_response_has_a_strict_content_security_policy(client):
    for url in ["/", "/accounts/login/", "/no-such-page/", "/healthz"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", "/u/sam/"])
def test_pages_have_no_inline_script_or_style_and_all_landmarks(client, new_alt, url):
    finder = ScriptAndStyleFinder()
    finder.feed(client.get(url).content.decode())
    assert finder.inline_scripts == 0
    assert finder.inline_styles == 0
    assert finder.landmarks.count("main") == 1
    assert {"header", "footer", "nav"} <= set(finder.landmarks)


def test_navigation_lists_only_sections_that_exist(monkeypatch):
    from altto.core import navigation

    monkeypatch.setattr(
        navigation, "SECTIONS", [("Home", "home"), ("Not built yet", "nowhere:index")]
    )
    navigation._available.cache_clear()
    try:
        assert navigation.main_navigation() == [{"label": "Home", "url": "/"}]
    finally:
        navigation._available.cache_clear()


def test_unknown_pages_get_a_friendly_404_in_the_visitors_language(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()

    client.cookies["django_language"] = "ja"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ja">' in response.content.decode()
    assert "ページが見つかりません" in response.content.decode()


@pytest.mark.urls("tests.urls_failing")
def test_a_crash_gives_a_friendly_500_and_a_log_line_never_a_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html
    assert "a bug in a view" not in html
    assert any("a bug in a view" in str(r.exc_info) for r in caplog.records)


def test_each_request_is_logged_on_one_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="altto.requests"):
        client.get("/no-such-page/?q=1")
    lines = [r.getMessage() for r in caplog.records if r.name == "altto.requests"]
    assert len(lines) == 1
    assert re.match(r"^GET /no-such-page/\?q=1 404 \d+\.\dms \d+q$", lines[0])


@pytest.mark.parametrize(
    ("persona", "review", "reports", "blog_desk"),
    [
        ("new_alt", False, False, False),
        ("editor", True, False, False),
        ("moderator", False, True, False),
        ("blog_editor", False, False, True),
        ("site_admin", True, True, True),
    ],
)
def test_the_header_links_each_role_to_its_work_queue(
    client, request, persona, review, reports, blog_desk
):
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    assert ('href="/review/">Review</a>' in html) is review
    # Moderators' queue: held and flagged forum posts, linking to reported lesson comments.
    assert ('href="/forum/review/">Moderation</a>' in html) is reports
    # Blog editors' desk: posts in review, scheduled, drafts and unpublished.
    assert ('href="/blog/editorial/">Blog desk</a>' in html) is blog_desk


def test_no_template_comment_spans_lines():
    """Django's {# … #} comment ends at the line's end: a longer one is shown to readers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "altto"
    leaking = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        for match in re.finditer(r"\{#(.*?)#\}", path.read_text(), re.DOTALL)
        if "\n" in match.group(1)
    ]
    assert leaking == []
