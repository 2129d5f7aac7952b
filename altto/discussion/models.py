"""The comment threads on lessons, library items and blog posts: comments one level deep,
their edit history, and reports to the moderators. On the blog, a new member's first
comments wait for a moderator (`is_held`; the trust ladder is the forum's, see
altto/forum/trust.py).

One mechanism for all three. A comment names its page with one of three nullable foreign
keys, `lesson`, `item` or `blog_post`, and a check constraint keeps exactly one of them
set. We chose that over a generic relation (content_type/object_id): a thread is still one
indexed query on a real foreign key (with the database's cascade and referential
integrity), and the reports list can join the page in the same query. Each new kind of
page adds a key and widens the constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from altto.lib.markdown import render_markdown

BODY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000


# The model (app_label.model_name) of each page that has a thread, and the Comment field
# that points at it.
TARGET_FIELDS = {"courses.lesson": "lesson", "library.item": "item", "blog.post": "blog_post"}


def target_field(target) -> str:
    """The Comment field for `target` (a Lesson, a library Item or a blog Post)."""
    try:
        return TARGET_FIELDS[target._meta.label_lower]
    except (AttributeError, KeyError):
        raise TypeError(f"comments cannot be posted on {target!r}") from None


def on_target(target) -> dict:
    """Keyword arguments that filter (or create) the comments on `target`."""
    return {target_field(target): target}


class Comment(models.Model):
    # Exactly one of `lesson`, `item` and `blog_post` is set (see the module docstring).
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("lesson"),
    )
    item = models.ForeignKey(
        "library.Item",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("library item"),
    )
    blog_post = models.ForeignKey(
        "blog.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("blog post"),
    )
    # A member who deletes their account leaves their comments (and the replies to them) in
    # place, shown as by a former member.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="lesson_comments",
        verbose_name=_("author"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
        help_text=_("Always a top-level comment: replies are one level deep."),
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_held = models.BooleanField(
        _("waiting for a moderator"),
        default=False,
        help_text=_("A new member's comment on the blog, shown once a moderator approves it."),
    )
    is_removed = models.BooleanField(
        _("removed"), default=False, help_text=_("Hidden by a moderator; replies stay.")
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["lesson", "created_at"], name="comment_lesson_created"),
            models.Index(fields=["item", "created_at"], name="comment_item_created"),
            models.Index(fields=["blog_post", "created_at"], name="comment_blog_post_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lesson__isnull=False, item__isnull=True, blog_post__isnull=True)
                | Q(lesson__isnull=True, item__isnull=False, blog_post__isnull=True)
                | Q(lesson__isnull=True, item__isnull=True, blog_post__isnull=False),
                name="comment_on_one_page",
            )
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        if self.lesson_id is not None:
            return f"lesson {self.lesson_id}#{self.pk}"
        if self.blog_post_id is not None:
            return f"blog post {self.blog_post_id}#{self.pk}"
        return f"item {self.item_id}#{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # User text is rendered once, when saved, never on each view.
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Its place in its page's thread (needs the lesson and its module, or the item)."""
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def target(self):
        """The lesson, library item or blog post this comment is on."""
        if self.lesson_id is not None:
            return self.lesson
        return self.blog_post if self.blog_post_id is not None else self.item

    def get_edit_url(self) -> str:
        return reverse("discussion:edit", kwargs={"pk": self.pk})


class CommentRevision(models.Model):
    """A comment's words before an edit: one row per edit, so nothing said is lost."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("previous text"))
    created_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_reports",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report {self.pk} on comment {self.comment_id}"
