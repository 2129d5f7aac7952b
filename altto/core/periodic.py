"""A management command that runs once, or with `--every SECONDS` in a loop until Ctrl-C or
SIGTERM: the shape of every clock `make run` starts beside the server and a systemd timer
runs in production (publish_due_posts, send_mail_queue)."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections


class PeriodicCommand(BaseCommand):
    """Subclasses set the `started`/`stopped` messages and write `run_once(quiet)`."""

    started = "Running every {every:g} s; Ctrl-C to stop."
    stopped = "Stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS, until interrupted (Ctrl-C or SIGTERM).",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is None:
            self.run_once()
            return
        if every <= 0:
            raise CommandError("--every needs a number of seconds above 0.")
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(self.started.format(every=every))
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.run_once(quiet=True)
                except Exception as error:  # a locked or restarting database: try next time
                    self.stderr.write(f"{self.__module__.rsplit('.', 1)[-1]} failed: {error!r}")
                stop.wait(every)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            close_old_connections()
        self.stdout.write(self.stopped)

    def run_once(self, quiet: bool = False):
        raise NotImplementedError
