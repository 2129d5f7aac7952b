"""The editorial path as a state machine, with a controlled clock: draft → in review →
(changes → draft →) scheduled → live at its time → announced once; unpublished."""

from datetime import timedelta

import pytest
from django.utils import timezone

from altto.blog import actions
from altto.blog.models import Post, PostEvent, Topic
from altto.notifications.models import Notification
from altto.revisions.models import Revision

pytestmark = pytest.mark.django_db


def write(post, editor, body="Bring a map of your home town and three photos.", **changes):
    fields = {
        "title": post.title,
        "slug": post.slug,
        "summary": "A self-introduction that works.",
        "body": body,
        "language": "en",
        "tags": ["self-introduction", "first week"],
    }
    fields.update(changes)
    return actions.save_post(post, editor, **fields)


@pytest.fixture
def draft(contributor):
    post = actions.start_draft(contributor, "Your first self-introduction")
    return write(post, contributor)


def test_a_draft_goes_through_review_to_a_scheduled_time_and_is_live_then(
    draft, contributor, blog_editor, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_for_review(draft, contributor)
        actions.request_changes(draft, blog_editor, "Add a photo tip, please.")
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
    assert Notification.objects.filter(user=contributor, kind="blog_changes_requested").exists()
    write(draft, contributor, body="Bring a map, three photos, and one question for them.")
    actions.submit_for_review(draft, contributor)
    publish_at = now + timedelta(days=2)
    actions.schedule(draft, blog_editor, publish_at, now=now)
    draft.refresh_from_db()
    assert draft.status == Post.Status.SCHEDULED
    assert not Post.objects.published(now).filter(pk=draft.pk).exists()
    assert Post.objects.upcoming(now).filter(pk=draft.pk).exists()
    assert actions.publish_due_posts(now) == []
    later = publish_at + timedelta(minutes=1)
    assert Post.objects.published(later).filter(pk=draft.pk).exists()
    assert not Post.objects.upcoming(later).filter(pk=draft.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert [p.pk for p in actions.publish_due_posts(later)] == [draft.pk]
    assert actions.publish_due_posts(later + timedelta(hours=1)) == []  # announced once
    draft.refresh_from_db()
    assert draft.status == Post.Status.PUBLISHED
    assert draft.published_at == publish_at
    assert Notification.objects.filter(user=contributor, kind="blog_live").count() == 1
    kinds = list(draft.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "changes", "submitted", "scheduled", "published"]
    assert Revision.objects.filter(object_id=draft.pk).count() == 3


def test_scheduling_in_the_past_or_your_own_post_is_refused(
    draft, contributor, blog_editor, site_admin
):
    actions.submit_for_review(draft, contributor)
    now = timezone.now()
    with pytest.raises(actions.Refused, match="passed"):
        actions.schedule(draft, blog_editor, now - timedelta(hours=1), now=now)
    actions.add_writer(draft, blog_editor)
    with pytest.raises(actions.Refused, match="Another blog editor"):
        actions.schedule(draft, blog_editor, now + timedelta(hours=1), now=now)
    draft.refresh_from_db()
    assert draft.status == Post.Status.REVIEW
    actions.schedule(draft, site_admin, now, now=now)  # "now" is fine
    assert Post.objects.published(now).filter(pk=draft.pk).exists()


def test_a_post_without_writers_cannot_be_published(draft, contributor, blog_editor):
    actions.submit_for_review(draft, contributor)
    draft.authorship_set.all().delete()
    with pytest.raises(actions.Refused, match="writer"):
        actions.schedule(draft, blog_editor, timezone.now(), now=timezone.now())


def test_unpublishing_takes_a_post_out_and_it_can_come_back_through_review(
    draft, contributor, blog_editor
):
    actions.submit_for_review(draft, contributor)
    now = timezone.now()
    actions.schedule(draft, blog_editor, now, now=now)
    actions.publish_due_posts(now)
    with pytest.raises(actions.Refused):
        actions.unpublish(draft, blog_editor, "")
    actions.unpublish(draft, blog_editor, "A reader found a wrong fact.")
    assert not Post.objects.published().filter(pk=draft.pk).exists()
    actions.submit_for_review(draft, contributor)
    draft.refresh_from_db()
    assert draft.status == Post.Status.REVIEW
    assert draft.events.filter(kind=PostEvent.Kind.UNPUBLISHED).exists()


def test_a_slug_collision_is_refused_and_new_drafts_get_a_free_address(draft, contributor):
    other = actions.start_draft(contributor, "Your first self-introduction")
    assert other.slug == f"{draft.slug}-2"
    with pytest.raises(actions.Refused, match="already has the address"):
        write(other, contributor, slug=draft.slug)


def test_one_writer_per_topic(
    contributor, new_alt, blog_editor, django_capture_on_commit_callbacks
):
    topic = actions.add_topic(blog_editor, "Surviving summer desk-warming", "New ALTs ask.")
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.volunteer(topic, contributor, "I did six summers of it.")
        second = actions.volunteer(topic, new_alt, "I can write it as a newcomer.")
        post = actions.assign(topic, first, blog_editor)
    assert post.topic == topic and list(post.authors.all()) == [contributor]
    with pytest.raises(actions.Refused):
        actions.assign(topic, second, blog_editor)
    with pytest.raises(actions.Refused):
        actions.volunteer(topic, new_alt, "Again?")
    topic = Topic.objects.with_post().get(pk=topic.pk)
    assert topic.state == Topic.State.DRAFTING
    assert Notification.objects.filter(user=new_alt, kind="blog_pitch_not_chosen").exists()
    assert Notification.objects.filter(user=contributor, kind="blog_topic_assigned").exists()


def test_a_published_post_keeps_its_address(draft, contributor, blog_editor):
    actions.submit_for_review(draft, contributor)
    now = timezone.now()
    actions.schedule(draft, blog_editor, now, now=now)
    actions.publish_due_posts(now)
    draft.refresh_from_db()
    with pytest.raises(actions.Refused, match="keeps its address"):
        write(draft, blog_editor, slug="a-new-address")
    write(draft, blog_editor, body="A corrected fact.")  # the words can still change
