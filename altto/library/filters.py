"""Browsing the library: the filters a reader combines on /library/, read from the query string.

Every filter is a plain GET parameter, so a filtered list is a link people can share. A value
that isn't one we know (a typo, an old link, a textbook that was renamed) is dropped and the
page says so; it never becomes an error.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from altto.accounts.models import SchoolLevel
from altto.library.models import Item, Tag, Textbook, TextbookEdition

GRADES = range(1, 13)  # one scale: ES 1–6 are 1–6, JHS 1–3 are 7–9, SHS 1–3 are 10–12
TIME_LIMITS = (5, 10, 20, 45)
SORTS = {
    "newest": (_("Newest"), ("-published_at", "-pk")),
    "used": (_("Most used"), ("-used_count", "-published_at", "-pk")),
    "rated": (_("Best rated"), ("-rating_average", "-rating_count", "-published_at", "-pk")),
}
DEFAULT_SORT = "newest"
# The order of the parameters in the links we build (and so in shared URLs).
NAMES = (
    "q", "kind", "level", "grade", "textbook", "edition", "unit", "grammar", "skill", "time",
    "tag", "sort",
)  # fmt: skip
MAX_TEXT = 120  # longer than any title, unit or grammar point we hold
# The list never shows these: leaving them out keeps 20 rows from dragging whole articles.
LONG_FIELDS = (
    "body", "body_html", "steps", "steps_html", "variations", "variations_html", "materials",
    "takedown_reason",
)  # fmt: skip


def grade_label(grade: int) -> str:
    """The grade as Japanese schools name it: grade 8 is "JHS 2"."""
    if grade <= 6:
        return gettext("ES %(year)s") % {"year": grade}
    if grade <= 9:
        return gettext("JHS %(year)s") % {"year": grade - 6}
    return gettext("SHS %(year)s") % {"year": grade - 9}


def grade_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Grades grouped by school level, for a <select> with an <optgroup> per level."""
    levels = dict(SchoolLevel.choices)
    groups = (("es", range(1, 7)), ("jhs", range(7, 10)), ("shs", range(10, 13)))
    return [(levels[level], [(g, grade_label(g)) for g in grades]) for level, grades in groups]


def time_choices() -> list[tuple[int, str]]:
    return [(m, gettext("%(minutes)s minutes or less") % {"minutes": m}) for m in TIME_LIMITS]


@dataclass
class Filters:
    """The filters in force: `values` holds the cleaned query-string values (what the form
    shows and the page links carry); unknown values are left out and counted in `ignored`."""

    values: dict[str, str] = field(default_factory=dict)
    ignored: int = 0
    textbook: Textbook | None = None
    edition: TextbookEdition | None = None
    tag: Tag | None = None

    @property
    def sort(self) -> str:
        return self.values.get("sort", DEFAULT_SORT)

    @property
    def ordering(self) -> tuple[str, ...]:
        return SORTS[self.sort][1]

    @property
    def active(self) -> bool:
        return any(name != "sort" for name in self.values)

    def query_string(self, **extra) -> str:
        """`?kind=activity&grade=7&page=2`: these filters plus `extra`, in a stable order."""
        pairs = [(name, self.values[name]) for name in NAMES if name in self.values]
        pairs += [(name, value) for name, value in extra.items() if value is not None]
        return "?" + urlencode(pairs) if pairs else "?"


def _text(value: str) -> str | None:
    """Free text, or None when it can't be a real search (too long; a NUL byte, which
    PostgreSQL refuses in any string)."""
    value = value.strip()
    if len(value) > MAX_TEXT or "\x00" in value:
        return None
    return value


def _number(value: str, allowed) -> int | None:
    # isdecimal() alone would let "٣" (Arabic-Indic three) through int(); insist on ASCII.
    if value.isascii() and value.isdecimal() and int(value) in allowed:
        return int(value)
    return None


def read_filters(params: QueryDict, textbooks: list[Textbook], tags: list[Tag]) -> Filters:
    """Clean the query string against what exists. `textbooks` come with their editions
    prefetched and `tags` are all tags, so checking a slug or a year costs no query."""
    filters = Filters()
    raw = {name: params.get(name, "").strip() for name in NAMES}

    def keep(name: str, value) -> None:
        if value is None:
            filters.ignored += 1
        else:
            filters.values[name] = str(value)

    def choice(name: str, allowed) -> None:
        if raw[name]:
            keep(name, raw[name] if raw[name] in allowed else None)

    choice("kind", Item.Kind.values)
    choice("level", SchoolLevel.values)
    choice("skill", Item.Skill.values)
    choice("sort", SORTS)
    if raw["grade"]:
        keep("grade", _number(raw["grade"], GRADES))
    if raw["time"]:
        keep("time", _number(raw["time"], TIME_LIMITS))
    for name in ("q", "unit", "grammar"):
        if raw[name]:
            keep(name, _text(raw[name]))
    if raw["textbook"]:
        filters.textbook = next((t for t in textbooks if t.slug == raw["textbook"]), None)
        keep("textbook", filters.textbook and filters.textbook.slug)
    if raw["edition"]:
        # A year only names an edition within a textbook.
        editions = filters.textbook.editions.all() if filters.textbook else []
        year = _number(raw["edition"], {e.year for e in editions})
        filters.edition = next((e for e in editions if e.year == year), None)
        keep("edition", filters.edition and filters.edition.year)
    if raw["tag"]:
        filters.tag = next((t for t in tags if t.slug == raw["tag"]), None)
        keep("tag", filters.tag and filters.tag.slug)
    if filters.values.get("sort") == DEFAULT_SORT:
        del filters.values["sort"]  # one address per list
    return filters


def _has_grade(grade: int) -> Q:
    # `grades` is a JSON list of integers. JSONField's `contains` (containment) isn't
    # available on SQLite, so we match the JSON text with a regular expression that both
    # backends run (Python's re on SQLite, `~` on PostgreSQL's jsonb::text): the number with
    # no digit on either side, so grade 1 never matches 10, 11 or 12, whatever the spacing.
    # `grade` is an int from 1–12 (read_filters), never raw input.
    return Q(grades__regex=rf"(^|[^0-9]){int(grade)}([^0-9]|$)")


def _has_code(field_name: str, code: str) -> Q:
    # `school_levels` and `skills` are JSON lists of short codes. JSON always writes a string
    # in double quotes, so the quoted code ('"es"') is found only as a whole element: "es"
    # never matches inside "jhs" or "shs". `icontains` is the text LIKE on both backends.
    return Q(**{f"{field_name}__icontains": f'"{code}"'})


def filter_items(items: QuerySet, filters: Filters) -> QuerySet:
    """`items` narrowed by every filter in force, in the chosen order. The filters add
    WHERE clauses only (plus one join for a tag): the query count never depends on them."""
    values = filters.values
    conditions = Q()
    if "kind" in values:
        conditions &= Q(kind=values["kind"])
    if "level" in values:
        conditions &= _has_code("school_levels", values["level"])
    if "grade" in values:
        conditions &= _has_grade(int(values["grade"]))
    if filters.edition:
        conditions &= Q(edition=filters.edition)
    elif filters.textbook:
        # Editions were prefetched to check the year: a list of ids saves a join.
        conditions &= Q(edition__in=[e.pk for e in filters.textbook.editions.all()])
    if "unit" in values:
        conditions &= Q(unit=values["unit"])
    if "grammar" in values:
        conditions &= Q(grammar_point__icontains=values["grammar"])
    if "skill" in values:
        conditions &= _has_code("skills", values["skill"])
    if "time" in values:
        conditions &= Q(minutes__lte=int(values["time"]))
    if filters.tag:
        conditions &= Q(tags=filters.tag)
    if "q" in values:
        conditions &= Q(title__icontains=values["q"]) | Q(summary__icontains=values["q"])
    return items.filter(conditions).order_by(*filters.ordering)


def library_list(filters: Filters) -> QuerySet:
    """Published items for /library/, filtered and sorted, with what each row shows: its
    edition and textbook joined, its tags and creators prefetched (1 query each per page).
    The default list walks the (status, -published_at) index: see test_browse.py."""
    items = filter_items(Item.objects.published(), filters)
    return (
        items.select_related("edition__textbook")
        .prefetch_related("tags", "creators")
        .defer(*LONG_FIELDS)
    )
