from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from altto.courses.models.content import Lesson
from altto.lib.markdown import render_markdown


class LessonProgress(models.Model):
    """A learner's state in one lesson. Complete = marked complete and, if the lesson has a
    check, the check passed. The first row a learner gets in a module is their enrolment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    marked_complete_at = models.DateTimeField(null=True, blank=True)
    check_passed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.lesson_id}"


class Reflection(models.Model):
    """A learner's private answer to a lesson's reflection prompt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="reflections")
    text = models.TextField(_("your reflection"), max_length=5000)
    text_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_reflection_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.lesson_id}"

    def save(self, *args, **kwargs) -> None:
        self.text_html = render_markdown(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_html"}
        super().save(*args, **kwargs)
