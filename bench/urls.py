"""The site's URLs plus the benchmark's own pages. Used only by bench/run.py, through
ALTTO_URLCONF=bench.urls; the site never loads it."""

from django.urls import include, path

from altto.urls import handler404, handler500
from bench import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("altto.urls")),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
