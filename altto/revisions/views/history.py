"""A document's history: every revision, any two compared word by word, any old one shown,
and (for editors) rollback and "mark reviewed".

The views are generic over documents. A kind of document routes its history pages under
the names history, revision, compare, rollback and mark_reviewed in one URL namespace, with
its own address arguments (a lesson: slug and lesson); links between the pages are reversed
from the current URL's namespace and arguments (see HistoryLinks). Lesson wrappers are at
the end of this file."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.courses.documents import lesson_document
from altto.lib.markdown import render_markdown
from altto.revisions import actions
from altto.revisions.documents import Document, diff_documents

REVISIONS_PER_PAGE = 50


@dataclass(frozen=True)
class HistoryLinks:
    """The addresses of one document's history pages, keeping the ?lang= that chose it."""

    namespace: str
    address: dict[str, Any]
    lang: str

    @classmethod
    def for_request(cls, request: HttpRequest) -> "HistoryLinks":
        match = request.resolver_match
        address = {name: value for name, value in match.kwargs.items() if name != "number"}
        return cls(match.namespace, address, request.GET.get("lang", "")[:8])

    def _url(self, name: str, query: dict | None = None, **kwargs: Any) -> str:
        url = reverse(f"{self.namespace}:{name}", kwargs={**self.address, **kwargs})
        query = {**(query or {}), **({"lang": self.lang} if self.lang else {})}
        return f"{url}?{urlencode(query)}" if query else url

    @property
    def history(self) -> str:
        return self._url("history")

    @property
    def compare_page(self) -> str:
        """The compare page without a query: the compare form's action."""
        return reverse(f"{self.namespace}:compare", kwargs=self.address)

    @property
    def mark_reviewed(self) -> str:
        return self._url("mark_reviewed")

    def revision(self, number: int) -> str:
        return self._url("revision", number=number)

    def rollback(self, number: int) -> str:
        return self._url("rollback", number=number)

    def compare(self, old: int, new: int, *, full: bool = False) -> str:
        return self._url("compare", {"from": old, "to": new, **({"full": 1} if full else {})})


def latest_number(document: Document) -> int:
    """The current revision's number (numbers run 1…n without gaps); 0 if there is none."""
    numbers = actions.revisions_of(document).order_by("-number").values_list("number", flat=True)
    return numbers.first() or 0


def with_people(revisions):
    return revisions.select_related("author", "approved_by")


def history(request: HttpRequest, document: Document) -> HttpResponse:
    links = HistoryLinks.for_request(request)
    # A Paginator counts the revisions (1 query), then reads one page of them (1 query).
    paginator = Paginator(
        with_people(actions.revisions_of(document).order_by("-number")), REVISIONS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    for revision in page:
        revision.url = links.revision(revision.number)
        if revision.number > 1:
            revision.changes_url = links.compare(revision.number - 1, revision.number)
    latest = paginator.count  # numbers run 1…n, so the count is the latest number
    return render(
        request,
        "revisions/history.html",
        {
            "document": document,
            "links": links,
            "page": page,
            "numbers": range(latest, 0, -1),
            "compare_from": max(latest - 1, 1),
            "compare_to": latest,
            "page_urls": _page_urls(request, page),
            "can_mark_reviewed": may(request.user, "review_proposals", document),
        },
    )


def _page_urls(request: HttpRequest, page) -> dict[str, str]:
    def url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


def _rendered_fields(document: Document, data: dict) -> list[dict]:
    """An old revision's fields, ready to show. Old revisions are rarely viewed, so their
    Markdown is rendered here, on each view, rather than stored rendered like the live text."""
    shown = []
    for name, kind in document.REVISION_FIELDS.items():
        value = data.get(name)
        if name == "title" or not value:
            continue  # the title is the page heading; empty fields are left out
        field = {"name": name, "label": document.field_label(name), "kind": kind}
        if kind == "text":
            field["html"] = render_markdown(value)
        elif kind == "lines":
            field["items_html"] = [render_markdown(line) for line in value]
        else:
            field["text"] = document.describe_field(name, value)
        shown.append(field)
    return shown


def revision_page(request: HttpRequest, document: Document, number: int) -> HttpResponse:
    links = HistoryLinks.for_request(request)
    revision = get_object_or_404(with_people(actions.revisions_of(document)), number=number)
    latest = latest_number(document)
    return render(
        request,
        "revisions/revision.html",
        {
            "document": document,
            "links": links,
            "revision": revision,
            "title": revision.data.get("title", ""),
            "fields": _rendered_fields(document, revision.data),
            "latest": latest,
            "is_latest": number == latest,
            "compare_current_url": links.compare(number, latest),
            "changes_url": links.compare(number - 1, number) if number > 1 else "",
            "previous_url": links.revision(number - 1) if number > 1 else "",
            "next_url": links.revision(number + 1) if number < latest else "",
            "rollback_url": links.rollback(number),
            "can_edit": may(request.user, "rollback", document),
        },
    )


def _number(value: str | None) -> int | None:
    """A version number from the query string; None if it is missing or not a number."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def compare(request: HttpRequest, document: Document) -> HttpResponse:
    links = HistoryLinks.for_request(request)
    old, new = _number(request.GET.get("from")), _number(request.GET.get("to"))
    latest = latest_number(document)
    context: dict[str, Any] = {
        "document": document,
        "links": links,
        "numbers": range(latest, 0, -1),
        "compare_from": old or max(latest - 1, 1),
        "compare_to": new or latest,
    }
    if old is None or new is None:
        context["error"] = _("Choose two versions to compare, by their numbers.")
        return render(request, "revisions/compare.html", context, status=400)
    found = {
        revision.number: revision
        for revision in with_people(actions.revisions_of(document).filter(number__in={old, new}))
    }
    if old not in found or new not in found:
        missing = old if old not in found else new
        context["error"] = _("This page has no version %(number)s.") % {"number": missing}
        return render(request, "revisions/compare.html", context, status=404)
    full = request.GET.get("full") == "1"
    context.update(
        {
            "old": found[old],
            "new": found[new],
            "diffs": diff_documents(document, found[old].data, found[new].data),
            "full_text": full,
            "toggle_url": links.compare(old, new, full=not full),
            "old_url": links.revision(old),
            "new_url": links.revision(new),
        }
    )
    return render(request, "revisions/compare.html", context)


class RollbackForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why? (optional, kept in the editors' record)"),
        required=False,
        max_length=2000,
    )


class ReviewedForm(forms.Form):
    # The comment becomes the new revision's summary, which holds 300 characters.
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional, shown in the history)"),
        required=False,
        max_length=300,
    )


def _editor_or_refuse(request: HttpRequest, action: str, document, links: HistoryLinks):
    """None if the user may do this; a login redirect for visitors; 403 for members."""
    if not request.user.is_authenticated:
        return redirect_to_login(links.history)
    if not may(request.user, action, document):
        raise PermissionDenied
    return None


@require_POST
def rollback(request: HttpRequest, document: Document, number: int) -> HttpResponse:
    links = HistoryLinks.for_request(request)
    if refused := _editor_or_refuse(request, "rollback", document, links):
        return refused
    target = get_object_or_404(actions.revisions_of(document), number=number)
    form = RollbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long: 2,000 characters at most."))
        return redirect(links.revision(number))
    current = actions.head(document)
    if current.data == target.data:
        messages.info(
            request,
            _("Version %(number)s has the same content as the current one: nothing to roll back.")
            % {"number": number},
        )
        return redirect(links.history)
    try:
        revision = actions.rollback(document, target, request.user, form.cleaned_data["comment"])
    except actions.RevisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The content of version %(old)s is current again, as version %(new)s.")
            % {"old": number, "new": revision.number},
        )
    return redirect(links.history)


@require_POST
def mark_reviewed(request: HttpRequest, document: Document) -> HttpResponse:
    links = HistoryLinks.for_request(request)
    if refused := _editor_or_refuse(request, "review_proposals", document, links):
        return refused
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = links.history
    form = ReviewedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long: 300 characters at most."))
        return redirect(next_url)
    try:
        actions.mark_reviewed(document, request.user, form.cleaned_data["comment"])
    except actions.RevisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as reviewed today. Thank you for checking."))
    return redirect(next_url)


# --- Lessons ----------------------------------------------------------------------------


def lesson_history(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    return history(request, lesson_document(request, slug, lesson))


def lesson_revision(request: HttpRequest, slug: str, lesson: str, number: int) -> HttpResponse:
    return revision_page(request, lesson_document(request, slug, lesson), number)


def lesson_compare(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    return compare(request, lesson_document(request, slug, lesson))


@require_POST
def lesson_rollback(request: HttpRequest, slug: str, lesson: str, number: int) -> HttpResponse:
    return rollback(request, lesson_document(request, slug, lesson), number)


@require_POST
def lesson_mark_reviewed(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    return mark_reviewed(request, lesson_document(request, slug, lesson))
