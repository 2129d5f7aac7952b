"""The mail clock: sends every due email (new ones, those that waited for quiet hours to
end, retries after a failure) and queues the daily and weekly digests once their moment
(DIGEST_HOUR Japan time; Mondays for the weekly one) has come. Safe to run as often as you
like, even twice at once: each email is claimed before it is sent, and queued once.

    manage.py send_mail_queue               # once
    manage.py send_mail_queue --every 60    # in a loop until stopped (`make run`)
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from altto.mail import queue, sending
from altto.notifications import delivery


class Command(BaseCommand):
    help = "Send the emails whose time has come, and queue the digests when they are due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS, until interrupted (Ctrl-C or SIGTERM).",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        # The digest moment each period was last queued for, by this process: each moment
        # is queued once per process (the outbox keys make a second time harmless anyway).
        self.digested: dict[str, object] = {}
        if every is None:
            self.run_once()
            return
        if every <= 0:
            raise CommandError("--every needs a number of seconds above 0.")
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(f"Sending queued email every {every:g} s; Ctrl-C to stop.")
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.run_once(quiet=True)
                except Exception as error:  # a locked or restarting database: try next time
                    self.stderr.write(f"send_mail_queue failed: {error!r}")
                stop.wait(every)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            close_old_connections()
        self.stdout.write("Stopped sending queued email.")

    def run_once(self, quiet: bool = False, now=None) -> dict[str, int]:
        now = now or timezone.now()
        for period in (delivery.DAILY, delivery.WEEKLY):
            slot = delivery.last_digest_time(period, now)
            if self.digested.get(period) != slot:
                queued = queue.queue_digests(period, now, wake=False)
                self.digested[period] = slot
                if queued or not quiet:
                    self.stdout.write(f"Queued {queued} {period} digest(s).")
        counts = sending.deliver_due()
        if any(counts[k] for k in ("sent", "failed", "gave_up", "cancelled")) or not quiet:
            summary = ", ".join(f"{value} {name}" for name, value in counts.items() if value)
            self.stdout.write(f"Outbox: {summary or 'nothing due'}.")
        return counts
