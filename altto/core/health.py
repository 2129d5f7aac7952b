"""What /healthz reports: can we reach the database, and is its schema current?"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

_migrations_known_applied = False


def database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_applied() -> bool:
    # Once every migration is applied it stays so for the life of this process,
    # so later probes skip loading the migration graph.
    global _migrations_known_applied
    if _migrations_known_applied:
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    _migrations_known_applied = not plan
    return _migrations_known_applied
