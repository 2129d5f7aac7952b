"""A learner's training record: the modules they completed, their hours and their
reflections — their evidence of professional development. Reads only that learner's rows."""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from altto.courses.models import (
    Certificate,
    LessonProgress,
    LessonText,
    ModuleText,
    Reflection,
)
from altto.courses.models.content import pick_text
from altto.courses.pdf import JAPAN, format_hours


@dataclass
class ReflectionGroup:
    """The reflections a learner wrote in one module's lessons, in lesson order."""

    title: str
    reflections: list[Reflection] = field(default_factory=list)


@dataclass
class TrainingRecord:
    user: object
    certificates: list[Certificate]
    completed_lessons: int
    reflection_groups: list[ReflectionGroup]

    @property
    def total_minutes(self) -> int:
        return sum(certificate.minutes for certificate in self.certificates)

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + certificate.get_absolute_url()


def completed_certificates(user) -> list[Certificate]:
    """This learner's certificates, oldest first (1 query)."""
    return list(Certificate.objects.filter(user=user).order_by("issued_at", "pk"))


def reflection_groups(user, language: str) -> list[ReflectionGroup]:
    """This learner's reflections grouped by module (3 queries: reflections with their
    lessons and modules; the lessons' titles; the modules' titles)."""
    reflections = (
        Reflection.objects.filter(user=user)
        .select_related("lesson__module")
        .prefetch_related(
            Prefetch(
                "lesson__texts",
                queryset=LessonText.objects.only("id", "lesson_id", "language", "title"),
            ),
            Prefetch(
                "lesson__module__texts",
                queryset=ModuleText.objects.only("id", "module_id", "language", "title"),
            ),
        )
        .order_by("lesson__module__order", "lesson__module__slug", "lesson__order", "lesson__slug")
    )
    groups: dict[int, ReflectionGroup] = {}
    for reflection in reflections:
        lesson = reflection.lesson
        module = lesson.module
        if module.pk not in groups:
            text = pick_text(list(module.texts.all()), language)
            groups[module.pk] = ReflectionGroup(title=text.title if text else module.slug)
        text = pick_text(list(lesson.texts.all()), language)
        reflection.lesson_title = text.title if text else lesson.slug
        groups[module.pk].reflections.append(reflection)
    return list(groups.values())


def training_record(user, language: str) -> TrainingRecord:
    """Everything the record shows (5 queries, however much there is)."""
    return TrainingRecord(
        user=user,
        certificates=completed_certificates(user),
        completed_lessons=LessonProgress.objects.filter(
            user=user, completed_at__isnull=False
        ).count(),
        reflection_groups=reflection_groups(user, language),
    )


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a title must stay a title.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def record_csv(certificates: list[Certificate]) -> bytes:
    """One row per completed module, in UTF-8 with a byte-order mark so that Excel
    (which otherwise assumes Shift_JIS in Japan) reads Japanese titles correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Module"), _("Completed on"), _("Hours"), _("Certificate code"), _("Verification URL")]
    )
    for certificate in certificates:
        writer.writerow(
            [
                _cell(certificate.module_title),
                certificate.issued_at.astimezone(JAPAN).date().isoformat(),
                format_hours(certificate.hours),
                certificate.formatted_code,
                verification_url(certificate),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
