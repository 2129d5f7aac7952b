from django.urls import path

from altto.discussion import views

app_name = "discussion"
urlpatterns = [
    path("modules/<slug:slug>/<slug:lesson>/comments/", views.post_comment, name="post"),
    path("library/<slug:slug>/comments/", views.post_item_comment, name="post_item"),
    path("blog/posts/<int:pk>/comments/", views.post_blog_comment, name="post_blog"),
    path("comments/<int:pk>/approve/", views.approve_comment, name="approve"),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit"),
    path("comments/<int:pk>/history/", views.comment_history, name="history"),
    path("comments/<int:pk>/report/", views.report_comment, name="report"),
    path("comments/<int:pk>/remove/", views.remove_comment, name="remove"),
    path("review/reports/", views.report_list, name="reports"),
    path("review/reports/<int:pk>/resolve/", views.resolve_report, name="resolve"),
]
