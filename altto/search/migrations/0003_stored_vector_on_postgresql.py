"""PostgreSQL: keep the weighted vector in a stored generated column, indexed with GIN.

The expression index of 0002 made PostgreSQL rebuild every candidate's whole vector to
recheck it and again to rank it (seconds for a common word over 20,000 threads), and
`array_to_tsvector` keeps no positions, so title weights had nothing to weigh. `to_tsvector`
with the 'simple' configuration only lowercases and splits on our spaces (our terms are
letters and digits only), and keeps positions.
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'D')"
)
FORWARD = [
    "DROP INDEX IF EXISTS search_entry_terms",
    f"ALTER TABLE search_entry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX search_entry_vector ON search_entry USING GIN (search_vector)",
    # The title alone, small enough to rank thousands of matches quickly.
    "ALTER TABLE search_entry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, coalesce(title_terms, ''))) STORED",
]
BACKWARD = [
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS title_vector",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX search_entry_terms ON search_entry USING GIN ("
    "(setweight(array_to_tsvector(string_to_array(title_terms, ' ')), 'A') || "
    "setweight(array_to_tsvector(string_to_array(body_terms, ' ')), 'D')))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
