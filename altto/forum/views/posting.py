"""Writing in the forum: new threads, replies, edits, votes, answers, flags, following.
A refused post comes back with everything the member typed and the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.roles import may
from altto.forum import actions, queries
from altto.forum.forms import EditForm, FlagForm, ReplyForm, ThreadForm
from altto.forum.models import Category, Flag, Post, Thread
from altto.forum.views.browse import get_readable_thread, thread_context
from altto.notifications.actions import unwatch, watch


def _require_poster(request: HttpRequest) -> None:
    if not may(request.user, "post_in_forum"):
        raise PermissionDenied(_("Please verify your email address before posting."))


@require_http_methods(["GET", "POST"])
@login_required
def new_thread(request: HttpRequest) -> HttpResponse:
    _require_poster(request)
    status = 200
    if request.method == "POST":
        form = ThreadForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = actions.start_thread(
                    request.user,
                    data["category"],
                    data["kind"],
                    data["title"],
                    data["body"],
                    levels=data["levels"],
                    employers=data["employers"],
                    tags=data["tags"],
                    anonymous=data["anonymous"],
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                if thread.status == Thread.Status.HELD:
                    messages.info(request, _("Thank you! As a new member, your first posts are "
                                             "checked by a moderator before others see them. "
                                             "We'll notify you when it is visible."))  # fmt: skip
                else:
                    messages.success(request, _("Your thread is posted."))
                return redirect(thread)
        else:
            status = 400
    else:
        category = Category.objects.filter(slug=request.GET.get("category", "")).first()
        kind = request.GET.get("kind")
        if kind not in Thread.Kind.values:
            kind = Thread.Kind.QUESTION
        form = ThreadForm(initial={"category": category, "kind": kind})
    return render(request, "forum/new.html", {"form": form}, status=status)


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """The "similar questions and lessons" panel beside a new question (htmx)."""
    found = queries.similar_to(request.GET.get("title", "")[:200])
    return render(request, "forum/_similar.html", found)


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_readable_thread(request, pk)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(f"{thread.get_absolute_url()}#reply")
    _require_poster(request)
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            post = actions.reply(request.user, thread, form.cleaned_data["body"])
        except actions.Refused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            if post.status == Post.Status.HELD:
                messages.info(request, _("Thank you! Your reply will appear once a moderator "
                                         "has checked it (new members' first posts are "
                                         "checked)."))  # fmt: skip
            else:
                messages.success(request, _("Your reply is posted."))
            return redirect("forum:post", pk=post.pk)
    context = thread_context(request, thread, reply_form=form)
    return render(request, "forum/thread.html", context, status=status)


def _get_post(request: HttpRequest, pk: int) -> Post:
    """A post the reader may see, in a thread they may read; 404 otherwise."""
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    get_readable_thread(request, post.thread_id)
    if not queries.posts_seen_by(request.user, post.thread).filter(pk=post.pk).exists():
        raise Http404
    return post


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "edit_post", post):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = EditForm(request.POST, opening=post.is_opening)
        status = 400
        if form.is_valid():
            try:
                actions.edit_post(
                    post, request.user, form.cleaned_data["body"], form.cleaned_data.get("title")
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("forum:post", pk=post.pk)
    else:
        form = EditForm(
            initial={"body": post.body, "title": post.thread.title}, opening=post.is_opening
        )
    return render(request, "forum/edit.html", {"post": post, "form": form}, status=status)


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Earlier words of an edited post: for its author and moderators (anyone else sees
    only that it was edited)."""
    post = _get_post(request, pk)
    if not may(request.user, "see_post_history", post):
        raise PermissionDenied
    revisions = list(post.revisions.all())
    return render(request, "forum/history.html", {"post": post, "revisions": revisions})


@require_POST
@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "delete_post", post):
        raise PermissionDenied
    actions.delete_post(post, request.user)
    if post.is_opening:
        messages.success(request, _("Your thread is deleted."))
        return redirect(post.thread.category)
    messages.success(request, _("The post is deleted. A note stays in its place."))
    return redirect(post.thread)


@require_POST
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "vote_post", post):
        raise PermissionDenied
    up = request.POST.get("vote") != "remove"
    error = ""
    try:
        actions.vote(post, request.user, up=up)
    except actions.Refused as refused:
        error = refused.message
    if request.headers.get("HX-Request"):
        post.voted = up and not error
        post.can_vote = True
        return render(
            request, "forum/_vote.html", {"post": post, "vote_error": error},
            status=400 if error else 200,
        )  # fmt: skip
    if error:
        messages.error(request, error)
    return redirect("forum:post", pk=post.pk)


@require_POST
@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_readable_thread(request, pk)
    if not may(request.user, "accept_answer", thread):
        raise PermissionDenied
    answer = None
    if request.POST.get("action") != "unaccept":
        try:
            answer = Post.objects.get(pk=int(request.POST.get("post", "")))
        except (ValueError, Post.DoesNotExist):
            messages.error(request, _("That answer could not be found."))
            return redirect(thread)
    try:
        actions.accept_answer(thread, answer, request.user)
    except actions.Refused as refused:
        messages.error(request, refused.message)
        return redirect(thread)
    if answer:
        messages.success(
            request, _("Marked as the accepted answer. Thank you for closing the loop!")
        )
    else:
        messages.success(request, _("The answer is no longer marked as accepted."))
    return redirect(thread)


@require_http_methods(["GET", "POST"])
@login_required
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if not may(request.user, "flag_post", post):
        raise PermissionDenied
    form = FlagForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.flag_post(
                post, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except actions.Refused as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect("forum:post", pk=post.pk)
    already = Flag.objects.open().filter(post=post, flagger=request.user).exists()
    context = {"post": post, "form": form, "already": already}
    return render(request, "forum/flag.html", context, status=400 if form.errors else 200)


def _toggle_follow(request: HttpRequest, target, following_message, stopped_message):
    if request.POST.get("follow") == "off":
        unwatch(request.user, target)
        messages.success(request, stopped_message)
    else:
        watch(request.user, target)
        messages.success(request, following_message)
    return redirect(target)


@require_POST
@login_required
def follow_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_readable_thread(request, pk)
    return _toggle_follow(
        request,
        thread,
        _("You are following this thread: replies reach your notifications."),
        _("You no longer follow this thread."),
    )


@require_POST
@login_required
def follow_category(request: HttpRequest, category: str) -> HttpResponse:
    target = get_object_or_404(Category, slug=category)
    return _toggle_follow(
        request,
        target,
        _("You are following this category: new threads reach your notifications."),
        _("You no longer follow this category."),
    )
