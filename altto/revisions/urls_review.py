"""The editors' review pages, under /review/ (comment reports live at /review/reports/)."""

from django.urls import path

from altto.revisions.views import review

urlpatterns = [
    path("review/", review.queue, name="queue"),
    path("review/proposals/<int:pk>/", review.review_proposal, name="review_proposal"),
    path("review/proposals/<int:pk>/decide/", review.decide, name="decide"),
    path("review/outdated/<int:pk>/dismiss/", review.dismiss_outdated, name="dismiss_outdated"),
    path("review/audit/", review.audit, name="audit"),
]
