from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "altto.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from altto.search import indexing

        indexing.connect()  # content saved → its entries recomputed in the background
