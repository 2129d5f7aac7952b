from django.urls import path

from altto.revisions.views import proposals

urlpatterns = [
    path(
        "modules/<slug:slug>/<slug:lesson>/propose/",
        proposals.lesson_propose,
        name="propose",
    ),
    path(
        "modules/<slug:slug>/<slug:lesson>/propose/preview/",
        proposals.lesson_propose_preview,
        name="propose_preview",
    ),
    path("proposals/<int:pk>/", proposals.proposal_page, name="proposal"),
    path("proposals/<int:pk>/amend/", proposals.amend, name="amend"),
    path("proposals/<int:pk>/amend/preview/", proposals.amend_preview, name="amend_preview"),
    path("proposals/<int:pk>/withdraw/", proposals.withdraw, name="withdraw"),
]
