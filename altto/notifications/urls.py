from django.urls import path

from altto.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.mark_all_read, name="mark_read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("watch/<str:kind>/<int:pk>/", views.toggle_watch, name="toggle_watch"),
]
