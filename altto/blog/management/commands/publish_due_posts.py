"""The blog's clock. A scheduled post is live at its time whether or not this runs (the
site asks the clock); this does the side effects once per post: marks it published and
sends the notifications. Safe to run as often as you like, even twice at once.

    manage.py publish_due_posts               # once (deploy/altto-publish.timer, every minute)
    manage.py publish_due_posts --every 60    # in a loop until stopped (`make run`)
"""

from altto.blog.actions import publish_due_posts
from altto.core.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Announce the scheduled blog posts whose time has come (each once)."
    started = "Publishing due blog posts every {every:g} s; Ctrl-C to stop."
    stopped = "Stopped publishing due blog posts."

    def run_once(self, quiet: bool = False) -> int:
        posts = publish_due_posts()
        if posts or not quiet:
            self.stdout.write(f"Published {len(posts)} due blog post(s).")
        for post in posts:
            self.stdout.write(f"  {post.get_absolute_url()}  {post.title}")
        return len(posts)
