import pytest

from altto.courses import actions
from altto.courses.models import Attempt, LessonProgress, LessonText, Reflection
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = pytest.mark.django_db
URL = "/modules/team-teaching/planning/"


@pytest.fixture
def lesson(db):
    module = make_module(lessons=0)
    first = make_lesson(module, "planning", title="Planning together", order=1)
    make_lesson(module, "in-class", title="In class", order=2)
    return first


def answer(question, *options):
    return {f"q{question.pk}": [str(option.pk) for option in options]}


def test_anyone_can_read_a_lesson(client, lesson):
    html = client.get(URL).content.decode()
    assert "Planning together" in html
    assert "Plan with your JTE <strong>before</strong> class." in html
    assert "Plan a lesson with a JTE" in html  # objective
    assert "<em>Course of Study</em>" in html  # reference, rendered
    assert "1 min read" in html
    assert "Lesson 1 of 2" in html
    assert 'rel="next" href="/modules/team-teaching/in-class/"' in html
    assert "This lesson is licensed CC BY-SA 4.0" in html
    assert "Log in to record your progress." in html


def test_a_lesson_without_a_check_is_complete_when_marked(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(URL + "complete/", follow=True)
    assert "Lesson complete. Well done!" in response.content.decode()
    assert LessonProgress.objects.get(user=new_alt, lesson=lesson).completed_at


def test_double_submission_records_one_completion(client, new_alt, lesson):
    client.force_login(new_alt)
    client.post(URL + "complete/")
    client.post(URL + "complete/")
    assert LessonProgress.objects.filter(user=new_alt, lesson=lesson).count() == 1


def test_a_lesson_with_a_check_needs_the_check_passed(client, new_alt, lesson):
    question, right, wrong, _also = add_check(lesson)
    client.force_login(new_alt)
    client.post(URL + "complete/")
    progress = LessonProgress.objects.get(user=new_alt, lesson=lesson)
    assert progress.marked_complete_at and not progress.completed_at

    response = client.post(URL + "check/", answer(question, wrong))
    html = response.content.decode()
    assert "Not yet: 0 of 1 correct." in html
    assert "The ALT assists; the JTE leads." in html  # feedback on the chosen option
    progress.refresh_from_db()
    assert not progress.completed_at

    html = client.post(URL + "check/", answer(question, right)).content.decode()
    assert "Passed: 1 of 1 correct." in html
    assert "Yes: they are T1." in html
    progress.refresh_from_db()
    assert progress.completed_at
    assert Attempt.objects.filter(user=new_alt, lesson=lesson).count() == 2


def test_multiple_select_needs_exactly_the_right_set(client, new_alt, lesson):
    question, right, wrong, also = add_check(lesson, kind="multiple")
    client.force_login(new_alt)
    assert "Not yet" in client.post(URL + "check/", answer(question, right)).content.decode()
    html = client.post(URL + "check/", answer(question, right, also, wrong)).content.decode()
    assert "Not yet" in html
    assert "Passed" in client.post(URL + "check/", answer(question, right, also)).content.decode()


def test_the_check_answers_htmx_with_just_the_check(client, new_alt, lesson):
    question, right, _wrong, _also = add_check(lesson)
    client.force_login(new_alt)
    response = client.post(URL + "check/", answer(question, right), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<section id="check"')
    assert "<html" not in html


@pytest.mark.parametrize(
    "bad",
    [
        {"q999999": ["1"]},  # a question from nowhere
        {"q{question}": ["999999"]},  # an option from nowhere
        {"q{question}": ["{right}", "{wrong}"]},  # two answers to a single-choice question
        {"q{question}": ["first"]},  # not a number
    ],
)
def test_bad_answers_are_a_clear_400_and_record_nothing(client, new_alt, lesson, bad):
    question, right, wrong, _also = add_check(lesson)
    ids = {"question": question.pk, "right": right.pk, "wrong": wrong.pk}
    data = {k.format(**ids): [v.format(**ids) for v in values] for k, values in bad.items()}
    client.force_login(new_alt)
    response = client.post(URL + "check/", data)
    assert response.status_code == 400
    assert not Attempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_options_from_another_lessons_check_are_refused(client, new_alt, lesson):
    question, _right, _wrong, _also = add_check(lesson)
    other = make_lesson(lesson.module, "other", order=3)
    _q, other_right, _w, _a = add_check(other)
    client.force_login(new_alt)
    response = client.post(URL + "check/", answer(question, other_right))
    assert response.status_code == 400


def test_pass_mark_allows_some_mistakes(new_alt, lesson):
    first, right, wrong, _also = add_check(lesson, pass_mark=1)
    second, _r, second_wrong, _a = add_check(lesson)
    attempt = actions.submit_check(
        new_alt, lesson, {first.pk: {right.pk}, second.pk: {second_wrong.pk}}
    )
    assert attempt.passed
    assert (attempt.correct_count, attempt.question_count) == (1, 2)


@pytest.mark.parametrize("action", ["complete/", "check/", "reflection/"])
def test_visitors_must_log_in_to_record_anything(client, lesson, action):
    response = client.post(URL + action, {"text": "hi"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("action", ["complete/", "check/", "reflection/"])
def test_unknown_or_unpublished_lessons_cannot_be_recorded(client, new_alt, lesson, action):
    client.force_login(new_alt)
    assert client.post(f"/modules/team-teaching/nope/{action}", {"text": "x"}).status_code == 404
    lesson.is_published = False
    lesson.save(update_fields=["is_published"])
    assert client.post(URL + action, {"text": "x"}).status_code == 404
    assert client.get(URL).status_code == 404
    assert not LessonProgress.objects.exists()


def test_recording_needs_post(client, new_alt, lesson):
    client.force_login(new_alt)
    assert client.get(URL + "complete/").status_code == 405


def test_reflections_are_private_and_editable(client, new_alt, contributor, lesson):
    client.force_login(new_alt)
    client.post(URL + "reflection/", {"text": "Ask about *their* plan first."})
    client.post(URL + "reflection/", {"text": "Ask about the **unit** first."})
    reflection = Reflection.objects.get(user=new_alt, lesson=lesson)
    assert reflection.text_html == "<p>Ask about the <strong>unit</strong> first.</p>\n"
    assert "Ask about the **unit** first." in client.get(URL).content.decode()
    client.force_login(contributor)
    assert "unit" not in client.get(URL).content.decode()


def test_an_empty_reflection_is_refused_and_a_long_one_kept_for_fixing(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(URL + "reflection/", {"text": "   "})
    assert response.status_code == 400
    assert "Write between 1 and 5,000 characters." in response.content.decode()
    long_text = "word " * 1100
    response = client.post(URL + "reflection/", {"text": long_text})
    assert response.status_code == 400
    assert long_text.strip() in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_japanese_version_is_offered_and_shown(client, lesson):
    LessonText.objects.create(
        lesson=lesson, language="ja", title="一緒に計画", body="JTEと**授業前**に計画します。"
    )
    html = client.get(URL).content.decode()
    assert "日本語で読む" in html
    html = client.get(URL + "?lang=ja").content.decode()
    assert "一緒に計画" in html
    assert "Read in English" in html
    client.cookies["django_language"] = "ja"
    assert "一緒に計画" in client.get(URL).content.decode()


def test_lesson_page_query_count_is_bounded(client, new_alt, lesson, django_assert_num_queries):
    add_check(lesson)
    add_check(lesson)
    client.force_login(new_alt)
    actions.mark_lesson_complete(new_alt, lesson)
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        client.get(URL)
    for number in range(3, 13):
        make_lesson(lesson.module, f"more-{number}", order=number)
        add_check(lesson)
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        client.get(URL)


# session, user, lesson+module, lesson texts, module texts, sibling lessons with titles,
# questions, options, progress, reflection, last attempt, user's roles (the Edit link),
# comments with authors, the verified-email check (discussion), contributors, watched
# lesson/module, the reader's freshness vote
LESSON_PAGE_QUERIES = 17
