from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from altto.accounts.forms import ProfileForm
from altto.accounts.models import User
from altto.accounts.roles import may
from altto.core.language import remember_language
from altto.forum.queries import member_activity
from altto.notifications.preference_forms import NotificationPreferencesForm
from altto.revisions.credits import accepted_edits_by


def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "can_edit": may(request.user, "edit_profile", member),
            "accepted_edits": accepted_edits_by(member),
            "forum": member_activity(member, request.user),
            "may_moderate_forum": may(request.user, "moderate_forum"),
        },
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The profile form and, with its own submit button, the notifications form (its POST
    carries form=notifications)."""
    user = request.user
    posted_notifications = request.POST.get("form") == NotificationPreferencesForm.MARKER
    notifications_form = NotificationPreferencesForm(
        user, request.POST if posted_notifications else None
    )
    if posted_notifications:
        form = ProfileForm(instance=user)
        if notifications_form.is_valid():
            notifications_form.save()
            messages.success(request, _("Your notification settings have been saved."))
            return redirect(reverse("accounts:settings") + "#notifications")
    else:
        form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
        if request.method == "POST" and form.is_valid():
            form.save()
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("accounts:settings")
            remember_language(response, user.preferred_language)
            return response
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "notifications_form": notifications_form},
    )
