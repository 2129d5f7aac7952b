"""The one path for user-written text: Markdown (markdown-it-py) → sanitised HTML (nh3).

Raw HTML in the source is escaped by the parser, and nh3 then allows only the tags below,
so nothing a user types can add script, styles or event handlers. A paragraph that is only a
YouTube or Vimeo link becomes a privacy-friendly embed; no other host can be framed.
"""

import re
from urllib.parse import parse_qs, urlparse

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{3,12}$")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe",
    "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "iframe": {"src", "title", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "div": {"class"},
    "blockquote": {"class"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "abbr": {"title"},
}
CLASS_WHITELIST = {"video-embed", "callout", "callout-note", "callout-tip", "callout-warning"}


def video_embed_url(url: str) -> str | None:
    """The embed address for a YouTube or Vimeo page, or None for anything else."""
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be":
            video_id = parts.path.lstrip("/")
        elif parts.path.startswith(("/embed/", "/shorts/")):
            video_id = parts.path.split("/")[2]
        else:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        if _VIDEO_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host in VIMEO_HOSTS:
        video_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if _VIMEO_ID.match(video_id):
            return f"https://player.vimeo.com/video/{video_id}"
    return None


def _lone_link(tokens: list[Token], idx: int) -> str | None:
    """If paragraph `idx` holds nothing but one link (or bare URL), return its address."""
    inline = tokens[idx + 1]
    children = [c for c in (inline.children or []) if not (c.type == "text" and not c.content)]
    if inline.type != "inline" or tokens[idx + 2].type != "paragraph_close":
        return None
    if len(children) == 1 and children[0].type == "text":
        text = children[0].content.strip()
        return None if any(ch.isspace() for ch in text) else text  # words after a URL: a sentence
    if (
        len(children) == 3
        and children[0].type == "link_open"
        and children[2].type == "link_close"
        and children[1].type == "text"
    ):
        return str(children[0].attrs.get("href", ""))
    return None


def _embed_videos(md: MarkdownIt) -> None:
    def rule(state) -> None:
        tokens = state.tokens
        i = 0
        while i < len(tokens) - 2:
            if tokens[i].type == "paragraph_open":
                embed = video_embed_url(_lone_link(tokens, i) or "")
                if embed:
                    html = Token("html_block", "", 0)
                    html.content = (
                        f'<div class="video-embed"><iframe src="{embed}" title="Video" '
                        f'loading="lazy" allowfullscreen '
                        f'allow="encrypted-media; picture-in-picture"></iframe></div>\n'
                    )
                    tokens[i : i + 3] = [html]
            i += 1

    md.core.ruler.push("video_embeds", rule)


CALLOUTS = {"Note:": "callout-note", "Tip:": "callout-tip", "Careful:": "callout-warning"}


def _mark_callouts(md: MarkdownIt) -> None:
    """A blockquote that opens with **Note:**, **Tip:** or **Careful:** becomes a callout."""

    def rule(state) -> None:
        tokens = state.tokens
        for i, token in enumerate(tokens[:-2]):
            if token.type != "blockquote_open" or tokens[i + 2].type != "inline":
                continue
            children = [c for c in tokens[i + 2].children or [] if c.type != "text" or c.content]
            if len(children) >= 2 and children[0].type == "strong_open":
                kind = CALLOUTS.get(children[1].content.strip())
                if kind:
                    token.attrSet("class", f"callout {kind}")

    md.core.ruler.push("callouts", rule)


_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _align_table_cells(md: MarkdownIt) -> None:
    """Column alignment as the `align` attribute: the sanitiser drops every style attribute."""

    def rule(state) -> None:
        for token in state.tokens:
            if token.type in {"th_open", "td_open"} and "style" in token.attrs:
                align = _ALIGN.get(str(token.attrs.pop("style")))
                if align:
                    token.attrSet("align", align)

    md.core.ruler.push("table_align", rule)


# "@name" after a space, bracket or line start; a trailing full stop ends the sentence.
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)")


def mention_candidates(text: str) -> set[str]:
    """Every "@name" in the text (code included): the names worth looking up."""
    return set(MENTION.findall(text or ""))


def _link_mentions(md: MarkdownIt) -> None:
    """Turn "@name" into a link to the member's profile, when env["mentions"] knows the name
    (outside code and links). The names linked are collected in env["mentioned"]."""

    def split(token: Token, known: dict, found: set) -> list[Token]:
        out, last = [], 0
        for match in MENTION.finditer(token.content):
            url = known.get(match.group(1))
            if url is None:
                continue
            if match.start() > last:
                out.append(_text(token.content[last : match.start()]))
            link = Token("link_open", "a", 1)
            link.attrSet("href", url)
            out += [link, _text(match.group(0)), Token("link_close", "a", -1)]
            found.add(match.group(1))
            last = match.end()
        if not out:
            return [token]
        if last < len(token.content):
            out.append(_text(token.content[last:]))
        return out

    def rule(state) -> None:
        known = state.env.get("mentions")
        if not known:
            return
        found = state.env.setdefault("mentioned", set())
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children, depth = [], 0
            for child in block.children:
                depth += child.type == "link_open"
                depth -= child.type == "link_close"
                if child.type == "text" and depth == 0:
                    children += split(child, known, found)
                else:
                    children.append(child)
            block.children = children

    md.core.ruler.push("mentions", rule)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


class _Renderer(RendererHTML):
    # html_block tokens are only ever made by _embed_videos: raw HTML typed by users is
    # escaped by the parser (html=False) before it gets here.
    def html_block(self, tokens, idx, options, env) -> str:
        return tokens[idx].content


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.renderer = _Renderer(_md)
_md.enable(["table", "strikethrough"])
_embed_videos(_md)
_mark_callouts(_md)
_align_table_cells(_md)
_link_mentions(_md)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if value.startswith(EMBED_PREFIXES) else None
    if tag == "img" and attribute == "src":
        # Images come from this site only: no tracking pixels, and the CSP agrees.
        return value if value.startswith(("/media/", "/static/")) else None
    if attribute == "class":
        kept = [c for c in value.split() if c in CLASS_WHITELIST or c.startswith("language-")]
        return " ".join(kept) or None
    return value


# An iframe's content is raw text to an HTML parser, so nh3 passes it through unescaped
# ("<iframe><script</iframe>"). Browsers never show it, but other parsers may read it as
# markup: our embeds are always empty, so any content is dropped.
_IFRAME_CONTENT = re.compile(r"(<iframe\b[^>]*>).*?(</iframe>)", re.DOTALL | re.IGNORECASE)


def sanitize_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )
    return _IFRAME_CONTENT.sub(r"\1\2", cleaned)


def render_markdown(text: str, mentions: dict[str, str] | None = None) -> str:
    """User Markdown → safe HTML. Call it when text is saved, and store the result.
    `mentions` maps the names that may be mentioned to their profile addresses."""
    return render_with_mentions(text, mentions)[0]


def render_with_mentions(text: str, mentions: dict[str, str] | None) -> tuple[str, set[str]]:
    """The HTML, and the names in `mentions` that the text links to."""
    if not text:
        return "", set()
    env: dict = {"mentions": mentions or {}}
    html = sanitize_html(_md.render(text, env))
    return html, env.get("mentioned", set())
