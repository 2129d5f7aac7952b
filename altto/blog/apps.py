from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "altto.blog"
    verbose_name = _("Blog")

    def ready(self) -> None:
        from altto.blog import rules  # noqa: F401  (registers the blog's may() rules)
