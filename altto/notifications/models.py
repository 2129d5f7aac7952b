"""In-app notifications and what people watch. Email delivery comes with the notifications
issue; each row already holds what an email would need (who, what, where)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# What each kind of notification says; params fill the placeholders.
MESSAGES = {
    "revision_published": _("“%(title)s” was updated: %(summary)s"),
    "proposal_approved": _("Your proposal for “%(title)s” was approved by %(actor)s."),
    "proposal_rejected": _("Your proposal for “%(title)s” was not accepted: %(comment)s"),
    "proposal_changes": _("%(actor)s asked for changes to your proposal for “%(title)s”."),
    "outdated_dismissed": _("Your note that “%(title)s” is outdated was answered: %(comment)s"),
    "permission_expired": _(
        "Permission for “%(title)s” has expired: it is unpublished until it is renewed."
    ),
    "permission_expiring": _(
        "Permission for “%(title)s” ends within %(days)s days: ask the rights holder again, "
        "or it will be unpublished."
    ),
    "certificate_issued": _("Well done! Your certificate for “%(title)s” is ready."),
    "submission_published": _("Your library submission “%(title)s” is published. Thank you!"),
    "submission_rejected": _("Your library submission “%(title)s” was not accepted: %(comment)s"),
    "comment_held": _(
        "Your comment on “%(title)s” waits for a moderator: new members' first comments are "
        "checked. You will hear when it is visible."
    ),
    "comment_approved": _("Your comment on “%(title)s” was approved and is now visible."),
    "blog_submitted": _("“%(title)s” was sent for review."),
    "blog_note": _("An editor commented on your post “%(title)s”."),
    "blog_changes_requested": _("An editor asked for changes to “%(title)s”: %(comment)s"),
    "blog_scheduled": _("“%(title)s” is approved and will be published %(when)s (Japan time)."),
    "blog_unpublished": _("“%(title)s” was unpublished: %(comment)s"),
    "blog_live": _("Your post “%(title)s” is published. Thank you for writing!"),
    "blog_published": _("New on the blog: “%(title)s” by %(writers)s."),
    "blog_pitch": _("%(actor)s would like to write “%(title)s”."),
    "blog_topic_assigned": _("You are the writer of “%(title)s”: your draft is ready."),
    "blog_pitch_not_chosen": _(
        "Thank you for offering to write “%(title)s”. Another writer was chosen this time; "
        "there are more topics waiting on the board."
    ),
    "forum_reply": _("%(actor)s replied in “%(title)s”."),
    "forum_reply_anon": _("An anonymous member replied in “%(title)s”."),
    "forum_reply_to_you": _("%(actor)s replied to your thread “%(title)s”."),
    "forum_reply_to_you_anon": _("An anonymous member replied to your thread “%(title)s”."),
    "forum_new_thread": _("%(actor)s started “%(title)s” in a category you follow."),
    "forum_new_thread_anon": _("A new thread in a category you follow: “%(title)s”."),
    "forum_mention": _("%(actor)s mentioned you in “%(title)s”."),
    "forum_mention_anon": _("An anonymous member mentioned you in “%(title)s”."),
    "forum_answer_accepted": _("Your answer in “%(title)s” was accepted. Thank you!"),
    "forum_post_approved": _("Your post in “%(title)s” was approved and is now visible."),
    "forum_suspended": _(
        "A moderator suspended you from posting in the forum for %(days)s days: %(reason)s"
    ),
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    def message(self) -> str:
        template = MESSAGES.get(self.kind)
        if template is None:
            return self.kind
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)


class Watch(models.Model):
    """A member follows a lesson or a module (any object) to hear about its changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    # None: until the member stops watching. Expired watches are ignored (watchers_of).
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="watch_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.content_type_id}:{self.object_id}"


class Preference(models.Model):
    """How a member wants one group of notifications (see delivery.GROUPS) delivered.
    No row: the group's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    group = models.CharField(max_length=30)
    delivery = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="preference_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.group} → {self.delivery}"


class DeliverySettings(models.Model):
    """A member's quiet hours, in Japan time (both or neither; may cross midnight)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_settings"
    )
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "delivery settings"

    def __str__(self) -> str:
        return f"{self.user_id}: quiet {self.quiet_start}–{self.quiet_end}"
