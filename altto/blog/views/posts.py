"""Reading the blog: the list of live posts, a post, a tag, a writer, and what is coming up.
Only live posts are shown; anything else is "not found" at its would-be address, so a draft's
existence is never given away."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from altto.accounts.roles import may
from altto.blog import queries
from altto.discussion.queries import thread_for
from altto.notifications.actions import is_watching, unwatch, watch


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page = queries.page_of(queries.live_posts(), request.GET.get("page"))
    return render(request, "blog/index.html", {"page": page, "posts": page.object_list})


@require_safe
def upcoming(request: HttpRequest) -> HttpResponse:
    return render(request, "blog/upcoming.html", {"posts": queries.upcoming_posts()})


@require_safe
def tag(request: HttpRequest, tag: str) -> HttpResponse:
    page = queries.page_of(queries.live_posts().filter(tags__slug=tag), request.GET.get("page"))
    if not page.object_list and page.number == 1:
        raise Http404  # unknown, or only on posts nobody may read yet
    return render(request, "blog/tag.html", {"tag": tag, "page": page, "posts": page.object_list})


@require_http_methods(["GET", "HEAD", "POST"])
def writer(request: HttpRequest, username: str) -> HttpResponse:
    member = queries.blog_writer(username)
    if member is None:
        raise Http404
    url = request.path
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(url)
        if request.POST.get("follow") == "off":
            unwatch(request.user, member)
            messages.success(request, _("You no longer follow this writer."))
        elif request.user.pk != member.pk:
            watch(request.user, member)
            followed = _("You are following this writer: their new posts reach your notifications.")
            messages.success(request, followed)
        return redirect(url)
    page = queries.page_of(queries.live_posts().filter(authors=member), request.GET.get("page"))
    context = {
        "member": member,
        "page": page,
        "posts": page.object_list,
        "may_follow": request.user.is_authenticated and request.user.pk != member.pk,
        "following": is_watching(request.user, member) if request.user.is_authenticated else False,
    }
    return render(request, "blog/writer.html", context)


def get_live_post(pk: int):
    """The live post `pk`, with its writers and tags; 404 for anything else (drafts, posts in
    review, unpublished or not yet due). Also used by the comment form (altto/discussion)."""
    found = queries.live_post(pk=pk)
    if found is None:
        raise Http404
    return found


def post_context(request: HttpRequest, post) -> dict:
    """What the post page shows (also rendered again by a refused comment form)."""
    canonical = queries.absolute(post.get_absolute_url())
    return {
        "post": post,
        "tags": list(post.tags.all()),
        "canonical": canonical,
        "cover_url": queries.absolute(post.cover.url) if post.cover else "",
        "share": queries.share_links(canonical, post.title),
        "may_edit": may(request.user, "edit_blog_post", post),
        # The post's discussion (1 query, however many comments; altto/discussion/).
        "comments": thread_for(post, request.user),
    }


@require_safe
def post(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    found = queries.live_post(slug=slug)
    if found is None:
        raise Http404
    if queries.post_year(found) != year:
        return redirect(found, permanent=True)
    return render(request, "blog/post.html", post_context(request, found))
