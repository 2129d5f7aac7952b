"""The mail clock: sends every due email (new ones, those that waited for quiet hours to
end, retries after a failure) and queues the daily and weekly digests once their moment
(DIGEST_HOUR Japan time; Mondays for the weekly one) has come. Safe to run as often as you
like, even twice at once: each email is claimed before it is sent, and queued once.

    manage.py send_mail_queue               # once
    manage.py send_mail_queue --every 60    # in a loop until stopped (`make run`)
"""

from django.utils import timezone

from altto.core.periodic import PeriodicCommand
from altto.mail import queue, sending
from altto.notifications import delivery


class Command(PeriodicCommand):
    help = "Send the emails whose time has come, and queue the digests when they are due."
    started = "Sending queued email every {every:g} s; Ctrl-C to stop."
    stopped = "Stopped sending queued email."

    def handle(self, *args, **options) -> None:
        # The digest moment each period was last queued for, by this process: each moment
        # is queued once per process (the outbox keys make a second time harmless anyway).
        self.digested: dict[str, object] = {}
        super().handle(*args, **options)

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
