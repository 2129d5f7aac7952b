from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "altto.discussion"
    verbose_name = _("Lesson discussion")

    def ready(self) -> None:
        from altto.discussion import rules  # noqa: F401
