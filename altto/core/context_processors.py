from django.conf import settings
from django.http import HttpRequest

from altto.core.navigation import main_navigation


def site(request: HttpRequest) -> dict:
    return {"SITE_URL": settings.SITE_URL, "main_navigation": main_navigation()}
