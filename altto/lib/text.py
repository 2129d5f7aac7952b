"""Plain-text hygiene for short texts people see in lists (titles, names)."""

import re
import unicodedata

# Direction overrides and isolates can make a title read differently from what it says
# ("txt.exe" shown as "exe.txt"); zero-width characters hide words from search and
# moderators. None of them belongs in a title.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\u00ad\u180e]"
)
_SPACES = re.compile(r"\s+")


def clean_title(text: str) -> str:
    """NFC-normalised, invisible and control characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    return _SPACES.sub(" ", text).strip()
