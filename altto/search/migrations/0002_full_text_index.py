"""The full-text index over Entry's terms: FTS5 on SQLite, GIN over a tsvector on
PostgreSQL. Terms are cut by altto/search/text.py, so neither database's own tokeniser
decides anything: FTS5's unicode61 only splits on the spaces we put, and on PostgreSQL the
vector is built from the terms as they are (array_to_tsvector), with no parser or stemmer.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title_terms, body_terms, content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_entry_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
# The same expression is used by backends.PostgresBackend, so the planner uses the index.
POSTGRES_VECTOR = (
    "(setweight(array_to_tsvector(string_to_array(title_terms, ' ')), 'A') || "
    "setweight(array_to_tsvector(string_to_array(body_terms, ' ')), 'D'))"
)
POSTGRES = [f"CREATE INDEX search_entry_terms ON search_entry USING GIN ({POSTGRES_VECTOR})"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_entry_terms"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
