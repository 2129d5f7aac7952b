"""Editors write modules, lessons and checks on the site, with a preview, and nobody else can."""

import pytest

from altto.courses.curriculum import load_curriculum
from altto.courses.models import Lesson, LessonText, Module, ModuleText, Option, Question
from tests.courses.factories import (
    CURRICULUM_LESSON,
    add_check,
    make_lesson,
    make_module,
    write_curriculum,
)

pytestmark = pytest.mark.django_db

LIST = "/author/modules/"


def module_data(slug="classroom-english", **overrides) -> dict:
    data = {
        "slug": slug,
        "order": "5",
        "school_levels": ["es", "jhs"],
        "alt_types": ["jet"],
        "first_weeks": "on",
        "estimated_minutes": "40",
        "is_published": "on",
        "licence": "CC BY-SA 4.0",
        "maintainers": "",
        "en-title": "Classroom English",
        "en-summary": "Instructions your students understand.",
        "en-intro": "Short, *clear* instructions.",
        "en-objectives": "Give instructions\r\nCheck understanding\r\n",
        "ja-title": "",
        "ja-summary": "",
        "ja-intro": "",
        "ja-objectives": "",
    }
    data.update(overrides)
    return data


def lesson_data(slug="giving-instructions", **overrides) -> dict:
    data = {
        "slug": slug,
        "estimated_minutes": "12",
        "is_published": "on",
        "pass_mark": "",
        "en-title": "Giving instructions",
        "en-body": "## Model it\r\n\r\nShow, **then** tell.",
        "en-objectives": "Model an activity",
        "en-references": "MEXT. *Course of Study* (2017).",
        "en-reflection_prompt": "Which instruction will you model first?",
        "ja-title": "",
        "ja-body": "",
        "ja-objectives": "",
        "ja-references": "",
        "ja-reflection_prompt": "",
    }
    data.update(overrides)
    return data


def check_data(*questions: tuple[str, str, list[tuple[str, bool, str]]], blank_rows=1) -> dict:
    """POST data for the check form: (kind, prompt, [(text, correct, feedback), ...])."""
    data = {"questions": str(len(questions))}
    for i, (kind, prompt, options) in enumerate(questions):
        rows = [*options, *[("", False, "")] * blank_rows]
        data |= {f"q{i}-kind": kind, f"q{i}-prompt": prompt, f"q{i}-options": str(len(rows))}
        for j, (text, correct, feedback) in enumerate(rows):
            data |= {f"q{i}-o{j}-text": text, f"q{i}-o{j}-feedback": feedback}
            if correct:
                data[f"q{i}-o{j}-correct"] = "on"
    return data


GOOD_QUESTION = (
    "single",
    "Who models the activity first?",
    [("The ALT and JTE together", True, "Yes: show it."), ("The students", False, "Not yet.")],
)


def test_editor_creates_a_module_with_texts_a_lesson_and_a_check(client, editor, contributor):
    client.force_login(editor)
    assert client.get("/author/modules/new/").status_code == 200

    response = client.post(
        "/author/modules/new/",
        module_data(
            maintainers="priya", **{"ja-title": "教室英語", "ja-summary": "指示の出し方。"}
        ),
    )
    assert response.status_code == 302
    assert response.url == "/author/modules/classroom-english/"
    module = Module.objects.get(slug="classroom-english")
    assert (module.order, module.school_levels, module.alt_types) == (5, ["es", "jhs"], ["jet"])
    assert module.first_weeks and module.is_published
    assert list(module.maintainers.all()) == [contributor]
    english = module.texts.get(language="en")
    assert english.objectives == ["Give instructions", "Check understanding"]
    assert english.intro_html == "<p>Short, <em>clear</em> instructions.</p>\n"
    assert module.texts.get(language="ja").title == "教室英語"

    response = client.post("/author/modules/classroom-english/lessons/new/", lesson_data())
    assert response.url == "/author/modules/classroom-english/lessons/giving-instructions/"
    lesson = module.lessons.get()
    text = lesson.texts.get()
    assert "<strong>then</strong>" in text.body_html
    assert text.references_html == ["<p>MEXT. <em>Course of Study</em> (2017).</p>\n"]
    assert text.language == "en" and not lesson.texts.filter(language="ja").exists()

    multiple = ("multiple", "Which help?", [("Gestures", True, ""), ("Long talks", False, "")])
    response = client.post(
        "/author/modules/classroom-english/lessons/giving-instructions/check/",
        check_data(GOOD_QUESTION, multiple),
    )
    assert response.status_code == 302
    questions = list(lesson.questions.prefetch_related("options"))
    assert [(q.kind, q.prompt) for q in questions] == [
        ("single", "Who models the activity first?"),
        ("multiple", "Which help?"),
    ]
    assert [(o.text, o.is_correct) for o in questions[0].options.all()] == [
        ("The ALT and JTE together", True),
        ("The students", False),
    ]

    html = client.get("/modules/classroom-english/giving-instructions/").content.decode()
    assert "Who models the activity first?" in html
    assert "Edit this lesson" in html


def test_editor_changes_a_module_and_empties_its_japanese_text(client, editor):
    module = make_module("team-teaching", title="Team teaching")
    ModuleText.objects.create(module=module, language="ja", title="TT", summary="要約")
    client.force_login(editor)
    html = client.get("/author/modules/team-teaching/").content.decode()
    assert 'value="Team teaching"' in html and 'value="TT"' in html

    response = client.post(
        "/author/modules/team-teaching/", module_data("team-teaching-2", **{"en-title": "TT!"})
    )
    assert response.url == "/author/modules/team-teaching-2/"
    module.refresh_from_db()
    assert module.slug == "team-teaching-2"
    assert list(module.texts.values_list("language", "title")) == [("en", "TT!")]


def test_a_japanese_text_needs_its_title_once_anything_is_typed(client, editor):
    client.force_login(editor)
    response = client.post("/author/modules/new/", module_data(**{"ja-summary": "要約だけ"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_ja-title_error"' in html
    assert 'value="Classroom English"' in html  # what was typed is kept
    assert "要約だけ" in html
    assert not Module.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "new"}, "That address is reserved"),
        ({"maintainers": "priya, nobody-here"}, "No member has the username: nobody-here"),
        ({"en-title": ""}, "This field is required"),
    ],
)
def test_bad_module_input_is_refused_with_a_message(
    client, editor, contributor, overrides, message
):
    client.force_login(editor)
    response = client.post("/author/modules/new/", module_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Module.objects.exists()


def test_two_lessons_in_a_module_cannot_share_an_address(client, editor):
    module = make_module(lessons=1)
    client.force_login(editor)
    response = client.post(f"/author/modules/{module.slug}/lessons/new/", lesson_data("lesson-1"))
    assert response.status_code == 400
    assert "Another lesson in this module has that address." in response.content.decode()
    assert module.lessons.count() == 1


def test_preview_renders_the_markdown_and_saves_nothing(client, editor):
    module = make_module()
    lesson = make_lesson(module, "planning")
    client.force_login(editor)
    url = f"/author/modules/{module.slug}/lessons/planning/"
    data = lesson_data("renamed", preview="1", **{"en-body": "A *new* body", "ja-title": "計画"})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview (not saved yet)" in html
    assert "A <em>new</em> body" in html
    assert 'value="renamed"' in html  # the form keeps what was typed
    assert '<article class="card preview-item" lang="ja">' in html
    lesson.refresh_from_db()
    assert lesson.slug == "planning"
    assert lesson.texts.get().body == "Plan with your JTE **before** class."
    assert not lesson.texts.filter(language="ja").exists()


def test_htmx_preview_answers_with_just_the_fragment(client, editor):
    client.force_login(editor)
    response = client.post(
        "/author/modules/new/",
        module_data(preview="1", **{"en-intro": "<script>x</script> **bold**"}),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert not Module.objects.exists()


def test_a_single_choice_question_with_two_right_answers_is_refused_and_kept(client, editor):
    lesson = make_lesson(make_module())
    add_check(lesson)
    client.force_login(editor)
    url = f"/author/modules/{lesson.module.slug}/lessons/{lesson.slug}/check/"
    two_right = ("single", "Who plans?", [("The JTE", True, "Often."), ("Both", True, "Best.")])
    response = client.post(url, check_data(GOOD_QUESTION, two_right))
    assert response.status_code == 400
    html = response.content.decode()
    assert "needs exactly one correct answer" in html
    assert 'aria-describedby="q1-errors"' in html
    assert "Who plans?" in html and 'value="Both"' in html and "Best." in html
    assert "Who models the activity first?" in html
    assert list(Question.objects.values_list("prompt", flat=True)) == ["Who leads the class?"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (("multiple", "Which?", [("A", False, ""), ("B", False, "")]), "Mark at least one"),
        (("single", "Which?", [("A", True, "")]), "Give at least two answers."),
        (("single", "", [("A", True, ""), ("B", False, "")]), "Write the question"),
        (
            ("single", "Which?", [("A", True, ""), ("B", False, ""), ("", True, "")]),
            "clear this row",
        ),
    ],
)
def test_a_check_question_that_cannot_be_answered_is_refused(client, editor, question, message):
    lesson = make_lesson(make_module())
    client.force_login(editor)
    url = f"/author/modules/{lesson.module.slug}/lessons/{lesson.slug}/check/"
    response = client.post(url, check_data(question))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_removed_and_blank_questions_are_dropped_and_add_a_question_saves_nothing(client, editor):
    lesson = make_lesson(make_module())
    add_check(lesson)
    client.force_login(editor)
    url = f"/author/modules/{lesson.module.slug}/lessons/{lesson.slug}/check/"
    html = client.get(url).content.decode()
    assert 'name="questions" value="2"' in html  # the stored question and one blank

    data = check_data(GOOD_QUESTION, ("single", "", []))
    response = client.post(url, {**data, "add_question": "1"})
    assert response.status_code == 200
    assert 'name="questions" value="3"' in response.content.decode()
    assert Question.objects.get().prompt == "Who leads the class?"

    data = check_data(GOOD_QUESTION, ("single", "Drop me", [("x", True, ""), ("y", False, "")]))
    client.post(url, {**data, "q1-remove": "on"})
    assert list(Question.objects.values_list("prompt", flat=True)) == [GOOD_QUESTION[1]]
    assert Option.objects.count() == 2


def test_modules_move_up_and_down_and_ties_are_settled(client, editor):
    first = make_module("first", order=1)
    second = make_module("second", order=1)  # same order: sorted by address
    third = make_module("third", order=7)
    client.force_login(editor)

    def order():
        return list(Module.objects.values_list("slug", flat=True))

    client.post("/author/modules/third/move/", {"direction": "up"})
    assert order() == ["first", "third", "second"]
    client.post("/author/modules/third/move/", {"direction": "down"})
    assert order() == ["first", "second", "third"]
    client.post("/author/modules/first/move/", {"direction": "up"})  # already first
    client.post("/author/modules/third/move/", {"direction": "down"})  # already last
    assert order() == ["first", "second", "third"]
    assert [m.order for m in Module.objects.all()] == [1, 2, 3]
    response = client.post("/author/modules/first/move/", {"direction": "sideways"})
    assert response.status_code == 400
    assert {first.pk, second.pk, third.pk} == set(Module.objects.values_list("pk", flat=True))

    html = client.get(LIST).content.decode()
    assert html.index("module-first") < html.index("module-second") < html.index("module-third")


def test_lessons_move_within_their_module_only(client, editor):
    module = make_module(lessons=3)
    other = make_module("other", lessons=2)
    client.force_login(editor)
    client.post(f"/author/modules/{module.slug}/lessons/lesson-3/move/", {"direction": "up"})
    client.post(f"/author/modules/{module.slug}/lessons/lesson-3/move/", {"direction": "up"})
    assert list(module.lessons.values_list("slug", flat=True)) == [
        "lesson-3",
        "lesson-1",
        "lesson-2",
    ]
    assert list(other.lessons.values_list("slug", "order")) == [("lesson-1", 1), ("lesson-2", 2)]
    html = client.get(module.get_absolute_url()).content.decode()
    assert html.index("Lesson 3") < html.index("Lesson 1") < html.index("Lesson 2")


def test_a_new_lesson_goes_last_in_its_module(client, editor):
    module = make_module(lessons=2)
    client.force_login(editor)
    client.post(f"/author/modules/{module.slug}/lessons/new/", lesson_data())
    assert module.lessons.last().slug == "giving-instructions"


def test_publishing_and_unpublishing_changes_what_the_catalogue_shows(client, editor, new_alt):
    make_module("draft-module", title="Draft module", is_published=False)
    client.force_login(editor)
    assert "Draft module" in client.get(LIST).content.decode()
    assert "Draft module" not in client.get("/modules/?all=1").content.decode()

    client.post("/author/modules/draft-module/publish/", {"published": "1"})
    client.force_login(new_alt)
    assert "Draft module" in client.get("/modules/?all=1").content.decode()

    client.force_login(editor)
    client.post("/author/modules/draft-module/publish/", {"published": "0"})
    client.force_login(new_alt)
    assert "Draft module" not in client.get("/modules/?all=1").content.decode()
    assert client.get("/modules/draft-module/").status_code == 404


def test_editors_see_edit_links_and_members_do_not(client, editor, new_alt):
    lesson = make_lesson(make_module())
    pages = ["/modules/", "/modules/team-teaching/", lesson.get_absolute_url()]
    links = ["/author/modules/", "/author/modules/team-teaching/", "/lessons/planning/"]
    client.force_login(editor)
    for page, link in zip(pages, links, strict=True):
        assert link in client.get(page).content.decode()
    client.force_login(new_alt)
    for page in pages:
        assert "/author/" not in client.get(page).content.decode()


def test_a_site_admin_may_author(client, site_admin):
    make_module()
    client.force_login(site_admin)
    assert client.get(LIST).status_code == 200


# Every authoring address, with what a refused visitor would try to send.
ROUTES = [
    ("get", LIST, {}),
    ("get", "/author/modules/new/", {}),
    ("post", "/author/modules/new/", module_data()),
    ("get", "/author/modules/team-teaching/", {}),
    ("post", "/author/modules/team-teaching/", module_data("hijacked")),
    ("post", "/author/modules/team-teaching/move/", {"direction": "down"}),
    ("post", "/author/modules/team-teaching/publish/", {"published": "0"}),
    ("get", "/author/modules/team-teaching/lessons/new/", {}),
    ("post", "/author/modules/team-teaching/lessons/new/", lesson_data()),
    ("get", "/author/modules/team-teaching/lessons/planning/", {}),
    ("post", "/author/modules/team-teaching/lessons/planning/", lesson_data("hijacked")),
    ("post", "/author/modules/team-teaching/lessons/planning/move/", {"direction": "down"}),
    ("get", "/author/modules/team-teaching/lessons/planning/check/", {}),
    ("post", "/author/modules/team-teaching/lessons/planning/check/", check_data(GOOD_QUESTION)),
]


def snapshot() -> list:
    return [
        list(Module.objects.values_list("slug", "order", "is_published")),
        list(Lesson.objects.values_list("slug", "order")),
        list(ModuleText.objects.values_list("title", flat=True)),
        list(LessonText.objects.values_list("title", "body")),
        list(Question.objects.values_list("prompt", flat=True)),
    ]


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "moderator", "outsider"])
@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_people_who_are_not_editors_are_refused_and_nothing_changes(
    request, client, persona, method, url, data
):
    module = make_module()
    make_module("second", order=2)
    make_lesson(module, "planning")
    make_lesson(module, "second-lesson", order=2)
    before = snapshot()
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(client, method, url, data):
    module = make_module()
    make_module("second", order=2)
    make_lesson(module, "planning")
    before = snapshot()
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert snapshot() == before


def stored_lesson_form() -> dict:
    """The lesson form as the browser would send it back unchanged (with CRLF line ends)."""
    text = LessonText.objects.get()
    return lesson_data(
        "greetings",
        estimated_minutes="8",
        **{
            "en-title": text.title,
            "en-body": text.body.replace("\n", "\r\n"),
            "en-objectives": "\r\n".join(text.objectives),
            "en-references": "\r\n".join(text.references),
            "en-reflection_prompt": text.reflection_prompt,
        },
    )


def test_a_site_edit_survives_loading_the_curriculum_again(client, editor, tmp_path):
    root = write_curriculum(tmp_path)
    load_curriculum(root)
    client.force_login(editor)
    url = "/author/modules/first-day/lessons/greetings/"
    data = stored_lesson_form()
    client.post(url, {**data, "en-body": "An editor's better wording."})
    better = ("single", "Whom first?", [("The principal", True, ""), ("Nobody", False, "")])
    client.post(f"{url}check/", check_data(better))

    write_curriculum(root, body="The file's new wording.")
    report = load_curriculum(root)
    assert "first-day/greetings [en]" in report.kept_site_edits
    assert "first-day/greetings (check)" in report.kept_site_edits
    assert LessonText.objects.get().body == "An editor's better wording."
    assert Question.objects.get().prompt == "Whom first?"


def test_a_site_reorder_survives_loading_the_curriculum_again(client, editor, tmp_path):
    root = write_curriculum(tmp_path)
    (root / "01-first-day" / "02-farewells.md").write_text(
        CURRICULUM_LESSON.format(slug="farewells", title="Farewells", body="Bye.")
    )
    load_curriculum(root)
    client.force_login(editor)
    client.post("/author/modules/first-day/lessons/farewells/move/", {"direction": "up"})
    load_curriculum(root)
    assert list(Lesson.objects.values_list("slug", flat=True)) == ["farewells", "greetings"]


def test_saving_a_lesson_unchanged_leaves_it_to_the_curriculum_files(client, editor, tmp_path):
    root = write_curriculum(tmp_path)
    load_curriculum(root)
    client.force_login(editor)
    url = "/author/modules/first-day/lessons/greetings/"
    response = client.post(url, {**stored_lesson_form(), "pass_mark": ""})
    assert response.status_code == 302
    same = [("The principal", True, "Usually, yes."), ("Nobody", False, "Greetings matter.")]
    client.post(f"{url}check/", check_data(("single", "Who do you greet first?", same)))
    assert not LessonText.objects.get().edited_on_site

    write_curriculum(root, body="The file's new wording.")
    report = load_curriculum(root)
    assert report.kept_site_edits == []
    assert LessonText.objects.get().body == "The file's new wording.\n"


def test_module_list_query_count_does_not_grow_with_modules(
    client, editor, django_assert_num_queries
):
    make_module(lessons=2)
    client.force_login(editor)
    # session, user, user's roles, modules with lesson counts, their texts
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200
    for number in range(10):
        make_module(f"extra-{number}", lessons=2, order=10 + number, is_published=number % 2)
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200


def test_module_edit_page_query_count_does_not_grow_with_lessons(
    client, editor, contributor, django_assert_num_queries
):
    module = make_module(lessons=2)
    module.maintainers.add(contributor)
    client.force_login(editor)
    url = "/author/modules/team-teaching/"
    # session, user, user's roles, module, its texts, its maintainers,
    # lessons with question counts, their texts
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for number in range(3, 13):
        add_check(make_lesson(module, f"lesson-{number}", order=number))
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_lesson_and_check_edit_pages_run_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries
):
    lesson = make_lesson(make_module())
    add_check(lesson)
    client.force_login(editor)
    url = f"/author/modules/{lesson.module.slug}/lessons/{lesson.slug}/"
    # session, user, user's roles, lesson with module, lesson texts, module texts, questions count
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    # session, user, user's roles, lesson with module, lesson texts, questions, their options
    for _number in range(5):
        add_check(lesson)
    with django_assert_num_queries(7):
        assert client.get(f"{url}check/").status_code == 200
