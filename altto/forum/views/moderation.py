"""Moderators' pages and buttons: the review queue, post and thread actions, the log and
suspensions. Thin views: fetch (or 404), ask `may()` (or 403), call an action in
altto/forum/actions.py, redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.models import User
from altto.accounts.roles import may
from altto.core.redirects import redirect_back
from altto.discussion.models import Report
from altto.forum import actions, review_queries
from altto.forum.models import Category, Post, Standing, Thread
from altto.forum.moderation_forms import (
    PostActionForm,
    SuspendForm,
    ThreadActionForm,
    thread_number,
)
from altto.forum.rules import is_moderator

LOG_PAGE_SIZE = 50


def _require_moderator(request: HttpRequest) -> None:
    if not may(request.user, "moderate_forum"):
        raise PermissionDenied


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    context = {
        "queue": review_queries.review_queue(),
        "limit": review_queries.QUEUE_LIMIT,
        "open_reports": Report.objects.open().count() if may(request.user, "see_reports") else 0,
        "can_see_reports": may(request.user, "see_reports"),
    }
    return render(request, "forum/moderation_queue.html", context)


@require_POST
@login_required
def post_action(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not may(request.user, "moderate_forum", post):
        raise PermissionDenied
    form = PostActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown moderation action."))
    action = form.cleaned_data["action"]
    if action == "approve":
        if post.status != Post.Status.HELD:
            messages.info(request, _("This post is not waiting for review."))
        else:
            actions.approve_post(post, request.user)
            messages.success(
                request, _("The post is approved and visible, and its author is told.")
            )
    elif action == "hide":
        actions.hide_post(post, request.user, form.cleaned_data["reason"])
        messages.success(request, _("The post is hidden and its flags are closed."))
    else:
        was_hidden = post.status == Post.Status.HIDDEN
        actions.restore_post(post, request.user)
        if was_hidden:
            messages.success(request, _("The post is visible again and its flags are closed."))
        else:
            messages.success(request, _("The flags are dismissed and the post stays as it is."))
    return redirect_back(request, reverse("forum:review"))


def _move(request: HttpRequest, thread: Thread, slug: str) -> None:
    category = Category.objects.filter(slug=slug.strip()).first()
    if category is None:
        messages.error(request, _("Choose a category to move the thread to."))
    elif category.pk == thread.category_id:
        messages.error(request, _("The thread is already in that category."))
    else:
        actions.move_thread(thread, category, request.user)
        messages.success(
            request, _("The thread is moved to “%(category)s”.") % {"category": category.title}
        )


def _merge(request: HttpRequest, thread: Thread, into: str) -> Thread:
    """Merge `thread` into the one the moderator named; the thread to show next."""
    number = thread_number(into)
    target = Thread.objects.filter(pk=number).first() if number is not None else None
    if target is None:
        messages.error(
            request,
            _("Give the number or the address of the thread to merge into, e.g. /forum/t/12/."),
        )
        return thread
    actions.merge_thread(thread, target, request.user)  # Refused for itself or a merged one
    messages.success(
        request,
        _("“%(source)s” is merged into this thread; its old address leads here.")
        % {"source": thread.title},
    )
    return target


@require_POST
@login_required
def thread_action(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("category"), pk=pk)
    if not may(request.user, "moderate_forum", thread):
        raise PermissionDenied
    form = ThreadActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown moderation action."))
    action = form.cleaned_data["action"]
    if thread.merged_into_id is not None:
        messages.error(request, _("This thread was merged into another; moderate that one."))
        return redirect(thread.merged_into.get_absolute_url())
    shown = thread
    try:
        if action in {"lock", "unlock"}:
            actions.set_locked(thread, request.user, action == "lock", form.cleaned_data["reason"])
            if action == "lock":
                messages.success(request, _("The thread is locked: it takes no new replies."))
            else:
                messages.success(request, _("The thread is unlocked."))
        elif action in {"pin", "unpin"}:
            actions.set_pinned(thread, request.user, action == "pin")
            if action == "pin":
                messages.success(request, _("The thread is pinned to the top of its category."))
            else:
                messages.success(request, _("The thread is no longer pinned."))
        elif action == "move":
            _move(request, thread, form.cleaned_data["category"])
        else:
            shown = _merge(request, thread, form.cleaned_data["into"])
    except actions.Refused as refused:
        messages.error(request, refused.message)
        shown = thread
    return redirect(shown.get_absolute_url())


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    page = Paginator(review_queries.log_entries(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "forum/moderation_log.html", {"page": page, "entries": page.object_list})


def _suspension_of(member: User) -> Standing | None:
    """The member's Standing while they are suspended, else None."""
    standing = Standing.objects.filter(user=member).first()
    if standing and standing.suspended_until and standing.suspended_until > timezone.now():
        return standing
    return None


@require_http_methods(["GET", "POST"])
@login_required
def suspend(request: HttpRequest, username: str) -> HttpResponse:
    _require_moderator(request)
    member = get_object_or_404(User, username=username)
    context = {"member": member, "suspension": _suspension_of(member)}
    if member.pk == request.user.pk:
        context["refusal"] = _("You cannot suspend yourself.")
    elif is_moderator(member):
        context["refusal"] = _(
            "Moderators and admins cannot be suspended here. An admin can change their roles."
        )
    if "refusal" in context:
        return render(request, "forum/moderation_suspend.html", context, status=403)
    profile = reverse("accounts:profile", kwargs={"username": member.username})
    if request.method == "POST" and request.POST.get("action") == "lift":
        if context["suspension"] is None:
            messages.info(request, _("%(name)s is not suspended.") % {"name": member.name})
        else:
            actions.lift_suspension(member, request.user)
            messages.success(
                request, _("The suspension of %(name)s is lifted.") % {"name": member.name}
            )
        return redirect(profile)
    form = SuspendForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        days = form.cleaned_data["days"]
        actions.suspend(member, request.user, days, form.cleaned_data["reason"])
        messages.success(
            request,
            ngettext(
                "%(name)s is suspended from the forum for %(days)s day and is told why.",
                "%(name)s is suspended from the forum for %(days)s days and is told why.",
                days,
            )
            % {"name": member.name, "days": days},
        )
        return redirect(profile)
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "forum/moderation_suspend.html", context, status=status)
