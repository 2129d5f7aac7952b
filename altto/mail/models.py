"""The outbox: every email ALTTO sends about notifications, digests and the newsletter is a
row here first, rendered at queue time in the recipient's language, then sent (with
retries) by `altto.mail.sending`. The unique `key` says which email it is, so the same
email can never be queued twice."""

from django.conf import settings
from django.db import models


class OutgoingEmail(models.Model):
    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "notification"
        DIGEST = "digest", "digest"
        NEWSLETTER = "newsletter", "newsletter"

    # "notification:<id>", "digest:daily:<user>:<yyyy-mm-dd>", "newsletter:<edition>:<subscriber>"
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A member's email (notification, digest), or a newsletter subscriber (maybe a visitor).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subscriber = models.ForeignKey(
        "blog.Subscriber", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The notification kind of a "notification" email (checked again before sending).
    topic = models.CharField(max_length=40, blank=True)
    to = models.EmailField(max_length=254)
    language = models.CharField(max_length=8, default="en")
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    unsubscribe_url = models.CharField(max_length=500)
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it may be tried (again). Claiming a row moves it on by the backoff, so a row whose
    # worker died is tried again later, never twice at once. Null once sent or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # gave up (attempts, or cancelled)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="mail_due",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "waiting"
