"""Watching a lesson or module: a toggle that works with and without htmx."""

import pytest

from altto.notifications.actions import is_watching, watch
from altto.notifications.models import Watch
from altto.notifications.queries import watch_state
from tests.courses.factories import make_lesson, make_module
from tests.test_pages import ScriptAndStyleFinder

pytestmark = pytest.mark.django_db


def watch_url(target) -> str:
    return f"/watch/{target._meta.model_name}/{target.pk}/"


def test_a_member_watches_a_lesson_and_returns_to_it(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(watch_url(lesson), follow=True)
    assert response.redirect_chain == [("/modules/team-teaching/planning/", 302)]
    assert "You are watching this lesson" in response.content.decode()
    assert is_watching(new_alt, lesson)


def test_posting_again_stops_watching(client, new_alt, lesson):
    watch(new_alt, lesson)
    client.force_login(new_alt)
    response = client.post(watch_url(lesson), follow=True)
    assert "You are no longer watching this lesson." in response.content.decode()
    assert not is_watching(new_alt, lesson)


def test_the_button_says_what_it_wants_so_a_double_submit_cannot_undo_it(client, new_alt, module):
    client.force_login(new_alt)
    client.post(watch_url(module), {"watch": "1"})
    client.post(watch_url(module), {"watch": "1"})
    assert is_watching(new_alt, module)
    client.post(watch_url(module), {"watch": "0"})
    client.post(watch_url(module), {"watch": "0"})
    assert not is_watching(new_alt, module)


def test_a_member_watches_a_module(client, new_alt, module):
    client.force_login(new_alt)
    response = client.post(watch_url(module))
    assert response["Location"] == "/modules/team-teaching/"
    assert is_watching(new_alt, module)
    assert Watch.objects.get().target == module


def test_it_returns_to_next_when_it_is_a_local_path(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(watch_url(lesson.module), {"next": "/modules/team-teaching/planning/"})
    assert response["Location"] == "/modules/team-teaching/planning/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example", "javascript:x"])
def test_it_ignores_a_next_off_the_site(client, new_alt, lesson, next_url):
    client.force_login(new_alt)
    response = client.post(watch_url(lesson), {"next": next_url})
    assert response["Location"] == "/modules/team-teaching/planning/"


@pytest.mark.parametrize("kind", ["user", "lessons", "notification", "lessontext"])
def test_other_kinds_are_404(client, new_alt, lesson, kind):
    client.force_login(new_alt)
    assert client.post(f"/watch/{kind}/{lesson.pk}/").status_code == 404
    assert not Watch.objects.exists()


def test_unknown_and_unpublished_targets_are_404(client, new_alt, module):
    hidden_lesson = make_lesson(module, "draft", is_published=False)
    hidden_module = make_module("drafts", is_published=False)
    lesson_in_hidden_module = make_lesson(hidden_module, "inside")
    client.force_login(new_alt)
    for url in (
        "/watch/lesson/999999/",
        "/watch/module/999999/",
        watch_url(hidden_lesson),
        watch_url(hidden_module),
        watch_url(lesson_in_hidden_module),
    ):
        assert client.post(url).status_code == 404, url
    assert not Watch.objects.exists()


def test_watching_is_post_only(client, new_alt, lesson):
    client.force_login(new_alt)
    assert client.get(watch_url(lesson)).status_code == 405
    assert not Watch.objects.exists()


def test_visitors_are_sent_to_log_in_and_back_to_the_page(client, lesson):
    response = client.post(watch_url(lesson))
    assert response["Location"] == "/accounts/login/?next=/modules/team-teaching/planning/"
    assert not Watch.objects.exists()


def test_visitors_using_htmx_are_sent_to_log_in_by_a_full_page_load(client, lesson):
    response = client.post(watch_url(lesson), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/modules/team-teaching/planning/"


def test_with_htmx_it_returns_only_the_button(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(
        watch_url(lesson),
        {"next": "/modules/team-teaching/planning/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.count("<form") == 1
    assert f'hx-post="{watch_url(lesson)}"' in fragment
    assert f'id="watch-lesson-{lesson.pk}"' in fragment  # htmx keeps focus on the same id
    assert "Stop watching this lesson" in fragment
    assert 'name="watch" value="0"' in fragment
    assert 'name="next" value="/modules/team-teaching/planning/"' in fragment
    finder = ScriptAndStyleFinder()
    finder.feed(fragment)
    assert (finder.inline_scripts, finder.inline_styles) == (0, 0)
    assert is_watching(new_alt, lesson)

    fragment = client.post(
        watch_url(lesson), {"watch": "0"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Watch this lesson" in fragment
    assert 'name="watch" value="1"' in fragment
    assert not is_watching(new_alt, lesson)


def test_the_module_button_names_the_module(client, new_alt, module):
    client.force_login(new_alt)
    fragment = client.post(watch_url(module), headers={"HX-Request": "true"}).content.decode()
    assert "Stop watching this module" in fragment


def test_the_include_renders_nothing_for_visitors(rf, lesson):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "notifications/_watch_button.html",
        {"target_kind": "lesson", "target": lesson, "watching": False},
        request=request,
    )
    assert html.strip() == ""


def test_watch_state_answers_for_several_targets_in_one_query(
    new_alt, contributor, module, lesson, django_assert_num_queries
):
    other_lesson = make_lesson(module, "greetings", order=2)
    other_module = make_module("first-day", order=2)
    watch(new_alt, lesson)
    watch(new_alt, other_module)
    watch(contributor, module)
    # the member's watches among these lessons and modules (content types joined by name)
    with django_assert_num_queries(1):
        state = watch_state(new_alt, lesson, other_lesson, module, other_module)
    assert state == {lesson: True, other_lesson: False, module: False, other_module: True}


def test_watch_state_tells_a_lesson_and_a_module_with_the_same_pk_apart(new_alt):
    module = make_module("same", id=4242)
    lesson = make_lesson(module, "same", id=4242)
    watch(new_alt, module)
    assert watch_state(new_alt, module, lesson) == {module: True, lesson: False}


def test_watch_state_costs_nothing_for_visitors_or_no_targets(
    new_alt, lesson, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert watch_state(AnonymousUser(), lesson) == {lesson: False}
        assert watch_state(new_alt) == {}
