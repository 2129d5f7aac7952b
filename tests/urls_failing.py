"""URLs for testing what a visitor sees when a view crashes."""

from django.urls import include, path


def crash(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("crash/", crash), path("", include("altto.urls"))]
handler404 = "altto.core.views.page_not_found"
handler500 = "altto.core.views.server_error"
