"""Writing blog posts and the editorial desk: drafts, their preview and history, review with
inline and overall notes, and the decisions (changes, schedule, publish now, unpublish).

Drafts are 404 to anyone who may not see them (never 403: that would tell them a draft
exists); a writer or editor who may see a post but not do this to it gets 403. A refused
move comes back with the reason and everything that was typed (status 400)."""

from html import escape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.models import User
from altto.accounts.roles import may
from altto.blog import actions
from altto.blog.forms import (
    QUOTE_MAX_LENGTH,
    ChangesForm,
    NewPostForm,
    NoteForm,
    PostForm,
    ScheduleForm,
    UnpublishForm,
)
from altto.blog.models import Post
from altto.revisions.actions import revisions_of
from altto.revisions.documents import diff_documents

JAPAN = ZoneInfo("Asia/Tokyo")
HISTORY_PAGE = 10
MY_POSTS_PAGE = 50
DESK_LIMIT = 50
DESK_RECENT = 20


def _writers_in_order():
    return Prefetch(
        "authors", queryset=User.objects.order_by("authorship__position", "authorship__pk")
    )


def _get_post(request: HttpRequest, pk: int) -> Post:
    """A post the member may see as a draft (writers, blog editors), else 404."""
    post = get_object_or_404(Post.objects.prefetch_related(_writers_in_order()), pk=pk)
    if not may(request.user, "see_blog_draft", post):
        raise Http404
    return post


# ---- writing -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "write_blog_post"):
        raise PermissionDenied(_("Please verify your email address before writing a post."))
    status = 200
    form = NewPostForm(request.POST or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                post = actions.start_draft(request.user, form.cleaned_data["title"])
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Your draft is started. Write away!"))
                return redirect("blog:edit", pk=post.pk)
    return render(request, "blog/new.html", {"form": form}, status=status)


@require_GET
@login_required
def my_posts(request: HttpRequest) -> HttpResponse:
    posts = request.user.blog_posts.prefetch_related(_writers_in_order()).order_by(
        "-updated_at", "-pk"
    )
    page = Paginator(posts, MY_POSTS_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may(request.user, "write_blog_post"),
        "can_review": may(request.user, "edit_blog"),
    }
    return render(request, "blog/mine.html", context)


def _history(request: HttpRequest, post: Post) -> dict:
    """A page of the post's revisions, newest first, each with its changes against the one
    before it (fetched with the page: one query, whatever the page shows)."""
    revisions = revisions_of(post).order_by("-number")
    paginator = Paginator(revisions, HISTORY_PAGE)
    page = paginator.get_page(request.GET.get("history"))
    start = (page.number - 1) * HISTORY_PAGE
    rows = list(revisions.select_related("author")[start : start + HISTORY_PAGE + 1])
    shown = rows[:HISTORY_PAGE]
    for index, revision in enumerate(shown):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        if previous is not None:
            revision.diffs = diff_documents(post, previous.data, revision.data)
        else:
            revision.diffs = None
    return {"revisions": shown, "history_page": page}


def _timeline(post: Post) -> list:
    return list(post.events.select_related("actor"))


@require_GET
@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    context = {
        "post": post,
        "writers": list(post.authors.all()),
        "tags": list(post.tags.all()),
        "events": _timeline(post),
        "is_live": post.is_live(),
        "can_edit": may(request.user, "edit_blog_post", post),
        "can_submit": may(request.user, "submit_blog_post", post),
        **_history(request, post),
    }
    return render(request, "blog/draft.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "edit_blog_post", post):
        raise PermissionDenied(_("This post is with the editors. You can edit it again if "
                                 "they send it back."))  # fmt: skip
    can_submit = may(request.user, "submit_blog_post", post)
    status = 200
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, post=post)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            cover = form.cover_for_save()
            old_cover = post.cover.name if cover is not None else ""
            try:
                actions.save_post(
                    post,
                    request.user,
                    title=data["title"],
                    slug=data["slug"],
                    summary=data["summary"],
                    body=data["body"],
                    language=data["language"],
                    tags=data["tags"],
                    cover=cover,
                    cover_alt=data["cover_alt"] if cover != "" else "",
                    summary_of_change=data["summary_of_change"],
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                if old_cover:  # replaced or removed: the old file has no further use
                    post.cover.storage.delete(old_cover)
                if request.POST.get("action") == "submit" and can_submit:
                    try:
                        actions.submit_for_review(post, request.user)
                    except actions.Refused as refused:
                        messages.error(request, _("Your draft is saved, but: %(reason)s")
                                       % {"reason": refused.message})  # fmt: skip
                        return redirect("blog:edit", pk=post.pk)
                    messages.success(request, _("Saved and sent to the blog editors. "
                                                "They will be in touch here."))  # fmt: skip
                    return redirect("blog:draft", pk=post.pk)
                messages.success(request, _("Your changes are saved."))
                return redirect("blog:edit", pk=post.pk)
    else:
        form = PostForm(
            post=post,
            initial={
                "title": post.title,
                "slug": post.slug,
                "summary": post.summary,
                "body": post.body,
                "language": post.language,
                "tags": ", ".join(tag.slug for tag in post.tags.all()),
                "cover_alt": post.cover_alt,
            },
        )
    context = {
        "post": post,
        "form": form,
        "can_submit": can_submit,
        "has_history": revisions_of(post).exists(),
    }
    return render(request, "blog/edit.html", context, status=status)


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "submit_blog_post", post):
        raise PermissionDenied
    try:
        actions.submit_for_review(post, request.user)
    except actions.Refused as refused:
        messages.error(request, refused.message)
        return redirect("blog:edit", pk=post.pk)
    messages.success(request, _("Sent to the blog editors. They will be in touch here."))
    return redirect("blog:draft", pk=post.pk)


# ---- review -------------------------------------------------------------------------------


class _Blocks(HTMLParser):
    """Cuts rendered HTML into its top-level blocks (paragraphs, lists, headings…), each with
    its plain text, so an editor can comment on one of them."""

    VOID = {"br", "hr", "img", "wbr", "input", "source", "col", "area", "embed"}
    # Inside a block, these separate words ("a<li>b" reads "a b").
    SEPARATING = {
        "br", "p", "li", "ul", "ol", "dd", "dt", "dl", "td", "th", "tr", "div", "pre",
        "blockquote", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "summary",
    }  # fmt: skip

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for index, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.depth = 0
        self.start = None
        self.text: list[str] = []
        self.blocks: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _end_of_tag(self) -> int:
        return self.html.index(">", self._offset()) + 1

    def _finish(self, end: int) -> None:
        text = " ".join("".join(self.text).split())
        self.blocks.append((self.html[self.start : end], text))
        self.start, self.text = None, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SEPARATING:
            self.text.append(" ")
        if self.depth == 0:
            self.start = self._offset()
        if tag in self.VOID:
            if self.depth == 0:
                self._finish(self._end_of_tag())
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.start = self._offset()
            self._finish(self._end_of_tag())

    def handle_endtag(self, tag):
        if tag in self.VOID or self.depth == 0:
            return
        if tag in self.SEPARATING:
            self.text.append(" ")
        self.depth -= 1
        if self.depth == 0:
            self._finish(self._end_of_tag())

    def handle_data(self, data):
        if self.depth > 0:
            self.text.append(data)
        elif data.strip():  # loose text between blocks: a block of its own (escaped again)
            self.blocks.append((escape(data), " ".join(data.split())))


def paragraphs(html: str) -> list[dict]:
    """The post's top-level blocks: {"html", "quote"} with the quote cut to what a note keeps."""
    return [
        {"html": block, "quote": text[:QUOTE_MAX_LENGTH]}
        for block, text in _Blocks(html).blocks
        if text or block.strip()
    ]


def _review_context(request: HttpRequest, post: Post, **forms) -> dict:
    is_editor = may(request.user, "review_blog_post", post)
    notes = list(post.notes.select_related("author"))
    blocks = paragraphs(post.body_html)
    noted = {}
    for note in notes:
        if note.quote:
            noted[note.quote] = noted.get(note.quote, 0) + 1
    for block in blocks:
        block["notes"] = noted.get(block["quote"], 0)
    shown = post.shown_status
    return {
        "post": post,
        "writers": list(post.authors.all()),
        "blocks": blocks,
        "notes": notes,
        "events": _timeline(post),
        "is_editor": is_editor,
        "can_approve": may(request.user, "approve_blog_post", post),
        "in_review": post.status == Post.Status.REVIEW,
        "can_unpublish": is_editor
        and post.status in {Post.Status.SCHEDULED, Post.Status.PUBLISHED},
        "shown_status": shown,
        "is_live": post.is_live(),
        "note_form": forms.get("note_form") or NoteForm(),
        "changes_form": forms.get("changes_form") or ChangesForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        "unpublish_form": forms.get("unpublish_form") or UnpublishForm(),
    }


@require_GET
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    return render(request, "blog/review.html", _review_context(request, post))


@require_POST
@login_required
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "review_blog_post", post):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_note(post, request.user, form.cleaned_data["body"], form.cleaned_data["quote"])
        messages.success(request, _("Your note is added. The writers are told."))
        return redirect(reverse("blog:review", kwargs={"pk": post.pk}) + "#notes")
    context = _review_context(request, post, note_form=form)
    return render(request, "blog/review.html", context, status=400)


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "review_blog_post", post):
        raise PermissionDenied
    action = request.POST.get("action")
    forms = {}
    try:
        if action == "changes":
            form = forms["changes_form"] = ChangesForm(request.POST)
            if form.is_valid():
                actions.request_changes(post, request.user, form.cleaned_data["comment"])
                messages.success(request, _("The post is back with its writers, with your "
                                            "comment."))  # fmt: skip
                return redirect("blog:review", pk=post.pk)
        elif action in {"schedule", "publish_now"}:
            form = forms["schedule_form"] = ScheduleForm(request.POST)
            if form.is_valid():
                now = timezone.now()
                when = now if action == "publish_now" else form.cleaned_data["publish_at"]
                if when is None:
                    form.add_error("publish_at", _("Please choose when it goes live."))
                else:
                    post = actions.schedule(post, request.user, when, now=now)
                    if action == "publish_now":
                        messages.success(request, _("Approved: the post is live now."))
                    else:
                        local = timezone.localtime(post.publish_at, JAPAN)
                        messages.success(request, _("Approved: the post goes live on %(when)s "
                                                    "(Japan time).")
                                         % {"when": local.strftime("%Y-%m-%d %H:%M")})  # fmt: skip
                    return redirect("blog:review", pk=post.pk)
        elif action == "unpublish":
            form = forms["unpublish_form"] = UnpublishForm(request.POST)
            if form.is_valid():
                actions.unpublish(post, request.user, form.cleaned_data["reason"])
                messages.success(request, _("The post is taken down. Its writers are told why."))
                return redirect("blog:review", pk=post.pk)
        else:
            raise Http404
    except actions.Refused as refused:
        form.add_error(None, refused.message)
        messages.error(request, refused.message)
    post = _get_post(request, pk)  # as it is now, writers in byline order
    context = _review_context(request, post, **forms)
    return render(request, "blog/review.html", context, status=400)


# ---- the editorial desk -------------------------------------------------------------------


@require_GET
@login_required
def editorial(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "edit_blog"):
        raise PermissionDenied
    now = timezone.now()
    writers = _writers_in_order()
    in_review = list(
        Post.objects.filter(status=Post.Status.REVIEW)
        .annotate(submitted_at=Max("events__created_at", filter=Q(events__kind="submitted")))
        .prefetch_related(writers)
        .order_by("submitted_at", "pk")[:DESK_LIMIT]
    )
    scheduled = list(
        Post.objects.upcoming(now)
        .prefetch_related(writers)
        .order_by("publish_at", "pk")[:DESK_LIMIT]
    )
    drafts = list(
        Post.objects.filter(status=Post.Status.DRAFT)
        .prefetch_related(writers)
        .order_by("-updated_at", "-pk")[:DESK_RECENT]
    )
    unpublished = list(
        Post.objects.filter(status=Post.Status.UNPUBLISHED)
        .prefetch_related(writers)
        .order_by("-updated_at", "-pk")[:DESK_RECENT]
    )
    context = {
        "in_review": in_review,
        "scheduled": scheduled,
        "drafts": drafts,
        "unpublished": unpublished,
        "now": now,
    }
    return render(request, "blog/editorial.html", context)
