"""How text becomes search terms, the same way for what is indexed and what is asked, on
both databases (docs/decisions/008-search.md).

- Latin words are lowercased and stemmed (Snowball English: teach, teaching, teaches →
  "teach"), so an English query finds every form.
- Japanese (and other CJK) text has no spaces between words: each run of kanji/kana is cut
  into overlapping pairs of characters ("自己紹介" → 自己 己紹 紹介). A query's pairs must all be
  present, so 「自己紹介」 finds 自己紹介 and not a page that merely has 自己 somewhere. A single
  character stands as itself.
- Everything else (punctuation, FTS syntax such as " * : - NEAR) is a separator: nothing a
  reader types can reach the database's query language.
"""

import functools
import re
import unicodedata

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
# Hiragana, katakana (incl. the prolonged sound mark), CJK ideographs, halfwidth katakana.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")


def is_cjk(token: str) -> bool:
    """Does the token start with Japanese (kana or kanji), rather than Latin letters?"""
    return bool(_IS_CJK.match(token))


MAX_QUERY_TERMS = 12


def _normalise(text: str) -> str:
    # NFKC folds full-width Latin (ＡＬＴ) and half-width kana (ｶﾀｶﾅ) to their usual forms.
    return unicodedata.normalize("NFKC", text or "").lower()


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    # A pure-Python stemmer is the slow part of indexing; words repeat, so remember them.
    return _STEMMER.stemWord(word)


def _pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order (repeats kept: they weigh in ranking)."""
    out: list[str] = []
    for token in _TOKEN.findall(_normalise(text)):
        if is_cjk(token):
            out.extend(_pairs(token))
        else:
            out.append(_stem(token))
    return out


def index_text(text: str) -> str:
    """What the index stores for `text`: its terms, separated by spaces."""
    return " ".join(terms(text))


# Words in nearly every page: asking for them finds nothing more and costs the most (their
# lists of places are the longest). Dropped from a query that has other words.
STOPWORDS = frozenset(
    _stem(word)
    for word in [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in the order typed, at most MAX_QUERY_TERMS; common
    English words are left out unless the query has nothing else."""
    found = list(dict.fromkeys(terms(query)))
    meaningful = [term for term in found if term not in STOPWORDS]
    return (meaningful or found)[:MAX_QUERY_TERMS]


def words_to_mark(query: str) -> list[str]:
    """What to highlight in a snippet: the typed words (Latin) and runs (CJK), lowercased."""
    return [t for t in dict.fromkeys(_TOKEN.findall(_normalise(query))) if t][:MAX_QUERY_TERMS]
