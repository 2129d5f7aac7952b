from django.urls import path

from altto.revisions.views import freshness

urlpatterns = [
    path(
        "modules/<slug:slug>/<slug:lesson>/freshness/",
        freshness.lesson_vote,
        name="vote",
    ),
]
