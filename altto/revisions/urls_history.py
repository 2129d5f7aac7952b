"""A lesson's history: views/history.py."""

from django.urls import path

from altto.revisions.views import history

LESSON = "modules/<slug:slug>/<slug:lesson>/"

urlpatterns = [
    path(f"{LESSON}history/", history.lesson_history, name="history"),
    path(f"{LESSON}history/compare/", history.lesson_compare, name="compare"),
    path(f"{LESSON}history/<int:number>/", history.lesson_revision, name="revision"),
    path(f"{LESSON}history/<int:number>/rollback/", history.lesson_rollback, name="rollback"),
    path(f"{LESSON}reviewed/", history.lesson_mark_reviewed, name="mark_reviewed"),
]
