"""Watchers hear when a revision of a lesson is published (altto/revisions/actions.py)."""

import pytest

from altto.notifications.actions import watch
from altto.notifications.models import Notification
from altto.revisions.actions import record_revision
from tests.courses.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(lesson):
    return lesson.texts.get(language="en")


def edited(text, body: str = "Plan with your JTE **the day before**.") -> dict:
    return {**text.revision_data(), "body": body}


def test_module_watchers_are_told_when_a_lesson_in_it_is_edited(
    new_alt, editor, module, text, django_capture_on_commit_callbacks
):
    watch(new_alt, module)
    with django_capture_on_commit_callbacks(execute=True):
        record_revision(
            text, kind="edit", summary="Plan a day ahead", author=editor, data=edited(text)
        )
    notification = Notification.objects.get()
    assert notification.user == new_alt
    assert notification.kind == "revision_published"
    assert notification.url == "/modules/team-teaching/planning/"
    assert notification.params == {"title": "Planning with your JTE", "summary": "Plan a day ahead"}
    assert notification.message() == "“Planning with your JTE” was updated: Plan a day ahead"
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 1


def test_lesson_watchers_are_told_once_even_if_they_watch_its_module_too(
    new_alt, contributor, editor, module, lesson, text, django_capture_on_commit_callbacks
):
    watch(new_alt, lesson)
    watch(new_alt, module)
    watch(contributor, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        record_revision(text, kind="edit", summary="Tidy", author=editor, data=edited(text))
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "priya",
        "sam",
    ]
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 1


def test_watchers_of_other_lessons_hear_nothing(
    new_alt, editor, module, text, django_capture_on_commit_callbacks
):
    watch(new_alt, make_lesson(module, "greetings", order=2))
    with django_capture_on_commit_callbacks(execute=True):
        record_revision(text, kind="edit", summary="Tidy", author=editor, data=edited(text))
    assert not Notification.objects.exists()


def test_the_author_is_not_told_of_their_own_change(
    new_alt, editor, module, text, django_capture_on_commit_callbacks
):
    watch(editor, module)
    watch(new_alt, module)
    with django_capture_on_commit_callbacks(execute=True):
        record_revision(text, kind="edit", summary="Tidy", author=editor, data=edited(text))
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["sam"]
    editor.refresh_from_db()
    assert editor.unread_notifications == 0


def test_an_import_tells_nobody(new_alt, module, text, django_capture_on_commit_callbacks):
    watch(new_alt, module)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_revision(text, kind="import", summary="Imported from the starter curriculum")
    assert callbacks == []
    assert not Notification.objects.exists()
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 0


def test_nothing_is_sent_before_the_revision_commits(
    new_alt, editor, module, text, django_capture_on_commit_callbacks
):
    watch(new_alt, module)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_revision(text, kind="edit", summary="Tidy", author=editor, data=edited(text))
    assert len(callbacks) == 1
    assert not Notification.objects.exists()


def test_the_counter_adds_up_over_several_revisions_and_shows_in_the_header(
    client, new_alt, editor, module, text, django_capture_on_commit_callbacks
):
    watch(new_alt, module)
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            record_revision(
                text,
                kind="edit",
                summary=f"Edit {number}",
                author=editor,
                data=edited(text, f"Version {number}"),
            )
    new_alt.refresh_from_db()
    assert new_alt.unread_notifications == 3
    client.force_login(new_alt)
    page = client.get("/notifications/").content.decode()
    assert "Notifications (3" in page
    assert page.count('<span class="tag">New</span>') == 3
