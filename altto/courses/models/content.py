"""Modules and lessons. Their words live in *Text rows, one per language, so a Japanese
version can stand beside the English one; structure (order, checks, progress) is shared."""

import hashlib
import json
import math

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from altto.lib.markdown import render_markdown

DEFAULT_LANGUAGE = "en"
WORDS_PER_MINUTE = 200


def current_language() -> str:
    return "ja" if (get_language() or "").startswith("ja") else "en"


class LoadedFromFiles(models.Model):
    """Rows the curriculum loader writes. `loaded_hash` is a hash of HASHED_FIELDS as the
    loader last wrote them, so a later load can tell an edit made on the site from its own."""

    HASHED_FIELDS: tuple[str, ...] = ()
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def content_hash(self) -> str:
        data = {name: getattr(self, name) for name in self.HASHED_FIELDS}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    @property
    def edited_on_site(self) -> bool:
        """Saved, and not as the loader left it (or never loaded at all)."""
        return bool(self.pk) and self.loaded_hash != self.content_hash()


class ModuleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Module(LoadedFromFiles):
    HASHED_FIELDS = ("order", "school_levels", "alt_types", "first_weeks", "estimated_minutes")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    school_levels = models.JSONField(_("school levels"), default=list, blank=True)
    alt_types = models.JSONField(_("ALT types"), default=list, blank=True)
    first_weeks = models.BooleanField(
        _("first weeks"), default=False, help_text=_("Part of the path for new arrivals.")
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    licence = models.CharField(_("licence"), max_length=80, default="CC BY-SA 4.0")
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="maintained_modules"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("courses:module", kwargs={"slug": self.slug})

    def fits(self, alt_type: str = "", school_level: str = "", first_weeks: bool = False) -> bool:
        """Does this module belong on the learning path for that ALT type and school level?
        An empty audience list means "everyone"."""
        if first_weeks and not self.first_weeks:
            return False
        if alt_type and self.alt_types and alt_type not in self.alt_types:
            return False
        return not (school_level and self.school_levels and school_level not in self.school_levels)


class TextBase(LoadedFromFiles):
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ModuleText(TextBase):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), max_length=600)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    intro_html = models.TextField(editable=False, blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)

    HASHED_FIELDS = ("title", "summary", "intro", "objectives")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["module", "language"], name="one_module_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.intro_html = render_markdown(self.intro)
        super().save(*args, **kwargs)


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, module__is_published=True)


class Lesson(LoadedFromFiles):
    HASHED_FIELDS = ("order", "estimated_minutes", "pass_mark")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(_("address"), max_length=80)
    order = models.PositiveIntegerField(_("order"), default=0)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        null=True,
        blank=True,
        help_text=_("Questions to answer correctly to pass. Empty: all of them."),
    )
    check_loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["module", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="unique_lesson_slug_in_module")
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.module.slug}/{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson", kwargs={"slug": self.module.slug, "lesson": self.slug})


class LessonText(TextBase):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    objectives = models.JSONField(_("learning objectives"), default=list, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    references_html = models.JSONField(default=list, editable=False, blank=True)
    reflection_prompt = models.TextField(_("reflection prompt"), blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)

    HASHED_FIELDS = ("title", "body", "objectives", "references", "reflection_prompt")
    # What a revision of a lesson holds (see altto/revisions/documents.py).
    REVISION_FIELDS = {
        "title": "text",
        "body": "text",
        "objectives": "lines",
        "references": "lines",
        "reflection_prompt": "text",
        "check": "data",
    }
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "language"], name="one_lesson_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        self.references_html = [render_markdown(ref) for ref in self.references]
        self.word_count = count_words(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        url = self.lesson.get_absolute_url()
        return url if self.language == DEFAULT_LANGUAGE else f"{url}?lang={self.language}"

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    # --- A versioned document ---------------------------------------------------------

    def revision_data(self) -> dict:
        from altto.courses.models.checks import check_as_data

        return {
            "title": self.title,
            "body": self.body,
            "objectives": list(self.objectives),
            "references": list(self.references),
            "reflection_prompt": self.reflection_prompt,
            "check": check_as_data(self.lesson),
        }

    def apply_revision_data(self, data: dict) -> None:
        from altto.courses.models.checks import check_as_data, replace_check

        for name in ("title", "body", "objectives", "references", "reflection_prompt"):
            setattr(self, name, data[name])
        self.save()
        # The check belongs to the lesson, shared by its languages.
        if "check" in data and data["check"] != check_as_data(self.lesson):
            replace_check(self.lesson, data["check"])

    def field_label(self, name: str) -> str:
        labels = {
            "title": _("Title"),
            "body": _("Lesson text"),
            "objectives": _("Learning objectives"),
            "references": _("References"),
            "reflection_prompt": _("Reflection prompt"),
            "check": _("Knowledge check"),
        }
        return str(labels[name])

    def describe_field(self, name: str, value) -> str:
        """The knowledge check as readable text, for diffs."""
        lines = []
        for number, question in enumerate(value or [], start=1):
            kind = _("choose all") if question["kind"] == "multiple" else _("choose one")
            lines.append(f"{number}. ({kind}) {question['prompt']}")
            for option in question["options"]:
                mark = "[x]" if option["correct"] else "[ ]"
                feedback = f" — {option['feedback']}" if option["feedback"] else ""
                lines.append(f"   {mark} {option['text']}{feedback}")
        return "\n".join(lines)

    def is_open_for_proposals(self) -> bool:
        return self.lesson.is_published and self.lesson.module.is_published

    def watch_targets(self) -> list:
        return [self.lesson, self.lesson.module]


def count_words(text: str) -> int:
    """Words in English; in Japanese (no spaces) roughly one word per two characters."""
    spaced = len(text.split())
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff")
    return spaced + cjk // 2


def pick_text(texts, language: str):
    """The text in `language`, else English, else any: from an already-fetched list."""
    by_language = {text.language: text for text in texts}
    return by_language.get(language) or by_language.get(DEFAULT_LANGUAGE) or next(iter(texts), None)
