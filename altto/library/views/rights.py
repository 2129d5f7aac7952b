"""Editors keep an item's rights ledger: licence, publisher, source, creators and permissions
(with their private evidence), and publish it or take it down from the same page.

Every view asks `may(user, "review_proposals")`: anonymous visitors log in, others get 403."""

from collections.abc import Callable
from functools import wraps
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from altto.accounts.roles import may
from altto.library import actions
from altto.library.models import LICENCE_URLS, Creator, Item, Licence, Permission
from altto.library.rights_forms import (
    LedgerForm,
    PermissionForm,
    TakedownForm,
    creator_formset,
    kept_creators,
)

ACTIONS = ("ledger", "permission", "publish", "takedown")


def editors_only(view: Callable) -> Callable:
    """Anonymous visitors are sent to log in; signed-in people who are not editors get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may(request.user, "review_proposals"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def rights_url(item: Item, anchor: str = "") -> str:
    url = reverse("library:rights", kwargs={"slug": item.slug})
    return f"{url}#{anchor}" if anchor else url


@editors_only
def rights_page(request: HttpRequest, slug: str) -> HttpResponse:
    # 1 query each: the item, its creators, its permissions.
    item = get_object_or_404(Item.objects.prefetch_related("creators", "permissions"), slug=slug)
    creators = list(item.creators.all())
    permissions = list(item.permissions.all())
    # What is stored now, before any form touches the item.
    state = {
        "problems": item.rights_problems(creators=creators, permissions=permissions),
        "attribution": item.attribution(creators=creators),
        "licence_url": LICENCE_URLS.get(item.licence, ""),
        "licence_label": item.get_licence_display() if item.licence else "",
        "status_label": item.get_status_display(),
    }
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if data is not None else ""
    if data is not None and action not in ACTIONS:
        return HttpResponse(_("Choose what to change."), status=400)

    forms = {
        "ledger": LedgerForm(data if action == "ledger" else None, instance=item),
        "creators": creator_formset(data if action == "ledger" else None, creators),
        "permission": PermissionForm(
            data if action == "permission" else None,
            request.FILES if action == "permission" else None,
            instance=Permission(item=item),
        ),
        "takedown": TakedownForm(data if action == "takedown" else None),
    }
    publish_problems: list[str] = []
    if action == "ledger":
        if forms["ledger"].is_valid() & forms["creators"].is_valid():  # both show errors
            _save_ledger(item, request.user, kept_creators(forms["creators"]))
            messages.success(request, _("The rights are saved."))
            return redirect(rights_url(item))
    elif action == "permission":
        if forms["permission"].is_valid():
            _add_permission(forms["permission"], item, request.user)
            messages.success(request, _("The permission is recorded."))
            return redirect(rights_url(item, "permissions"))
    elif action == "publish":
        if item.status == Item.Status.PUBLISHED:
            messages.info(request, _("This item is already published."))
            return redirect(rights_url(item))
        try:
            actions.publish(item, request.user)
        except actions.RightsIncomplete as refused:
            publish_problems = refused.problems
        else:
            messages.success(request, _("Published: everyone can see the item now."))
            return redirect(rights_url(item))
    elif action == "takedown" and forms["takedown"].is_valid():
        try:
            actions.unpublish(item, request.user, forms["takedown"].cleaned_data["reason"])
        except actions.LibraryError as error:
            forms["takedown"].add_error(None, str(error))
        else:
            messages.success(
                request, _("The item is taken down. Its history stays; it can be published again.")
            )
            return redirect(rights_url(item))

    status = 400 if action else 200
    return render(
        request,
        "library/rights.html",
        {
            "item": item,
            "state": state,
            "permissions": permissions,
            "is_permission": item.licence == Licence.PERMISSION,
            "failed": action,
            "publish_problems": publish_problems,
            "status_errors": status == 400,
            "form": forms["ledger"],
            "creator_forms": forms["creators"],
            "permission_form": forms["permission"],
            "takedown_form": forms["takedown"],
        },
        status=status,
    )


@transaction.atomic
def _save_ledger(item: Item, editor, creators: list[dict]) -> None:
    item.save(update_fields=["licence", "publisher", "source_url", "updated_at"])
    item.creators.all().delete()
    Creator.objects.bulk_create(
        Creator(item=item, name=c["name"], url=c["url"], order=order)
        for order, c in enumerate(creators)
    )
    actions._audit(item, editor, "edit_rights")


@transaction.atomic
def _add_permission(form: PermissionForm, item: Item, editor) -> None:
    permission = form.save()
    comment = f"{permission.granted_by} ({permission.granted_on.isoformat()})"
    actions._audit(item, editor, "add_permission", comment)


@editors_only
def evidence(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A permission's evidence file, for editors only, always as a download."""
    permission = get_object_or_404(Permission, pk=pk, item__slug=slug)
    if not permission.evidence:
        raise Http404
    try:
        handle = permission.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    suffix = PurePath(permission.evidence.name).suffix.lower()
    response = FileResponse(
        handle, as_attachment=True, filename=f"{slug}-permission-{permission.pk}{suffix}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
