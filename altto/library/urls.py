from django.urls import path

from altto.library.views import browse, revision_pages, submit
from altto.library.views import files as file_views
from altto.library.views import rights as rights_views
from altto.library.views import textbooks as textbook_views
from altto.library.views import usage as usage_views

app_name = "library"
urlpatterns = [
    path("library/", browse.library_index, name="index"),
    path("library/submit/", submit.submit, name="submit"),
    path("library/textbooks/", textbook_views.textbook_list, name="textbooks"),
    path("library/textbooks/<slug:slug>/", textbook_views.textbook_page, name="textbook"),
    path("library/<slug:slug>/", browse.item_page, name="item"),
    path("library/<slug:slug>/print/", browse.print_page, name="print"),
    path("library/<slug:slug>/file/", file_views.item_file, name="file"),
    path("library/<slug:slug>/used/", usage_views.mark_used, name="used"),
    path("library/<slug:slug>/used/remove/", usage_views.unmark_used, name="unused"),
    path("library/<slug:slug>/rights/", rights_views.rights_page, name="rights"),
    path(
        "library/<slug:slug>/rights/evidence/<int:pk>/",
        rights_views.evidence,
        name="evidence",
    ),
    path("library/<slug:slug>/approve/", submit.approve, name="approve"),
    path("library/<slug:slug>/reject/", submit.reject, name="reject"),
    # History and proposals: the names a document's revision pages expect (see
    # altto/revisions/views/history.py, HistoryLinks).
    path("library/<slug:slug>/history/", revision_pages.item_history, name="history"),
    path("library/<slug:slug>/history/compare/", revision_pages.item_compare, name="compare"),
    path(
        "library/<slug:slug>/history/<int:number>/",
        revision_pages.item_revision,
        name="revision",
    ),
    path(
        "library/<slug:slug>/history/<int:number>/rollback/",
        revision_pages.item_rollback,
        name="rollback",
    ),
    path("library/<slug:slug>/reviewed/", revision_pages.item_mark_reviewed, name="mark_reviewed"),
    path("library/<slug:slug>/propose/", revision_pages.item_propose, name="propose"),
    path(
        "library/<slug:slug>/propose/preview/",
        revision_pages.item_propose_preview,
        name="propose_preview",
    ),
]
