"""Thin views: the member's notifications, and watching a lesson or module."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from altto.courses.models import Lesson, Module
from altto.notifications import actions, queries
from altto.notifications.models import Notification

PER_PAGE = 30

# What can be watched, by the name used in its address: the published ones only.
WATCHABLE: dict[str, Callable[[], QuerySet]] = {
    "lesson": lambda: Lesson.objects.published().select_related("module"),
    "module": lambda: Module.objects.published(),
}

WATCH_MESSAGES = {
    ("lesson", True): _("You are watching this lesson: you will be told when it changes."),
    ("lesson", False): _("You are no longer watching this lesson."),
    ("module", True): _("You are watching this module: you will be told when it changes."),
    ("module", False): _("You are no longer watching this module."),
}


# The watch button's optional "for" choice: days a watch lasts. Absent or "": until I stop.
WATCH_DURATIONS = {"30": 30}


def watch_duration(choice: str | None) -> dict:
    """watch() keyword for the button's "for" choice: an expiry, "until I stop" (""), or
    nothing (keep an existing watch as it is) when the form did not ask."""
    if choice in WATCH_DURATIONS:
        return {"until": timezone.now() + timedelta(days=WATCH_DURATIONS[choice])}
    if choice == "":
        return {"until": None}
    return {}


def local_path(url: str | None) -> str | None:
    """`url` if it is a path on this site ("/modules/…"), else None."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


def _login_first(request: HttpRequest, then: str) -> HttpResponse:
    """Send a visitor to log in, coming back to `then` (a page, not the POST-only address)."""
    response = redirect_to_login(then)
    if request.headers.get("HX-Request"):
        # htmx would swap the login page into the button: make it load the page instead.
        return HttpResponse(status=204, headers={"HX-Redirect": response.url})
    return response


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Only reads: opening the list marks nothing read."""
    page = Paginator(queries.notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    notifications = list(page.object_list)
    for notification in notifications:
        notification.local_url = local_path(notification.url)
    has_unread = request.user.unread_notifications > 0 or any(
        notification.read_at is None for notification in notifications
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": notifications, "has_unread": has_unread},
    )


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request, reverse("notifications:list"))
    actions.mark_all_read(request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the member's notifications read and go where it points."""
    if not request.user.is_authenticated:
        return _login_first(request, reverse("notifications:list"))
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    actions.mark_read(notification)
    return redirect(local_path(notification.url) or reverse("notifications:list"))


def get_watchable(kind: str, pk: int) -> Model:
    """The published lesson or module, or 404."""
    if kind not in WATCHABLE:
        raise Http404
    return get_object_or_404(WATCHABLE[kind](), pk=pk)


@require_POST
def toggle_watch(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Watch or stop watching. The button sends `watch` = 1 or 0, so a double submit
    cannot undo itself; without it, the state flips."""
    target = get_watchable(kind, pk)
    if not request.user.is_authenticated:
        return _login_first(request, target.get_absolute_url())
    wanted = request.POST.get("watch")
    if wanted in {"0", "1"}:
        watching = wanted == "1"
    else:
        watching = not actions.is_watching(request.user, target)
    if watching:
        actions.watch(request.user, target, **watch_duration(request.POST.get("for")))
    else:
        actions.unwatch(request.user, target)
    back = local_path(request.POST.get("next"))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "notifications/_watch_button.html",
            {"target_kind": kind, "target": target, "watching": watching, "watch_next": back},
        )
    message = WATCH_MESSAGES[kind, watching]
    if watching and request.POST.get("for") in WATCH_DURATIONS:
        message = _("You are watching this for %(days)s days.") % {
            "days": WATCH_DURATIONS[request.POST["for"]]
        }
    messages.success(request, message)
    return redirect(back or target.get_absolute_url())
