from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "altto.courses"
    verbose_name = _("Training course")

    def ready(self) -> None:
        from altto.courses import rules  # noqa: F401
