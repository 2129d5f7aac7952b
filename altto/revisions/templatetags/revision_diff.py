"""Showing a word-level diff (see altto/revisions/documents.py FieldDiff) to people."""

from django import template

register = template.Library()

CONTEXT_LINES = 2


@register.filter
def in_context(pieces: list[tuple[str, str]], whole: bool = False) -> list[tuple[str, object]]:
    """The diff's pieces with long unchanged stretches folded: around each change it keeps
    CONTEXT_LINES lines (for Markdown, paragraphs and list items), and in place of the rest a
    ("skip", number of non-blank lines hidden) piece. With `whole`, the pieces unchanged."""
    if whole:
        return pieces
    shown: list[tuple[str, object]] = []
    last = len(pieces) - 1
    for index, (op, text) in enumerate(pieces):
        if op != "equal":
            shown.append((op, text))
            continue
        lines = text.split("\n")
        # After a change: the rest of its line, then the context lines; before one, the
        # context lines and then the start of the changed line.
        head = 0 if index == 0 else CONTEXT_LINES + 1
        tail = 0 if index == last else CONTEXT_LINES + 1
        hidden = lines[head : len(lines) - tail]
        if sum(1 for line in hidden if line.strip()) < 2:
            shown.append((op, text))  # folding a line or less saves nothing
            continue
        if head:
            shown.append(("equal", "\n".join(lines[:head]) + "\n"))
        shown.append(("skip", sum(1 for line in hidden if line.strip())))
        if tail:
            shown.append(("equal", "\n" + "\n".join(lines[-tail:])))
    return shown
