"""The lesson text that revision pages (history, proposals) work on, found from its URL."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from altto.courses.models import Lesson, LessonText
from altto.courses.models.content import current_language, pick_text


def lesson_document(request: HttpRequest, slug: str, lesson: str) -> LessonText:
    """The published lesson's text in ?lang= (if it exists) or the reader's language, else
    English; 404 for an unknown or unpublished lesson."""
    lesson_obj = get_object_or_404(
        Lesson.objects.published().select_related("module"), module__slug=slug, slug=lesson
    )
    texts = list(lesson_obj.texts.all())
    if not texts:
        raise Http404("This lesson has no text yet.")
    languages = {text.language for text in texts}
    wanted = request.GET.get("lang") if request.GET.get("lang") in languages else current_language()
    text = pick_text(texts, wanted)
    text.lesson = lesson_obj  # already fetched, with its module
    return text
