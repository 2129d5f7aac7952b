from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from altto.blog import sitemaps
from altto.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("altto.accounts.urls")),
    path("", include("altto.courses.urls")),
    path("", include("altto.discussion.urls")),
    path("", include("altto.revisions.urls")),
    path("", include("altto.notifications.urls")),
    path("", include("altto.mail.urls")),
    path("", include("altto.library.urls")),
    path("", include("altto.forum.urls")),
    path("", include("altto.blog.urls")),
    path("", include("altto.search.urls")),
    path("admin/", admin.site.urls),
]


def development_media_urls() -> list:
    """/media/ for `runserver`; in production nginx serves it (docs/DEPLOY.md). Permission
    evidence (private) and library files (sent with safe headers) go through their own
    checked views: never here, as in nginx."""
    return [
        re_path(
            r"^media/(?!permissions/|library/)(?P<path>.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]


if settings.DEBUG:
    urlpatterns += development_media_urls()

handler404 = "altto.core.views.page_not_found"
handler500 = "altto.core.views.server_error"
