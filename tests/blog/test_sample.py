"""The sample blog `make run` loads: published posts spread over the last weeks, one
scheduled, one in review, a draft, and a topics board in every state; loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from altto.blog.models import Post, Topic
from altto.blog.sample import SAMPLE_MARKER, load_sample_blog, read_sample_blog
from altto.core.sample_data import SAMPLE_MEMBERS, load_sample_community
from altto.forum.sample import load_sample_forum
from altto.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_sample_member_is_a_blog_editor():
    from altto.accounts.roles import BLOG_EDITOR

    assert any(BLOG_EDITOR in member["roles"] for member in SAMPLE_MEMBERS)


def test_the_sample_file_is_plausible():
    data = read_sample_blog()
    published = [p for p in data["posts"] if p["state"] == "published"]
    assert 4 <= len(published) <= 5
    assert any(p["language"] == "ja" for p in published)
    for post in published:
        if post["language"] == "en":
            assert 150 <= len(post["body"].split()) <= 400, post["title"]
    assert 6 <= len(data["topics"]) <= 8


def test_the_sample_blog_loads_once(django_capture_on_commit_callbacks):
    load_sample_community()
    load_sample_forum()
    with django_capture_on_commit_callbacks(execute=True):
        created = load_sample_blog()
    now = timezone.now()
    assert created == Post.objects.count() == 8
    live = Post.objects.published(now)
    assert live.count() == 5
    assert live.filter(language="ja").exists()
    assert len({p.publish_at.date() for p in live}) == 5  # spread over the last weeks
    assert all(p.published_at and p.publish_at < now for p in live)
    assert Post.objects.upcoming(now).count() == 1
    assert Post.objects.filter(status=Post.Status.REVIEW).count() == 1
    assert Post.objects.filter(status=Post.Status.DRAFT).count() == 1
    for post in Post.objects.all():
        assert post.body.rstrip().endswith(SAMPLE_MARKER)
        assert post.authors.exists()
        assert all("(sample)" in w.display_name for w in post.authors.all())

    topics = list(Topic.objects.with_post())
    assert 6 <= len(topics) <= 8
    states = [t.state for t in topics]
    assert states.count(Topic.State.OPEN) >= 3
    assert {"drafting", "review", "scheduled", "published"} <= set(states)
    assert any(t.state == "open" and t.pitches.exists() for t in topics)
    from_forum = [t for t in topics if t.forum_thread_id]
    assert len(from_forum) == 1
    assert from_forum[0].forum_thread.title in from_forum[0].reader_need
    assert Notification.objects.filter(kind="blog_pitch_not_chosen").exists()
    assert Notification.objects.filter(kind="blog_live").count() == 5

    counts = (Post.objects.count(), Topic.objects.count())
    assert load_sample_blog() == 0
    assert (Post.objects.count(), Topic.objects.count()) == counts


def test_setup_site_loads_the_blog_unless_told_not_to():
    out = StringIO()
    call_command("setup_site", "--no-sample", stdout=out)
    assert not Post.objects.exists()
    call_command("setup_site", stdout=out)
    assert "Loaded the sample blog (8 posts)." in out.getvalue()
    assert Topic.objects.count() >= 6
