from django.urls import path

from altto.accounts import views

app_name = "accounts"
urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("me/settings/", views.settings_page, name="settings"),
]
