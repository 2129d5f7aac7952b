"""seed_scale, the data generator behind the search benchmark (bench/search.py): run this
file on SQLite and on PostgreSQL."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Q

from altto.accounts.models import User
from altto.forum.models import Post, Thread
from altto.library.models import Item
from altto.search.models import Entry
from altto.search.queries import search

pytestmark = pytest.mark.django_db


def seed(posts=60, items=8, users=12, **options):
    call_command("seed_scale", posts=posts, items=items, users=users, verbosity=0, **options)


def test_makes_the_numbers_asked_all_visible_and_consistent():
    seed()
    members = User.objects.filter(username__startswith="scale_")
    assert members.count() == 12
    assert not any(member.has_usable_password() for member in members)
    assert Thread.objects.count() == 6
    assert Post.objects.count() == 60
    assert Thread.objects.listed().count() == 6  # every thread listed
    threads = Thread.objects.annotate(
        openings=Count("posts", filter=Q(posts__is_opening=True)),
        replies=Count("posts", filter=Q(posts__is_opening=False, posts__status="visible")),
        last=Max("posts__created_at"),
    )
    for thread in threads:
        assert thread.openings == 1
        assert thread.reply_count == thread.replies  # what refresh_thread would count
        assert thread.last_posted_at == thread.last
        assert thread.slug
        if thread.accepted_answer_id:
            answer = thread.accepted_answer
            assert answer.thread_id == thread.pk and not answer.is_opening
    items = Item.objects.filter(slug__startswith="scale-item-")
    assert items.count() == 8
    assert all(item.status == Item.Status.PUBLISHED for item in items)
    assert all(item.rights_problems() == [] for item in items)  # publishable as they are


def test_refuses_a_second_run_unless_forced():
    seed()
    with pytest.raises(CommandError, match="--force"):
        seed()
    seed(force=True)
    assert User.objects.filter(username__startswith="scale_").count() == 24
    assert Thread.objects.count() == 12
    assert Item.objects.filter(slug__startswith="scale-item-").count() == 16


def test_search_finds_generated_content():
    seed(posts=300, items=20, users=20)
    assert Entry.objects.filter(kind=Entry.Kind.THREAD).count() == 30
    assert Entry.objects.filter(kind=Entry.Kind.ITEM).count() == 20
    thread = Thread.objects.filter(title__regex=r"^[A-Za-z]").order_by("pk").first()
    found = search(thread.title, kinds=("thread",), per_page=50)
    assert thread.pk in [hit.entry.object_id for hit in found.hits]
    assert search("JTE", kinds=("item",)).total > 0
    japanese = (
        Thread.objects.filter(title__contains="の").first()
        or Thread.objects.filter(title__regex=r"[ぁ-んァ-ン]").first()
    )
    assert japanese is not None, "about one thread in ten is in Japanese"
    for word in ("自己紹介", "チームティーチング", "授業", "英語の歌", "発音"):
        if word in japanese.title:
            assert japanese.pk in [h.entry.object_id for h in search(word, per_page=50).hits]
            break
    else:
        found = search(japanese.title, kinds=("thread",), per_page=50)
        assert japanese.pk in [hit.entry.object_id for hit in found.hits]
