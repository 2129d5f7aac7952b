from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "altto.forum"
    verbose_name = _("Forum")

    def ready(self) -> None:
        from altto.forum import rules  # noqa: F401  (registers the forum's may() rules)
