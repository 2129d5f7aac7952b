"""One question, two databases: which entries hold every term of the query, best first.

Both backends get the same pre-cut terms (text.py) and the same filters, and return entry
ids in rank order with a total, so everything above this module behaves the same on SQLite
and PostgreSQL. Title matches weigh ten times a body match; `boost` (solved questions)
lifts an entry further.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

TITLE_WEIGHT = 10.0


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    level: str = ""
    tag: str = ""
    # Any of the terms rather than all, in titles only (the forum's "similar questions").
    any_terms: bool = False
    titles_only: bool = False


def _where(filters: Filters, now: datetime) -> tuple[str, list]:
    """SQL conditions on search_entry (aliased e) shared by both backends."""
    clauses = ["(e.live_from IS NULL OR e.live_from <= %s)"]
    params: list = [now]
    if filters.kinds:
        clauses.append(f"e.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
        params.extend(filters.kinds)
    if filters.level:
        clauses.append("e.levels LIKE %s")
        params.append(f"% {filters.level} %")
    if filters.tag:
        clauses.append("e.tags LIKE %s")
        params.append(f"% {filters.tag} %")
    return " AND ".join(clauses), params


def _fetch(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class SqliteBackend:
    @staticmethod
    def match(terms: list[str], any_terms: bool = False, titles_only: bool = False) -> str:
        # Every term, quoted: FTS5 syntax in a term is impossible (text.py keeps only letters
        # and digits), and quoting makes even a term like "near" or "and" a plain word.
        joined = (" OR " if any_terms else " AND ").join(f'"{term}"' for term in terms)
        return f"title_terms : ({joined})" if titles_only else joined

    def search(self, terms, filters, now, limit, offset) -> tuple[list[int], int]:
        where, params = _where(filters, now)
        base = (
            # CROSS JOIN keeps the FTS match as the outer loop: with a plain JOIN, SQLite
            # may plan the COUNT from the kind index and rerun the match per row (seconds).
            "FROM search_entry_fts f CROSS JOIN search_entry e ON e.id = f.rowid "
            f"WHERE search_entry_fts MATCH %s AND {where}"
        )
        args = [self.match(terms, filters.any_terms, filters.titles_only), *params]
        rows = _fetch(
            f"SELECT e.id {base} "
            f"ORDER BY bm25(search_entry_fts, {TITLE_WEIGHT}, 1.0) - e.boost, e.id "
            "LIMIT %s OFFSET %s",
            [*args, limit, offset],
        )
        total = len(rows) + offset
        if len(rows) == limit or offset:
            total = _fetch(f"SELECT COUNT(*) {base}", args)[0][0]
        return [row[0] for row in rows], total


class PostgresBackend:
    # A stored, GIN-indexed column (migration 0003): titles weigh A, bodies D.
    VECTOR = "e.search_vector"

    @staticmethod
    def query(terms: list[str], any_terms: bool = False, titles_only: bool = False) -> str:
        # A tsquery literal of quoted lexemes: cast, not parsed, so no dictionary or parser
        # changes our terms, and no operator can come from the reader. ":A" keeps a term to
        # titles.
        suffix = ":A" if titles_only else ""
        return (" | " if any_terms else " & ").join(f"'{term}'{suffix}" for term in terms)

    def search(self, terms, filters, now, limit, offset) -> tuple[list[int], int]:
        # For a common word the planner prefers reading the whole table, not counting what
        # that costs: every row's vector is stored out of line (TOAST) and must be fetched
        # to test it, ~130 ms over 30,000 entries, against ~30 ms through the GIN index.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            return self._search(terms, filters, now, limit, offset)

    def _search(self, terms, filters, now, limit, offset) -> tuple[list[int], int]:
        where, params = _where(filters, now)
        vector = self.VECTOR
        tsquery = self.query(terms, filters.any_terms, filters.titles_only)
        base = f"FROM search_entry e WHERE {vector} @@ %s::tsquery AND {where}"
        args = [tsquery, *params]
        # Ranked by the title's match, then the boost, then newest: ranking by the body too
        # would read every matching thread's whole vector (tens of KB each), which cost
        # ~0.01 ms a row — 200 ms for a common word over 20,000 threads.
        rank = "ts_rank(e.title_vector, %s::tsquery)"
        rows = _fetch(
            f"SELECT e.id {base} ORDER BY {TITLE_WEIGHT} * {rank} + e.boost DESC, e.id DESC "
            "LIMIT %s OFFSET %s",
            [*args, tsquery.replace(":A", ""), limit, offset],
        )
        total = len(rows) + offset
        if len(rows) == limit or offset:
            total = _fetch(f"SELECT COUNT(*) {base}", args)[0][0]
        return [row[0] for row in rows], total


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
