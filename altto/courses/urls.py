from django.urls import path

from altto.courses.views import authoring, catalogue, learner, lessons
from altto.courses.views.certificates import certificate_page, certificate_pdf
from altto.courses.views.record import record_csv_download, record_page, record_pdf

app_name = "courses"
urlpatterns = [
    path("modules/", catalogue.catalogue, name="catalogue"),
    path("modules/<slug:slug>/", catalogue.module_page, name="module"),
    path("modules/<slug:slug>/<slug:lesson>/", lessons.lesson_page, name="lesson"),
    path("modules/<slug:slug>/<slug:lesson>/complete/", lessons.mark_complete, name="complete"),
    path("modules/<slug:slug>/<slug:lesson>/check/", lessons.submit_check, name="check"),
    path(
        "modules/<slug:slug>/<slug:lesson>/reflection/",
        lessons.save_reflection,
        name="reflection",
    ),
    path("me/", learner.dashboard, name="dashboard"),
    # certificates and training record: views/certificates.py, views/record.py
    path("certificates/<str:code>/", certificate_page, name="certificate"),
    path("certificates/<str:code>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("me/record/", record_page, name="record"),
    path("me/record.pdf", record_pdf, name="record_pdf"),
    path("me/record.csv", record_csv_download, name="record_csv"),
    # authoring (editors): views/authoring.py; "new" is a reserved module and lesson address
    path("author/modules/", authoring.module_list, name="author_modules"),
    path("author/images/", authoring.image_library, name="author_images"),
    path("author/modules/new/", authoring.module_new, name="author_module_new"),
    path("author/modules/<slug:slug>/", authoring.module_edit, name="author_module"),
    path("author/modules/<slug:slug>/move/", authoring.module_move, name="author_module_move"),
    path(
        "author/modules/<slug:slug>/publish/",
        authoring.module_publish,
        name="author_module_publish",
    ),
    path("author/modules/<slug:slug>/lessons/new/", authoring.lesson_new, name="author_lesson_new"),
    path(
        "author/modules/<slug:slug>/lessons/<slug:lesson>/",
        authoring.lesson_edit,
        name="author_lesson",
    ),
    path(
        "author/modules/<slug:slug>/lessons/<slug:lesson>/move/",
        authoring.lesson_move,
        name="author_lesson_move",
    ),
    path(
        "author/modules/<slug:slug>/lessons/<slug:lesson>/check/",
        authoring.check_edit,
        name="author_check",
    ),
]
