import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_it_reports_healthy_when_database_is_up_and_migrated(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
    }


def test_it_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from altto.core import health

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


def test_it_answers_503_when_migrations_are_pending(client, monkeypatch):
    from altto.core import health

    monkeypatch.setattr(health, "_migrations_known_applied", False)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["migrations"] == "pending"


def test_no_migrations_are_missing():
    # Fails when a model changed without a migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
