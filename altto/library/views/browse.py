"""The library's public pages: the filtered list, one item, and an activity's print sheet."""

from urllib.parse import urlparse

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from altto.accounts.models import SchoolLevel
from altto.accounts.roles import may
from altto.discussion.queries import thread_for
from altto.lib.markdown import render_markdown, video_embed_url
from altto.library import filters as library_filters
from altto.library import usage
from altto.library.models import LICENCE_URLS, Item, Licence, Tag, Textbook

PER_PAGE = 20


def web_address(url: str) -> str:
    """`url` if it is an http(s) address, else "": rows written past the form (the loader,
    the admin) must not turn a `javascript:` address into a link."""
    return url if urlparse(url).scheme in {"http", "https"} else ""


def describe(item: Item) -> Item:
    """Attach what the templates show about an item, from its prefetched rows."""
    levels = dict(SchoolLevel.choices)
    skills = dict(Item.Skill.choices)
    item.level_labels = [levels[code] for code in item.school_levels if code in levels]
    item.grade_labels = [
        library_filters.grade_label(g)
        for g in sorted(g for g in item.grades if isinstance(g, int) and g in range(1, 13))
    ]
    item.skill_labels = [skills[code] for code in item.skills if code in skills]
    item.creator_list = list(item.creators.all())
    item.tag_list = list(item.tags.all())
    item.credit = item.attribution(creators=item.creator_list)
    item.licence_url = LICENCE_URLS.get(item.licence, "")
    return item


def library_index(request: HttpRequest) -> HttpResponse:
    # Textbooks with their editions, and the tags, fill the filter form and check the
    # filters, so a textbook slug, an edition year or a tag costs no further query.
    textbooks = list(Textbook.objects.prefetch_related("editions"))
    tags = list(Tag.objects.all())
    filters = library_filters.read_filters(request.GET, textbooks, tags)
    items = library_filters.library_list(filters)
    # A page past the end shows the last page (a shared link outlives the items it listed).
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    rows = [describe(item) for item in page.object_list]
    return render(
        request,
        "library/index.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "values": filters.values,
            "textbooks": textbooks,
            "tags": tags,
            "kinds": Item.Kind.choices,
            "levels": SchoolLevel.choices,
            "grades": library_filters.grade_choices(),
            "skills": Item.Skill.choices,
            "times": library_filters.time_choices(),
            "sorts": [(key, label) for key, (label, _order) in library_filters.SORTS.items()],
            "pages": _page_links(page, filters),
        },
    )


def _page_links(page, filters: library_filters.Filters) -> dict:
    """First, previous, next and last page addresses, each keeping the filters."""
    if not page.has_other_pages():
        return {}
    last = page.paginator.num_pages
    return {
        "first": filters.query_string(page=1) if page.number > 1 else "",
        "previous": filters.query_string(page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next": filters.query_string(page=page.next_page_number()) if page.has_next() else "",
        "last": filters.query_string(page=last) if page.number < last else "",
    }


def get_item_or_404(request: HttpRequest, slug: str) -> Item:
    """The item at `slug`: published, or in any state for an editor; otherwise 404."""
    items = Item.objects.select_related("edition__textbook").prefetch_related("tags", "creators")
    if not may(request.user, "review_proposals"):
        items = items.published()
    return describe(get_object_or_404(items, slug=slug))


def item_page(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item_or_404(request, slug)
    return render(request, "library/item.html", item_context(request, item))


def item_context(request: HttpRequest, item: Item) -> dict:
    """What the item page shows (also rendered again by a refused "I used this" form)."""
    is_editor = may(request.user, "review_proposals")
    problems = item.rights_problems(creators=item.creator_list) if is_editor else []
    embed = ""
    if item.kind == Item.Kind.VIDEO and video_embed_url(item.url):
        # One short address through the Markdown path: it is where the allow-listed embed
        # (YouTube/Vimeo, privacy-friendly, no other host) is made, and it costs microseconds,
        # so nothing is stored for it.
        embed = render_markdown(item.url)
    return {
        "item": item,
        "embed": embed,
        "web_url": web_address(item.url),
        "source_url": web_address(item.source_url),
        "creators": [(c, web_address(c.url)) for c in item.creator_list],
        "file_name": item.file.name.rsplit("/", 1)[-1] if item.file else "",
        "show_banner": is_editor and (item.status != Item.Status.PUBLISHED or problems),
        "problems": problems,
        "is_permission": item.licence == Licence.PERMISSION,
        # The member's own "I used this" mark (one query when signed in); its notes are
        # shown to them alone, never to anyone else. Counts and ratings are on the item.
        **_usage_context(request, item),
        # The item's discussion (1 query, however many comments), as on a lesson page; only
        # a published item has one (altto/discussion/).
        "comments": thread_for(item) if item.status == Item.Status.PUBLISHED else None,
    }


def _usage_context(request: HttpRequest, item: Item) -> dict:
    mine = usage.own_usage(request.user, item)
    return {
        "my_usage": mine,
        "usage_form": usage.form_values(mine),
        "ratings": usage.RATING_CHOICES,
    }


def print_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An activity on one printed page: what a teacher takes into class."""
    item = get_item_or_404(request, slug)
    if item.kind != Item.Kind.ACTIVITY:
        raise Http404
    return render(request, "library/print.html", {"item": item})
