"""Editors write the course on the site: modules, lessons, their texts and checks.

Every view asks `may(user, "author_course")`. Text forms have a Preview button that shows the
rendered Markdown without saving; with htmx only the preview fragment is swapped in."""

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.formsets import all_valid
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.courses import authoring
from altto.courses.authoring_forms import (
    CheckForm,
    LessonForm,
    LessonImageForm,
    LessonTextForm,
    ModuleForm,
    ModuleTextForm,
    TextForm,
    lines,
    text_forms,
)
from altto.courses.images import store_lesson_image
from altto.courses.models import Lesson, LessonImage, Module
from altto.courses.models.checks import check_as_data
from altto.courses.models.content import current_language, pick_text
from altto.courses.queries import with_texts
from altto.lib.markdown import render_markdown

STEPS = {"up": -1, "down": 1}


def author_only(view: Callable) -> Callable:
    """Anonymous visitors are sent to log in; signed-in people who may not author get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may(request.user, "author_course"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_module(slug: str, *related: str) -> Module:
    return get_object_or_404(Module.objects.prefetch_related("texts", *related), slug=slug)


def get_lesson(slug: str, lesson_slug: str, *related: str) -> Lesson:
    return get_object_or_404(
        Lesson.objects.select_related("module").prefetch_related("texts", *related),
        module__slug=slug,
        slug=lesson_slug,
    )


def previews(forms: list[TextForm], markdown_field: str) -> list[dict]:
    """What the text forms would show once saved, rendered from what was typed."""
    shown = []
    for form in forms:
        typed = form.preview()
        if typed is None:
            continue
        shown.append(
            {
                "language": form.language,
                "title": typed["title"],
                "html": render_markdown(typed[markdown_field]),
                "objectives": lines(typed.get("objectives")),
                "references_html": [render_markdown(r) for r in lines(typed.get("references"))],
                "reflection_prompt": typed.get("reflection_prompt", ""),
            }
        )
    return shown


def is_preview(request: HttpRequest) -> bool:
    return request.method == "POST" and "preview" in request.POST


def preview_fragment(request: HttpRequest, shown: list[dict]) -> HttpResponse | None:
    """With htmx, a preview answers with just the rendered fragment."""
    if request.headers.get("HX-Request"):
        return render(request, "courses/authoring/_preview.html", {"previews": shown})
    return None


@author_only
def module_list(request: HttpRequest) -> HttpResponse:
    # 2 queries: every module with its lesson count; their texts.
    # Meta.ordering is dropped from aggregate queries, so order explicitly.
    modules = (
        Module.objects.annotate(lesson_count=Count("lessons"))
        .prefetch_related("texts")
        .order_by("order", "slug")
    )
    return render(
        request,
        "courses/authoring/modules.html",
        {"modules": with_texts(list(modules), current_language())},
    )


def module_form_page(request: HttpRequest, module: Module) -> HttpResponse:
    """New and edit share this: the module's settings and its English and Japanese texts."""
    saved_slug = module.slug if module.pk else ""
    data = request.POST if request.method == "POST" else None
    initial = {} if module.pk else {"order": authoring.next_module_order()}
    form = ModuleForm(data, instance=module, initial=initial)
    texts = text_forms(ModuleTextForm, data, module.texts.all() if module.pk else [])
    shown: list[dict] = []
    status = 200
    if is_preview(request):
        shown = previews(texts, "intro")
        if fragment := preview_fragment(request, shown):
            return fragment
    elif data is not None:
        if all_valid([form, *texts]):  # validates each, so every error shows
            module = authoring.save_module(
                form.save(commit=False),
                maintainers=form.cleaned_data["maintainers"],
                texts={text.language: text.values() for text in texts},
            )
            messages.success(request, _("Module saved."))
            return redirect("courses:author_module", slug=module.slug)
        status = 400
    lessons = []
    if saved_slug:
        # 2 queries: the module's lessons with their question counts; their texts.
        lessons = with_texts(
            list(
                Lesson.objects.filter(module=module)
                .annotate(question_count=Count("questions"))
                .prefetch_related("texts")
                .order_by("order", "slug")
            ),
            current_language(),
        )
    return render(
        request,
        "courses/authoring/module_form.html",
        {
            "module": module,
            "saved_slug": saved_slug,
            "module_title": title_of(module) if saved_slug else "",
            "form": form,
            "text_forms": texts,
            "previews": shown,
            "lessons": lessons,
            "status_errors": status == 400,
        },
        status=status,
    )


def title_of(item) -> str:
    text = pick_text(list(item.texts.all()), current_language())
    return text.title if text else item.slug


@author_only
def module_new(request: HttpRequest) -> HttpResponse:
    return module_form_page(request, Module())


@author_only
def module_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return module_form_page(request, get_module(slug, "maintainers"))


def list_anchor(module: Module) -> str:
    return reverse("courses:author_modules") + f"#module-{module.slug}"


@require_POST
@author_only
def module_move(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    step = STEPS.get(request.POST.get("direction", ""))
    if step is None:
        return HttpResponseBadRequest(_("Move a module up or down."))
    authoring.move_module(module, step)
    return redirect(list_anchor(module))


@require_POST
@author_only
def module_publish(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    published = request.POST.get("published") == "1"
    authoring.set_module_published(module, published)
    if published:
        messages.success(request, _("Module published: learners can see it in the catalogue."))
    else:
        messages.success(request, _("Module unpublished: only editors can see it now."))
    return redirect(list_anchor(module))


def lesson_form_page(request: HttpRequest, lesson: Lesson) -> HttpResponse:
    module = lesson.module
    saved_slug = lesson.slug if lesson.pk else ""
    data = request.POST if request.method == "POST" else None
    form = LessonForm(data, instance=lesson, module=module)
    texts = text_forms(LessonTextForm, data, lesson.texts.all() if lesson.pk else [])
    shown: list[dict] = []
    status = 200
    if is_preview(request):
        shown = previews(texts, "body")
        if fragment := preview_fragment(request, shown):
            return fragment
    elif data is not None:
        if all_valid([form, *texts]):  # validates each, so every error shows
            lesson = authoring.save_lesson(
                form.save(commit=False),
                texts={text.language: text.values() for text in texts},
                editor=request.user,
            )
            messages.success(request, _("Lesson saved."))
            return redirect("courses:author_lesson", slug=module.slug, lesson=lesson.slug)
        status = 400
    return render(
        request,
        "courses/authoring/lesson_form.html",
        {
            "module": module,
            "module_title": title_of(module),
            "lesson": lesson,
            "saved_slug": saved_slug,
            "form": form,
            "text_forms": texts,
            "previews": shown,
            "question_count": lesson.questions.count() if saved_slug else 0,
            "status_errors": status == 400,
        },
        status=status,
    )


@author_only
def lesson_new(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_module(slug)
    return lesson_form_page(request, Lesson(module=module))


@author_only
def lesson_edit(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    return lesson_form_page(request, get_lesson(slug, lesson, "module__texts"))


@require_POST
@author_only
def lesson_move(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_object_or_404(Lesson, module__slug=slug, slug=lesson)
    step = STEPS.get(request.POST.get("direction", ""))
    if step is None:
        return HttpResponseBadRequest(_("Move a lesson up or down."))
    authoring.move_lesson(lesson_obj, step)
    return redirect("courses:author_module", slug=slug)


@author_only
def check_edit(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    lesson_obj = get_lesson(slug, lesson)
    status = 200
    if request.method == "POST":
        check = CheckForm(request.POST)
        if "add_question" in request.POST:
            check.add_question()
        elif check.is_valid():
            if authoring.save_check(lesson_obj, check.questions, editor=request.user):
                messages.success(request, _("Knowledge check saved."))
            else:
                messages.info(request, _("Nothing changed in the knowledge check."))
            return redirect("courses:author_check", slug=slug, lesson=lesson)
        else:
            status = 400
    else:
        check = CheckForm(stored=check_as_data(lesson_obj))
    return render(
        request,
        "courses/authoring/check_form.html",
        {
            "module": lesson_obj.module,
            "lesson": lesson_obj,
            "lesson_title": title_of(lesson_obj),
            "check": check,
            "status_errors": status == 400,
        },
        status=status,
    )


RECENT_IMAGES = 50
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@author_only
def image_library(request: HttpRequest) -> HttpResponse:
    """Upload an image for lessons; the latest ones are listed with the Markdown to paste.
    ?module=<slug> preselects that module and lists only its images."""
    module_slug = request.GET.get("module", "")
    if not SLUG.fullmatch(module_slug):
        module_slug = ""  # not a module address: show every image
    status = 200
    if request.method == "POST":
        form = LessonImageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                image = store_lesson_image(
                    form.cleaned_data["file"],
                    form.cleaned_data["alt"],
                    request.user,
                    form.cleaned_data["module"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request, _("Image uploaded. Copy its Markdown into a lesson to show it.")
                )
                # Stay on the module's images if that is where the editor was and still is.
                keep = module_slug and image.module and image.module.slug == module_slug
                query = f"?{urlencode({'module': module_slug})}" if keep else ""
                return redirect(f"{reverse('courses:author_images')}{query}#image-{image.pk}")
        status = 400
    else:
        form = LessonImageForm(initial={"module": module_slug} if module_slug else None)
    # 1 query: the latest images with their uploader and module.
    images = LessonImage.objects.select_related("uploaded_by", "module")
    if module_slug:
        images = images.filter(module__slug=module_slug)
    return render(
        request,
        "courses/authoring/images.html",
        {
            "form": form,
            "images": list(images[:RECENT_IMAGES]),
            "module_slug": module_slug,
            "status_errors": status == 400,
        },
        status=status,
    )
