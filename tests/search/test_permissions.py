"""Search never shows what not everyone may read: drafts, unpublished pages, future posts,
held, hidden or deleted forum words, and who asked anonymously. Run on SQLite and
PostgreSQL."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from altto.courses.models import Lesson, Module
from altto.forum import actions as forum_actions
from altto.forum.models import Thread
from altto.library import actions as library_actions
from altto.library.models import Item
from altto.search import indexing
from altto.search.models import Entry
from tests.conftest import make_user
from tests.courses.factories import make_lesson, make_module
from tests.forum.helpers import make_member, make_trusted, opening, reply, start
from tests.library.browse_factories import make_activity
from tests.search.indexing_helpers import blog_post, found

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def asker(db):
    return make_member("kim", display_name="Kim Park")


# ---- blog -----------------------------------------------------------------------------------


@pytest.mark.parametrize("until", ["draft", "review", "unpublished"])
def test_blog_posts_not_out_are_never_found(committed, new_alt, blog_editor, until):
    with committed():
        blog_post(new_alt, blog_editor, "Maps of your town", until=until)
    assert found("maps") == [] and not Entry.objects.exists()


def test_a_scheduled_post_is_found_from_its_time(committed, new_alt, blog_editor):
    when = timezone.now() + timedelta(days=2)
    with committed():
        post = blog_post(new_alt, blog_editor, "Maps of your town", until="scheduled",
                         publish_at=when)  # fmt: skip
    assert found("maps") == []
    assert found("maps", now=when + timedelta(minutes=1)) == [("post", post.pk)]


def test_unpublishing_a_post_takes_it_out(committed, new_alt, blog_editor):
    from altto.blog import actions as blog_actions

    with committed():
        post = blog_post(new_alt, blog_editor, "Maps of your town")
    assert found("maps") == [("post", post.pk)]
    with committed():
        blog_actions.unpublish(post, blog_editor, "Out of date.")
    assert found("maps") == []


# ---- lessons and library -------------------------------------------------------------------


def test_unpublished_lessons_and_modules_are_never_found(committed):
    with committed():
        hidden_module = make_module("draft-module", is_published=False)
        make_lesson(hidden_module, "in-draft-module", title="Karuta in a draft module")
        make_lesson(make_module(), "draft-lesson", title="Karuta draft", is_published=False)
        shown = make_lesson(make_module("live"), "live-lesson", title="Karuta live")
    assert found("karuta") == [("lesson", shown.pk)]
    with committed():
        module = Module.objects.get(slug="live")
        module.is_published = False
        module.save()
    assert found("karuta") == []
    with committed():
        module.is_published = True
        module.save()
        lesson = Lesson.objects.get(pk=shown.pk)
        lesson.is_published = False
        lesson.save()
    assert found("karuta") == []


@pytest.mark.parametrize("status", ["draft", "submitted", "unpublished"])
def test_library_items_not_published_are_never_found(committed, status):
    with committed():
        make_activity("Fruit basket", status=status)
    assert found("fruit") == [] and not Entry.objects.exists()


def test_taking_an_item_down_takes_it_out(committed, editor):
    with committed():
        item = make_activity("Fruit basket")
    assert found("fruit") == [("item", item.pk)]
    with committed():
        library_actions.unpublish(item, editor, "Rights unclear.")
    assert Item.objects.get(pk=item.pk).status == Item.Status.UNPUBLISHED
    assert found("fruit") == []


# ---- forum ----------------------------------------------------------------------------------


def test_held_threads_and_replies_are_never_found(committed, asker, new_alt):
    with committed():
        held_thread = start(new_alt, "Karuta for beginners please", "Any rules?")
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas, please.")
        held_reply = reply(new_alt, thread, "Try zanzibar dice.")
    assert held_thread.status == Thread.Status.HELD and held_reply.status == "held"
    assert found("karuta") == [] and found("zanzibar") == []
    assert "zanzibar" not in Entry.objects.get(object_id=thread.pk).text.lower()


def test_hiding_a_post_after_indexing_removes_its_words(committed, asker, moderator):
    helper = make_member("lee")
    with committed():
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas, please.")
        answer = reply(helper, thread, "Try zanzibar dice.")
        forum_actions.accept_answer(thread, answer, asker)
    assert found("zanzibar") == [("thread", thread.pk)]
    with committed():
        forum_actions.hide_post(answer, moderator, "Spam.")
    assert found("zanzibar") == [] and found("sleepy") == [("thread", thread.pk)]
    assert Entry.objects.get().boost == 0  # no accepted answer any more
    with committed():
        forum_actions.restore_post(answer, moderator)
    assert found("zanzibar") == [("thread", thread.pk)]


def test_a_post_hidden_by_flags_or_deleted_leaves_the_index(committed, asker):
    helper = make_member("lee")
    with committed():
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas, please.")
        flagged = reply(helper, thread, "Buy zanzibar pills at example.com")
        deleted = reply(helper, thread, "Try origami cranes.")
    assert found("zanzibar") == found("origami") == [("thread", thread.pk)]
    with committed():
        for name in ("tara", "tom"):  # trusted flags hide the post with an update()
            forum_actions.flag_post(flagged, make_trusted(name), "spam")
        forum_actions.delete_post(deleted, helper)
    assert found("zanzibar") == [] and found("origami") == []


def test_hidden_deleted_and_merged_threads_are_never_found(committed, asker, moderator):
    with committed():
        hidden = start(asker, "Karuta rules for grade five", "Ideas?")
        deleted = start(asker, "Origami cranes for grade six", "Ideas?")
        merged = start(asker, "Dice games for grade four", "Zanzibar dice, anyone?")
        target = start(asker, "Dice games for any grade", "Ideas?")
    with committed():
        forum_actions.hide_post(opening(hidden), moderator)
        forum_actions.delete_post(opening(deleted), asker)
        forum_actions.merge_thread(merged, target, moderator)
    assert found("karuta") == [] and found("origami") == []
    # The merged thread's posts now live in the thread it joined, and only there.
    assert found("zanzibar") == [("thread", target.pk)] and found("four") == []
    assert set(Entry.objects.values_list("object_id", flat=True)) == {target.pk}


def test_an_anonymous_askers_names_are_nowhere_in_the_index(committed):
    asker = make_member("secret_kim", display_name="Kimberly Secret")
    helper = make_member("lee", display_name="Lee")
    with committed():
        thread = start(asker, "Is it normal to feel lonely here?", "My first winter in Akita.",
                       anonymous=True)  # fmt: skip
        reply(helper, thread, "Yes, it gets better.")
        reply(asker, thread, "Thank you, that helps.")  # the asker again, still anonymous
    [entry] = Entry.objects.all()
    assert "akita" in entry.body_terms
    values = " ".join(str(v) for v in model_to_dict(entry).values()).lower()
    for name in ("secret_kim", "kimberly", "secret", "lee"):
        assert name not in values
    assert found("kimberly") == [] and found("secret_kim") == []


def test_a_rebuild_writes_only_what_everyone_may_read(asker, new_alt, blog_editor, moderator):
    with indexing.paused():
        make_lesson(make_module("draft", is_published=False), title="Karuta hidden")
        make_activity("Karuta cards", status="draft")
        blog_post(new_alt, blog_editor, "Karuta later", until="review")
        start(make_user("nora"), "Karuta held thread", "Waiting.")
        thread = start(asker, "Karuta for all", "Ideas?")
        hidden = reply(make_member("lee"), thread, "Zanzibar hidden words.")
        forum_actions.hide_post(hidden, moderator)
    indexing.reindex_all()
    assert found("karuta") == [("thread", thread.pk)]
    assert found("zanzibar") == []
