"""Revision pages. History and proposing live under the lesson's own address; reviewing
under /review/; a proposal has its own page."""

from django.urls import include, path

app_name = "revisions"
urlpatterns = [
    path("", include("altto.revisions.urls_history")),
    path("", include("altto.revisions.urls_proposals")),
    path("", include("altto.revisions.urls_review")),
    path("", include("altto.revisions.urls_freshness")),
]
