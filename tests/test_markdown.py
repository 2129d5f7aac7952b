"""render_markdown: ordinary Markdown renders, hostile input never becomes live HTML.

These are pure-function tests: no database, no request.
"""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from altto.lib.markdown import (
    ALLOWED_TAGS,
    EMBED_PREFIXES,
    render_markdown,
    sanitize_html,
    video_embed_url,
)

REL = "noopener noreferrer nofollow ugc"
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
VIMEO_EMBED = "https://player.vimeo.com/video/76979871"
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
NEVER_ALLOWED = {"script", "style", "object", "embed", "svg", "math", "form", "input", "base"}


class ElementCollector(HTMLParser):
    """Every start tag in a fragment, with its attributes (entities already decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = ElementCollector()
    parser.feed(html)
    parser.close()
    return parser.elements


def tags(html: str) -> list[str]:
    return [tag for tag, _ in elements(html)]


def the(tag: str, html: str) -> dict[str, str | None]:
    """Attributes of the one `tag` element in html."""
    found = [attrs for name, attrs in elements(html) if name == tag]
    assert len(found) == 1, f"expected one <{tag}> in {html!r}"
    return found[0]


def url_as_browser_sees_it(value: str) -> str:
    # A browser trims leading/trailing C0 controls and spaces, and drops tabs and newlines
    # anywhere, before it reads the scheme: "java\tscript:" is "javascript:".
    trimmed = value.strip("".join(chr(c) for c in range(0x21)))
    return "".join(ch for ch in trimmed if ch not in "\t\n\r").lower()


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read from url, or None for a relative address."""
    match = re.match(r"([a-z][a-z0-9+.-]*):", url_as_browser_sees_it(url))
    return match.group(1) if match else None


def assert_safe(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> slipped through: {html!r}"
        assert tag not in NEVER_ALLOWED, html
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name not in {"style", "srcdoc", "formaction", "xlink:href"}, html
            if name in {"href", "src"}:
                assert value is not None
                assert not url_as_browser_sees_it(value).startswith(DANGEROUS_SCHEMES), html
        if tag == "iframe" and "src" in attrs:
            # An iframe whose src was stripped is an empty about:blank frame: harmless.
            assert (attrs["src"] or "").startswith(EMBED_PREFIXES), html
        if tag == "img" and "src" in attrs:
            assert (attrs["src"] or "").startswith(("/media/", "/static/")), html


# --- Ordinary Markdown -------------------------------------------------------------------


def test_it_returns_empty_string_for_empty_input():
    assert render_markdown("") == ""


def test_it_renders_emphasis_and_strong():
    html = render_markdown("Some *gentle* and **firm** words, _and_ __more__.")
    assert "<em>gentle</em>" in html
    assert "<strong>firm</strong>" in html
    assert "<em>and</em>" in html
    assert "<strong>more</strong>" in html


def test_it_renders_strikethrough():
    assert "<s>wrong</s>" in render_markdown("~~wrong~~ right")


@pytest.mark.parametrize("level", range(1, 7))
def test_it_renders_headings(level):
    html = render_markdown("#" * level + " Greetings")
    assert html.strip() == f"<h{level}>Greetings</h{level}>"


def test_it_renders_bulleted_and_numbered_lists():
    html = render_markdown("- apples\n- pears\n\n3. three\n4. four\n")
    assert tags(html) == ["ul", "li", "li", "ol", "li", "li"]
    assert "<li>apples</li>" in html
    assert the("ol", html) == {"start": "3"}


def test_it_renders_nested_lists():
    html = render_markdown("- outer\n  - inner\n")
    assert tags(html) == ["ul", "li", "ul", "li"]


def test_it_renders_tables_with_alignment():
    html = render_markdown("| Grade | Class |\n|:--|--:|\n| JHS1 | 3 |\n")
    assert tags(html) == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert "Grade" in html and "JHS1" in html
    # Alignment arrives as a style attribute, which the sanitiser removes; the text remains.
    assert "style=" not in html


def test_it_renders_fenced_code_with_a_language_class_and_escaped_content():
    html = render_markdown('```python\nprint("<b>hi</b>")\n```\n')
    assert tags(html) == ["pre", "code"]
    assert the("code", html) == {"class": "language-python"}
    assert "&lt;b&gt;hi&lt;/b&gt;" in html
    assert "<b>" not in html


def test_it_renders_indented_code_and_inline_code():
    html = render_markdown("Use `<br>` here.\n\n    <script>x</script>\n")
    assert "<code>&lt;br&gt;</code>" in html
    assert "<pre><code>&lt;script&gt;x&lt;/script&gt;" in html


def test_it_renders_blockquotes_and_rules():
    html = render_markdown("> quoted\n\n---\n")
    assert tags(html) == ["blockquote", "p", "hr"]


def test_it_renders_links_with_rel_attributes():
    html = render_markdown("See [the guide](https://example.org/guide).")
    assert the("a", html) == {"href": "https://example.org/guide", "rel": REL}
    assert ">the guide</a>" in html


def test_it_keeps_link_titles():
    html = render_markdown('[guide](https://example.org "Read me")')
    assert the("a", html)["title"] == "Read me"


def test_it_renders_autolinks_and_mailto_links():
    html = render_markdown("<https://example.org> or [mail](mailto:alt@example.org)")
    hrefs = [attrs["href"] for tag, attrs in elements(html) if tag == "a"]
    assert hrefs == ["https://example.org", "mailto:alt@example.org"]


def test_it_does_not_turn_bare_urls_into_links():
    html = render_markdown("Go to https://example.org today.")
    assert "<a" not in html
    assert "https://example.org" in html


def test_it_keeps_relative_links():
    html = render_markdown("[lesson](/library/lesson-1/)")
    assert the("a", html)["href"] == "/library/lesson-1/"


@pytest.mark.parametrize("src", ["/media/uploads/cat.png", "/static/img/logo.svg"])
def test_it_keeps_images_from_this_site(src):
    html = render_markdown(f'![A cat]({src} "Cat")')
    assert the("img", html) == {"src": src, "alt": "A cat", "title": "Cat"}


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/pixel.gif",
        "http://example.org/a.png",
        "//evil.example/a.png",
        "media/a.png",
        "/mediafoo/a.png",
    ],
)
def test_it_drops_the_source_of_images_from_elsewhere(src):
    html = render_markdown(f"![tracker]({src})")
    assert the("img", html) == {"alt": "tracker"}


def test_it_renders_nested_brackets_in_link_text():
    html = render_markdown("[a [b] c](https://example.org)")
    assert the("a", html)["href"] == "https://example.org"
    assert ">a [b] c</a>" in html


# --- Hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<style>body { display: none }</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" srcdoc="x"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>",
        "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math href=javascript:alert(1)>x</math>",
        '<object data="javascript:alert(1)"></object>',
        '<embed src="https://evil.example/x.swf">',
        "<img src=x onerror=alert(1)>",
        '<div onclick="alert(1)">click</div>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="https://example.org" onmouseover="alert(1)">x</a>',
        '<p title="</p><script>alert(1)</script>">',
        "<img src=x onerror=alert(1)",
        "<div><span onclick=alert(1)>unclosed",
        "<!-- <script>alert(1)</script> -->",
        "<!--><script>alert(1)</script>-->",
        "<details open ontoggle=alert(1)>",
        "<base href=javascript:/>",
        '<form action="javascript:alert(1)"><button>x</button></form>',
        "<![CDATA[<script>alert(1)</script>]]>",
    ],
)
def test_it_escapes_raw_html(source):
    html = render_markdown(source)
    assert_safe(html)
    # html=False: nothing the user types as a tag becomes one; it shows as text.
    assert tags(html) in (["p"], ["pre", "code"], [])


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&colon;alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](&#0000106avascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](java&#9;script:alert(1))",
        "[x](jav&#x0A;ascript:alert(1))",
        "[x](java%09script:alert(1))",
        "[x](java\\tscript:alert(1))",
        "[x](\x01javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](VBScript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](DATA:image/png;base64,iVBORw0KGgo=)",
        "[x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        '[x][ref]\n\n[ref]: <javascript:alert(1)> "title"',
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "[x](file:///etc/passwd)",
    ],
)
def test_it_never_links_to_script_urls(source):
    html = render_markdown(source)
    assert_safe(html)
    for tag, attrs in elements(html):
        if tag == "a" and "href" in attrs:
            href = attrs["href"] or ""
            # Whatever survives is a known-safe scheme or has no scheme at all (a relative
            # path such as "java%09script:x", which a browser does not read as a scheme).
            assert url_scheme(href) in {None, "http", "https", "mailto"}, html


@pytest.mark.parametrize(
    "source",
    [
        "![x](javascript:alert(1))",
        "![x](JaVaScRiPt:alert(1))",
        "![x](java&#x09;script:alert(1))",
        "![x](&#106;avascript:alert(1))",
        "![x](vbscript:msgbox(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](data:text/html,<script>alert(1)</script>)",
        '![x](/media/a.png" onerror="alert(1))',
        '![x" onerror="alert(1)](/media/a.png)',
        "![x](https://evil.example/a.png)",
    ],
)
def test_it_never_gives_images_script_or_foreign_sources(source):
    html = render_markdown(source)
    assert_safe(html)
    for tag, attrs in elements(html):
        assert "onerror" not in attrs
        if tag == "img" and "src" in attrs:
            assert attrs["src"] in {"/media/a.png"}


def test_it_keeps_quotes_in_link_titles_inside_the_attribute():
    html = render_markdown('[x](https://example.org "a\\" onmouseover=\\"alert(1)")')
    assert_safe(html)
    attrs = the("a", html)
    assert attrs["title"] == 'a" onmouseover="alert(1)'
    assert set(attrs) == {"href", "title", "rel"}


def test_it_keeps_single_quoted_and_parenthesised_titles_inside_the_attribute():
    html = render_markdown("[x](https://example.org 'it\"s') [y](https://example.org (a\"b))")
    assert_safe(html)
    titles = [attrs["title"] for tag, attrs in elements(html) if tag == "a"]
    assert titles == ['it"s', 'a"b']


def test_it_keeps_quotes_in_image_alt_text_inside_the_attribute():
    html = render_markdown('![a"onerror=alert(1)](/media/x.png)')
    assert_safe(html)
    assert the("img", html) == {"src": "/media/x.png", "alt": 'a"onerror=alert(1)'}


def test_it_does_not_let_link_text_break_out_of_the_anchor():
    html = render_markdown("[<img src=x onerror=alert(1)>](https://example.org)")
    assert_safe(html)
    assert tags(html) == ["p", "a"]


def test_it_handles_deeply_nested_brackets_and_parentheses():
    source = "[" * 50 + "x" + "]" * 50 + "(" * 50 + "javascript:alert(1)" + ")" * 50
    assert_safe(render_markdown(source))


def test_it_handles_unclosed_markdown_constructs():
    for source in ["[x](https://example.org", "![x](/media/a.png", "```\n<script>", "**bold", "> "]:
        assert_safe(render_markdown(source))


def test_it_overrides_any_rel_a_user_might_try_to_set():
    html = render_markdown('[x](https://example.org "rel=opener")')
    assert the("a", html)["rel"] == REL


# --- The sanitiser on its own ------------------------------------------------------------
# The parser escapes raw HTML, so the sanitiser is the second wall. Check it holds alone,
# in case the parser's options ever change.


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "<style>*{}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<object data="x"></object><embed src="x">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" &#x6A;avascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<img src="/media/a.png" onerror="alert(1)">',
        '<img src="data:image/png;base64,AAAA">',
        '<div class="video-embed evil" style="position:fixed" onclick="x">x</div>',
        "<p>unclosed <b>bold <i>italic",
        "<!-- comment --><p>x</p>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    ],
)
def test_the_sanitiser_alone_removes_dangerous_html(raw):
    html = sanitize_html(raw)
    assert_safe(html)
    assert "<!--" not in html


def test_the_sanitiser_keeps_only_allow_listed_classes():
    html = sanitize_html('<div class="callout callout-tip evil">x</div><code class="x">y</code>')
    assert [attrs for _, attrs in elements(html)] == [{"class": "callout callout-tip"}, {}]


# --- Video embeds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE_EMBED),
        ("http://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", YOUTUBE_EMBED),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://vimeo.com/76979871", VIMEO_EMBED),
        ("https://www.vimeo.com/76979871/", VIMEO_EMBED),
        ("https://player.vimeo.com/video/76979871", VIMEO_EMBED),
        ("<https://youtu.be/dQw4w9WgXcQ>", YOUTUBE_EMBED),
        ("[Our demo lesson](https://vimeo.com/76979871)", VIMEO_EMBED),
        ("  https://youtu.be/dQw4w9WgXcQ  ", YOUTUBE_EMBED),
    ],
)
def test_it_embeds_a_lone_video_link(source, embed):
    html = render_markdown(source)
    assert_safe(html)
    assert tags(html) == ["div", "iframe"]
    assert the("div", html) == {"class": "video-embed"}
    iframe = the("iframe", html)
    assert iframe["src"] == embed
    assert "allowfullscreen" in iframe


def test_it_embeds_a_video_between_paragraphs():
    html = render_markdown("Before.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nAfter.")
    assert tags(html) == ["p", "div", "iframe", "p"]
    assert the("iframe", html)["src"] == YOUTUBE_EMBED


def test_it_embeds_a_video_in_a_list_item():
    html = render_markdown("- https://vimeo.com/76979871\n- text")
    assert the("iframe", html)["src"] == VIMEO_EMBED


@pytest.mark.parametrize(
    "source",
    [
        "Watch https://youtu.be/dQw4w9WgXcQ now.",
        "Watch [this](https://www.youtube.com/watch?v=dQw4w9WgXcQ) now.",
        "https://youtu.be/dQw4w9WgXcQ is worth a look",
        "Two: [a](https://youtu.be/dQw4w9WgXcQ) [b](https://vimeo.com/76979871)",
        "https://youtu.be/dQw4w9WgXcQ\nand a second line",
        "**[bold video](https://youtu.be/dQw4w9WgXcQ)**",
        "[![thumb](/media/t.png)](https://youtu.be/dQw4w9WgXcQ)",
        "`https://youtu.be/dQw4w9WgXcQ`",
        "    https://youtu.be/dQw4w9WgXcQ",
    ],
)
def test_it_leaves_a_video_link_inside_other_content_alone(source):
    html = render_markdown(source)
    assert_safe(html)
    assert "iframe" not in tags(html)
    assert "dQw4w9WgXcQ" in html


def test_a_video_link_in_a_sentence_stays_a_plain_link():
    html = render_markdown("Watch [this](https://www.youtube.com/watch?v=dQw4w9WgXcQ) now.")
    assert the("a", html) == {"href": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "rel": REL}


@pytest.mark.parametrize(
    "source",
    [
        "https://www.youtube.com/shorts/dQw4w9WgXcQ/ is my favourite",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&x= is great",
    ],
)
def test_it_does_not_drop_words_after_a_bare_video_url(source):
    html = render_markdown(source)
    assert "iframe" not in tags(html)


@pytest.mark.parametrize(
    "source",
    [
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?v=youtube.com",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be.evil.example/dQw4w9WgXcQ",
        "https://vimeo.com.evil.example/76979871",
        "https://evilvimeo.com/76979871",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://dailymotion.com/video/x7tgad0",
        "javascript://youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "//youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube.com/watch?v=dQw4w9WgXcQ",
        "[x](https://evil.example/embed/dQw4w9WgXcQ)",
    ],
)
def test_it_does_not_embed_other_hosts(source):
    html = render_markdown(source)
    assert_safe(html)
    assert "iframe" not in tags(html)


@pytest.mark.parametrize(
    "source",
    [
        "https://youtu.be/short",
        "https://youtu.be/",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com/watch?v=abc",
        "https://www.youtube.com/watch?v=" + "a" * 21,
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload="alert(1)',
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22%3E%3Cscript%3E",
        "https://www.youtube.com/watch?v=dQw4w9WgX/../x",
        'https://youtu.be/dQw4w9WgXcQ"><script>alert(1)</script>',
        "https://www.youtube.com/shorts/",
        "https://www.youtube.com/embed/..%2F..%2Fevil",
        "https://vimeo.com/abc",
        "https://vimeo.com/12",
        "https://vimeo.com/1234567890123",
        "https://vimeo.com/",
        "https://vimeo.com/76979871x",
    ],
)
def test_it_does_not_embed_bad_video_ids(source):
    html = render_markdown(source)
    assert_safe(html)
    assert "iframe" not in tags(html)


def test_video_embed_url_rebuilds_the_address_from_the_id_alone():
    assert video_embed_url("https://user:pw@www.youtube.com:8443/watch?v=dQw4w9WgXcQ#x") == (
        YOUTUBE_EMBED
    )
    assert video_embed_url("not a url at all") is None
    assert video_embed_url("http://[::1") is None


# --- Properties --------------------------------------------------------------------------

FRAGMENTS = [
    "<script",
    "</script>",
    "<SCRIPT>",
    "javascript:",
    "JaVaScRiPt:",
    "java&#x09;script:",
    "&#106;avascript:",
    "vbscript:",
    "data:text/html,",
    "data:image/png;base64,",
    "onerror=",
    " onload=",
    "onclick=",
    "alert(1)",
    "<iframe",
    "</iframe>",
    ' src="',
    ' href="',
    "<svg",
    "<math",
    "<style>",
    "<object",
    "<embed",
    "<img",
    "<a ",
    "<!--",
    "-->",
    "<![CDATA[",
    '"',
    "'",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "/>",
    "!",
    "&",
    "&#",
    "&colon;",
    ";",
    "\\",
    "*",
    "_",
    "~~",
    "|",
    "-",
    "#",
    " ",
    "\t",
    "\n",
    "\n\n",
    "    ",
    "> ",
    "- ",
    "```",
    "https://",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://evil.example/",
    "/media/x.png",
    "//evil.example",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(st.text())
def test_arbitrary_text_never_renders_executable_html(text):
    assert_safe(render_markdown(text))


@PROPERTY_SETTINGS
@given(hostile_text)
def test_hostile_fragments_never_render_executable_html(text):
    assert_safe(render_markdown(text))


@PROPERTY_SETTINGS
@given(hostile_text)
def test_the_sanitiser_alone_never_lets_executable_html_through(text):
    assert_safe(sanitize_html(text))


@pytest.mark.parametrize(
    ("source", "css"),
    [
        ("> **Tip:** ask first.", "callout callout-tip"),
        ("> **Note:** it depends.", "callout callout-note"),
        ("> **Careful:** never alone.", "callout callout-warning"),
    ],
)
def test_blockquotes_that_open_with_a_label_become_callouts(source, css):
    assert f'<blockquote class="{css}">' in render_markdown(source)


def test_other_blockquotes_and_typed_classes_stay_plain():
    assert "<blockquote>" in render_markdown("> **Why:** because.")
    assert "<blockquote class=" not in render_markdown(
        '<blockquote class="callout-tip">x</blockquote>'
    )


def test_table_column_alignment_survives_sanitising():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th align="left">a</th>' in html
    assert '<td align="center">2</td>' in html
    assert '<td align="right">3</td>' in html
    assert "style=" not in html


def test_the_sanitiser_drops_anything_inside_an_iframe():
    # Found by hypothesis: nh3 keeps an iframe's raw-text content unescaped.
    assert sanitize_html("<iframe> <script") == "<iframe></iframe>"


def test_mentions_link_only_known_names_outside_code_and_links():
    from altto.lib.markdown import render_with_mentions

    html, mentioned = render_with_mentions(
        "Thanks @sam and @nobody. See `@sam`, [@sam](https://example.org) and a@sam.org.",
        {"sam": "/u/sam/"},
    )
    assert mentioned == {"sam"}
    assert html.count('href="/u/sam/"') == 1
    assert "<code>@sam</code>" in html
    assert "@nobody" in html and "a@sam.org" in html


def test_clean_title_strips_direction_overrides_and_invisible_characters():
    from altto.lib.text import clean_title

    assert clean_title("Pay\u202egnp.exe \u200bday\u00a0 tips\x00") == "Paygnp.exe day tips"
    assert clean_title("\u200b\u202e\u2066") == ""
    assert clean_title("Ｃafe\u0301") == "Ｃafé"
