"""What a versioned document must offer, and how two versions of one are diffed and merged.

A document (LessonText now, library items later) declares REVISION_FIELDS, a mapping of
field name to kind:
- "text": a string, diffed by words and merged by lines;
- "lines": a list of strings, shown and merged one item per line;
- "data": structured data (a knowledge check), merged whole: if both sides changed it, a
  person chooses one; `describe_field` makes it readable for diffs.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from altto.lib.textdiff import Conflict, Segment, merge_text, word_diff


class Document(Protocol):
    REVISION_FIELDS: dict[str, str]
    pk: Any

    def revision_data(self) -> dict: ...
    def apply_revision_data(self, data: dict) -> None: ...
    def field_label(self, name: str) -> str: ...
    def describe_field(self, name: str, value: Any) -> str: ...
    def is_open_for_proposals(self) -> bool: ...
    def watch_targets(self) -> list: ...
    def get_absolute_url(self) -> str: ...


def as_text(document: Document, name: str, value: Any) -> str:
    kind = document.REVISION_FIELDS[name]
    if kind == "lines":
        return "\n".join(value or [])
    if kind == "data":
        return document.describe_field(name, value)
    return value or ""


def from_text(document: Document, name: str, text: str) -> Any:
    kind = document.REVISION_FIELDS[name]
    if kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "data":
        raise ValueError(f"{name} is structured: choose a side, do not type it")
    return text.replace("\r\n", "\n")


@dataclass
class FieldDiff:
    name: str
    label: str
    pieces: list[tuple[str, str]]

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _text in self.pieces)


def diff_documents(document: Document, old: dict, new: dict) -> list[FieldDiff]:
    """Word-level differences, field by field, between two snapshots of `document`."""
    return [
        FieldDiff(
            name,
            document.field_label(name),
            word_diff(
                as_text(document, name, old.get(name)), as_text(document, name, new.get(name))
            ),
        )
        for name in document.REVISION_FIELDS
    ]


@dataclass
class DocumentMerge:
    """The result of merging a proposal into a document that moved on since its base."""

    data: dict
    conflicts: dict[str, list[Segment]] = field(default_factory=dict)

    @property
    def is_clean(self) -> bool:
        return not self.conflicts


def merge_documents(document: Document, base: dict, current: dict, proposed: dict) -> DocumentMerge:
    merged = dict(current)
    conflicts: dict[str, list[Segment]] = {}
    for name, kind in document.REVISION_FIELDS.items():
        b, c, p = base.get(name), current.get(name), proposed.get(name)
        if kind == "data":
            if p in (b, c):
                merged[name] = c
            elif c == b:
                merged[name] = p
            else:
                conflicts[name] = [
                    Conflict(
                        as_text(document, name, b),
                        as_text(document, name, c),
                        as_text(document, name, p),
                    )
                ]
            continue
        segments = merge_text(
            as_text(document, name, b), as_text(document, name, c), as_text(document, name, p)
        )
        if any(isinstance(s, Conflict) for s in segments):
            conflicts[name] = segments
        else:
            merged[name] = from_text(document, name, "".join(segments))
    return DocumentMerge(merged, conflicts)


def resolve_merge(
    document: Document, merge: DocumentMerge, proposed: dict, choices: dict[str, list[str]]
) -> dict:
    """Fill each conflicted field from the editor's choices: for "text" and "lines" fields,
    one text per conflict hunk; for "data" fields, ["current"] or ["proposed"]."""
    from altto.lib.textdiff import resolve

    data = dict(merge.data)
    for name, segments in merge.conflicts.items():
        picked = choices.get(name)
        if picked is None:
            raise ValueError(f"no choice for {name}")
        if document.REVISION_FIELDS[name] == "data":
            if picked not in (["current"], ["proposed"]):
                raise ValueError(f"{name}: choose current or proposed")
            data[name] = merge.data[name] if picked == ["current"] else proposed[name]
        else:
            data[name] = from_text(document, name, resolve(segments, picked))
    return data
