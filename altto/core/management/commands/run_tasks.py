"""The task worker, whichever queue the settings chose: `db_worker` (django-tasks-db) for
TASK_BACKEND=database, our Redis worker (altto/core/redis_tasks.py) for TASK_BACKEND=redis.
`make run` and deploy/altto-worker.service start this."""

import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_tasks import DEFAULT_TASK_QUEUE_NAME, default_task_backend


class Command(BaseCommand):
    help = "Run queued background tasks until stopped (Ctrl-C or SIGTERM)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then stop."
        )

    def handle(self, *args, batch: bool = False, **options) -> None:
        if settings.TASK_BACKEND == "database":
            call_command("db_worker", "--queue-name", "*", *(["--batch"] if batch else []))
            return
        if settings.TASK_BACKEND != "redis":
            raise CommandError("TASK_BACKEND=immediate runs tasks in the request: no worker.")
        backend = default_task_backend
        queue = DEFAULT_TASK_QUEUE_NAME
        moved = backend.recover(queue)
        if moved:
            self.stdout.write(f"Put back {moved} task(s) a stopped worker left unfinished.")
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write("Running tasks from Redis; Ctrl-C to stop.")
        try:
            while not stop.is_set():
                close_old_connections()
                ran = backend.run_next(queue, timeout=0.1 if batch else 2)
                if batch and not ran:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write("Stopped running tasks.")
