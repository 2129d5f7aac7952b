"""Settings come from the environment; bad values stop start-up with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from altto.lib.env import email_settings, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)


def test_env_bool_accepts_only_true_or_false_words(monkeypatch):
    monkeypatch.setenv("FLAG", "False")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", True)


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 1)
    monkeypatch.delenv("N")
    assert env_int("N", 7) == 7


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_email_url_becomes_smtp_settings():
    parsed = email_settings("smtp+tls://mailer:p%40ss@mail.example.org:2525")
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert parsed["EMAIL_HOST"] == "mail.example.org"
    assert parsed["EMAIL_PORT"] == 2525
    assert parsed["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert parsed["EMAIL_USE_TLS"] is True
    assert email_settings("")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured):
        email_settings("carrier-pigeon://coop")


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.pop("ALTTO_TESTING", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django({"DEBUG": "false", "ALLOWED_HOSTS": "altto.example"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_bad_boolean_stops_start_up_with_its_name():
    result = run_django({"DEBUG": "perhaps"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_deploy_check_passes_when_configured_as_the_deploy_guide_says(tmp_path):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "altto.example",
        "ALTTO_VAR_DIR": str(tmp_path),
        "EMAIL_URL": "smtp+tls://altto:secret@mail.example.org:587",
        "SITE_URL": "https://altto.example",
    }
    result = run_django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_email_and_site_address_are_left_at_defaults(tmp_path):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "altto.example",
        "ALTTO_VAR_DIR": str(tmp_path),
    }
    result = run_django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "altto.W001" in result.stderr
    assert "altto.W002" in result.stderr


def test_an_empty_variable_counts_as_unset(monkeypatch):
    from altto.lib.env import env_str

    monkeypatch.setenv("DATABASE_URL", "")
    assert env_str("DATABASE_URL", "sqlite:///x") == "sqlite:///x"
