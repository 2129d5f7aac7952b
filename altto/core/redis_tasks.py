"""A Redis queue for Django's Tasks framework (django-tasks), used when REDIS_URL is set.

django-tasks ships no Redis backend, and our tasks are few and small (reindex a page, wake
the mail sender), so this is the least that works across several app servers:

- `enqueue` pushes the task's path and JSON arguments onto a Redis list (one per queue).
- `manage.py run_tasks` (the worker) moves one item at a time onto a "working" list with
  BLMOVE, runs it, then removes it. A worker that dies mid-task leaves the item there;
  the next worker to start moves it back to the queue, so a task is never lost. It may run
  twice (also if a second worker starts while the first is busy): our tasks are
  idempotent — reindexing a page, and sending outbox rows that are claimed before sending.
- Results are not kept (`supports_get_result = False`): nothing in ALTTO waits on one.
"""

import json
import logging

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id, normalize_json

logger = logging.getLogger(__name__)


class RedisBackend(BaseTaskBackend):
    supports_defer = False
    supports_get_result = False

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.url = self.options["url"]
        self.prefix = self.options.get("prefix", "altto:tasks")

    def redis(self):
        import redis

        return redis.Redis.from_url(self.url)

    def queue_key(self, queue_name: str) -> str:
        return f"{self.prefix}:{queue_name}"

    def working_key(self, queue_name: str) -> str:
        return f"{self.prefix}:{queue_name}:working"

    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        now = timezone.now()
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=now,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        payload = {
            "id": result.id,
            "task": task.module_path,
            "args": result.args,
            "kwargs": result.kwargs,
            "enqueued_at": now.isoformat(),
        }
        self.redis().rpush(self.queue_key(task.queue_name), json.dumps(payload))
        task_enqueued.send(type(self), task_result=result)
        return result

    # --- the worker side ------------------------------------------------------------------

    def recover(self, queue_name: str) -> int:
        """Put back what a dead worker left half done. Returns how many."""
        client, moved = self.redis(), 0
        while client.lmove(
            self.working_key(queue_name), self.queue_key(queue_name), "LEFT", "RIGHT"
        ):
            moved += 1
        return moved

    def run_next(self, queue_name: str, timeout: float = 5.0) -> bool:
        """Run one task from the queue, waiting up to `timeout` seconds for one. False when
        none came."""
        client = self.redis()
        raw = client.blmove(
            self.queue_key(queue_name), self.working_key(queue_name), timeout, "LEFT", "RIGHT"
        )
        if raw is None:
            return False
        try:
            payload = json.loads(raw)
            task = import_string(payload["task"])
            task.call(*payload["args"], **payload["kwargs"])
        except Exception:
            # Logged and dropped, as a failed task is in the database backend: our tasks
            # are re-run by the next save or by the periodic commands.
            logger.exception("task failed: %s", raw[:200])
        finally:
            client.lrem(self.working_key(queue_name), 1, raw)
        return True
