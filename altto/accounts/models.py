from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from altto.accounts.prefectures import PREFECTURES
from altto.lib.markdown import render_markdown


class AltType(models.TextChoices):
    JET = "jet", _("JET Programme")
    DISPATCH = "dispatch", _("Dispatch company")
    DIRECT = "direct", _("Direct hire")
    OTHER = "other", _("Other ALT")
    JTE_HRT = "jte_hrt", _("JTE or homeroom teacher")
    NOT_ALT = "not_alt", _("Not an ALT")


class SchoolLevel(models.TextChoices):
    ES = "es", _("Elementary school")
    JHS = "jhs", _("Junior high school")
    SHS = "shs", _("Senior high school")


class User(AbstractUser):
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, help_text=_("Shown instead of your username.")
    )
    alt_type = models.CharField(_("ALT type"), max_length=16, choices=AltType.choices, blank=True)
    prefecture = models.PositiveSmallIntegerField(
        _("prefecture"), choices=PREFECTURES, null=True, blank=True
    )
    school_levels = models.JSONField(_("school levels"), default=list, blank=True)
    years_in_japan = models.PositiveSmallIntegerField(
        _("years in Japan"), null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    bio = models.TextField(
        _("short bio"), max_length=2000, blank=True, help_text=_("Markdown is supported.")
    )
    bio_html = models.TextField(editable=False, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    # Kept on the user row so the header can show it without a query on every page.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs) -> None:
        # User text is rendered once, when saved, never on each view.
        self.bio_html = render_markdown(self.bio)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "bio" in update_fields:
            kwargs["update_fields"] = {*update_fields, "bio_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})

    def get_school_levels_display(self) -> list[str]:
        labels = dict(SchoolLevel.choices)
        return [labels[level] for level in self.school_levels if level in labels]

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Names of the groups (roles) this user holds: one query, then remembered."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))
