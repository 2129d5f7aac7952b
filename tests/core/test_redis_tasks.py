"""The Redis task queue (altto/core/redis_tasks.py), against the Redis server CI has on
127.0.0.1:6379 (REDIS_TEST_URL to point elsewhere; skipped when none answers)."""

import os
import secrets

import pytest

from altto.core.redis_tasks import RedisBackend
from tests.core import tasks_for_tests
from tests.test_settings import run_django

URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def backend():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {URL}")
    queue = RedisBackend(
        "test", {"OPTIONS": {"url": URL, "prefix": f"test:{secrets.token_hex(4)}"}}
    )
    tasks_for_tests.DONE.clear()
    yield queue
    client = queue.redis()
    for key in client.keys(f"{queue.prefix}:*"):
        client.delete(key)


def test_a_task_waits_in_redis_until_a_worker_runs_it(backend):
    result = backend.enqueue(tasks_for_tests.write_down, ["kanpai"], {})
    assert result.status == "READY" and tasks_for_tests.DONE == []
    assert backend.redis().llen(backend.queue_key("default")) == 1
    assert backend.run_next("default", timeout=1)
    assert tasks_for_tests.DONE == ["kanpai"]
    assert not backend.run_next("default", timeout=0.1)  # nothing left
    assert backend.redis().llen(backend.working_key("default")) == 0


def test_what_a_dead_worker_left_half_done_is_run_by_the_next(backend):
    backend.enqueue(tasks_for_tests.write_down, ["first"], {})
    backend.enqueue(tasks_for_tests.write_down, ["second"], {})
    client = backend.redis()
    # A worker took "first" and died before finishing it.
    client.lmove(backend.queue_key("default"), backend.working_key("default"), "LEFT", "RIGHT")
    assert backend.recover("default") == 1
    while backend.run_next("default", timeout=0.1):
        pass
    assert sorted(tasks_for_tests.DONE) == ["first", "second"]


def test_a_failing_task_is_logged_and_does_not_stop_the_worker(backend, caplog):
    backend.enqueue(tasks_for_tests.fail, ["boom"], {})
    backend.enqueue(tasks_for_tests.write_down, ["after"], {})
    assert backend.run_next("default", timeout=1) and backend.run_next("default", timeout=1)
    assert tasks_for_tests.DONE == ["after"]
    assert "task failed" in caplog.text
    assert backend.redis().llen(backend.working_key("default")) == 0


def test_redis_url_chooses_the_redis_queue_and_refuses_redis_without_it():
    shown = run_django(
        {"REDIS_URL": URL}, "shell", "-c", "from django.conf import settings; print(settings.TASKS)"
    )
    assert "altto.core.redis_tasks.RedisBackend" in shown.stdout, shown.stderr
    plain = run_django({}, "shell", "-c", "from django.conf import settings; print(settings.TASKS)")
    assert "django_tasks_db.DatabaseBackend" in plain.stdout, plain.stderr
    refused = run_django({"TASK_BACKEND": "redis"}, "check")
    assert refused.returncode != 0 and "REDIS_URL" in refused.stderr
