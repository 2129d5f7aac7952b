"""The forum: categories of threads; a thread is its opening post plus replies.

A thread's words live in its first `Post` (as in Discourse), so editing, history, votes,
flags and moderation work the same for a question and for an answer. The thread row keeps
what lists need without touching posts: counts, last activity, the accepted answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from altto.accounts.models import AltType, SchoolLevel

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 20_000
# Addresses under /forum/ that a category slug must not take.
RESERVED_SLUGS = {
    "t", "p", "new", "similar", "review", "log", "members", "categories", "all", "trust",
}  # fmt: skip


class Category(models.Model):
    slug = models.SlugField(_("address"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=80)
    name_ja = models.CharField(_("name in Japanese"), max_length=80, blank=True)
    description = models.TextField(_("description"), max_length=500, blank=True)
    description_ja = models.TextField(_("description in Japanese"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"category": self.slug})

    @property
    def title(self) -> str:
        """The name in the reader's language, falling back to English."""
        return (get_language() or "en").startswith("ja") and self.name_ja or self.name

    @property
    def about(self) -> str:
        return (get_language() or "en").startswith("ja") and self.description_ja or self.description


class Tag(models.Model):
    """A thread's tags: school level and employer type (fixed, translated), or free."""

    class Group(models.TextChoices):
        LEVEL = "level", _("School level")
        EMPLOYER = "employer", _("Employer type")
        FREE = "free", _("Tag")

    group = models.CharField(max_length=10, choices=Group.choices, default=Group.FREE)
    slug = models.SlugField(unique=True, max_length=40, allow_unicode=True)

    class Meta:
        ordering = ["group", "slug"]

    def __str__(self) -> str:
        return self.slug

    def sort_key(self) -> tuple[int, str]:
        """School level first, then employer type, then free tags."""
        return (list(self.Group.values).index(self.group), self.slug)

    @property
    def label(self) -> str:
        if self.group == self.Group.LEVEL:
            return str(dict(SchoolLevel.choices).get(self.slug, self.slug))
        if self.group == self.Group.EMPLOYER:
            return str(dict(EMPLOYER_TYPES).get(self.slug, self.slug))
        return self.slug


# The employer types a thread can be tagged with: the ALT types, without "not an ALT".
EMPLOYER_TYPES = [(value, label) for value, label in AltType.choices if value != AltType.NOT_ALT]


class ThreadQuerySet(models.QuerySet):
    def listed(self):
        """Threads everyone may see: approved, not hidden, not merged away."""
        return self.filter(status=Thread.Status.VISIBLE, merged_into__isnull=True)


class Thread(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        DISCUSSION = "discussion", _("Discussion")
        STORY = "story", _("Story")

    class Status(models.TextChoices):
        HELD = "held", _("Waiting for review")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_threads",
        verbose_name=_("author"),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads", verbose_name=_("tags"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_answer = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept by actions.refresh_thread(): what lists show without reading posts.
    reply_count = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)  # upvotes on the opening post
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_posted_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_posted_at", "-pk"]
        indexes = [
            models.Index(fields=["category", "status", "-last_posted_at"], name="thread_latest"),
            models.Index(fields=["status", "-last_posted_at"], name="thread_all_latest"),
            models.Index(fields=["author", "-created_at"], name="thread_author"),
        ]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.slug = slugify(self.title, allow_unicode=True)[:80] or "thread"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None


class Post(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Waiting for review")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden")
        DELETED = "deleted", _("Deleted")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    is_opening = models.BooleanField(default=False)
    # Anonymous to members; moderators still see the author.
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    # Why it is hidden: "flags" (hidden by members' flags until reviewed) or "moderator".
    hidden_by = models.CharField(max_length=10, blank=True)
    score = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="post_thread_created"),
            models.Index(fields=["author", "-created_at"], name="post_author_created"),
            models.Index(fields=["status", "created_at"], name="post_status_created"),
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"pk": self.pk})

    @cached_property
    def url(self) -> str:
        """The permalink, which the post's own pages extend ("edit/", "vote/", …)."""
        return self.get_absolute_url()

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE


class PostRevision(models.Model):
    """A post's words before an edit: one row per edit, so nothing said is lost."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)  # opening posts only
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"post {self.post_id} before {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "voter"], name="one_vote_per_post")]

    def __str__(self) -> str:
        return f"{self.voter_id} upvoted post {self.post_id}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        UNKIND = "unkind", _("Unkind or disrespectful")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("note for the moderators"), max_length=1000, blank=True)
    from_trusted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagger"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_flag_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} flag on post {self.post_id}"


class Standing(models.Model):
    """A member's place on the trust ladder (see trust.py) and any suspension."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_standing"
    )
    approved_posts = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"standing of {self.user_id}"


class ModerationEntry(models.Model):
    """Every moderator action, for the moderators' log."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved a post")
        HIDE = "hide", _("hid a post")
        RESTORE = "restore", _("restored a post")
        DISMISS_FLAGS = "dismiss", _("dismissed flags")
        LOCK = "lock", _("locked a thread")
        UNLOCK = "unlock", _("unlocked a thread")
        PIN = "pin", _("pinned a thread")
        UNPIN = "unpin", _("unpinned a thread")
        MOVE = "move", _("moved a thread")
        MERGE = "merge", _("merged a thread")
        SUSPEND = "suspend", _("suspended a member")
        UNSUSPEND = "unsuspend", _("lifted a suspension")
        AUTO_HIDE = "auto_hide", _("hid a post after flags from trusted members")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "moderation entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
