from django.urls import path

from altto.library.views import browse

app_name = "library"
urlpatterns = [
    path("library/", browse.library_index, name="index"),
    path("library/<slug:slug>/", browse.item_page, name="item"),
    path("library/<slug:slug>/print/", browse.print_page, name="print"),
]
