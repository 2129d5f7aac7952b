"""Admins add and edit forum categories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from altto.accounts.roles import may
from altto.forum.models import Category
from altto.forum.moderation_forms import CategoryForm


def _form_page(request: HttpRequest, category: Category | None) -> HttpResponse:
    if not may(request.user, "edit_forum_categories", category):
        raise PermissionDenied
    # What the page says about the category as it is saved, whatever the form holds.
    saved_as = {"name": category.name, "url": category.get_absolute_url()} if category else None
    form = CategoryForm(request.POST if request.method == "POST" else None, instance=category)
    if form.is_valid():
        saved = form.save()
        if category is None:
            messages.success(request, _("The category “%(name)s” is added.") % {"name": saved})
        else:
            messages.success(request, _("The category “%(name)s” is saved.") % {"name": saved})
        return redirect(saved.get_absolute_url())
    context = {"form": form, "category": category, "saved_as": saved_as}
    status = 400 if form.errors else 200
    return render(request, "forum/category_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, category: str) -> HttpResponse:
    return _form_page(request, get_object_or_404(Category, slug=category))
