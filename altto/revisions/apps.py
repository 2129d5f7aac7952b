from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    name = "altto.revisions"
    verbose_name = _("Revisions")

    def ready(self) -> None:
        from altto.revisions import rules  # noqa: F401
