"""Load the starter library from content/library/ (format: content/library/README.md).

The same rules as the course loader (altto/courses/curriculum.py): a second load changes
nothing; a changed file updates its rows; a row an editor changed on the site is left alone and
reported. A new item is published only when its rights ledger is complete."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from altto.accounts.models import SchoolLevel
from altto.courses.curriculum import CurriculumError, LoadReport, apply_loaded, read_document
from altto.library.actions import publish
from altto.library.models import Creator, Item, Licence, Tag, Textbook, TextbookEdition
from altto.revisions.actions import ensure_revision
from altto.revisions.models import Revision

TEXT_FIELDS = ("grammar_point", "materials", "steps", "variations", "unit", "group_size")
GRADES = range(1, 13)


class LibraryContentError(ValueError):
    """A content file the loader cannot use; the message names the file and the problem."""


@dataclass
class LibraryReport:
    textbooks: LoadReport = field(default_factory=LoadReport)
    items: LoadReport = field(default_factory=LoadReport)
    published: list[str] = field(default_factory=list)
    # Items left as drafts, with what their rights ledger still lacks.
    drafts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def kept_site_edits(self) -> list[str]:
        return self.textbooks.kept_site_edits + self.items.kept_site_edits


# --- textbooks.yaml ----------------------------------------------------------------------


def load_textbooks(path: Path, report: LoadReport) -> None:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise LibraryContentError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(entries, list):
        raise LibraryContentError(f"{path}: must be a list of textbooks")
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: textbook {number}"
        if not isinstance(entry, dict):
            raise LibraryContentError(f"{where}: must be a mapping")
        slug = _slug(entry.get("slug"), where)
        level = str(entry.get("school_level", ""))
        if level not in SchoolLevel.values:
            raise LibraryContentError(f"{where}: school_level must be one of es, jhs, shs")
        if not entry.get("name"):
            raise LibraryContentError(f"{where}: needs a name")
        textbook = Textbook.objects.filter(slug=slug).first() or Textbook(slug=slug)
        values = {
            "name": str(entry["name"]),
            "publisher": str(entry.get("publisher") or ""),
            "school_level": level,
        }
        apply_loaded(textbook, values, report, slug)
        for edition in entry.get("editions") or []:
            _load_edition(textbook, edition, report, f"{where} ({slug})")


def _load_edition(textbook: Textbook, entry, report: LoadReport, where: str) -> None:
    if not isinstance(entry, dict):
        raise LibraryContentError(f"{where}: each edition must be a mapping")
    year = entry.get("year")
    if not isinstance(year, int) or not 1900 < year < 2200:
        raise LibraryContentError(f"{where}: an edition needs a year such as 2021")
    row = TextbookEdition.objects.filter(textbook=textbook, year=year).first()
    values = {
        "label": str(entry.get("label") or f"{year} edition"),
        "is_obsolete": bool(entry.get("obsolete", False)),
    }
    row = row or TextbookEdition(textbook=textbook, year=year)
    apply_loaded(row, values, report, f"{textbook.slug} {year}")


# --- items/<slug>.md ---------------------------------------------------------------------


@dataclass
class ItemFile:
    """One item file, read and checked: the item's own values and its relations."""

    path: Path
    slug: str
    values: dict
    tags: dict[str, str]  # slug → name
    creators: list[tuple[str, str]]


def _slug(value, where: str) -> str:
    slug = str(value or "")
    if not slug or slugify(slug) != slug:
        raise LibraryContentError(f"{where}: slug must be lowercase words joined by dashes")
    return slug


def _choices(meta: dict, name: str, allowed: list, where: str) -> list:
    values = meta.get(name) or []
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise LibraryContentError(
            f"{where}: {name} must be a list of {', '.join(str(a) for a in allowed)}"
        )
    return list(values)


def _text(meta: dict, name: str) -> str:
    value = meta.get(name)
    return "" if value is None else str(value).strip()


def _creators(meta: dict, where: str) -> list[tuple[str, str]]:
    creators = []
    for creator in meta.get("creators") or []:
        if isinstance(creator, str):
            creator = {"name": creator}
        if not isinstance(creator, dict) or not str(creator.get("name") or "").strip():
            raise LibraryContentError(f"{where}: each creator needs a name")
        creators.append((str(creator["name"]).strip(), str(creator.get("url") or "")))
    return creators


def _edition(meta: dict, editions: dict, where: str) -> TextbookEdition | None:
    textbook, year = meta.get("textbook"), meta.get("edition")
    if not textbook:
        if year:
            raise LibraryContentError(f"{where}: an edition needs its textbook")
        return None
    if year is None:
        raise LibraryContentError(f"{where}: give the year of the {textbook} edition")
    try:
        return editions[(str(textbook), int(year))]
    except (KeyError, ValueError):
        raise LibraryContentError(
            f"{where}: no {year} edition of textbook {textbook!r} in textbooks.yaml"
        ) from None


def read_item(path: Path, editions: dict) -> ItemFile:
    try:
        meta, body = read_document(path)
    except CurriculumError as exc:
        raise LibraryContentError(str(exc)) from None
    where = str(path)
    slug = _slug(meta.get("slug", path.stem), where)
    if slug != path.stem:
        raise LibraryContentError(f"{where}: the file must be named after its slug ({slug}.md)")
    for required in ("kind", "title", "summary"):
        if not meta.get(required):
            raise LibraryContentError(f"{where}: {required} is missing")
    licence = _text(meta, "licence")
    if licence and licence not in Licence.values:
        raise LibraryContentError(f"{where}: licence must be one of {', '.join(Licence.values)}")
    minutes = meta.get("minutes")
    if minutes is not None and (not isinstance(minutes, int) or minutes < 1):
        raise LibraryContentError(f"{where}: minutes must be a whole number")
    values = {
        "kind": str(meta["kind"]),
        "title": _text(meta, "title"),
        "summary": _text(meta, "summary"),
        "body": body if body.strip() else "",
        "language": str(meta.get("language") or "en"),
        "school_levels": _choices(meta, "school_levels", SchoolLevel.values, where),
        "grades": _choices(meta, "grades", list(GRADES), where),
        "url": _text(meta, "url"),
        "edition": _edition(meta, editions, where),
        "skills": _choices(meta, "skills", Item.Skill.values, where),
        "minutes": minutes,
        "publisher": _text(meta, "publisher"),
        "licence": licence,
        "source_url": _text(meta, "source_url"),
        **{name: _text(meta, name) for name in TEXT_FIELDS},
    }
    tags: dict[str, str] = {}  # slug → the name as the file writes it ("TPR", "pair work")
    for tag in meta.get("tags") or []:
        tag_slug = slugify(str(tag))
        if not tag_slug:
            raise LibraryContentError(f"{where}: tag {tag!r} has no letters or digits")
        tags.setdefault(tag_slug, str(tag).strip())
    return ItemFile(path, slug, values, tags, _creators(meta, where))


def _check(item: Item, path: Path) -> None:
    try:
        item.full_clean(exclude=["file", "submitted_by"])
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise LibraryContentError(f"{path}: {problems}") from None


def _set_tags(item: Item, names: dict[str, str], tags: dict[str, Tag]) -> bool:
    slugs = sorted(names)
    if sorted(tag.slug for tag in item.tags.all()) == slugs:
        return False
    for slug in slugs:
        if slug not in tags:
            name = names[slug]
            tags[slug] = Tag.objects.create(slug=slug, name=name[:1].upper() + name[1:])
    item.tags.set([tags[slug] for slug in slugs])
    return True


def _set_creators(item: Item, creators: list[tuple[str, str]]) -> bool:
    if [(c.name, c.url) for c in item.creators.all()] == creators:
        return False
    item.creators.all().delete()
    Creator.objects.bulk_create(
        Creator(item=item, name=name, url=url, order=order)
        for order, (name, url) in enumerate(creators)
    )
    return True


def load_item(source: ItemFile, report: LibraryReport, tags: dict[str, Tag]) -> Item:
    item = Item.objects.filter(slug=source.slug).first()
    if item is not None and item.edited_on_site:
        report.items.count("kept", source.slug)
        return item
    is_new = item is None
    item = item or Item(slug=source.slug)
    for name, value in source.values.items():
        setattr(item, name, value)
    _check(item, source.path)
    changed = item.loaded_hash != item.content_hash()
    if is_new or changed:
        item.loaded_hash = item.content_hash()
        item.save()
    changed |= _set_tags(item, source.tags, tags)
    changed |= _set_creators(item, source.creators)
    report.items.count("created" if is_new else "updated" if changed else "unchanged", source.slug)
    if item.status == Item.Status.DRAFT:
        # Only a new or changed file publishes: a draft left as it was stays the editors' call.
        if problems := item.rights_problems():
            report.drafts[source.slug] = problems
        elif is_new or changed:
            publish(item)
            report.published.append(source.slug)
    ensure_revision(
        item,
        kind=Revision.Kind.IMPORT,
        summary=f"Imported from content/library/items/{source.path.name}",
    )
    return item


@transaction.atomic
def load_library(root: Path) -> LibraryReport:
    if not root.is_dir():
        raise LibraryContentError(f"{root}: no such folder")
    report = LibraryReport()
    if (textbooks := root / "textbooks.yaml").exists():
        load_textbooks(textbooks, report.textbooks)
    editions = {
        (edition.textbook.slug, edition.year): edition
        for edition in TextbookEdition.objects.select_related("textbook")
    }
    sources = [read_item(path, editions) for path in sorted((root / "items").glob("*.md"))]
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    for source in sources:
        load_item(source, report, tags)
    return report
