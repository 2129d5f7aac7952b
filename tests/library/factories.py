"""Small builders for library data, made through the same actions the site uses."""

import datetime
from pathlib import Path

from altto.library import actions
from altto.library.models import Creator, Item, Permission, Textbook, TextbookEdition


def make_edition(
    textbook="new-horizon", year=2025, *, level="jhs", obsolete=False, name=None
) -> TextbookEdition:
    series, _created = Textbook.objects.get_or_create(
        slug=textbook,
        defaults={"name": name or textbook.replace("-", " ").title(), "school_level": level},
    )
    return TextbookEdition.objects.create(
        textbook=series, year=year, label=f"{year} edition", is_obsolete=obsolete
    )


def make_item(
    slug="teaching-with-a-jte",
    *,
    kind=Item.Kind.ARTICLE,
    licence="original",
    creators=(),
    publish=True,
    **fields,
) -> Item:
    """An item with its ledger: `creators` are names. Published (through the real action)
    unless publish=False."""
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("summary", f"About {fields['title'].lower()}.")
    item = Item.objects.create(slug=slug, kind=kind, licence=licence, **fields)
    for order, name in enumerate(creators):
        Creator.objects.create(item=item, name=name, order=order)
    if publish:
        actions.publish(item)
    return item


def make_activity(slug="whats-missing", *, edition=None, **fields) -> Item:
    fields.setdefault("school_levels", [edition.textbook.school_level] if edition else ["es"])
    fields.setdefault("grades", [3, 4])
    fields.setdefault("unit", "Unit 4")
    fields.setdefault("grammar_point", "What's this? It's a …")
    fields.setdefault("skills", ["listening", "speaking"])
    fields.setdefault("minutes", 10)
    fields.setdefault("group_size", "whole class")
    fields.setdefault("materials", "Picture cards.")
    fields.setdefault("steps", "1. Show six cards.\n2. Hide one.\n3. Ask what is missing.")
    fields.setdefault("variations", "- Hide two cards.")
    return make_item(slug, kind=Item.Kind.ACTIVITY, edition=edition, **fields)


def grant(item, *, granted_on=None, expires_on=None, by="JALT") -> Permission:
    return Permission.objects.create(
        item=item,
        granted_by=by,
        granted_on=granted_on or datetime.date(2024, 4, 1),
        expires_on=expires_on,
        scope=["web"],
    )


# --- A tiny content/library written to a temporary folder --------------------------------

TEXTBOOKS = """\
- slug: lets-try
  name: "Let's Try!"
  publisher: MEXT
  school_level: es
  editions:
    - {year: 2018, label: 2018 edition}
    - {year: 2014, label: 2014 edition, obsolete: true}
"""

ORIGINAL = """\
---
slug: whats-missing
kind: activity
title: What's missing?
summary: A vocabulary warm-up with picture cards.
language: en
school_levels: [es]
grades: [3, 4]
tags: [vocabulary, warm-up]
textbook: lets-try
edition: 2018
unit: Unit 4
grammar_point: "What's this? It's a …"
skills: [listening, speaking]
minutes: 10
group_size: whole class
materials: Picture cards.
steps: |
  1. Put six cards on the board.
  2. {step}
variations: |
  - Hide two cards.
licence: original
creators: [{{name: ALTTO contributors}}]
---
Why it works: everyone looks hard at the board.
"""

BORROWED = """\
---
slug: jalt-story-circle
kind: activity
title: Story circle
summary: Groups build a story one sentence at a time.
school_levels: [jhs]
grades: [8]
tags: [storytelling]
skills: [speaking]
minutes: 20
steps: |
  1. Sit in circles of five.
licence: permission
creators: [{name: Kim Ito, url: "https://example.org/kim"}]
publisher: JALT
---
"""


def write_library(root: Path, *, step="Hide one while they close their eyes.") -> Path:
    (root / "items").mkdir(parents=True, exist_ok=True)
    (root / "textbooks.yaml").write_text(TEXTBOOKS, encoding="utf-8")
    (root / "items" / "whats-missing.md").write_text(ORIGINAL.format(step=step), encoding="utf-8")
    (root / "items" / "jalt-story-circle.md").write_text(BORROWED, encoding="utf-8")
    return root
