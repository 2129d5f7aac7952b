"""Small builders for the library's public pages (tests/library/test_browse.py)."""

import datetime
import itertools

from django.utils import timezone

from altto.library.models import Creator, Item, Licence, Tag, Textbook, TextbookEdition

_numbers = itertools.count(1)


def make_textbook(slug="new-horizon", *, name="New Horizon", level="jhs", years=(2021,)):
    textbook = Textbook.objects.create(
        slug=slug, name=name, school_level=level, publisher="Tokyo Shoseki"
    )
    for year in years:
        TextbookEdition.objects.create(textbook=textbook, label=f"{year} edition", year=year)
    return textbook


def make_tag(slug="warm-up", name="Warm-up"):
    return Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_item(title="Word chain", *, kind="activity", creators=("Kenji Sato",), tags=(), **fields):
    """A published item with its rights clear (CC BY, one creator) unless told otherwise."""
    number = next(_numbers)
    fields.setdefault("slug", f"item-{number}")
    fields.setdefault("summary", f"About {title.lower()}.")
    fields.setdefault("status", Item.Status.PUBLISHED)
    fields.setdefault("licence", Licence.CC_BY)
    if fields["status"] == Item.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(minutes=number))
    item = Item.objects.create(kind=kind, title=title, **fields)
    for order, name in enumerate(creators):
        Creator.objects.create(item=item, name=name, order=order)
    item.tags.set(tags)
    return item


def make_activity(title="Word chain", *, edition=None, **fields):
    fields.setdefault("school_levels", ["jhs"])
    fields.setdefault("grades", [7])
    fields.setdefault("skills", ["speaking"])
    fields.setdefault("minutes", 10)
    return make_item(title, kind="activity", edition=edition, **fields)
