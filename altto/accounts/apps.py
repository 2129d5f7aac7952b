from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "altto.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from altto.accounts import signals  # noqa: F401
