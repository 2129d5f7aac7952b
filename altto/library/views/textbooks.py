"""Editors keep the managed list of textbook series and editions: add a series, change it,
add an edition, mark an old edition obsolete (or current again). Editions are never deleted.

Every view asks `may(user, "review_proposals")`: anonymous visitors log in, others get 403."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from altto.accounts.models import SchoolLevel
from altto.library import textbooks as writes
from altto.library.models import Textbook, TextbookEdition
from altto.library.textbook_forms import EditionForm, TextbookForm
from altto.library.views.rights import editors_only

ACTIONS = ("textbook", "edition", "obsolete", "current")


def _editions_with_counts() -> Prefetch:
    return Prefetch(
        "editions",
        queryset=TextbookEdition.objects.annotate(item_count=Count("items")).order_by("-year"),
    )


@editors_only
def textbook_list(request: HttpRequest) -> HttpResponse:
    form = TextbookForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            textbook = writes.add_textbook(request.user, **form.cleaned_data)
        except writes.TextbookError as error:
            form.add_error("slug", str(error))
        else:
            messages.success(request, _("The series is added. Now add its editions."))
            return redirect(textbook.get_absolute_url())
    # 2 queries: the series, then their editions with how many items each has.
    textbooks = list(Textbook.objects.prefetch_related(_editions_with_counts()))
    groups = [
        (label, [t for t in textbooks if t.school_level == level])
        for level, label in SchoolLevel.choices
    ]
    status = 400 if form.is_bound else 200
    return render(
        request,
        "library/textbooks.html",
        {
            "groups": [(label, rows) for label, rows in groups if rows],
            "form": form,
            "status_errors": status == 400,
        },
        status=status,
    )


@editors_only
def textbook_page(request: HttpRequest, slug: str) -> HttpResponse:
    textbook = get_object_or_404(Textbook, slug=slug)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if data is not None else ""
    if data is not None and action not in ACTIONS:
        return HttpResponse(_("Choose what to change."), status=400)
    form = TextbookForm(data if action == "textbook" else None, instance=textbook, adding=False)
    edition_form = EditionForm(
        data if action == "edition" else None,
        instance=TextbookEdition(textbook=textbook),
        textbook=textbook,
    )
    if action == "textbook" and form.is_valid():
        writes.edit_textbook(textbook, request.user, **form.cleaned_data)
        messages.success(request, _("The series is saved."))
        return redirect(textbook.get_absolute_url())
    if action == "edition" and edition_form.is_valid():
        try:
            writes.add_edition(textbook, request.user, **edition_form.cleaned_data)
        except writes.TextbookError as error:
            edition_form.add_error("year", str(error))
        else:
            messages.success(request, _("The edition is added."))
            return redirect(_editions_url(textbook))
    if action in ("obsolete", "current"):
        edition = get_object_or_404(textbook.editions, year=_year(request.POST.get("year")))
        writes.set_obsolete(edition, request.user, action == "obsolete")
        if action == "obsolete":
            message = _("%(label)s is marked obsolete: still a filter, no longer offered.")
        else:
            message = _("%(label)s is current again.")
        messages.success(request, message % {"label": edition.label})
        return redirect(_editions_url(textbook))

    if action == "textbook":  # the form's fields are what was sent; show the stored name
        textbook.refresh_from_db()
    editions = list(textbook.editions.annotate(item_count=Count("items")).order_by("-year"))
    status = 400 if action else 200
    return render(
        request,
        "library/textbook.html",
        {
            "textbook": textbook,
            "editions": editions,
            "form": form,
            "edition_form": edition_form,
            "failed": action,
            "status_errors": status == 400,
        },
        status=status,
    )


def _editions_url(textbook: Textbook) -> str:
    return f"{textbook.get_absolute_url()}#editions"


def _year(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
