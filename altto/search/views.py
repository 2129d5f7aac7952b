"""The search page: one box across lessons, the library, the blog and the forum."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from altto.search import text
from altto.search.forms import SearchForm

LANGUAGES = {"en": _("English"), "ja": _("Japanese")}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_query(request.GET)
    results = form.search()
    here = (get_language() or "en").split("-")[0]
    context = {
        "form": form,
        "results": results,
        "hits": [_row(hit, here) for hit in results.hits],
        "page_query": form.query_string(),
        # Nothing found (rather than nothing to look for): suggestions, and a way out of
        # the filters when there are some.
        "searched": bool(text.query_terms(results.query)),
        "filtered": form.filtered,
        "unfiltered_query": urlencode({"q": results.query}),
    }
    return render(request, "search/index.html", context)


def _row(hit, here: str) -> dict:
    """A hit for the template; a page in another language than the site's is marked, for
    screen readers (lang=…) and in words."""
    other = hit.entry.language if hit.entry.language not in ("", here) else ""
    return {
        "entry": hit.entry,
        "snippet": hit.snippet,
        "lang": other,
        "language": LANGUAGES.get(other, other),
    }
