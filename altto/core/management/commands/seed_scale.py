"""Generate a large, realistic-looking site for measuring search (and lists) at scale:

    manage.py seed_scale --posts 200000 --items 10000 --users 20000

- Members `scale_000001`… (no usable password, emails at example.invalid).
- Forum threads, about ten posts each, across every category: questions (some solved, with
  an accepted answer), discussions and stories; about one in ten written in Japanese. Words
  come from fixed lists, mixed at random, with a few rare words so that a search can be
  narrow as well as broad. Posts are plain paragraphs, their HTML escaped once here (no
  Markdown per row); each thread's reply count and last activity are computed here too.
- Published library items whose rights ledger is complete, as the library loader
  (altto/library/loading.py) would leave them: a licence, a creator where the licence needs
  one, a current permission for "used with permission"; each with its first (import) revision.
- Finally the search index is rebuilt (skip with --no-index).

Everything is written with bulk_create in batches of BATCH rows, one progress bar per step,
so 200,000 posts take a minute or two, not hours. A second run is refused (the data is
already there) unless --force, which adds another set alongside. It is for throwaway
databases: with DEBUG off on a database that does not look like one, it says so loudly.
"""

import random
import sys
from collections import Counter
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from tqdm import tqdm

from altto.accounts.models import AltType, SchoolLevel, User
from altto.forum.models import EMPLOYER_TYPES, Category, Post, Thread
from altto.forum.models import Tag as ForumTag
from altto.library.models import Creator, Item, Licence, Permission
from altto.library.models import Tag as LibraryTag
from altto.revisions.models import Revision

try:
    from altto.search.indexing import paused
except ImportError:  # search not installed yet: nothing to pause
    paused = nullcontext

BATCH = 5_000
USERNAME_PREFIX = "scale_"
ITEM_SLUG_PREFIX = "scale-item-"
POSTS_PER_THREAD = 10
JAPANESE_SHARE = 0.1
DAYS_OF_HISTORY = 3 * 365

# --- Words ------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Alex", "Sam", "Jordan", "Priya", "Hana", "Liam", "Mei", "Omar", "Rosa", "Taro", "Zoe",
    "Ken", "Aiko", "Ben", "Chloe", "Dev", "Emma", "Finn", "Grace", "Hiro", "Isla", "Jack",
    "Kate", "Leo", "Maya", "Noah", "Olivia", "Pete", "Quinn", "Ruth", "Sora", "Tom", "Uma",
    "Vic", "Will", "Yuki"
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Tanaka", "Brown", "Suzuki", "Wilson", "Sato", "Khan", "Lee", "Garcia", "Ito",
    "Murphy", "Nakamura", "Okafor", "Patel", "Kobayashi", "Walsh", "Yamamoto", "Nguyen",
    "Kelly", "Watanabe", "Silva", "Takahashi", "Evans", "Mori"
]  # fmt: skip

TOPICS = [
    "self-introduction lesson", "team teaching", "warm-up", "phonics", "speech contest",
    "Eiken interview", "English club", "homeroom teacher", "lesson plan", "vocabulary game",
    "pronunciation", "homework", "classroom English", "textbook unit", "listening test",
    "writing activity", "sports day", "enkai", "staff room", "school lunch", "graduation",
    "contract renewal", "paid leave", "health check", "apartment", "sleepy first period",
    "mixed-level class", "quiet students", "noisy class", "flashcards", "Let's Try!",
    "New Horizon", "picture book", "English song", "recitation contest", "summer break",
    "visiting schools", "board work", "group work", "interview test",
]  # fmt: skip
VERBS = [
    "teach", "plan", "run", "explain", "practise", "prepare", "grade", "check", "introduce",
    "improve", "share", "use", "adapt", "start", "finish", "handle", "support", "encourage",
    "motivate", "review", "translate", "present", "model", "organise"
]  # fmt: skip
NOUNS = [
    "students", "class", "lesson", "JTE", "teacher", "board", "worksheet", "game", "activity",
    "question", "answer", "words", "sentences", "grammar", "unit", "textbook", "cards", "timer",
    "partner", "group", "song", "chant", "story", "pictures", "rules", "points", "team",
    "principal", "schedule", "desk", "notebook", "dialogue", "role-play", "quiz", "handout"
]  # fmt: skip
ADJECTIVES = [
    "quick", "simple", "fun", "quiet", "noisy", "shy", "keen", "tired", "busy", "new", "first",
    "second", "short", "long", "easy", "hard", "useful", "friendly", "awkward", "lively"
]  # fmt: skip
LEVEL_WORDS = {"es": "elementary", "jhs": "junior high", "shs": "senior high"}
# Everyday sentences, so that the commonest words (the, and, it) are as common as in life.
CHATTER = [
    "It was not easy, but the kids and the JTE were happy with it.",
    "To be honest, that is what I do at my school too.",
    "Thanks for asking this, I was wondering the same thing.",
    "It depends a lot on the school and on the teacher you work with.",
    "Let us know how it goes!",
    "I hope this helps a bit.",
    "That was my first year, and I have learnt a lot since then.",
    "If it does not work the first time, try it again next week.",
]
# Rare on purpose: each appears in a few dozen posts, so a search can be narrow.
RARE_WORDS = [
    "kamishibai", "karuta", "origami", "tanabata", "setsubun", "omiyage", "shamisen", "haiku",
    "limerick", "onomatopoeia", "palindrome", "tongue-twister", "mnemonic", "semaphore",
    "kendama", "daruma", "furoshiki", "calligraphy", "bingo", "charades"
]  # fmt: skip

TITLE_TEMPLATES = [
    "How do you {verb} a {adj} {topic}?",
    "{topic}: what worked for you?",
    "Tips for a {adj} {topic} with {level} students",
    "Help with my {topic} next week",
    "Is it normal to {verb} the {noun} alone?",
    "My JTE wants me to {verb} the {topic}",
    "{adj} {noun} in the {topic} — ideas?",
    "First {topic} at a {level} school",
    "What do you do about {adj} {noun}?",
    "Story: the day the {topic} went wrong",
]
SENTENCE_TEMPLATES = [
    "I {verb} the {noun} at the start of every {topic}.",
    "My JTE usually asks me to {verb} the {noun}, and the {adj} ones join in.",
    "At my {level} school the {noun} are {adj}, so I keep the {topic} short.",
    "We tried a {adj} {topic} last term and the {noun} loved it.",
    "Have you asked the homeroom teacher how they {verb} the {noun}?",
    "It took a few weeks before the {topic} felt natural.",
    "Write three {noun} on the board before the bell, then {verb} them together.",
    "The {adj} students answer in writing, which is fine for a {topic}.",
    "Keep the instructions to two sentences and model it once with the JTE.",
    "Whatever you pick, do the same {topic} every lesson for a month.",
    "I would not {verb} the {noun} without talking to the JTE first.",
    "Our school has a {adj} {noun} policy, so check with the principal.",
]
RARE_SENTENCES = [
    "We ended with {rare}, which even the {adj} students enjoyed.",
    "Someone suggested {rare} for the {topic} and it worked.",
]

JA_TOPICS = [
    "自己紹介", "チームティーチング", "授業", "英語の歌", "発音", "宿題",
    "英検の面接", "打ち合わせ", "職員室", "給食", "運動会", "文化祭", "小学校",
    "中学校", "高校", "担任の先生", "単語テスト", "フォニックス",
    "スピーチコンテスト", "教科書", "ワークシート", "夏休み", "契約", "有給休暇"
]  # fmt: skip
JA_TITLE_TEMPLATES = [
    "{t}について質問があります",
    "{t}のコツを教えてください",
    "{t}で困っています",
    "初めての{t}",
    "{t}と{u}、どうしていますか？",
]
JA_SENTENCES = [
    "{t}の時、いつも{u}を使っています。",
    "先週の{t}はとてもうまくいきました。",
    "JTEの先生と{t}について話しました。",
    "{t}の前に、{u}を準備したほうがいいと思います。",
    "生徒たちは{t}が大好きです。",
    "{t}は難しいですが、{u}なら楽しくできます。",
    "最初の一か月は{t}に慣れるのが大変でした。",
    "担任の先生と相談して、{u}を少しずつ増やしました。",
]
FREE_TAGS = [
    "games", "phonics", "warm-ups", "speaking", "writing", "eiken", "contests", "housing",
    "pay", "first-week"
]  # fmt: skip

ITEM_KINDS = [
    (Item.Kind.ACTIVITY, 6), (Item.Kind.ARTICLE, 2), (Item.Kind.DOCUMENT, 1),
    (Item.Kind.VIDEO, 1), (Item.Kind.AUDIO, 1), (Item.Kind.LINK, 1),
]  # fmt: skip
ITEM_TITLES = [
    "{adj} {topic} for {level}",
    "{topic} {noun} pack",
    "Five-minute {topic}",
    "{adj} {noun} relay",
    "{topic}: a step-by-step guide",
]
LIBRARY_TAGS = [
    "games", "phonics", "speaking", "listening", "reading", "writing", "warm-ups", "songs",
    "pair-work", "tpr"
]  # fmt: skip
GRADES = {"es": [3, 4, 5, 6], "jhs": [7, 8, 9], "shs": [10, 11, 12]}


def looks_throwaway() -> bool:
    """A temporary SQLite file, or a database named like a test or bench one."""
    name = str(connection.settings_dict.get("NAME") or "")
    return any(mark in name.lower() for mark in ("test", "bench", "tmp", "temp", "scale"))


@contextmanager
def own_timestamps(*fields):
    """Let bulk_create write the given auto_now_add fields as set (spread over years)."""
    saved = [(field, field.auto_now_add) for field in fields]
    for field, _before in saved:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, before in saved:
            field.auto_now_add = before


def batches(seq, size=BATCH):
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


class Writer:
    """Sentences from the lists above, seeded, so two runs with one seed write the same."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, template: str, level: str) -> str:
        c = self.rng.choice
        return template.format(
            verb=c(VERBS), noun=c(NOUNS), adj=c(ADJECTIVES), topic=c(TOPICS),
            level=LEVEL_WORDS[level], rare=c(RARE_WORDS),
        )  # fmt: skip

    def title(self, level: str) -> str:
        text = self.fill(self.rng.choice(TITLE_TEMPLATES), level)
        return text[0].upper() + text[1:]

    def paragraph(self, level: str, sentences: int) -> str:
        out = []
        for _ in range(sentences):
            template = self.rng.choice(
                RARE_SENTENCES if self.rng.random() < 0.01 else SENTENCE_TEMPLATES
            )
            sentence = self.fill(template, level)
            out.append(sentence[0].upper() + sentence[1:])
            if self.rng.random() < 0.3:
                out.append(self.rng.choice(CHATTER))
        return " ".join(out)

    def body(self, level: str, paragraphs: int) -> str:
        return "\n\n".join(self.paragraph(level, self.rng.randint(2, 4)) for _ in range(paragraphs))

    def ja_pair(self) -> tuple[str, str]:
        t, u = self.rng.sample(JA_TOPICS, 2)
        return t, u

    def ja_title(self) -> str:
        t, u = self.ja_pair()
        return self.rng.choice(JA_TITLE_TEMPLATES).format(t=t, u=u)

    def ja_body(self, paragraphs: int) -> str:
        out = []
        for _ in range(paragraphs):
            sentences = []
            for _ in range(self.rng.randint(2, 4)):
                t, u = self.ja_pair()
                sentences.append(self.rng.choice(JA_SENTENCES).format(t=t, u=u))
            out.append("".join(sentences))
        return "\n\n".join(out)


def as_html(body: str) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in body.split("\n\n"))


class Command(BaseCommand):
    help = "Generate many members, forum threads and posts and library items (for benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--posts", type=int, default=2_000, help="Forum posts (default 2000).")
        parser.add_argument("--items", type=int, default=100, help="Library items (default 100).")
        parser.add_argument("--users", type=int, default=200, help="Members (default 200).")
        parser.add_argument("--seed", type=int, default=8, help="Random seed (default 8).")
        parser.add_argument("--force", action="store_true", help="Add another set if seeded.")
        parser.add_argument(
            "--no-index", action="store_true", help="Do not rebuild the search index at the end."
        )

    def handle(self, *args, **options) -> None:
        posts, items, users = options["posts"], options["items"], options["users"]
        if min(posts, items, users) < 0 or users < 1:
            raise CommandError("Sizes must be positive, with at least one user.")
        self.quiet = options["verbosity"] == 0
        already = User.objects.filter(username__startswith=USERNAME_PREFIX).count()
        if already and not options["force"]:
            raise CommandError(
                f"This database already has generated data ({already} {USERNAME_PREFIX}* "
                "members). Use --force to add another set."
            )
        if not settings.DEBUG and not looks_throwaway():
            self.stderr.write(
                "WARNING: DEBUG is off and this database does not look like a throwaway one "
                f"({connection.settings_dict.get('NAME')}). seed_scale writes thousands of "
                "fake rows that are not easily removed."
            )
        categories = list(Category.objects.order_by("position", "pk"))
        if not categories:
            raise CommandError("There is no forum category: run migrate first.")

        self.rng = random.Random(options["seed"] + already)
        self.write = Writer(self.rng)
        self.now = timezone.now()
        self.ja_users: list[int] = []

        # bulk_create sends no signals, but get_or_create (tags) does: nothing is queued for
        # the index while generating, which is rebuilt once at the end.
        with paused(), transaction.atomic():
            members = self.make_users(users, start=already)
        with paused(), transaction.atomic():
            threads = self.make_threads(posts, categories, members)
        if items:
            with paused(), transaction.atomic():
                self.make_items(items, members)
        self.say(f"Generated {users} members, {threads} threads with {posts} posts, {items} items.")
        if not options["no_index"]:
            self.build_index()

    # --- Helpers ----------------------------------------------------------------------------

    def say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    def bar(self, total: int, desc: str) -> tqdm:
        return tqdm(total=total, desc=desc, unit=" rows", disable=self.quiet, file=sys.stderr)

    def when(self, max_days: int = DAYS_OF_HISTORY):
        return self.now - timedelta(seconds=self.rng.randint(3600, max_days * 86_400))

    # --- Members ----------------------------------------------------------------------------

    def make_users(self, count: int, start: int) -> list[int]:
        unusable = make_password(None)  # "!…": set_unusable_password, computed once
        alt_types = [AltType.JET, AltType.DISPATCH, AltType.DIRECT, AltType.OTHER]
        pks: list[int] = []
        with self.bar(count, "members") as bar:
            for chunk in batches(range(start, start + count)):
                rows = []
                for n in chunk:
                    username = f"{USERNAME_PREFIX}{n + 1:06d}"
                    rows.append(
                        User(
                            username=username,
                            email=f"{username}@example.invalid",
                            password=unusable,
                            display_name=(
                                f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
                            ),
                            alt_type=self.rng.choice(alt_types),
                            school_levels=[self.rng.choice(SchoolLevel.values)],
                            years_in_japan=self.rng.randint(0, 12),
                            preferred_language="ja" if self.rng.random() < 0.15 else "en",
                            date_joined=self.when(),
                        )
                    )
                created = User.objects.bulk_create(rows)
                pks.extend(u.pk for u in created)
                self.ja_users.extend(u.pk for u in created if u.preferred_language == "ja")
                bar.update(len(rows))
        return pks

    # --- Forum ------------------------------------------------------------------------------

    def forum_tags(self) -> tuple[dict[str, int], list[int], list[int]]:
        def tag(slug, group):
            return ForumTag.objects.get_or_create(slug=slug, defaults={"group": group})[0].pk

        levels = {level: tag(level, ForumTag.Group.LEVEL) for level in SchoolLevel.values}
        employers = [tag(value, ForumTag.Group.EMPLOYER) for value, _label in EMPLOYER_TYPES]
        free = [tag(slug, ForumTag.Group.FREE) for slug in FREE_TAGS]
        return levels, employers, free

    def make_threads(self, post_count: int, categories, members: list[int]) -> int:
        if post_count == 0:
            return 0
        rng = self.rng
        thread_count = max(1, round(post_count / POSTS_PER_THREAD))
        thread_count = min(thread_count, post_count)
        # Every thread has its opening post; the replies fall on threads at random (some get
        # none, a few get twenty), which is how a real forum looks.
        replies = Counter(rng.randrange(thread_count) for _ in range(post_count - thread_count))
        level_tags, employer_tags, free_tags = self.forum_tags()
        kinds = [Thread.Kind.QUESTION] * 6 + [Thread.Kind.DISCUSSION] * 3 + [Thread.Kind.STORY]

        plans = []  # per thread: (Thread, level, japanese, [reply times])
        with self.bar(thread_count, "threads") as bar:
            for chunk in batches(range(thread_count)):
                rows = []
                for i in chunk:
                    level = rng.choice(SchoolLevel.values)
                    japanese = rng.random() < JAPANESE_SHARE
                    opened = self.when()
                    times, at = [], opened
                    for _ in range(replies[i]):
                        at = at + timedelta(minutes=rng.randint(5, 3 * 1440))
                        times.append(min(at, self.now))
                    title = self.write.ja_title() if japanese else self.write.title(level)
                    author = rng.choice(self.ja_users if japanese and self.ja_users else members)
                    thread = Thread(
                        category=rng.choice(categories),
                        kind=rng.choice(kinds),
                        title=title,
                        slug=slugify(title, allow_unicode=True)[:80] or "thread",
                        author_id=author,
                        is_anonymous=rng.random() < 0.03,
                        created_at=opened,
                        reply_count=len(times),
                        last_posted_at=times[-1] if times else opened,
                        score=rng.choice((0, 0, 0, 1, 1, 2, 3, 5)),
                    )
                    rows.append(thread)
                    plans.append((thread, level, japanese, times))
                with own_timestamps(Thread._meta.get_field("created_at")):
                    Thread.objects.bulk_create(rows)
                bar.update(len(rows))

        tag_rows = []
        for thread, level, _ja, _times in plans:
            chosen = {level_tags[level]}
            if rng.random() < 0.3:
                chosen.add(rng.choice(employer_tags))
            if rng.random() < 0.5:
                chosen.add(rng.choice(free_tags))
            tag_rows += [Thread.tags.through(thread_id=thread.pk, tag_id=t) for t in chosen]
        Thread.tags.through.objects.bulk_create(tag_rows, batch_size=BATCH)

        accepted: list[Thread] = []
        with self.bar(post_count, "posts") as bar:
            rows, owners = [], []
            for thread, level, japanese, times in plans:
                rows.append(self.post(thread, level, japanese, thread.created_at, opening=True))
                owners.append(None)
                answer = (
                    rng.randrange(len(times))
                    if times and thread.kind == Thread.Kind.QUESTION and rng.random() < 0.4
                    else None
                )
                for index, at in enumerate(times):
                    rows.append(self.post(thread, level, japanese, at))
                    owners.append(thread if index == answer else None)
                if len(rows) >= BATCH:
                    self.flush_posts(rows, owners, accepted)
                    bar.update(len(rows))
                    rows, owners = [], []
            if rows:
                self.flush_posts(rows, owners, accepted)
                bar.update(len(rows))
        Thread.objects.bulk_update(accepted, ["accepted_answer"], batch_size=1000)
        return thread_count

    def post(self, thread: Thread, level: str, japanese: bool, at, opening=False) -> Post:
        rng = self.rng
        paragraphs = rng.randint(2, 4) if opening else rng.randint(1, 3)
        body = self.write.ja_body(paragraphs) if japanese else self.write.body(level, paragraphs)
        return Post(
            thread_id=thread.pk,
            author_id=thread.author_id if opening else None,
            is_opening=opening,
            is_anonymous=opening and thread.is_anonymous,
            body=body,
            body_html=as_html(body),
            score=thread.score if opening else rng.choice((0, 0, 0, 0, 1, 1, 2, 4)),
            created_at=at,
        )

    def flush_posts(self, rows: list[Post], owners: list, accepted: list[Thread]) -> None:
        for post in rows:
            if post.author_id is None:
                post.author_id = self.rng.choice(self.member_pool)
        with own_timestamps(Post._meta.get_field("created_at")):
            Post.objects.bulk_create(rows)
        for post, thread in zip(rows, owners, strict=True):
            if thread is not None:
                thread.accepted_answer_id = post.pk
                accepted.append(thread)

    # --- Library ----------------------------------------------------------------------------

    def make_items(self, count: int, members: list[int]) -> None:
        rng = self.rng
        start = Item.objects.filter(slug__startswith=ITEM_SLUG_PREFIX).count()
        tags = [
            LibraryTag.objects.get_or_create(slug=slug, defaults={"name": slug.capitalize()})[0].pk
            for slug in LIBRARY_TAGS
        ]
        kinds = [kind for kind, weight in ITEM_KINDS for _ in range(weight)]
        licences = [Licence.ORIGINAL] * 6 + [Licence.CC_BY, Licence.CC_BY_SA, Licence.CC0]
        licences.append(Licence.PERMISSION)
        item_type = ContentType.objects.get_for_model(Item)
        today = timezone.localdate()
        with self.bar(count, "items") as bar:
            for chunk in batches(range(start, start + count)):
                rows = []
                for n in chunk:
                    level = rng.choice(SchoolLevel.values)
                    japanese = rng.random() < JAPANESE_SHARE
                    kind = rng.choice(kinds)
                    if japanese:
                        title = self.write.ja_title()
                        summary = self.write.ja_body(1)[:400]
                        body = self.write.ja_body(rng.randint(2, 4))
                    else:
                        fill = self.write.fill(rng.choice(ITEM_TITLES), level)
                        title = fill[0].upper() + fill[1:]
                        summary = self.write.paragraph(level, 1)[:400]
                        body = self.write.body(level, rng.randint(2, 5))
                    published = self.when()
                    activity = kind == Item.Kind.ACTIVITY
                    rows.append(
                        Item(
                            slug=f"{ITEM_SLUG_PREFIX}{n + 1:06d}",
                            kind=kind,
                            status=Item.Status.PUBLISHED,
                            title=title[:160],
                            summary=summary,
                            body=body,
                            body_html=as_html(body),
                            language="ja" if japanese else "en",
                            school_levels=[level],
                            grades=rng.sample(GRADES[level], 2),
                            url=f"https://example.invalid/{n + 1}" if kind == "link" else "",
                            skills=rng.sample(Item.Skill.values, 2) if activity else [],
                            minutes=rng.choice((5, 10, 15, 20, 30)) if activity else None,
                            group_size=rng.choice(("pairs", "groups of 4", "whole class"))
                            if activity
                            else "",
                            licence=rng.choice(licences),
                            submitted_by_id=rng.choice(members),
                            created_at=published,
                            published_at=published,
                            last_reviewed_at=published,
                        )
                    )
                with own_timestamps(Item._meta.get_field("created_at")):
                    Item.objects.bulk_create(rows)
                self.item_relations(rows, tags, item_type, today)
                bar.update(len(rows))

    def item_relations(self, rows: list[Item], tags: list[int], item_type, today) -> None:
        """Tags, the rights ledger (what rights_problems() asks for), the first revision."""
        rng = self.rng
        tag_rows, creators, permissions, revisions = [], [], [], []
        for item in rows:
            tag_rows += [
                Item.tags.through(item_id=item.pk, tag_id=t)
                for t in rng.sample(tags, rng.randint(1, 3))
            ]
            if item.licence != Licence.ORIGINAL:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                creators.append(Creator(item=item, name=name, order=0))
            if item.licence == Licence.PERMISSION:
                permissions.append(
                    Permission(
                        item=item,
                        granted_by=f"{rng.choice(LAST_NAMES)} Publishing",
                        granted_on=today - timedelta(days=rng.randint(1, 900)),
                        scope=["web"],
                    )
                )
            revisions.append(
                Revision(
                    content_type=item_type,
                    object_id=item.pk,
                    number=1,
                    kind=Revision.Kind.IMPORT,
                    data=item.revision_data(),
                    summary="Generated by seed_scale",
                )
            )
        Item.tags.through.objects.bulk_create(tag_rows)
        Creator.objects.bulk_create(creators)
        Permission.objects.bulk_create(permissions)
        Revision.objects.bulk_create(revisions)

    # --- Search -----------------------------------------------------------------------------

    def build_index(self) -> None:
        if "rebuild_search_index" not in get_commands():
            self.stderr.write("The search index was not built: no rebuild_search_index command.")
            return
        call_command(
            "rebuild_search_index",
            no_progress=self.quiet,
            verbosity=0 if self.quiet else 1,
            stdout=self.stdout,
            stderr=self.stderr,
        )

    @property
    def member_pool(self) -> list[int]:
        if not hasattr(self, "_member_pool"):
            self._member_pool = list(
                User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
                    "pk", flat=True
                )
            )
        return self._member_pool
