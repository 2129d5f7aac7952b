"""Comments on blog posts: the lesson discussion's mechanism, with a new member's first
comments held for a moderator and their links limited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from altto.blog import actions
from altto.discussion.models import Comment
from altto.forum.models import Standing
from altto.notifications.models import Notification

pytestmark = pytest.mark.django_db


def live_post(writer, editor, title="Surviving your first enkai"):
    post = actions.start_draft(writer, title)
    actions.save_post(
        post, writer, title=title, slug=post.slug, summary="Pour, don't fill.",
        body="Wait for kanpai. Pour for others.", language="en", tags=["etiquette"],
    )  # fmt: skip
    actions.submit_for_review(post, writer)
    now = timezone.now() - timedelta(minutes=5)
    actions.schedule(post, editor, now, now=now)
    post.refresh_from_db()
    return post


@pytest.fixture
def post(contributor, blog_editor):
    return live_post(contributor, blog_editor)


def comment_url(post):
    return f"/blog/posts/{post.pk}/comments/"


def test_a_trusted_member_comments_at_once(client, post, new_alt, contributor):
    Standing.objects.create(user=new_alt, approved_posts=2)
    client.force_login(new_alt)
    response = client.post(comment_url(post), {"body": "This saved my first enkai!"})
    assert response.status_code == 302
    client.force_login(contributor)
    assert "This saved my first enkai!" in client.get(post.get_absolute_url()).content.decode()


def test_a_new_members_first_comment_waits_for_a_moderator(
    client, post, new_alt, contributor, moderator, django_capture_on_commit_callbacks
):
    client.force_login(new_alt)
    client.post(comment_url(post), {"body": "Do I have to go to the nijikai?"})
    comment = Comment.objects.get(blog_post=post)
    assert comment.is_held
    own = client.get(post.get_absolute_url()).content.decode()
    assert "Do I have to go to the nijikai?" in own and "Waiting for a moderator" in own
    client.force_login(contributor)
    assert "nijikai" not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert "nijikai" in client.get("/forum/review/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/{comment.pk}/approve/")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_held
    assert Notification.objects.filter(user=new_alt, kind="comment_approved").exists()
    assert Standing.objects.get(user=new_alt).approved_posts == 1
    client.force_login(contributor)
    assert "nijikai" in client.get(post.get_absolute_url()).content.decode()


def test_only_moderators_approve(client, post, new_alt, contributor):
    comment = Comment.objects.create(blog_post=post, author=new_alt, body="Hi", is_held=True)
    client.force_login(contributor)
    assert client.post(f"/comments/{comment.pk}/approve/").status_code == 403
    comment.refresh_from_db()
    assert comment.is_held


def test_a_new_member_may_not_post_many_links_and_keeps_their_words(client, post, new_alt):
    client.force_login(new_alt)
    body = "See https://a.example https://b.example and https://c.example for tips"
    response = client.post(comment_url(post), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2 links" in html
    assert "https://c.example for tips" in html  # the draft is kept
    assert not Comment.objects.exists()


def test_no_comments_on_drafts_or_unpublished_posts(client, contributor, blog_editor, new_alt):
    draft = actions.start_draft(contributor, "Not ready yet")
    client.force_login(new_alt)
    assert client.post(comment_url(draft), {"body": "Early!"}).status_code == 404
    post = live_post(contributor, blog_editor, "Gone soon")
    actions.unpublish(post, blog_editor, "Needs a fact check.")
    assert client.post(comment_url(post), {"body": "Late!"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_post_with_50_comments_runs_as_many_queries_as_with_2(client, post, new_alt):
    def count(n):
        Comment.objects.filter(blog_post=post).delete()
        Comment.objects.bulk_create(
            Comment(blog_post=post, author=new_alt, body=f"Comment {i}", body_html=f"<p>{i}</p>")
            for i in range(n)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(new_alt)
    assert count(2) == count(50)


def test_a_held_comments_author_is_told_it_waits(
    client, post, new_alt, django_capture_on_commit_callbacks
):
    client.force_login(new_alt)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), {"body": "Is the nijikai optional?"})
    [note] = Notification.objects.filter(user=new_alt, kind="comment_held")
    assert post.title in note.message() and "waits for a moderator" in note.message()
