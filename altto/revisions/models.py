"""One revision mechanism for every community-maintained document: lesson texts now,
library items later. A document is any model that follows `documents.Document`."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentRef(models.Model):
    """Points at the document (any model) a row belongs to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Revision(DocumentRef):
    """An immutable snapshot of a document's content. History is never rewritten: a
    rollback or a review is a new revision."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Imported")
        EDIT = "edit", _("Edited by an editor")
        PROPOSAL = "proposal", _("Approved proposal")
        ROLLBACK = "rollback", _("Rollback")
        REVIEW = "review", _("Marked as reviewed")

    number = models.PositiveIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    data = models.JSONField()
    summary = models.CharField(_("summary"), max_length=300)
    # None for imports: the starter curriculum, credited as such.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_revisions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two editors saving at once cannot both become revision N+1.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="one_revision_number"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "-number"])]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"r{self.number}"


class Proposal(DocumentRef):
    """A member's suggested new content, based on the revision they read."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    PENDING = (State.OPEN, State.CHANGES_REQUESTED)

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    base = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    summary = models.CharField(_("summary"), max_length=300)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"proposal {self.pk}: {self.summary[:40]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("revisions:proposal", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING


class ProposalEvent(models.Model):
    """The proposal's timeline: what the proposer and reviewers did and said."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        AMENDED = "amended", _("amended")
        WITHDRAWN = "withdrawn", _("withdrew")
        CHANGES_REQUESTED = "changes", _("requested changes")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        NOTE = "note", _("left a note for editors")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.TextField(blank=True)
    # Reviewers' notes to each other; never shown to the proposer or the public.
    is_private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.proposal_id}"


class FreshnessVote(DocumentRef):
    """A reader's "still accurate" or "outdated, because…"; outdated ones go to review."""

    class Verdict(models.TextChoices):
        ACCURATE = "accurate", _("Still accurate")
        OUTDATED = "outdated", _("Outdated")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    reason = models.TextField(_("what is out of date?"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        constraints = [
            # One open vote per reader and document; a resolved one frees them to vote again.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_vote_per_reader",
            )
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.user_id}"


class AuditEntry(DocumentRef):
    """Every editorial decision: who, what, when, and the comment they gave."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=40)
    comment = models.TextField(blank=True)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL)
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"
