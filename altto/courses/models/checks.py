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


# A check as plain data: [{"kind", "prompt", "options": [{"text", "correct", "feedback"}]}].
# The curriculum loader and the authoring pages both read and write checks in this form.


def check_as_data(lesson: Lesson) -> list[dict]:
    return [
        {
            "kind": q.kind,
            "prompt": q.prompt,
            "options": [
                {"text": o.text, "correct": o.is_correct, "feedback": o.feedback}
                for o in q.options.all()
            ],
        }
        for q in lesson.questions.prefetch_related("options")
    ]


def replace_check(lesson: Lesson, questions: list[dict]) -> None:
    """Write `questions` as the lesson's whole check. Attempts keep their recorded answers."""
    lesson.questions.all().delete()
    for q_order, q in enumerate(questions):
        question = Question.objects.create(
            lesson=lesson, order=q_order, kind=q["kind"], prompt=q["prompt"]
        )
        Option.objects.bulk_create(
            Option(
                question=question,
                order=o_order,
                text=o["text"],
                is_correct=o["correct"],
                feedback=o["feedback"],
            )
            for o_order, o in enumerate(q["options"])
        )
