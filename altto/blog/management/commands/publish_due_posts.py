"""The blog's clock. A scheduled post is live at its time whether or not this runs (the
site asks the clock); this does the side effects once per post: marks it published and
sends the notifications. Safe to run as often as you like, even twice at once.

    manage.py publish_due_posts               # once (deploy/altto-publish.timer, every minute)
    manage.py publish_due_posts --every 60    # in a loop until stopped (`make run`)
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from altto.blog.actions import publish_due_posts


class Command(BaseCommand):
    help = "Announce the scheduled blog posts whose time has come (each once)."

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
        self.stdout.write(f"Publishing due blog posts every {every:g} s; Ctrl-C to stop.")
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.run_once(quiet=True)
                except Exception as error:  # a locked or restarting database: try next time
                    self.stderr.write(f"publish_due_posts failed: {error!r}")
                stop.wait(every)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            close_old_connections()
        self.stdout.write("Stopped publishing due blog posts.")

    def run_once(self, quiet: bool = False) -> int:
        posts = publish_due_posts()
        if posts or not quiet:
            self.stdout.write(f"Published {len(posts)} due blog post(s).")
        for post in posts:
            self.stdout.write(f"  {post.get_absolute_url()}  {post.title}")
        return len(posts)
