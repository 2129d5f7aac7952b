from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "altto.core"
    verbose_name = "Site"

    def ready(self) -> None:
        from altto.core import checks  # noqa: F401
