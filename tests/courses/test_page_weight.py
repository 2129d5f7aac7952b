"""Budget: a lesson page's HTML + CSS + JS is under 60 KB gzipped on first load."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from altto.courses.curriculum import load_curriculum
from altto.courses.models import Lesson, LessonText
from tests.courses.test_curriculum import CONTENT

pytestmark = pytest.mark.django_db
BUDGET = 60 * 1024


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_the_heaviest_starter_lesson_fits_the_page_weight_budget(client, new_alt):
    load_curriculum(CONTENT)
    heaviest = LessonText.objects.order_by("-word_count").select_related("lesson__module").first()
    lesson: Lesson = heaviest.lesson
    client.force_login(new_alt)
    html = client.get(lesson.get_absolute_url()).content
    assets = re.findall(rb'(?:src|href)="/static/([^"]+\.(?:css|js))"', html)
    total = gzipped(html)
    for asset in assets:
        if b"print.css" in asset:
            continue  # fetched only when printing
        path = finders.find(asset.decode())
        with open(path, "rb") as handle:
            total += gzipped(handle.read())
    assert assets, "the page links its stylesheet and script"
    assert total < BUDGET, f"{total / 1024:.1f} KB gzipped"
