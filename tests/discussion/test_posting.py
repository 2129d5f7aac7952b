"""Members post comments and replies on a lesson; visitors read but cannot post."""

import pytest

from altto.discussion import actions
from altto.discussion.models import Comment
from tests.discussion.factories import make_comment

pytestmark = pytest.mark.django_db

URL = "/modules/team-teaching/planning/comments/"


def test_it_posts_a_comment_as_a_member(client, new_alt, lesson):
    client.force_login(new_alt)
    response = client.post(URL, {"body": "How do you split the **warm-up**?"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/modules/team-teaching/planning/#comment-{comment.pk}"
    assert (comment.lesson, comment.author, comment.parent) == (lesson, new_alt, None)
    assert comment.body_html == "<p>How do you split the <strong>warm-up</strong>?</p>\n"
    page = client.get("/modules/team-teaching/planning/").content.decode()
    assert "<strong>warm-up</strong>" in page
    assert "Your comment is posted." in page


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_saved(client, lesson):
    response = client.post(URL, {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "planning/%23discussion" in response["Location"]
    assert not Comment.objects.exists()


def test_members_without_a_verified_email_cannot_post(client, outsider, lesson):
    client.force_login(outsider)
    assert client.post(URL, {"body": "Buy cheap watches"}).status_code == 403
    assert not Comment.objects.exists()
    page = client.get("/modules/team-teaching/planning/").content.decode()
    assert "Verify your email address to join the discussion." in page
    assert 'name="body"' not in page


def test_posting_needs_post_and_a_published_lesson(client, new_alt, lesson):
    client.force_login(new_alt)
    assert client.get(URL).status_code == 405
    lesson.is_published = False
    lesson.save(update_fields=["is_published"])
    assert client.post(URL, {"body": "Hello"}).status_code == 404


def test_a_reply_to_a_reply_attaches_to_the_top_level_comment(client, new_alt, contributor, lesson):
    question = make_comment(lesson, new_alt, "Who leads the greeting?")
    answer = make_comment(lesson, contributor, "Usually the JTE.", parent=question)
    client.force_login(new_alt)
    response = client.post(URL, {"body": "Thanks!", "parent": answer.pk})
    thanks = Comment.objects.get(body="Thanks!")
    assert response.status_code == 302
    assert thanks.parent == question
    assert response["Location"].endswith(f"#comment-{thanks.pk}")


def test_the_reply_action_also_keeps_replies_one_level_deep(new_alt, contributor, lesson):
    question = make_comment(lesson, new_alt)
    answer = actions.post_comment(contributor, lesson, "Yes.", parent=question)
    again = actions.post_comment(new_alt, lesson, "And then?", parent=answer)
    assert again.parent == question


def test_a_reply_must_answer_a_comment_on_the_same_lesson(client, new_alt, lesson):
    from tests.courses.factories import make_lesson

    elsewhere = make_comment(make_lesson(lesson.module, "greetings", order=2), new_alt)
    client.force_login(new_alt)
    response = client.post(URL, {"body": "Sneaky", "parent": elsewhere.pk})
    assert response.status_code == 400
    assert "That comment is not part of this lesson." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_removed_comment_takes_no_replies(client, new_alt, moderator, lesson):
    spam = make_comment(lesson, new_alt, "spam")
    actions.remove_comment(spam, moderator)
    client.force_login(new_alt)
    response = client.post(URL, {"body": "Reply", "parent": spam.pk})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_comment_with_errors_keeps_what_the_member_typed(client, new_alt, lesson):
    client.force_login(new_alt)
    draft = "x" * 5001
    response = client.post(URL, {"body": draft})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="comment-body-error"' in page
    assert f">{draft}</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert not Comment.objects.exists()


def test_a_reply_with_errors_opens_its_own_reply_box_again(client, new_alt, contributor, lesson):
    question = make_comment(lesson, contributor)
    client.force_login(new_alt)
    response = client.post(URL, {"body": "   ", "parent": question.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<details class="reply-box" open>' in page
    assert f'id="reply-body-{question.pk}-error"' in page
    assert "Write something first." in page


def test_markdown_is_rendered_and_hostile_html_is_escaped(client, new_alt, lesson):
    client.force_login(new_alt)
    body = (
        "*Try* this: <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) and [MEXT](https://www.mext.go.jp/)"
    )
    client.post(URL, {"body": body})
    html = Comment.objects.get().body_html
    assert "<em>Try</em>" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert 'href="https://www.mext.go.jp/"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html
    page = client.get("/modules/team-teaching/planning/").content.decode()
    assert "<script>alert(1)</script>" not in page


def test_a_member_can_post_ten_comments_a_minute_and_no_more(client, new_alt, lesson):
    client.force_login(new_alt)
    for number in range(10):
        assert client.post(URL, {"body": f"Comment {number}"}).status_code == 302
    response = client.post(URL, {"body": "One too many"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "You can post 10 comments a minute. Wait a moment, then try again." in page
    assert ">One too many</textarea>" in page
    assert Comment.objects.count() == 10


def test_the_rate_limit_forgets_posts_older_than_a_minute(new_alt, lesson, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(actions.time, "time", lambda: clock[0])
    for _number in range(10):
        actions.post_comment(new_alt, lesson, "Hi")
    with pytest.raises(actions.PostingTooFast):
        actions.post_comment(new_alt, lesson, "Hi")
    clock[0] += 61
    actions.post_comment(new_alt, lesson, "Hi again")
    assert Comment.objects.count() == 11
