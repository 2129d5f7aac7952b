"""Reading the forum: categories, thread lists with filters, a thread, permalinks."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from altto.accounts.roles import may
from altto.forum import queries, trust
from altto.forum.forms import ReplyForm
from altto.forum.models import Category, Post, Tag, Thread
from altto.notifications.actions import is_watching


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": queries.categories_with_activity(),
        "latest": queries.latest_threads(),
    }
    return render(request, "forum/index.html", context)


def _list(request: HttpRequest, category: Category | None) -> HttpResponse:
    filters = queries.ThreadFilters.from_query(request.GET)
    threads = Thread.objects.filter(category=category) if category else Thread.objects.all()
    page = queries.thread_page_list(
        threads, filters, request.GET.get("page"), pinned_first=category is not None
    )
    context = {
        "category": category,
        "filters": filters,
        "page": page,
        "threads": page.object_list,
        "kinds": Thread.Kind.choices,
        "shows": queries.SHOWS.items(),
        "sorts": [(key, label) for key, (label, _order) in queries.SORTS.items()],
        "following": category is not None and is_watching(request.user, category),
        "page_query": filters.query_string(),
        "clear_tag_query": filters.query_string(tag=""),
        "perms_edit_categories": may(request.user, "edit_forum_categories"),
    }
    return render(request, "forum/list.html", context)


@require_GET
def category(request: HttpRequest, category: str) -> HttpResponse:
    return _list(request, get_object_or_404(Category, slug=category))


@require_GET
def all_threads(request: HttpRequest) -> HttpResponse:
    return _list(request, None)


def get_readable_thread(request: HttpRequest, pk: int) -> Thread:
    """The thread, if this reader may see it; 404 otherwise (never "forbidden": a hidden
    thread's existence is not for everyone to know)."""
    thread = get_object_or_404(Thread.objects.select_related("category", "author"), pk=pk)
    if thread.merged_into_id is None and not queries.may_read_thread(thread, request.user):
        raise Http404
    return thread


@require_GET
def thread_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_readable_thread(request, pk)
    return redirect(thread, permanent=True)


def thread_context(request: HttpRequest, thread: Thread, reply_form=None) -> dict:
    page = queries.thread_page(thread, request.user, request.GET.get("page"))
    moderator = page.viewer_level == trust.MODERATOR_LEVEL
    return {
        "thread": thread,
        "tags": sorted(thread.tags.all(), key=Tag.sort_key),
        "view": page,
        "opening": page.opening,
        "accepted": page.accepted,
        "page": page.replies,
        "replies": page.replies.object_list,
        "moderator": moderator,
        "thread_author_shown": thread.author if (not thread.is_anonymous or moderator) else None,
        "may_post": may(request.user, "post_in_forum"),
        "following": is_watching(request.user, thread),
        "reply_form": reply_form or ReplyForm(initial={"body": _quote(request, thread)}),
        "categories": Category.objects.order_by("position") if moderator else [],
        # The blog topics this thread became (one query), and whether this reader may
        # turn it into one (a blog editor).
        "blog_topics": list(thread.blog_topics.only("pk", "title")),
        "may_make_blog_topic": may(request.user, "assign_blog_topic"),
    }


def _quote(request: HttpRequest, thread: Thread) -> str:
    """`?quote=<post>` (the no-JavaScript quote button): that post's words as a quote."""
    try:
        pk = int(request.GET.get("quote", ""))
    except ValueError:
        return ""
    post = (
        queries.posts_seen_by(request.user, thread)
        .filter(pk=pk, status=Post.Status.VISIBLE)
        .select_related("author")
        .first()
    )
    if post is None:
        return ""
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    name = "" if post.is_anonymous or not post.author else f"@{post.author.username} "
    return f"{name}\n{quoted}\n\n" if name else f"{quoted}\n\n"


@require_GET
def thread(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    thread = get_readable_thread(request, pk)
    if thread.merged_into_id is not None:
        return redirect("forum:thread_short", pk=thread.merged_into_id)
    if slug != thread.slug:
        return redirect(f"{thread.get_absolute_url()}?{request.GET.urlencode()}".rstrip("?"))
    return render(request, "forum/thread.html", thread_context(request, thread))


@require_GET
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's permalink: the page of its thread where it is, scrolled to it."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    thread = get_readable_thread(request, post.thread_id)
    if not queries.posts_seen_by(request.user, thread).filter(pk=post.pk).exists():
        raise Http404
    if post.status == Post.Status.HIDDEN and not may(request.user, "moderate_forum"):
        raise Http404
    page = queries.page_of_post(post, request.user)
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{thread.get_absolute_url()}{query}#post-{post.pk}")


@require_GET
def trust_ladder(request: HttpRequest) -> HttpResponse:
    context = {"levels": trust.LABELS, "limits": trust.LIMITS, "rules": trust}
    if request.user.is_authenticated:
        standing = trust.standing_of(request.user)
        context["my_level"] = trust.level_of(request.user, standing)
        context["my_label"] = trust.LABELS[context["my_level"]]
        context["next_step"] = trust.next_step(request.user, standing)
        context["suspended_until"] = (
            standing.suspended_until if trust.is_suspended(request.user, standing) else None
        )
    return render(request, "forum/trust.html", context)
