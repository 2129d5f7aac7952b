"""Knowledge checks: questions with options and per-option feedback, and learners' attempts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from altto.courses.models.content import Lesson


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choose one")
        MULTIPLE = "multiple", _("Choose all that apply")

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField(_("question"))

    class Meta:
        ordering = ["lesson", "order", "pk"]

    def __str__(self) -> str:
        return self.prompt[:60]

    def is_answered_correctly(self, chosen_ids: set[int]) -> bool:
        correct = {option.pk for option in self.options.all() if option.is_correct}
        return chosen_ids == correct


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One submission of a lesson's check. `answers` maps question id → chosen option ids."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField(default=dict)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "lesson", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.lesson_id}: {self.correct_count}/{self.question_count}"
