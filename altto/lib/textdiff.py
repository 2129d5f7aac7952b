"""Word-level diffs for people, and three-way merges of Markdown, for the revision system.

A diff is a list of (op, text) with op "equal", "insert" or "delete", at word granularity
(Japanese, which has no spaces, is compared character by character). A merge works on lines,
which for Markdown are paragraphs and list items; where both sides changed the same lines,
the result keeps a conflict hunk for a person to resolve. Nothing is ever dropped.
"""

import difflib
import re
from dataclasses import dataclass

from merge3 import Merge3

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# Comparing word by word costs up to len(old) × len(new) token pairs (spaces and common
# words repeat). A changed stretch bigger than this is trimmed of what both sides share at
# each end; if its middle is still too big, it is shown as removed and added whole.
MAX_TOKEN_PAIRS = 1_000_000


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces that turn `old` into `new`, adjacent pieces of one kind joined.

    Lines are matched first and only the changed lines are compared word by word: a whole
    2,000-word lesson compared token by token takes seconds, its changed lines milliseconds."""
    pieces: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(old_lines[i1:i2]))
        else:
            _diff_words(tokens("".join(old_lines[i1:i2])), tokens("".join(new_lines[j1:j2])), add)
    return pieces


def _diff_words(a: list[str], b: list[str], add) -> None:
    start = end = 0
    if len(a) * len(b) > MAX_TOKEN_PAIRS:
        shortest = min(len(a), len(b))
        while start < shortest and a[start] == b[start]:
            start += 1
        while end < shortest - start and a[-1 - end] == b[-1 - end]:
            end += 1
    add("equal", "".join(a[:start]))
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    if len(a_mid) * len(b_mid) > MAX_TOKEN_PAIRS:
        add("delete", "".join(a_mid))
        add("insert", "".join(b_mid))
    else:
        matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                add("equal", "".join(a_mid[i1:i2]))
            else:
                add("delete", "".join(a_mid[i1:i2]))
                add("insert", "".join(b_mid[j1:j2]))
    add("equal", "".join(a[len(a) - end :]))


@dataclass(frozen=True)
class Conflict:
    """Lines both sides changed differently: what the base had, and each side's version."""

    base: str
    current: str
    proposed: str


Segment = str | Conflict


def merge_text(base: str, current: str, proposed: str) -> list[Segment]:
    """Three-way merge by lines. Returns text segments and Conflicts, in order; joined,
    the text segments plus a chosen side of each conflict make the merged text."""
    if proposed in (base, current):
        return [current]
    if current == base:
        return [proposed]
    merger = Merge3(
        base.splitlines(keepends=True),
        current.splitlines(keepends=True),
        proposed.splitlines(keepends=True),
    )
    segments: list[Segment] = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            _kind, base_lines, current_lines, proposed_lines = group
            segments.append(
                Conflict("".join(base_lines), "".join(current_lines), "".join(proposed_lines))
            )
        else:
            text = "".join(group[1])
            if segments and isinstance(segments[-1], str):
                segments[-1] += text
            else:
                segments.append(text)
    return segments


def has_conflicts(segments: list[Segment]) -> bool:
    return any(isinstance(segment, Conflict) for segment in segments)


def resolve(segments: list[Segment], choices: list[str]) -> str:
    """Join segments, taking for the n-th conflict the n-th text in `choices`."""
    conflicts = [s for s in segments if isinstance(s, Conflict)]
    if len(choices) != len(conflicts):
        raise ValueError(f"{len(conflicts)} conflicts but {len(choices)} choices")
    answers = iter(choices)
    return "".join(s if isinstance(s, str) else next(answers) for s in segments)
