import pytest

from altto.courses import actions
from altto.courses.models import ModuleText
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules(db):
    schools = make_module(
        "working-in-schools",
        title="Working in schools",
        lessons=3,
        first_weeks=True,
        alt_types=["jet", "dispatch"],
        school_levels=["es", "jhs", "shs"],
    )
    young = make_module(
        "young-learners", title="Young learners", order=2, lessons=2, school_levels=["es"]
    )
    ModuleText.objects.create(module=young, language="ja", title="小学生", summary="小学校の英語")
    make_module("draft", title="Draft module", order=3, lessons=1, is_published=False)
    return schools, young


def test_catalogue_lists_published_modules_in_order_with_their_facts(client, modules):
    make_module("aardvark", title="Comes last", order=9)
    html = client.get("/modules/").content.decode()
    assert (
        html.index("Working in schools") < html.index("Young learners") < html.index("Comes last")
    )
    assert "Working in schools" in html
    assert "Young learners" in html
    assert "Draft module" not in html
    assert "3 lessons" in html
    assert "about 30 min" in html


def test_learning_path_filters_by_school_level_and_first_weeks(client, modules):
    html = client.get("/modules/?level=jhs").content.decode()
    assert "Working in schools" in html
    assert "Young learners" not in html
    assert "1 more module is outside this path." in html
    html = client.get("/modules/?first_weeks=1").content.decode()
    assert "Working in schools" in html and "Young learners" not in html


def test_the_learners_profile_preselects_their_path(client, new_alt, modules):
    # Sam is a JET at a junior high school.
    client.force_login(new_alt)
    response = client.get("/modules/")
    html = response.content.decode()
    assert "Chosen from your profile" in html
    assert '<option value="jhs" selected>' in html
    assert "Young learners" not in html
    assert "Young learners" in client.get("/modules/?all=1").content.decode()


def test_odd_path_values_are_ignored_not_errors(client, modules):
    response = client.get("/modules/?level=<script>&alt_type=%00")
    assert response.status_code == 200
    assert "Young learners" in response.content.decode()


def test_catalogue_shows_module_titles_in_japanese_when_they_exist(client, modules):
    client.cookies["django_language"] = "ja"
    html = client.get("/modules/").content.decode()
    assert "小学生" in html
    assert "Working in schools" in html  # no Japanese text yet: English stands in


def test_catalogue_query_count_does_not_grow_with_modules(
    client, new_alt, modules, django_assert_num_queries
):
    client.force_login(new_alt)
    lesson = modules[0].lessons.first()
    actions.mark_lesson_complete(new_alt, lesson)
    # session, user, modules+lesson counts, module texts, learner's completed counts,
    # continue: last module touched, its first unfinished lesson, lesson texts, module texts,
    # user's roles (the Author link)
    with django_assert_num_queries(10):
        client.get("/modules/")
    for number in range(10):
        make_module(f"extra-{number}", lessons=2, order=10 + number)
    with django_assert_num_queries(10):
        html = client.get("/modules/").content.decode()
    assert "1 of 3 lessons complete" in html
    assert "Continue where you left off" in html


def test_module_page_lists_lessons_in_order_with_ticks(client, new_alt, modules):
    schools = modules[0]
    first = schools.lessons.get(slug="lesson-1")
    actions.mark_lesson_complete(new_alt, first)
    client.force_login(new_alt)
    html = client.get("/modules/working-in-schools/").content.decode()
    assert html.index("Lesson 1") < html.index("Lesson 2") < html.index("Lesson 3")
    assert "1 of 3 lessons complete" in html
    assert 'class="done"' in html
    assert "CC BY-SA 4.0" in html
    assert "Watch this module" in html
    assert 'href="/modules/working-in-schools/lesson-2/">Continue' in html.replace("\n", "")


def test_module_page_query_count_is_bounded(client, new_alt, modules, django_assert_num_queries):
    client.force_login(new_alt)
    schools = modules[0]
    # session, user, module, module texts, maintainers, lessons with their titles,
    # completed ids, user's roles (the Edit link), whether they watch the module
    with django_assert_num_queries(9):
        client.get("/modules/working-in-schools/")
    for number in range(4, 14):
        make_lesson(schools, f"lesson-{number}", order=number)
    with django_assert_num_queries(9):
        client.get("/modules/working-in-schools/")


@pytest.mark.parametrize("slug", ["draft", "no-such-module", "%E2%9C%93", "a" * 300])
def test_unpublished_unknown_or_odd_module_addresses_are_404(client, modules, slug):
    assert client.get(f"/modules/{slug}/").status_code == 404


def test_dashboard_shows_progress_and_continue(client, new_alt, modules):
    schools = modules[0]
    lesson = schools.lessons.get(slug="lesson-1")
    add_check(lesson)
    actions.mark_lesson_complete(new_alt, lesson)
    client.force_login(new_alt)
    html = client.get("/me/").content.decode()
    # Started (marked as read) but the check is not passed yet: in progress, 0 done.
    assert "0 of 3 lessons complete" in html
    assert 'href="/modules/working-in-schools/lesson-1/"' in html  # continue there
    actions.submit_check(
        new_alt,
        lesson,
        {lesson.questions.get().pk: {lesson.questions.get().options.get(is_correct=True).pk}},
    )
    html = client.get("/me/").content.decode()
    assert "1 of 3 lessons complete" in html
    assert 'href="/modules/working-in-schools/lesson-2/"' in html


def test_home_page_offers_continue_to_signed_in_learners(client, new_alt, modules):
    actions.mark_lesson_complete(new_alt, modules[0].lessons.get(slug="lesson-1"))
    client.force_login(new_alt)
    html = client.get("/").content.decode()
    assert "Continue where you left off" in html
    assert 'href="/modules/working-in-schools/lesson-2/"' in html


def test_dashboard_query_count_does_not_grow(client, new_alt, modules, django_assert_num_queries):
    actions.mark_lesson_complete(new_alt, modules[0].lessons.get(slug="lesson-1"))
    client.force_login(new_alt)
    # session, user, modules + lesson counts, module texts, completed counts, started modules,
    # continue (last module, next lesson, lesson texts, module texts), certificates,
    # my proposals (none: their lesson texts are fetched only when there are some, 1 more
    # query, see tests/revisions/test_proposals.py), the member's roles (header links)
    with django_assert_num_queries(13):
        client.get("/me/")
    for number in range(5):
        extra = make_module(f"more-{number}", order=20 + number, lessons=2)
        actions.mark_lesson_complete(new_alt, extra.lessons.first())
    with django_assert_num_queries(13):
        html = client.get("/me/").content.decode()
    assert html.count("1 of 2 lessons complete") == 5
    assert "<title>My learning · ALTTO</title>" in html
