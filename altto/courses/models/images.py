"""Images editors upload for lessons. Each is stored re-encoded as WebP (altto/courses/images.py)
and pasted into lesson Markdown by its address under /media/, the only image source the
Markdown renderer and the CSP allow."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from altto.courses.models.content import Module

# Characters that would change how the alt text reads inside ![…](…): link brackets, emphasis,
# code spans, backslashes and HTML-looking text; "&" only where it would start an entity.
MARKDOWN_SPECIAL = re.compile(r"[\\\[\]*_`<]|&(?=#?\w+;)")


def markdown_text(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(lambda match: f"\\{match.group()}", text)


class LessonImage(models.Model):
    file = models.ImageField(_("image"), upload_to="lesson-images/%Y/%m/")
    alt = models.CharField(
        _("text alternative"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lesson_images",
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="images",
        verbose_name=_("module"),
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")

    def __str__(self) -> str:
        return self.file.name

    @property
    def markdown(self) -> str:
        """What an editor pastes into a lesson to show this image."""
        return f"![{markdown_text(self.alt)}]({self.file.url})"
