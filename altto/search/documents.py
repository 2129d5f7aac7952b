"""What goes into the search index: for each kind of page, the Entry rows made from what
everyone may read, and nothing else (docs/decisions/008-search.md).

- lessons: one entry per language of a published lesson in a published module;
- library items: published items;
- blog posts: scheduled and published posts, found from their `publish_at` on
  (`live_from`); drafts, posts in review and unpublished posts never;
- forum threads: listed threads (visible, not merged): the opening post and the visible
  replies only (never held, hidden or deleted words), the accepted answer's words counted
  twice and a solved question lifted by `boost`. No author is ever named, anonymous or not.

Each builder takes a queryset of source objects and yields unsaved Entry objects, loading
what it needs in a fixed number of queries however many objects there are, so the same code
serves one object saved (indexing.reindex) and a rebuild of everything (reindex_all).
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from altto.search import text
from altto.search.models import Entry

KINDS = (Entry.Kind.LESSON, Entry.Kind.ITEM, Entry.Kind.POST, Entry.Kind.THREAD)
MAX_TEXT = 60_000  # a blog post's longest body
MAX_THREAD_TEXT = 20_000  # a busy thread: its question and best answers come first
SOLVED_BOOST = 0.5

_BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|div|blockquote|pre|td|th|tr|dd|dt)>|<br\s*/?>)", re.I)
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_CJK = re.compile(rf"[{text._CJK}]")
_LATIN = re.compile(r"[A-Za-z]")


def plain(markup: str) -> str:
    """Rendered HTML as plain words: tags out (a space after each block, so paragraphs do
    not run together), entities decoded, whitespace collapsed.

    The HTML is our own sanitised Markdown output, where a tag is `<…>` with no `>` inside
    (the sanitiser escapes it), so a regular expression removes the tags, five times faster
    than django.utils.html.strip_tags' parser over 200,000 posts. What a writer typed as
    text ("&lt;script&gt;") comes back as that text; it is escaped again wherever it is
    shown (queries.snippet)."""
    if not markup:
        return ""
    words = html.unescape(_TAG.sub("", _BLOCK_END.sub(r"\1 ", markup)))
    return _SPACES.sub(" ", words).strip()


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _framed(values: Iterable[str], max_length: int) -> str:
    """Entry.framed(values), keeping only as many values as fit the column."""
    kept: list[str] = []
    for value in dict.fromkeys(v for v in values if v):
        if len(Entry.framed([*kept, value])) > max_length:
            break
        kept.append(value)
    return Entry.framed(kept)


def _entry(kind, object_id, *, title, body, url, language="", tags=(), levels=(),
           live_from=None, boost=0.0, max_text=MAX_TEXT, extra_terms="") -> Entry:  # fmt: skip
    title = _SPACES.sub(" ", title or "").strip()[:300]
    body = body[:max_text]
    tags = list(tags)
    tag_words = " ".join(tag.replace("-", " ") for tag in tags)
    return Entry(
        kind=kind,
        object_id=object_id,
        language=language,
        title=title,
        text=body,
        url=url[:500],
        tags=_framed(tags, Entry._meta.get_field("tags").max_length),
        levels=_framed(levels, Entry._meta.get_field("levels").max_length),
        live_from=live_from,
        boost=boost,
        title_terms=text.index_text(title),
        body_terms=text.index_text(_join(body, extra_terms, tag_words)),
    )


# ---- lessons ------------------------------------------------------------------------------


def lesson_sources():
    from altto.courses.models import Lesson

    return Lesson.objects.published()


def lesson_entries(lessons) -> Iterator[Entry]:
    from altto.courses.models import LessonText
    from altto.lib.markdown import render_markdown

    texts = (
        LessonText.objects.filter(lesson__in=lessons)
        .select_related("lesson__module")
        .order_by("lesson_id", "language")
    )
    for lesson_text in texts:
        lesson = lesson_text.lesson
        body = plain(lesson_text.body_html or render_markdown(lesson_text.body))
        objectives = " ".join(str(o) for o in lesson_text.objectives or [])
        yield _entry(
            Entry.Kind.LESSON,
            lesson.pk,
            title=lesson_text.title,
            body=_join(body, objectives),
            url=lesson_text.get_absolute_url(),
            language=lesson_text.language,
            levels=lesson.module.school_levels or [],
        )


# ---- library items ---------------------------------------------------------------------


def item_sources():
    from altto.library.models import Item

    return Item.objects.published()


def item_entries(items) -> Iterator[Entry]:
    for item in items.prefetch_related("tags").order_by("pk"):
        body = _join(
            item.summary,
            item.grammar_point,
            plain(item.body_html),
            item.materials,
            plain(item.steps_html),
            plain(item.variations_html),
        )
        yield _entry(
            Entry.Kind.ITEM,
            item.pk,
            title=item.title,
            body=body,
            url=item.get_absolute_url(),
            language=item.language,
            tags=[tag.slug for tag in item.tags.all()],
            levels=item.school_levels or [],
        )


# ---- blog posts ------------------------------------------------------------------------


def post_sources():
    from altto.blog.models import Post

    # Scheduled ones too, with live_from: the backends leave them out until their time.
    return Post.objects.filter(
        status__in=[Post.Status.SCHEDULED, Post.Status.PUBLISHED], publish_at__isnull=False
    )


def post_entries(posts) -> Iterator[Entry]:
    for post in posts.prefetch_related("tags").order_by("pk"):
        yield _entry(
            Entry.Kind.POST,
            post.pk,
            title=post.title,
            body=_join(post.summary, plain(post.body_html)),
            url=post.get_absolute_url(),
            language=post.language,
            tags=[tag.slug for tag in post.tags.all()],
            live_from=post.publish_at,
        )


# ---- forum threads ---------------------------------------------------------------------


def thread_sources():
    from altto.forum.models import Thread

    return Thread.objects.listed()


def thread_language(title: str) -> str:
    """Japanese ("ja") when most of the title's letters are, else English ("en")."""
    cjk = len(_CJK.findall(title or ""))
    return "ja" if cjk and cjk >= len(_LATIN.findall(title or "")) else "en"


def thread_entries(threads) -> Iterator[Entry]:
    from altto.forum.models import Post, Tag

    threads = list(
        threads.prefetch_related("tags")
        .only("pk", "title", "slug", "accepted_answer_id")
        .order_by("pk")
    )
    if not threads:
        return
    words: dict[int, list[tuple[int, bool, str]]] = defaultdict(list)
    # Visible posts only: held, hidden and deleted words never reach the index. No author.
    posts = (
        Post.objects.filter(thread__in=[t.pk for t in threads], status=Post.Status.VISIBLE)
        .order_by("thread_id", "created_at", "pk")
        .values_list("thread_id", "pk", "is_opening", "body_html")
    )
    for thread_id, post_id, is_opening, body_html in posts.iterator(chunk_size=2000):
        words[thread_id].append((post_id, is_opening, plain(body_html)))
    for thread in threads:
        said = words.get(thread.pk, [])
        opening = [body for _pk, is_opening, body in said if is_opening]
        accepted = [body for pk, _o, body in said if pk == thread.accepted_answer_id]
        replies = [
            body for pk, is_opening, body in said
            if not is_opening and pk != thread.accepted_answer_id
        ]  # fmt: skip
        # The question, then the accepted answer, then the other replies in time order: if
        # the thread is too long, it is the tail that is cut.
        body = _join(*opening, *accepted, *replies)
        tags = sorted(thread.tags.all(), key=lambda tag: tag.sort_key())
        yield _entry(
            Entry.Kind.THREAD,
            thread.pk,
            title=thread.title,
            body=body,
            url=thread.get_absolute_url(),
            language=thread_language(thread.title),
            tags=[tag.slug for tag in tags if tag.group != Tag.Group.LEVEL],
            levels=[tag.slug for tag in tags if tag.group == Tag.Group.LEVEL],
            boost=SOLVED_BOOST if accepted else 0.0,
            max_text=MAX_THREAD_TEXT,
            # The accepted answer's words count twice (SQLite's bm25 weighs repeats).
            extra_terms=accepted[0][:MAX_THREAD_TEXT] if accepted else "",
        )


# ---- by kind -------------------------------------------------------------------------------

SOURCES = {
    Entry.Kind.LESSON: (lesson_sources, lesson_entries),
    Entry.Kind.ITEM: (item_sources, item_entries),
    Entry.Kind.POST: (post_sources, post_entries),
    Entry.Kind.THREAD: (thread_sources, thread_entries),
}


def entries_for(kind: str, object_id: int) -> list[Entry]:
    """The entries one object should have now: none when it must not be searchable."""
    sources, build = SOURCES[kind]
    return list(build(sources().filter(pk=object_id)))


def source_ids(kind: str) -> list[int]:
    """Every searchable object of a kind, by id."""
    sources, _build = SOURCES[kind]
    return list(sources().order_by("pk").values_list("pk", flat=True))


def entries_in_batches(kind: str, ids: list[int], batch_size: int = 500) -> Iterator[list[Entry]]:
    """Entries of the objects `ids`, `batch_size` objects at a time (a rebuild)."""
    sources, build = SOURCES[kind]
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        yield list(build(sources().filter(pk__in=chunk)))
