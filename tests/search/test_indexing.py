"""What goes into the index for each kind of page, how it follows saves, and the rebuild
command. Run on SQLite and on PostgreSQL."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from altto.courses.models import LessonText
from altto.forum import actions as forum_actions
from altto.forum.queries import similar_to
from altto.search import documents, indexing
from altto.search.models import Entry
from tests.courses.factories import make_lesson, make_module
from tests.forum.helpers import make_member, opening, reply, start
from tests.library.browse_factories import make_activity, make_tag
from tests.search.indexing_helpers import blog_post, entries, found, japanese_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for the commit (the reindexing), as a real
    commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# ---- what an entry holds --------------------------------------------------------------


def test_a_lesson_has_an_entry_per_language(committed):
    with committed():
        module = make_module(school_levels=["jhs", "shs"])
        body = "## Before class\n\nPlan with your JTE **before** class."
        lesson = make_lesson(module, "planning", title="Planning together", body=body)
        japanese_text(lesson)
    en, ja = entries("lesson", lesson.pk)
    assert (en.language, en.title, en.url) == ("en", "Planning together", lesson.get_absolute_url())
    assert en.text == "Before class Plan with your JTE before class. Plan a lesson with a JTE"
    assert en.levels == " jhs shs " and en.tags == "" and en.live_from is None
    assert (ja.language, ja.title) == ("ja", "自己紹介の授業")
    assert ja.url.endswith("?lang=ja") and "写真" in ja.text and "**" not in ja.text
    assert found("planning") == [("lesson", lesson.pk)]
    assert found("自己紹介") == [("lesson", lesson.pk)]
    assert found("紹介する") == [("lesson", lesson.pk)]  # objectives are words too


def test_a_library_item_has_its_words_tags_and_levels(committed):
    with committed():
        item = make_activity(
            "Fruit basket", summary="A seat-swapping game.", grammar_point="There is / are",
            steps="1. Chairs in a **circle**\n2. Call a fruit", variations="Use *animals*.",
            materials="Chairs", school_levels=["es"], tags=[make_tag("warm-up", "Warm-up")],
        )  # fmt: skip
    [entry] = entries("item", item.pk)
    assert entry.url == item.get_absolute_url() and entry.language == "en"
    assert entry.tags == " warm-up " and entry.levels == " es "
    for words in ("seat-swapping", "There is / are", "Chairs in a circle", "Use animals."):
        assert words in entry.text
    assert "<" not in entry.text and "*" not in entry.text
    assert found("circles") == found("animal") == found("warm") == [("item", item.pk)]
    assert found("basket", tag="warm-up", level="es") == [("item", item.pk)]


def test_a_blog_post_has_its_summary_body_tags_and_time(committed, new_alt, blog_editor):
    with committed():
        post = blog_post(new_alt, blog_editor, "Maps of your town", tags=("first week",),
                         body="Draw the **station** & the school.")  # fmt: skip
    [entry] = entries("post", post.pk)
    assert entry.live_from == post.publish_at and entry.url == post.get_absolute_url()
    assert entry.text == "A short summary about maps. Draw the station & the school."
    assert entry.tags == " first-week " and entry.language == "en"
    assert found("station") == found("first week") == [("post", post.pk)]


def test_a_thread_holds_its_question_and_visible_replies_best_answer_first(committed):
    asker, helper = make_member("kim", display_name="Kim"), make_member("lee")
    with committed():
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas to wake them up?",
                       levels=["jhs"], employers=["jet"], tags=["games"])  # fmt: skip
        reply(helper, thread, "Try a song.")
        answer = reply(helper, thread, "Try **four corners**.")
        forum_actions.accept_answer(thread, answer, asker)
    [entry] = entries("thread", thread.pk)
    assert entry.text == "Ideas to wake them up? Try four corners. Try a song."
    assert entry.body_terms.split().count("corner") == 2  # the accepted answer counts twice
    assert entry.boost == documents.SOLVED_BOOST
    assert entry.tags == " jet games " and entry.levels == " jhs " and entry.language == "en"
    assert entry.url == thread.get_absolute_url()
    assert found("corner") == found("sleepy") == [("thread", thread.pk)]


def test_a_japanese_thread_and_a_long_one(committed):
    asker, helper = make_member("kim"), make_member("lee")
    with committed():
        japanese = start(asker, "チームティーチングのコツは？", "JTEとの打ち合わせが大切です。")
        long = start(asker, "A very long thread indeed", "word " * 3000)
        for _ in range(3):
            reply(helper, long, "more " * 2000)
    assert entries("thread", japanese.pk)[0].language == "ja"
    assert found("チームティーチング") == found("打ち合わせ") == [("thread", japanese.pk)]
    assert len(entries("thread", long.pk)[0].text) <= documents.MAX_THREAD_TEXT


def test_plain_text_keeps_paragraphs_apart_and_decodes_entities():
    assert documents.plain("<p>One</p><p>two &amp; <em>three</em></p>") == "One two & three"
    assert documents.plain("") == ""


# ---- following saves ----------------------------------------------------------------------


def test_editing_a_lesson_text_changes_what_is_found(committed):
    with committed():
        lesson = make_lesson(make_module(), body="Plan with your JTE on Mondays.")
    assert found("monday") == [("lesson", lesson.pk)]
    with committed():
        text = LessonText.objects.get(lesson=lesson)
        text.body = "Agree on roles with your homeroom teacher."
        text.save()
    assert found("homeroom") == [("lesson", lesson.pk)] and found("monday") == []


def test_editing_a_forum_post_or_title_changes_what_is_found(committed):
    asker = make_member("kim")
    with committed():
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas, please.")
    with committed():
        forum_actions.edit_post(opening(thread), asker, "Any karuta ideas?", title="Karuta rules")
    assert found("karuta") == [("thread", thread.pk)] and found("sleepy") == []
    assert entries("thread", thread.pk)[0].title == "Karuta rules"


def test_deleting_content_removes_its_entries(committed):
    with committed():
        module = make_module()
        lesson = make_lesson(module)
        item = make_activity("Fruit basket")
    assert entries("lesson", lesson.pk) and entries("item", item.pk)
    with committed():
        item.delete()
        module.delete()
    assert not Entry.objects.exists()


def test_a_transaction_reindexes_each_page_once(django_capture_on_commit_callbacks):
    asker = make_member("kim")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        thread = start(asker, "Warm-ups for sleepy classes", "Ideas, please.")
        reply(asker, thread, "And songs?")
    assert [c for c in callbacks if isinstance(c, indexing._Enqueue)] == [
        indexing._Enqueue("thread", thread.pk)
    ]


def test_paused_saves_wait_for_a_rebuild(committed):
    with committed(), indexing.paused():
        item = make_activity("Fruit basket")
    assert not Entry.objects.exists()
    assert indexing.reindex_all(["item"]) == {"item": 1}
    assert found("fruit") == [("item", item.pk)]


def test_the_task_can_run_later_on_the_database_queue(settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        item = make_activity("Fruit basket")
    assert not Entry.objects.exists()  # queued, not run yet
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == ["item", item.pk]
    indexing.reindex_task.call(*queued.args_kwargs["args"])  # what a worker does
    assert found("fruit") == [("item", item.pk)]


# ---- rebuilding ---------------------------------------------------------------------------


def test_rebuild_command_is_idempotent_and_shows_progress(new_alt, blog_editor):
    with indexing.paused():
        lesson = make_lesson(make_module())
        japanese_text(lesson)
        make_activity("Fruit basket")
        blog_post(new_alt, blog_editor, "Maps of your town")
        thread = start(make_member("kim"), "Warm-ups for sleepy classes", "Ideas, please.")
        start(make_member("nora"), "Another warm-up question", "Songs?")
    assert not Entry.objects.exists()

    def rebuild() -> str:
        out = io.StringIO()
        call_command("rebuild_search_index", stdout=out, batch_size=1)
        return out.getvalue()

    output = rebuild()
    first = sorted(Entry.objects.values_list("kind", "object_id", "language", "body_terms"))
    assert re.search(r"thread\s*: 100%.*2/2", output)
    assert "lesson: 2 entries" in output and "thread: 2 entries" in output
    assert "Indexed 6 entries in" in output
    rebuild()
    again = sorted(Entry.objects.values_list("kind", "object_id", "language", "body_terms"))
    assert again == first
    assert found("sleepy") == [("thread", thread.pk)]


def test_rebuild_of_one_kind_leaves_the_others(new_alt):
    with indexing.paused():
        make_activity("Fruit basket")
        start(make_member("kim"), "Warm-ups for sleepy classes", "Ideas, please.")
    call_command("rebuild_search_index", kind=["thread"], no_progress=True, stdout=io.StringIO())
    assert list(Entry.objects.values_list("kind", flat=True)) == ["thread"]


# ---- the forum's "similar questions" panel ------------------------------------------------


def test_similar_questions_share_any_word_of_the_title(committed):
    asker = make_member("kim")
    with committed():
        warm = start(asker, "Warm-ups for sleepy first-period classes", "Ideas, please.")
        start(asker, "Where do I buy indoor shoes?", "My size is hard to find.")
        lesson = make_lesson(make_module(), "warm-ups", title="Warm-ups that work")
        japanese_text(lesson, title="ウォームアップ")
    found_now = similar_to("Any warm-ups for sleepy classes after lunch?")
    assert [e.object_id for e in found_now["threads"]] == [warm.pk]
    lessons = [(e.object_id, e.title) for e in found_now["lessons"]]
    assert lessons == [(lesson.pk, "Warm-ups that work")]
    assert similar_to("Does anyone know?") == {"threads": [], "lessons": []}
    assert similar_to("") == {"threads": [], "lessons": []}


def test_any_terms_and_titles_only_for_similar_questions():
    from tests.search.helpers import entry

    entry("thread", 1, "Karuta rules", "Cards on the floor.")
    entry("thread", 2, "Karuta and zanzibar dice", "Both.")
    entry("thread", 3, "Dice games", "Like karuta, but with dice.")
    assert found("karuta zanzibar origami") == []
    assert found("karuta zanzibar", any_terms=True) == [("thread", 2), ("thread", 1), ("thread", 3)]
    titles = found("karuta origami", any_terms=True, titles_only=True)
    assert sorted(titles) == [("thread", 1), ("thread", 2)]
    assert found("cards floor", titles_only=True) == []
