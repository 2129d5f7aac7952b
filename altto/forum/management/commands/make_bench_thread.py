"""A question thread with 100 visible replies, for `make bench` to time the thread page on.

The thread's address is fixed, so that bench/run.py can list it in PAGES:

    /forum/t/900001-bench-how-do-you-run-a-warm-up-with-a-sleepy-first-period-class/

- The thread is made with the fixed primary key BENCH_THREAD_PK and the fixed title
  BENCH_THREAD_TITLE (the slug comes from the title). The canonical address is measured, not
  `/forum/t/<pk>/`, which answers with a permanent redirect: wrk would time the redirect, not
  the page. A number far above any real thread's keeps clear of the auto-increment range of
  the throwaway bench database (and of a developer's, if run there).
- tests/forum/test_bench_thread.py checks that BENCH_THREAD_PATH is what Django reverses for
  the thread and that bench/run.py lists it, so a change to the title or the URLs cannot
  silently turn the benchmark into a measure of a 404 or a redirect.

The posts are written with bulk_create (body_html rendered once through render_markdown),
then actions.refresh_thread() recounts the thread: a second or two, not the minutes the real
actions would take with their notifications and rate limits. The authors are eight bench
members (usernames `bench_*`, no usable password). Some replies are upvoted and one is the
accepted answer, so the page shows everything a real busy thread shows.

Safe to run again: if the thread is already there with its 100 replies, nothing changes; if a
different thread holds the number, the command refuses rather than touch it.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from altto.accounts.models import User
from altto.forum import actions
from altto.forum.models import Category, Post, Standing, Thread, Vote
from altto.lib.markdown import render_markdown

BENCH_THREAD_PK = 900_001
BENCH_THREAD_TITLE = "Bench: how do you run a warm-up with a sleepy first-period class?"
BENCH_THREAD_PATH = (
    f"/forum/t/{BENCH_THREAD_PK}-bench-how-do-you-run-a-warm-up-with-a-sleepy-first-period-class/"
)
REPLIES = 100
ACCEPTED_REPLY = 6  # index of the reply that becomes the accepted answer
CATEGORY_SLUG = "lesson-ideas"

AUTHORS = [
    ("bench_asker", "Bench Asker"),
    ("bench_hana", "Hana (bench)"),
    ("bench_liam", "Liam (bench)"),
    ("bench_mei", "Mei (bench)"),
    ("bench_omar", "Omar (bench)"),
    ("bench_rosa", "Rosa (bench)"),
    ("bench_taro", "Taro (bench)"),
    ("bench_zoe", "Zoe (bench)"),
]

OPENING = """I teach first period at a junior high school three days a week, and the second-year
classes are half asleep when I walk in. My JTE usually starts with the textbook, so I get
**five minutes** at the start for a warm-up.

What has worked for you? I am looking for something that:

- needs no preparation beyond the board,
- gets everyone speaking, not only the three students who always answer,
- fits into five minutes, including the instructions.

I have tried *Simon says*, which works with first-years but the second-years find it
childish. Any ideas are welcome.
"""

OPENERS = [
    "We had the same problem with my second-years last spring.",
    "This is what my JTE and I settled on after a few weeks of trying things.",
    "I teach at an elementary school, but this worked at my junior high visits too.",
    "Short answer: make them stand up.",
    "A small change helped us more than any new game.",
    "I would start by asking your JTE what the class did the day before.",
    "Our school does a morning reading time, so first period is always slow.",
    "I used to dread first period, and now it is my favourite lesson of the day.",
]
MIDDLES = [
    "Students stand, find a partner who is not their neighbour, and ask one question from the "
    "board. When they have an answer, they sit down. The last pairs standing get a cheer, not "
    "a punishment.",
    "We write three questions on the board before the bell, so that the warm-up starts the "
    "moment the greetings end. Changing one question each week keeps it fresh without new "
    "instructions.",
    "A quick chant with clapping wakes them up in about a minute. The JTE leads it in Japanese "
    "the first time, then I take over, and after a week the class leader starts it for us.",
    "Give every student a small card with a word on it. They walk around and make a sentence "
    "together with whoever they meet. It is noisy, which is exactly the point at 8:50.",
    "Ask them to guess your weekend from three pictures. They love being right about the "
    "teacher, and the quiet students answer in writing on mini whiteboards.",
    "Play a thirty-second clip of a song they know and ask what words they heard. Even the "
    "sleepiest student can write down one word.",
]
QUOTES = [
    "> gets everyone speaking, not only the three students who always answer",
    "> it fits into five minutes, including the instructions",
    "> the second-years find it childish",
]
LISTS = [
    "- Keep the instructions to two sentences.\n- Model it once with the JTE.\n"
    "- Stop while they still enjoy it.",
    "1. Greetings and the date.\n2. The warm-up, timed on the board.\n"
    "3. Straight into the textbook while the energy is up.",
    "- Stand up, find a partner.\n- Ask, answer, swap.\n- Sit down when you are done.",
]
LINKS = [
    "There is a longer write-up in the [team-teaching module](/modules/team-teaching/) here.",
    "The [MEXT Course of Study](https://www.mext.go.jp/) has a few words on this too.",
    "I keep my question sets in the [library](/library/) if you want to borrow them.",
]
CLOSERS = [
    "Good luck, and tell us how it goes!",
    "It took about two weeks before it felt natural, so do not give up after the first try.",
    "Whatever you pick, do the same thing every lesson for a month: routine wakes them up.",
    "Your JTE will probably have ideas too; ask them what the class liked last year.",
]


def reply_body(index: int) -> str:
    """About 60 to 120 words of Markdown; some replies quote, list or link."""
    rng = random.Random(f"bench-reply-{index}")
    blocks = [rng.choice(OPENERS)]
    if index % 4 == 1:
        blocks.insert(0, rng.choice(QUOTES))
    blocks.append(rng.choice(MIDDLES))
    if index % 3 == 0:
        blocks.append(rng.choice(LISTS))
    else:
        blocks.append(rng.choice([m for m in MIDDLES if m not in blocks]))
    if index % 5 == 2:
        blocks.append(rng.choice(LINKS))
    blocks.append(rng.choice(CLOSERS))
    return "\n\n".join(blocks) + "\n"


def bench_members() -> list[User]:
    members = []
    for username, display_name in AUTHORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@example.org")
            user.display_name = display_name
            user.set_unusable_password()
            user.save()
        Standing.objects.get_or_create(user=user, defaults={"approved_posts": 50})
        members.append(user)
    return members


class Command(BaseCommand):
    help = (
        f"Create (once) a question thread with {REPLIES} replies at {BENCH_THREAD_PATH}, "
        "for `make bench`."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        existing = Thread.objects.filter(pk=BENCH_THREAD_PK).first()
        if existing is not None:
            if existing.title != BENCH_THREAD_TITLE:
                raise CommandError(
                    f"Thread {BENCH_THREAD_PK} is not the bench thread ({existing.title!r}); "
                    "leaving it alone."
                )
            if existing.reply_count == REPLIES and existing.accepted_answer_id:
                self.stdout.write(f"Bench thread: already there, {BENCH_THREAD_PATH}")
                return
            existing.delete()  # half made (an older version): make it again

        members = bench_members()
        asker, others = members[0], members[1:]
        category = Category.objects.filter(slug=CATEGORY_SLUG).first()
        category = category or Category.objects.order_by("position", "pk").first()
        if category is None:
            raise CommandError("There is no forum category: run migrate first.")

        now = timezone.now()
        opened = now - timedelta(days=20)
        thread = Thread(
            pk=BENCH_THREAD_PK,
            category=category,
            kind=Thread.Kind.QUESTION,
            title=BENCH_THREAD_TITLE,
            author=asker,
        )
        thread.save(force_insert=True)

        posts = [Post(thread=thread, author=asker, is_opening=True, body=OPENING)]
        for index in range(REPLIES):
            author = asker if index % 17 == 9 else others[index % len(others)]
            posts.append(Post(thread=thread, author=author, body=reply_body(index)))
        for post in posts:
            post.body_html = render_markdown(post.body)
        posts = Post.objects.bulk_create(posts)
        # created_at is auto_now_add, so bulk_create stamps them all "now": spread them out.
        for index, post in enumerate(posts):
            post.created_at = opened + timedelta(minutes=173 * index)
        Post.objects.bulk_update(posts, ["created_at"])

        # Upvotes: the opening post and every fifth reply, from members who did not write it.
        votes = []
        for index, post in enumerate(posts):
            if index % 5 != 0 and index != ACCEPTED_REPLY + 1:
                continue
            voters = [m for m in members if m.pk != post.author_id][: 1 + index % 6]
            votes += [Vote(post=post, voter=voter) for voter in voters]
            post.score = len(voters)
        Vote.objects.bulk_create(votes)
        Post.objects.bulk_update(posts, ["score"])

        Thread.objects.filter(pk=thread.pk).update(
            created_at=opened, accepted_answer=posts[ACCEPTED_REPLY + 1]
        )
        thread.refresh_from_db()
        actions.refresh_thread(thread)
        thread.refresh_from_db()
        self.stdout.write(
            f"Bench thread: {thread.reply_count} replies, {len(votes)} upvotes, {BENCH_THREAD_PATH}"
        )
