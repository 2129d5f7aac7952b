"""Thin views: fetch what the user may touch (or 404), ask `may()` (or 403), call an action.

Lessons and library items share every view; only posting needs to know the page, through
a resolver (the published lesson or item at the address) and the page it renders again
when the form has errors."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.roles import may
from altto.blog.models import Post as BlogPost
from altto.core.redirects import redirect_back
from altto.courses.views.lessons import get_lesson, lesson_context
from altto.discussion import actions, queries
from altto.discussion.forms import CommentBodyForm, CommentForm, ReportForm
from altto.discussion.models import Comment, Report
from altto.forum import trust
from altto.library.models import Item
from altto.library.views.browse import describe, item_context


def get_comment(pk: int) -> Comment:
    """A comment on a published lesson or a published library item, or 404."""
    on_published_page = (
        Q(lesson__is_published=True, lesson__module__is_published=True)
        | Q(item__status=Item.Status.PUBLISHED)
        | Q(blog_post__in=BlogPost.objects.published())
    )
    return get_object_or_404(
        Comment.objects.select_related("lesson__module", "item", "blog_post", "author").filter(
            on_published_page
        ),
        pk=pk,
    )


def get_published_item(slug: str) -> Item:
    """The published library item at this address (for everyone, editors too), or 404."""
    items = Item.objects.published().select_related("edition__textbook")
    return describe(get_object_or_404(items.prefetch_related("tags", "creators"), slug=slug))


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _failed_field(form: CommentForm) -> str:
    """The id of the textarea (in templates/discussion/) that shows this form's errors: the
    reply box of the top-level comment it answered, else the new-comment box."""
    parent = getattr(form, "cleaned_data", {}).get("parent")
    return f"reply-body-{parent.pk}" if parent else "comment-body"


@require_POST
def post_comment(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    """A comment or reply on a published lesson."""
    return _post(request, get_lesson(slug, lesson), "courses/lesson.html", lesson_context)


@require_POST
def post_item_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """A comment or reply on a published library item."""
    return _post(request, get_published_item(slug), "library/item.html", item_context)


@require_POST
def post_blog_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment or reply on a live blog post (a draft or an unpublished post: 404)."""
    from altto.blog.views.posts import get_live_post, post_context

    return _post(request, get_live_post(pk), "blog/post.html", post_context)


def _post(
    request: HttpRequest,
    target: Any,
    template: str,
    page_context: Callable[[HttpRequest, Any], dict],
) -> HttpResponse:
    """Post on `target` (a Lesson or an Item). When the form has errors, `template` shows
    the page again with `page_context(request, target)` and the member's draft."""
    if not request.user.is_authenticated:
        return redirect_to_login(f"{target.get_absolute_url()}#discussion")
    if not may(request.user, "post_comment", target):
        raise PermissionDenied
    form = CommentForm(request.POST, target=target)
    status = 400
    if form.is_valid():
        parent = form.cleaned_data["parent"]
        try:
            comment = actions.post_comment(request.user, target, form.cleaned_data["body"], parent)
        except actions.PostingTooFast:
            form.add_error(
                None,
                _("You can post %(count)d comments a minute. Wait a moment, then try again.")
                % {"count": actions.POSTS_PER_MINUTE},
            )
            status = 429
        except actions.TooManyLinks:
            form.add_error(
                None,
                _("New members may include at most %(count)s links in a comment. Remove some "
                  "and post again.") % {"count": trust.NEW_MEMBER_LINKS},
            )  # fmt: skip
        else:
            if comment.is_held:
                messages.info(request, _("Thank you! Your comment will appear once a moderator "
                                         "has checked it (new members' first comments are "
                                         "checked)."))  # fmt: skip
            else:
                messages.success(
                    request,
                    _("Your reply is posted.") if parent else _("Your comment is posted."),
                )
            return redirect(comment.get_absolute_url())
    context = page_context(request, target)
    context["discussion_error"] = _form_errors(form)
    context["discussion_draft"] = request.POST.get("body", "")
    context["discussion_failed"] = _failed_field(form)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment(pk)
    if not may(request.user, "edit_comment", comment):
        raise PermissionDenied
    if request.method == "POST":
        form = CommentBodyForm(request.POST)
        if form.is_valid():
            actions.edit_comment(comment, request.user, form.cleaned_data["body"])
            messages.success(request, _("Your comment is saved."))
            return redirect(comment.get_absolute_url())
    else:
        form = CommentBodyForm(initial={"body": comment.body})
    status = 400 if form.errors else 200
    return render(
        request, "discussion/edit.html", {"comment": comment, "form": form}, status=status
    )


@require_GET
@login_required
def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment(pk)
    if not may(request.user, "see_comment_history", comment):
        raise PermissionDenied
    revisions = list(comment.revisions.all())
    return render(request, "discussion/history.html", {"comment": comment, "revisions": revisions})


@require_http_methods(["GET", "POST"])
@login_required
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment(pk)
    if not may(request.user, "report_comment", comment):
        raise PermissionDenied
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        actions.report_comment(comment, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at this comment."))
        return redirect(comment.get_absolute_url())
    open_report = Report.objects.open().filter(comment=comment, reporter=request.user).first()
    context = {"comment": comment, "form": form, "open_report": open_report}
    return render(request, "discussion/report.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "see_reports"):
        raise PermissionDenied
    return render(request, "discussion/reports.html", {"reports": queries.open_reports()})


@require_POST
@login_required
def remove_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment(pk)
    if not may(request.user, "remove_comment", comment):
        raise PermissionDenied
    actions.remove_comment(comment, request.user)
    messages.success(request, _("The comment is removed and its reports are closed."))
    return redirect_back(request, "discussion:reports")


@require_POST
@login_required
def approve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment(pk)
    if not may(request.user, "remove_comment", comment):
        raise PermissionDenied
    actions.approve_comment(comment, request.user)
    messages.success(request, _("The comment is approved and visible."))
    return redirect_back(request, "forum:review")


@require_POST
@login_required
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    if not may(request.user, "see_reports"):
        raise PermissionDenied
    report = get_object_or_404(Report, pk=pk)
    actions.resolve_report(report, request.user)
    messages.success(request, _("The report is closed and the comment stays."))
    return redirect("discussion:reports")
