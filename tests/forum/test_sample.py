"""The sample forum `make run` loads: enough threads, in every category, clearly marked,
posted through the real actions, and loaded only once."""

import pytest

from altto.core.sample_data import SAMPLE_MEMBERS, load_sample_community
from altto.forum.models import Category, Post, Thread
from altto.forum.sample import SAMPLE_MARKER, load_sample_forum, read_sample_threads
from altto.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_sample_file_is_big_enough_and_varied():
    entries = read_sample_threads()
    assert len(entries) >= 42
    assert {entry["kind"] for entry in entries} == set(Thread.Kind.values)
    authors = {entry["author"] for entry in entries}
    authors |= {r["by"] for entry in entries for r in entry.get("replies") or []}
    assert authors <= {member["username"] for member in SAMPLE_MEMBERS}
    titles = [entry["title"] for entry in entries]
    assert len(titles) == len(set(titles))


def check_lively_forum_in_every_category(created: int) -> None:
    threads = Thread.objects.listed()
    assert created == threads.count() >= 40
    assert not Thread.objects.exclude(status=Thread.Status.VISIBLE).exists()
    assert not Post.objects.exclude(status=Post.Status.VISIBLE).exists()
    for category in Category.objects.all():
        assert threads.filter(category=category).count() >= 3, category.slug
    assert threads.filter(reply_count__gte=20).count() >= 3
    questions = threads.filter(kind=Thread.Kind.QUESTION)
    assert questions.count() >= 15
    assert questions.filter(accepted_answer__isnull=False).count() >= 8
    assert questions.filter(reply_count=0).count() >= 3
    assert threads.filter(is_pinned=True).count() == 1
    assert threads.filter(score__gt=0).count() >= 20


def check_counts_and_times_match_the_posts() -> None:
    for thread in Thread.objects.all():
        posts = thread.posts.order_by("created_at")
        assert thread.reply_count == posts.count() - 1
        assert posts.first().is_opening
        assert posts.first().created_at == thread.created_at
        assert thread.last_posted_at == posts.last().created_at
        if thread.accepted_answer_id:
            assert thread.accepted_answer.thread_id == thread.pk


def check_every_opening_post_is_marked_as_sample_data(created: int) -> None:
    openings = Post.objects.filter(is_opening=True).select_related("author")
    assert openings.count() == created
    for post in openings:
        assert post.body.rstrip().endswith(SAMPLE_MARKER)
        assert post.author.username in {m["username"] for m in SAMPLE_MEMBERS}
        assert "(sample)" in post.author.display_name


def check_the_anonymous_question_stays_anonymous() -> None:
    thread = Thread.objects.get(is_anonymous=True)
    assert thread.is_question
    opening = thread.posts.get(is_opening=True)
    assert opening.is_anonymous
    own_replies = thread.posts.filter(is_opening=False, author=thread.author)
    assert own_replies.exists()
    assert all(post.is_anonymous for post in own_replies)
    assert not thread.posts.exclude(author=thread.author).filter(is_anonymous=True).exists()


def test_the_sample_forum_loads_once(django_capture_on_commit_callbacks):
    """One load (it takes a few seconds), many checks."""
    load_sample_community()
    with django_capture_on_commit_callbacks(execute=True):
        created = load_sample_forum()
    check_lively_forum_in_every_category(created)
    check_counts_and_times_match_the_posts()
    check_every_opening_post_is_marked_as_sample_data(created)
    check_the_anonymous_question_stays_anonymous()
    # The notifications of an anonymous post name nobody.
    anonymous = Notification.objects.filter(kind__endswith="_anon")
    assert anonymous.exists()
    assert all(not n.params.get("actor") for n in anonymous)

    threads, posts = Thread.objects.count(), Post.objects.count()
    assert load_sample_forum() == 0
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)


def test_setup_site_loads_the_forum_unless_told_not_to():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("setup_site", "--no-sample", stdout=out)
    assert not Thread.objects.exists()
    call_command("setup_site", stdout=out)
    assert f"Loaded the sample forum ({Thread.objects.count()} threads)." in out.getvalue()
