"""Reads the forum pages share. Each runs a fixed number of queries, however many threads
or replies there are. Anonymity is applied here, once: templates only ever see
`post.shown_author` / `thread.shown_author`, which is None for anonymous words unless the
reader is a moderator or wrote them (on the thread page; lists name nobody)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from altto.accounts.roles import may
from altto.forum import trust
from altto.forum.models import Category, Post, Tag, Thread, Vote
from altto.forum.rules import is_moderator

THREADS_PER_PAGE = 30
REPLIES_PER_PAGE = 50

SORTS = {
    "latest": (_("Latest activity"), ("-last_posted_at", "-pk")),
    "new": (_("Newest"), ("-created_at", "-pk")),
    "top": (_("Top"), ("-score", "-reply_count", "-last_posted_at", "-pk")),
}
SHOWS = {"solved": _("Solved"), "unanswered": _("Unanswered")}


def categories_with_activity() -> list[Category]:
    """Every category with its visible thread count and latest activity (1 query)."""
    listed = Q(threads__status=Thread.Status.VISIBLE, threads__merged_into__isnull=True)
    return list(
        Category.objects.annotate(
            thread_count=Count("threads", filter=listed),
            last_activity=Max("threads__last_posted_at", filter=listed),
        ).order_by("position", "pk")
    )


@dataclass
class ThreadFilters:
    """The list filters, read from the query string; unknown values are dropped."""

    kind: str = ""
    tag: str = ""
    show: str = ""
    sort: str = "latest"

    @classmethod
    def from_query(cls, query: QueryDict) -> "ThreadFilters":
        kind = query.get("kind", "")
        show = query.get("show", "")
        sort = query.get("sort", "latest")
        return cls(
            kind=kind if kind in Thread.Kind.values else "",
            tag=query.get("tag", "")[:40],
            show=show if show in SHOWS else "",
            sort=sort if sort in SORTS else "latest",
        )

    def apply(self, threads: QuerySet) -> QuerySet:
        if self.kind:
            threads = threads.filter(kind=self.kind)
        if self.tag:
            threads = threads.filter(tags__slug=self.tag)
        if self.show == "solved":
            threads = threads.filter(accepted_answer__isnull=False)
        elif self.show == "unanswered":
            threads = threads.filter(kind=Thread.Kind.QUESTION, reply_count=0)
        return threads

    def query_string(self, **changes) -> str:
        """This filter set as a query string, with `changes` applied ("" drops one)."""
        values = {"kind": self.kind, "tag": self.tag, "show": self.show, "sort": self.sort}
        values.update(changes)
        if values.get("sort") == "latest":
            values["sort"] = ""
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def active(self) -> bool:
        return bool(self.kind or self.tag or self.show)


def thread_page_list(threads: QuerySet, filters: ThreadFilters, page_number, pinned_first: bool):
    """One page of listed threads with their category, author and tags (4 queries)."""
    threads = filters.apply(threads.listed())
    order = SORTS[filters.sort][1]
    if pinned_first:
        order = ("-is_pinned", *order)
    threads = threads.select_related("category", "author").order_by(*order)
    threads = threads.defer("author__bio", "author__bio_html", "author__school_levels")
    page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    _prefetch_tags(rows)
    for thread in rows:
        thread.shown_author = None if thread.is_anonymous else thread.author
    page.object_list = rows
    return page


def _prefetch_tags(threads: list[Thread]) -> None:
    by_thread: dict[int, list[Tag]] = {t.pk: [] for t in threads}
    links = Thread.tags.through.objects.filter(thread_id__in=by_thread).select_related("tag")
    for link in links:
        by_thread[link.thread_id].append(link.tag)
    for thread in threads:
        thread.tag_list = sorted(by_thread[thread.pk], key=Tag.sort_key)


def latest_threads(limit: int = 8) -> list[Thread]:
    """The forum's most recently active threads, for the forum and home pages (1 query)."""
    rows = list(
        Thread.objects.listed()
        .select_related("category", "author")
        .defer("author__bio", "author__bio_html")
        .order_by("-last_posted_at", "-pk")[:limit]
    )
    for thread in rows:
        thread.shown_author = None if thread.is_anonymous else thread.author
    return rows


# ---- one thread ---------------------------------------------------------------------------


def may_read_thread(thread: Thread, viewer) -> bool:
    """Held threads: their author and moderators. Hidden threads: moderators only."""
    if thread.status == Thread.Status.VISIBLE:
        return True
    if not viewer.is_authenticated:
        return False
    if is_moderator(viewer):
        return True
    return thread.status == Thread.Status.HELD and thread.author_id == viewer.pk


def posts_seen_by(viewer, thread: Thread) -> QuerySet:
    """The posts of `thread` the viewer may see: everyone sees visible posts and the
    placeholders of hidden or deleted ones; held posts only by their author; moderators all."""
    posts = Post.objects.filter(thread=thread)
    if viewer.is_authenticated and is_moderator(viewer):
        return posts
    shown = ~Q(status=Post.Status.HELD)
    if viewer.is_authenticated:
        shown |= Q(author=viewer)
    return posts.filter(shown)


@dataclass
class ThreadPage:
    thread: Thread
    opening: Post | None
    accepted: Post | None
    replies: Page
    viewer_level: int | None
    suspended: bool

    @property
    def opening_list(self) -> list[Post]:
        return [self.opening] if self.opening else []

    @property
    def accepted_list(self) -> list[Post]:
        return [self.accepted] if self.accepted else []


def thread_page(thread: Thread, viewer, page_number) -> ThreadPage:
    """The opening post, the accepted answer (shown after it), and a page of replies in
    time order, each decorated with what the viewer may do (about 6 queries)."""
    seen = posts_seen_by(viewer, thread).select_related("author")
    seen = seen.defer("author__bio", "author__bio_html", "body")
    top = {p.pk: p for p in seen.filter(Q(is_opening=True) | Q(pk=thread.accepted_answer_id))}
    opening = next((p for p in top.values() if p.is_opening), None)
    accepted = top.get(thread.accepted_answer_id)
    replies = seen.filter(is_opening=False).exclude(pk=thread.accepted_answer_id or 0)
    page = Paginator(replies, REPLIES_PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    page.object_list = rows
    shown = [p for p in (opening, accepted, *rows) if p is not None]

    level, suspended = None, False
    voted: set[int] = set()
    if viewer.is_authenticated:
        standing = trust.standing_of(viewer)
        level, suspended = trust.level_of(viewer, standing), trust.is_suspended(viewer, standing)
        voted = set(
            Vote.objects.filter(voter=viewer, post__in=[p.pk for p in shown]).values_list(
                "post_id", flat=True
            )
        )
    moderator = level == trust.MODERATOR_LEVEL
    links = _Links()
    may_post = may(viewer, "post_in_forum")
    for post in shown:
        _decorate(post, thread, viewer, moderator, voted, links, may_post)
    return ThreadPage(thread, opening, accepted, page, level, suspended)


class _Links:
    """Addresses, dates and labels for a page of posts, made once per page rather than by a
    reverse(), a date filter or a {% translate %} per post: a thread page shows up to 52
    posts, and per-post template work is most of its time (bench/)."""

    def __init__(self):
        self.post_prefix = reverse("forum:post", kwargs={"pk": 0}).removesuffix("0/")
        self.profiles: dict[str, str] = {}
        self.labels = {
            "opening": gettext("Opening post"),
            "accepted": gettext("Accepted answer"),
            "reply": gettext("Reply"),
            "anonymous": gettext("Anonymous member"),
            "anonymous_note": gettext("anonymous to members"),
            "former": gettext("A former member"),
            "held": gettext("Waiting for review"),
            "hidden": gettext("Hidden"),
            "flags": gettext("Hidden by flags"),
            "deleted": gettext("Deleted"),
            "deleted_placeholder": gettext("This post was deleted."),
            "hidden_placeholder": gettext("This post is hidden while moderators look at it."),
        }

    def post(self, pk: int) -> str:
        return f"{self.post_prefix}{pk}/"

    def profile(self, username: str) -> str:
        if username not in self.profiles:
            self.profiles[username] = reverse("accounts:profile", kwargs={"username": username})
        return self.profiles[username]

    @staticmethod
    def when(moment) -> str:
        # One format for both languages (2026-04-01 08:15, Japan time): short on a phone,
        # and a twentieth of the cost of the localised date filter.
        return localtime(moment).strftime("%Y-%m-%d %H:%M")


def _decorate(
    post: Post, thread: Thread, viewer, moderator: bool, voted: set[int], links: _Links,
    may_post: bool,
) -> None:  # fmt: skip
    label = links.labels
    post.thread = thread  # the rules read it; already loaded
    own = viewer.is_authenticated and post.author_id == viewer.pk
    post.is_own = own
    post.is_accepted = post.pk == thread.accepted_answer_id
    post.shown_author = post.author if (not post.is_anonymous or moderator or own) else None
    post.anonymous_to_members = post.is_anonymous
    post.url = links.post(post.pk)
    post.when = links.when(post.created_at)
    post.when_iso = post.created_at.isoformat()
    if post.shown_author:
        post.byline = post.shown_author.name
        post.author_url = links.profile(post.shown_author.username)
    else:
        post.byline = label["anonymous"] if post.is_anonymous else label["former"]
        post.author_url = ""
    post.anonymous_note = label["anonymous_note"] if post.is_anonymous and post.shown_author else ""
    post.quote_author = "" if post.is_anonymous or not post.author else f"@{post.author.username}"
    post.label = label[
        "opening" if post.is_opening else "accepted" if post.is_accepted else "reply"
    ]
    status = post.status
    post.css = "forum-post" + (" forum-accepted" if post.is_accepted else "")
    if status != Post.Status.VISIBLE:
        post.css += f" forum-post-{status}"
    post.tags = [label["accepted"]] if post.is_accepted else []
    if status == Post.Status.HELD:
        post.tags.append(label["held"])
    elif moderator and status == Post.Status.HIDDEN:
        post.tags.append(label["flags"] if post.hidden_by == "flags" else label["hidden"])
    elif moderator and status == Post.Status.DELETED:
        post.tags.append(label["deleted"])
    # Held posts reach only their author and moderators (posts_seen_by); the words of hidden
    # and deleted posts only moderators.
    post.body_shown = status in {Post.Status.VISIBLE, Post.Status.HELD} or moderator
    post.placeholder = label[
        "deleted_placeholder" if status == Post.Status.DELETED else "hidden_placeholder"
    ]
    post.history_shown = own or moderator
    post.voted = post.pk in voted
    post.score_text = (
        ngettext("%(counter)s upvote", "%(counter)s upvotes", post.score) % {"counter": post.score}
        if post.score
        else ""
    )
    if not viewer.is_authenticated:
        post.can_vote = post.can_edit = post.can_delete = post.can_flag = False
        post.can_accept = post.can_quote = post.has_actions = False
        return
    post.can_vote = post.is_visible and not own and may(viewer, "vote_post", post)
    post.can_edit = may(viewer, "edit_post", post)
    post.can_delete = may(viewer, "delete_post", post)
    post.can_flag = post.is_visible and may(viewer, "flag_post", post)
    post.can_accept = (
        thread.is_question
        and not post.is_opening
        and post.is_visible
        and may(viewer, "accept_answer", thread)
    )
    post.can_quote = post.is_visible and may_post and (not thread.is_locked or moderator)
    post.has_actions = True


def page_of_post(post: Post, viewer) -> int:
    """Which page of its thread a reply is on, for permalinks (1 query)."""
    if post.is_opening or post.pk == post.thread.accepted_answer_id:
        return 1
    before = (
        posts_seen_by(viewer, post.thread)
        .filter(is_opening=False)
        .exclude(pk=post.thread.accepted_answer_id or 0)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    return before // REPLIES_PER_PAGE + 1


# ---- composing --------------------------------------------------------------------------


def similar_to(title: str, limit: int = 5) -> dict:
    """Questions and lessons whose titles share words with `title`, from site search (at
    most 6 queries), best first: {"threads": [Entry], "lessons": [Entry]} (one entry per
    lesson). A title being typed holds words no page has, so any of its distinctive words
    will do, not all of them."""
    from altto.search.queries import search

    # The search cuts the title into terms and drops common words itself; a title with
    # none left finds nothing without touching the database.
    query = (title or "")[:200]
    similar = {"any_terms": True, "titles_only": True}
    threads = search(query, kinds=("thread",), per_page=limit, **similar).hits
    lessons, seen = [], set()
    for hit in search(query, kinds=("lesson",), per_page=6, **similar).hits:
        if hit.entry.object_id not in seen:
            seen.add(hit.entry.object_id)
            lessons.append(hit.entry)
    return {"threads": [hit.entry for hit in threads], "lessons": lessons[:3]}


# ---- profiles -----------------------------------------------------------------------------


def member_activity(member, viewer, limit: int = 10) -> dict:
    """What a profile shows of a member's forum life: their threads and answers, how many
    answers were accepted, and upvotes received. Anonymous posts are left out, except for
    the member themself. No reputation number (4 queries)."""
    own = viewer.is_authenticated and viewer.pk == member.pk
    threads = Thread.objects.listed().filter(author=member)
    posts = Post.objects.filter(author=member, status=Post.Status.VISIBLE)
    if not own:
        threads = threads.filter(is_anonymous=False)
        posts = posts.filter(is_anonymous=False)
    answers = posts.filter(
        is_opening=False,
        thread__kind=Thread.Kind.QUESTION,
        thread__status=Thread.Status.VISIBLE,
        thread__merged_into__isnull=True,
    )
    totals = posts.aggregate(upvotes=Sum("score"))
    accepted = Thread.objects.listed().filter(accepted_answer__in=answers).count()
    return {
        "threads": list(threads.select_related("category").order_by("-created_at")[:limit]),
        "answers": list(answers.select_related("thread").order_by("-created_at")[:limit]),
        "accepted_count": accepted,
        "upvotes": totals["upvotes"] or 0,
    }
