"""The one search: a query and filters in, a page of results with highlighted snippets out.
Two queries per page (the ranked ids, the entries), plus a count when there are more pages.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from altto.search import text
from altto.search.backends import Filters, backend
from altto.search.models import Entry

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 220


@dataclass
class Hit:
    entry: Entry
    snippet: SafeString


@dataclass
class Results:
    query: str = ""
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    message: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search(
    query: str,
    *,
    kinds: tuple[str, ...] = (),
    level: str = "",
    tag: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    now=None,
    any_terms: bool = False,
    titles_only: bool = False,
) -> Results:
    """Entries holding every term of `query` (with `any_terms`, any of them; with
    `titles_only`, in their titles), best first.
    An empty or unusable query gives no results and a message saying why; a very long one
    is cut to MAX_QUERY_LENGTH."""
    query = (query or "").strip()
    message = ""
    if len(query) > MAX_QUERY_LENGTH:
        cut = query[:MAX_QUERY_LENGTH]
        # Never end on half a word: "teach" cut to "tea" would look for tea.
        query = cut.rsplit(" ", 1)[0] if " " in cut else cut
        message = _("Your search was long, so only its first %(count)s characters were used.") % {
            "count": MAX_QUERY_LENGTH
        }
    terms = text.query_terms(query)
    if not terms:
        empty = (
            _("Type a word or two to search for.")
            if not query
            else _("Search for words: “%(query)s” has none we can look for.") % {"query": query}
        )
        return Results(query=query, message=empty, per_page=per_page)
    page = max(1, page)
    filters = Filters(
        kinds=tuple(kinds), level=level, tag=tag, any_terms=any_terms, titles_only=titles_only
    )
    ids, total = backend().search(
        terms, filters, now or timezone.now(), per_page, (page - 1) * per_page
    )
    entries = Entry.objects.in_bulk(ids)
    marks = text.words_to_mark(query)
    hits = [Hit(entries[pk], snippet(entries[pk].text, marks)) for pk in ids if pk in entries]
    return Results(query, hits, total, page, per_page, message)


def snippet(body: str, marks: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """A stretch of `body` around the first place a query word appears, escaped, with each
    word (or, for English, a word starting with it) wrapped in <mark>."""
    if not body:
        return format_html("")
    pattern = _mark_pattern(marks)
    found = pattern.search(body) if pattern else None
    start = 0
    if found:
        start = max(0, found.start() - length // 3)
        space = body.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    piece = body[start : start + length]
    pairs, last = [], 0
    for match in pattern.finditer(piece) if pattern else ():
        pairs.append((piece[last : match.start()], match.group(0)))
        last = match.end()
    # format_html escapes every piece of the body; only our <mark> tags stay markup.
    marked = format_html_join("", "{}<mark>{}</mark>", pairs)
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(body) else ""
    return format_html("{}{}{}{}", prefix, marked, piece[last:], suffix)


def _mark_pattern(marks: list[str]) -> re.Pattern | None:
    if not marks:
        return None
    parts = []
    for word in marks:
        stem = text.terms(word)
        latin = stem and not text.is_cjk(word)
        # "teaching" also marks "teach…": the stem as a word start.
        parts.append(rf"\b{re.escape(stem[0])}\w*" if latin else re.escape(word))
    return re.compile("|".join(parts), re.IGNORECASE)
