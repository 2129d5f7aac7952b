"""Editors keep the list of textbook series and their editions on the site. Each function is
one transaction and leaves an entry in the audit log, with the series as its target.

A series or edition changed here no longer matches what the loader last wrote (its
`loaded_hash`), so a later `load_library` keeps the site's version and reports it. Editions are
never deleted (activities point at them): an old one is marked obsolete instead."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from altto.library.models import Textbook, TextbookEdition
from altto.revisions.models import AuditEntry


class TextbookError(Exception):
    """A change that cannot be made as asked; the message says why, for the person."""


def _audit(textbook: Textbook, actor, action: str, comment: str = "") -> None:
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(textbook),
        object_id=textbook.pk,
        actor=actor,
        action=action,
        comment=comment,
    )


def slug_taken_message(slug: str) -> str:
    return _("A textbook series with the address “%(slug)s” already exists.") % {"slug": slug}


def year_taken_message(year: int) -> str:
    return _("This series already has an edition for %(year)s.") % {"year": year}


def add_textbook(editor, *, slug: str, name: str, publisher: str, school_level: str) -> Textbook:
    textbook = Textbook(slug=slug, name=name, publisher=publisher, school_level=school_level)
    try:
        with transaction.atomic():
            if Textbook.objects.filter(slug=slug).exists():
                raise TextbookError(slug_taken_message(slug))
            textbook.save()
            _audit(textbook, editor, "add_textbook", name)
    except IntegrityError:  # added by someone else at the same moment
        raise TextbookError(slug_taken_message(slug)) from None
    return textbook


@transaction.atomic
def edit_textbook(textbook: Textbook, editor, *, name: str, publisher: str, school_level: str):
    """Change a series' name, publisher or school level (its address stays: links and
    content/library/textbooks.yaml use it)."""
    stored = Textbook.objects.select_for_update().get(
        pk=textbook.pk
    )  # as it is, not as a form left it
    before = (stored.name, stored.publisher, stored.school_level)
    textbook.name, textbook.publisher, textbook.school_level = name, publisher, school_level
    if before == (name, publisher, school_level):
        return textbook
    textbook.save(update_fields=["name", "publisher", "school_level"])
    changed = [
        f"{field}: {old} → {new}"
        for field, old, new in zip(
            ("name", "publisher", "school_level"),
            before,
            (name, publisher, school_level),
            strict=True,
        )
        if old != new
    ]
    _audit(textbook, editor, "edit_textbook", "; ".join(changed))
    return textbook


def add_edition(textbook: Textbook, editor, *, year: int, label: str) -> TextbookEdition:
    edition = TextbookEdition(textbook=textbook, year=year, label=label)
    try:
        with transaction.atomic():
            if textbook.editions.filter(year=year).exists():
                raise TextbookError(year_taken_message(year))
            edition.save()
            _audit(textbook, editor, "add_edition", f"{year}: {label}")
    except IntegrityError:  # added by someone else at the same moment
        raise TextbookError(year_taken_message(year)) from None
    return edition


@transaction.atomic
def set_obsolete(edition: TextbookEdition, editor, obsolete: bool) -> bool:
    """Mark an edition obsolete (no longer offered for new activities, still a filter) or
    current again. Returns whether anything changed."""
    if edition.is_obsolete == obsolete:
        return False
    edition.is_obsolete = obsolete
    edition.save(update_fields=["is_obsolete"])
    action = "obsolete_edition" if obsolete else "current_edition"
    _audit(edition.textbook, editor, action, f"{edition.year}: {edition.label}")
    return True
