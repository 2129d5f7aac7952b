""" "I used this": a member's mark on an item, with an optional rating (1–5) and private notes.

Every write goes through here, one transaction each. The item's counters (used_count,
rating_count, rating_average) are recomputed from the Usage rows with one aggregate query
inside the transaction, never incremented: the item row is locked first (on databases that
lock rows; SQLite's IMMEDIATE transactions already serialise writers), so two members
marking at once both end up counted and the average always matches the rows."""

from django.db import transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from altto.library.actions import LibraryError
from altto.library.models import Item, Usage

MAX_NOTES = 2000
RATINGS = range(1, 6)
RATING_CHOICES = tuple(str(value) for value in RATINGS)  # the form's radio buttons


class UsageError(LibraryError):
    """A mark that cannot be saved as given; the message says why, for the person."""


def parse_rating(raw: str | None) -> int | None:
    """A form's rating: blank is no rating; otherwise a whole number from 1 to 5."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw in RATING_CHOICES:  # ASCII digits only: "１" or "4.0" is not a radio button's value
        return int(raw)
    raise UsageError(_("Choose a rating from 1 to 5, or no rating."))


def clean_notes(notes: str | None) -> str:
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise UsageError(
            _("Notes can be at most %(limit)s characters long (yours are %(length)s).")
            % {"limit": f"{MAX_NOTES:,}", "length": f"{len(notes):,}"}
        )
    return notes


def form_values(usage: Usage | None) -> dict:
    """What the "I used this" form shows: the member's saved mark, or blanks."""
    if usage is None:
        return {"rating": "", "notes": ""}
    return {"rating": str(usage.rating or ""), "notes": usage.notes}


def own_usage(user, item: Item) -> Usage | None:
    """The member's own mark on the item (one query), or None (no query when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Usage.objects.filter(item=item, user=user).first()


def _lock(item: Item) -> None:
    # Row lock where the database has them; a no-op on SQLite, whose writers are serialised.
    list(Item.objects.select_for_update().filter(pk=item.pk).order_by().values_list("pk"))


def _recount(item: Item) -> None:
    """Set the item's counters from its Usage rows: one aggregate, one update."""
    totals = Usage.objects.filter(item_id=item.pk).aggregate(
        used=Count("pk"), rated=Count("rating"), average=Avg("rating")
    )
    item.used_count = totals["used"]
    item.rating_count = totals["rated"]
    item.rating_average = round(totals["average"] or 0, 4)
    # update(), not save(): a mark is not an edit, so updated_at and the rendered text stay.
    Item.objects.filter(pk=item.pk).update(
        used_count=item.used_count,
        rating_count=item.rating_count,
        rating_average=item.rating_average,
    )


@transaction.atomic
def mark_used(item: Item, user, *, rating: int | None = None, notes: str = "") -> Usage:
    """Record (or update) that `user` used the published `item`."""
    if item.status != Item.Status.PUBLISHED:
        raise UsageError(_("Only a published item can be marked as used."))
    if rating is not None and rating not in RATINGS:
        raise UsageError(_("Choose a rating from 1 to 5, or no rating."))
    notes = clean_notes(notes)
    _lock(item)
    usage, _created = Usage.objects.update_or_create(
        item=item, user=user, defaults={"rating": rating, "notes": notes}
    )
    _recount(item)
    return usage


@transaction.atomic
def unmark_used(item: Item, user) -> bool:
    """Remove the member's mark, if there is one. True when one was removed."""
    _lock(item)
    deleted, _by_model = Usage.objects.filter(item=item, user=user).delete()
    if deleted:
        _recount(item)
    return bool(deleted)
