"""The blog: posts by one or more writers (guest writers included), their editorial path,
and the board of topics that need a writer.

A post's path: draft → in review → scheduled → published, and back to draft when an editor
asks for changes; a published post can be unpublished. A scheduled post is live as soon as
its time comes: `Post.objects.published()` asks the clock, so nobody has to press a button
and no job has to run first. The side effects of going live (notifications) are done by
`publish_due_posts` (a periodic command), which marks each post `announced_at` once.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from altto.lib.markdown import render_markdown

TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 60_000


class Tag(models.Model):
    slug = models.SlugField(unique=True, max_length=40, allow_unicode=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"tag": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Live posts: published, or scheduled with their time come."""
        now = now or timezone.now()
        return self.filter(
            status__in=[Post.Status.SCHEDULED, Post.Status.PUBLISHED], publish_at__lte=now
        )

    def upcoming(self, now=None):
        """Scheduled and not yet live: shown on /blog/upcoming/ (titles and writers only)."""
        now = now or timezone.now()
        return self.filter(status=Post.Status.SCHEDULED, publish_at__gt=now)


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text=_("The last part of the post's address: /blog/<year>/<address>/."),
    )
    summary = models.TextField(
        _("summary"), max_length=400, blank=True, help_text=_("One or two sentences for lists, "
                                                              "feeds and link previews.")
    )  # fmt: skip
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="blog/", blank=True)
    cover_alt = models.CharField(_("cover image description"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Authorship",
        related_name="blog_posts",
        verbose_name=_("writers"),
    )
    topic = models.OneToOneField(
        "Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="post"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the revision mechanism on every recorded revision.
    last_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    REVISION_FIELDS = {"title": "text", "summary": "text", "body": "text"}

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "-publish_at"], name="blog_post_live")]
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.publish_at and self.status in {self.Status.SCHEDULED, self.Status.PUBLISHED}:
            year = timezone.localtime(self.publish_at).year
            return reverse("blog:post", kwargs={"year": year, "slug": self.slug})
        return reverse("blog:draft", kwargs={"pk": self.pk})

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status in {self.Status.SCHEDULED, self.Status.PUBLISHED}
            and self.publish_at is not None
            and self.publish_at <= now
        )

    @property
    def shown_status(self) -> str:
        """The state people see: a scheduled post whose time has come is published."""
        return self.Status.PUBLISHED if self.is_live() else self.status

    # --- the revision mechanism (altto/revisions/documents.py) ---------------------------

    def revision_data(self) -> dict:
        return {name: getattr(self, name) for name in self.REVISION_FIELDS}

    def apply_revision_data(self, data: dict) -> None:
        for name in self.REVISION_FIELDS:
            setattr(self, name, data[name])
        self.save(update_fields=[*self.REVISION_FIELDS, "updated_at"])

    def field_label(self, name: str) -> str:
        return str({"title": _("Title"), "summary": _("Summary"), "body": _("Text")}[name])

    def describe_field(self, name: str, value) -> str:
        return ""

    def is_open_for_proposals(self) -> bool:
        return False  # writers and editors change posts; members comment

    def watch_targets(self) -> list:
        return [self]


class Authorship(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "writer"], name="one_authorship_per_writer")
        ]

    def __str__(self) -> str:
        return f"{self.writer_id} writes {self.post_id}"


class EditorialNote(models.Model):
    """An editor's comment on a post in review: on the whole post, or on one paragraph
    (inline: `quote` holds the words it is about)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    quote = models.TextField(_("about these words"), max_length=1000, blank=True)
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note on post {self.post_id}"


class PostEvent(models.Model):
    """The post's editorial timeline: who moved it where, when, and what they said."""

    class Kind(models.TextChoices):
        CREATED = "created", _("started the draft")
        SUBMITTED = "submitted", _("submitted it for review")
        CHANGES = "changes", _("asked for changes")
        SCHEDULED = "scheduled", _("approved and scheduled it")
        PUBLISHED = "published", _("published it")
        UNPUBLISHED = "unpublished", _("unpublished it")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class TopicQuerySet(models.QuerySet):
    def with_post(self):
        return self.select_related("post", "writer", "created_by", "forum_thread")


class Topic(models.Model):
    """Something ALTs need written about. Members volunteer with a pitch; a blog editor
    assigns one writer, who gets a draft linked to the topic."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned")
        DRAFTING = "drafting", _("Drafting")
        REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("topic"), max_length=TITLE_MAX_LENGTH)
    reader_need = models.TextField(
        _("what readers need"), max_length=2000, help_text=_("Who is asking, and what would "
                                                             "help them?")
    )  # fmt: skip
    angle = models.TextField(_("suggested angle"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_topics",
        verbose_name=_("writer"),
    )
    forum_thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_topics",
        verbose_name=_("from the forum thread"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    assigned_at = models.DateTimeField(null=True, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:topic", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        """Worked out from the writer and the draft (load with `with_post()`)."""
        if self.writer_id is None:
            return self.State.OPEN
        post = getattr(self, "post", None)
        if post is None:
            return self.State.ASSIGNED
        shown = post.shown_status
        if shown == Post.Status.PUBLISHED:
            return self.State.PUBLISHED
        if shown == Post.Status.SCHEDULED:
            return self.State.SCHEDULED
        if shown == Post.Status.REVIEW:
            return self.State.REVIEW
        return self.State.DRAFTING


class Pitch(models.Model):
    """A member's "I'd like to write this", with a few words on how."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CHOSEN = "chosen", _("Chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen this time")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="pitches")
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_pitches"
    )
    pitch = models.TextField(_("your pitch"), max_length=2000)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "writer"], name="one_pitch_per_writer")
        ]

    def __str__(self) -> str:
        return f"{self.writer_id} pitches topic {self.topic_id}"


# ---- the newsletter: "The Monthly Trainer" (altto/blog/newsletter.py) ----------------------


class Edition(models.Model):
    """One month's newsletter: an intro and a list of entries (posts, lessons, threads),
    assembled by an editor, previewed, then published to its web archive page. Sending it
    by email comes with the notifications issue (to `Subscriber.objects.receiving()`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(_("address"), max_length=20, unique=True)
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    intro = models.TextField(
        _("introduction"), max_length=5000, blank=True, help_text=_("Markdown is supported.")
    )
    intro_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("newsletter edition")
        verbose_name_plural = _("newsletter editions")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.intro_html = render_markdown(self.intro)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "intro" in update_fields:
            kwargs["update_fields"] = {*update_fields, "intro_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("blog:newsletter_edition", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class EditionEntry(models.Model):
    """One item of an edition: a blog post, a lesson or a forum thread (exactly one), with
    an optional line from the editor."""

    class Kind(models.TextChoices):
        POST = "post", _("Blog post")
        LESSON = "lesson", _("Lesson")
        THREAD = "thread", _("Forum thread")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lesson = models.ForeignKey(
        "courses.Lesson", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.TextField(
        _("editor's note"), max_length=1000, blank=True, help_text=_("Optional. Markdown.")
    )
    note_html = models.TextField(editable=False, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="post", post__isnull=False, lesson__isnull=True, thread__isnull=True
                    )
                    | models.Q(
                        kind="lesson", post__isnull=True, lesson__isnull=False, thread__isnull=True
                    )
                    | models.Q(
                        kind="thread", post__isnull=True, lesson__isnull=True, thread__isnull=False
                    )
                ),
                name="edition_entry_points_at_one_thing",
            ),
            models.UniqueConstraint(fields=["edition", "post"], name="edition_post_once"),
            models.UniqueConstraint(fields=["edition", "lesson"], name="edition_lesson_once"),
            models.UniqueConstraint(fields=["edition", "thread"], name="edition_thread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in edition {self.edition_id}"

    def save(self, *args, **kwargs) -> None:
        self.note_html = render_markdown(self.note)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "note" in update_fields:
            kwargs["update_fields"] = {*update_fields, "note_html"}
        super().save(*args, **kwargs)

    @property
    def target(self):
        return {"post": self.post, "lesson": self.lesson, "thread": self.thread}[self.kind]


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Who gets the next edition: confirmed, not unsubscribed."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def waiting(self):
        return self.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)

    def unsubscribed(self):
        return self.filter(unsubscribed_at__isnull=False)


class Subscriber(models.Model):
    """An address that asked for the newsletter. A member with a verified email subscribes
    in one step; a visitor confirms through a signed link first (opt-in)."""

    email = models.EmailField(_("email address"), unique=True)  # stored lower-cased
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscription",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")

    def __str__(self) -> str:
        return f"subscriber {self.pk}"

    @property
    def is_receiving(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
