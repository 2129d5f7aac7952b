"""The search form: a query and three filters, read from the query string.

Every value is a plain GET parameter, so a search is a link people can share. A value we
don't know (an old link, a typo, a hand-edited address) is dropped, never an error.
"""

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from altto.accounts.models import SchoolLevel
from altto.search import queries
from altto.search.models import Entry

TAG_MAX_LENGTH = 50
MAX_PAGE = 500  # 10,000 results deep is deeper than anyone reads


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
        help_text=_("Words in English or Japanese, e.g. “team teaching” or 「自己紹介」."),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *Entry.Kind.choices]
    )
    level = forms.ChoiceField(
        label=_("School level"),
        required=False,
        choices=[("", _("Any school level")), *SchoolLevel.choices],
    )
    tag = forms.CharField(
        label=_("Tag"),
        required=False,
        max_length=TAG_MAX_LENGTH,
        help_text=_("One tag, e.g. “games” or “first-week”."),
    )

    @classmethod
    def from_query(cls, data: QueryDict) -> "SearchForm":
        """The form for these GET parameters, with unknown values already left out (so it
        is always valid). `typed` keeps the query exactly as sent, for the search itself."""
        typed = data.get("q", "")
        values = {
            "q": typed.strip(),
            "type": _known(data.get("type", ""), Entry.Kind.values),
            "level": _known(data.get("level", ""), SchoolLevel.values),
            "tag": slugify(data.get("tag", "")[: TAG_MAX_LENGTH * 4], allow_unicode=True)[
                :TAG_MAX_LENGTH
            ],
        }
        form = cls(data=values)
        form.typed = typed
        form.page = _page(data.get("page", ""))
        return form

    def search(self) -> queries.Results:
        data = self.data
        results = queries.search(
            self.typed,
            kinds=(data["type"],) if data["type"] else (),
            level=data["level"],
            tag=data["tag"],
            page=self.page,
        )
        # The box (and the pages' links) keep what was searched for: a long query, cut.
        data["q"] = results.query
        return results

    @property
    def filtered(self) -> bool:
        return any(self.data[name] for name in ("type", "level", "tag"))

    def query_string(self) -> str:
        """The query and filters as a query string (no page), for the pages' links."""
        return urlencode({k: v for k, v in self.data.items() if v})


def _known(value: str, allowed) -> str:
    return value if value in allowed else ""


def _page(value: str) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except ValueError:
        return 1
