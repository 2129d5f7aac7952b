"""The library: resources and the activity bank, each item with its rights on record."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from altto.accounts.models import SchoolLevel
from altto.courses.models.content import LoadedFromFiles
from altto.lib.markdown import render_markdown


class Textbook(LoadedFromFiles):
    """A MEXT-approved textbook series, e.g. New Horizon or Let's Try!."""

    HASHED_FIELDS = ("name", "publisher", "school_level")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    publisher = models.CharField(_("publisher"), max_length=120, blank=True)
    school_level = models.CharField(_("school level"), max_length=8, choices=SchoolLevel.choices)

    class Meta:
        ordering = ["school_level", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The editors' page for the series (where the audit log links its entries)."""
        return reverse("library:textbook", kwargs={"slug": self.slug})


class TextbookEdition(LoadedFromFiles):
    """One edition of a series; old ones stay (activities point at them) but are obsolete."""

    HASHED_FIELDS = ("label", "is_obsolete")

    textbook = models.ForeignKey(Textbook, on_delete=models.CASCADE, related_name="editions")
    label = models.CharField(_("edition"), max_length=40, help_text=_("e.g. 2021 edition"))
    year = models.PositiveSmallIntegerField(_("year"))
    is_obsolete = models.BooleanField(_("obsolete"), default=False)

    class Meta:
        ordering = ["textbook", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["textbook", "year"], name="one_edition_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.textbook.name} ({self.label})"


class Tag(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Licence(models.TextChoices):
    ORIGINAL = "original", _("Original to ALTTO (CC BY-SA 4.0)")
    CC_BY = "cc-by", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA 4.0"
    CC0 = "cc0", _("CC0 / public domain")
    PERMISSION = "permission", _("Used with permission")


LICENCE_URLS = {
    Licence.ORIGINAL: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class ItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Item.Status.PUBLISHED)


class Item(LoadedFromFiles):
    """A library resource or activity. Its words are a versioned document (see
    altto/revisions/documents.py); content/library/items/ loads the starter ones."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Skill(models.TextChoices):
        LISTENING = "listening", _("Listening")
        SPEAKING = "speaking", _("Speaking")
        READING = "reading", _("Reading")
        WRITING = "writing", _("Writing")

    slug = models.SlugField(_("address"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(_("summary"), max_length=400)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    school_levels = models.JSONField(_("school levels"), default=list, blank=True)
    # Elementary 1–6, junior high 7–9, senior high 10–12: one scale, so filters are simple.
    grades = models.JSONField(_("grades"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    url = models.URLField(_("address of the video, audio or page"), blank=True)
    file = models.FileField(_("file"), upload_to="library/%Y/%m/", blank=True)
    # The content type altto.library.files.check_document found in the file; served as is.
    file_type = models.CharField(max_length=100, blank=True, editable=False)

    # Activities
    edition = models.ForeignKey(
        TextbookEdition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("textbook edition"),
    )
    unit = models.CharField(_("unit or page"), max_length=60, blank=True)
    grammar_point = models.CharField(_("grammar point"), max_length=120, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(_("time needed (minutes)"), null=True, blank=True)
    group_size = models.CharField(_("group size"), max_length=60, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    steps = models.TextField(_("steps"), blank=True, help_text=_("Markdown."))
    steps_html = models.TextField(editable=False, blank=True)
    variations = models.TextField(_("variations"), blank=True, help_text=_("Markdown."))
    variations_html = models.TextField(editable=False, blank=True)

    # Rights ledger
    publisher = models.CharField(_("publisher"), max_length=160, blank=True)
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices, blank=True)
    source_url = models.URLField(_("source"), blank=True)

    used_count = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_average = models.FloatField(default=0, editable=False)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    takedown_reason = models.TextField(blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    # What the library loader writes: a change to any of these on the site keeps the file out.
    HASHED_FIELDS = (
        "kind",
        "title",
        "summary",
        "body",
        "language",
        "school_levels",
        "grades",
        "url",
        "edition_id",
        "unit",
        "grammar_point",
        "skills",
        "minutes",
        "group_size",
        "materials",
        "steps",
        "variations",
        "publisher",
        "licence",
        "source_url",
    )
    # What a revision of an item holds: its words, all diffed and merged as text.
    REVISION_FIELDS = {
        "title": "text",
        "summary": "text",
        "body": "text",
        "grammar_point": "text",
        "materials": "text",
        "steps": "text",
        "variations": "text",
    }

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "kind", "-published_at"]),
            models.Index(fields=["status", "edition", "unit"]),
            models.Index(fields=["status", "-used_count"]),
            models.Index(fields=["status", "-rating_average"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        self.steps_html = render_markdown(self.steps)
        self.variations_html = render_markdown(self.variations)
        super().save(*args, **kwargs)

    # --- A versioned document -------------------------------------------------------------

    def revision_data(self) -> dict:
        return {name: getattr(self, name) for name in self.REVISION_FIELDS}

    def apply_revision_data(self, data: dict) -> None:
        for name in self.REVISION_FIELDS:
            setattr(self, name, data[name])
        rendered = ["body_html", "steps_html", "variations_html", "updated_at"]
        self.save(update_fields=[*self.REVISION_FIELDS, *rendered])

    def field_label(self, name: str) -> str:
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "body": _("Text"),
            "grammar_point": _("Grammar point"),
            "materials": _("Materials"),
            "steps": _("Steps"),
            "variations": _("Variations"),
        }
        return str(labels[name])

    def describe_field(self, name: str, value) -> str:
        return ""  # Items have no structured ("data") fields.

    def is_open_for_proposals(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def watch_targets(self) -> list:
        return [self]

    # --- The rights ledger ---------------------------------------------------------------

    def rights_problems(self, creators=None, permissions=None, today=None) -> list[str]:
        """What is missing before this item may be published (empty: rights are clear)."""
        creators = list(self.creators.all()) if creators is None else creators
        problems = []
        if not self.licence:
            problems.append(str(_("Choose the licence the item is shared under.")))
        if self.licence != Licence.ORIGINAL and not creators:
            problems.append(str(_("Name at least one creator.")))
        if self.licence == Licence.PERMISSION:
            permissions = list(self.permissions.all()) if permissions is None else permissions
            today = today or timezone.localdate()
            if not any(p.is_valid_on(today) for p in permissions):
                problems.append(str(_("Record a current permission from the rights holder.")))
        return problems

    def attribution(self, creators=None) -> str:
        """The credit line shown with the item, made from the ledger."""
        creators = list(self.creators.all()) if creators is None else creators
        names = ", ".join(creator.name for creator in creators)
        licence = self.get_licence_display() if self.licence else ""
        parts = [p for p in (names, self.publisher) if p]
        who = " / ".join(parts) or str(_("ALTTO contributors"))
        if self.licence == Licence.PERMISSION:
            return str(_("%(who)s. Used with permission.") % {"who": who})
        return f"{who}. {licence}."


class Creator(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="creators")
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Permission(models.Model):
    """A rights holder's permission to use an item: who, when, for what, until when."""

    class Scope(models.TextChoices):
        WEB = "web", _("Web")
        PRINT = "print", _("Print")
        TRANSLATION = "translation", _("Translation")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="permissions")
    granted_by = models.CharField(_("granted by"), max_length=160)
    granted_on = models.DateField(_("granted on"))
    scope = models.JSONField(_("scope"), default=list)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Private to editors: served only through a permission-checked view, never from /media/.
    evidence = models.FileField(_("evidence"), upload_to="permissions/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("granted_on")),
                name="permission_expires_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.granted_by} ({self.granted_on})"

    def clean(self) -> None:
        super().clean()
        if self.granted_on and self.expires_on and self.expires_on < self.granted_on:
            raise ValidationError(
                {"expires_on": _("A permission cannot expire before the day it was granted.")}
            )

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.granted_on <= day and (self.expires_on is None or day <= self.expires_on)


class Usage(models.Model):
    """A member used an item in class: optional rating and notes."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="usages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="one_usage_per_member"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} used {self.item_id}"
