"""Library items have the lessons' discussion: the same comments, replies, edits, reports
and moderation, posted at /library/<slug>/comments/."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from altto.discussion import actions
from altto.discussion.models import Comment, Report
from altto.discussion.queries import thread_for
from altto.library.models import Item
from tests.discussion.factories import make_comment
from tests.library.browse_factories import make_item

pytestmark = pytest.mark.django_db

PAGE = "/library/word-chain/"
URL = "/library/word-chain/comments/"


@pytest.fixture
def item(db):
    return make_item("Word chain", slug="word-chain")


def comment_on(item, author, body="Works well as a warm-up.", parent=None):
    return Comment.objects.create(item=item, author=author, body=body, parent=parent)


def test_a_member_comments_on_a_published_item_and_replies(client, new_alt, contributor, item):
    client.force_login(new_alt)
    response = client.post(URL, {"body": "Does this work with **grade 7**?"})
    question = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#comment-{question.pk}"
    assert (question.item, question.lesson, question.author) == (item, None, new_alt)
    page = client.get(PAGE).content.decode()
    assert "Your comment is posted." in page
    assert "Does this work with <strong>grade 7</strong>?" in page
    assert f'action="{URL}"' in page

    client.force_login(contributor)
    answer = client.post(URL, {"body": "Yes, with a word list.", "parent": question.pk})
    reply = Comment.objects.get(body="Yes, with a word list.")
    assert answer["Location"] == f"{PAGE}#comment-{reply.pk}"
    assert reply.parent == question
    again = actions.post_comment(new_alt, item, "Thanks!", parent=reply)
    assert again.parent == question  # replies stay one level deep
    page = client.get(PAGE).content.decode()
    assert "(3 comments)" in page
    assert page.index("grade 7") < page.index("with a word list") < page.index("Thanks!")


def test_anonymous_visitors_read_item_comments_but_log_in_to_post(client, new_alt, item):
    comment_on(item, new_alt, "Great for *big* classes.")
    page = client.get(PAGE).content.decode()
    assert "(1 comment)" in page
    assert "Great for <em>big</em> classes." in page
    assert 'href="/accounts/login/?next=/library/word-chain/%23discussion"' in page
    assert 'name="body"' not in page
    response = client.post(URL, {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "word-chain/%23discussion" in response["Location"]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [Item.Status.DRAFT, Item.Status.UNPUBLISHED])
def test_an_item_that_is_not_published_takes_no_comments(client, new_alt, editor, item, status):
    comment = comment_on(item, new_alt, "Said while it was published")
    Item.objects.filter(pk=item.pk).update(status=status)
    for member in (new_alt, editor):
        client.force_login(member)
        assert client.post(URL, {"body": "Hello"}).status_code == 404
        assert client.get(f"/comments/{comment.pk}/edit/").status_code == 404
    assert client.get(URL).status_code == 405
    assert client.post("/library/no-such-item/comments/", {"body": "Hi"}).status_code == 404
    # An editor still sees the item, without its discussion.
    page = client.get(PAGE).content.decode()
    assert 'id="discussion"' not in page
    assert "Said while it was published" not in page
    assert Comment.objects.count() == 1


def test_a_reply_must_answer_a_comment_on_the_same_item(client, new_alt, lesson, item):
    on_lesson = make_comment(lesson, new_alt, "About the lesson")
    client.force_login(new_alt)
    response = client.post(URL, {"body": "Sneaky", "parent": on_lesson.pk})
    assert response.status_code == 400
    assert "That comment is not part of this library item." in response.content.decode()
    with pytest.raises(ValueError):
        actions.post_comment(new_alt, item, "Sneaky", parent=on_lesson)
    assert Comment.objects.count() == 1


def test_an_item_comment_with_errors_shows_the_item_page_again(client, new_alt, item):
    client.force_login(new_alt)
    draft = "x" * 5001
    response = client.post(URL, {"body": draft})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Word chain</h1>" in page
    assert 'id="comment-body-error"' in page
    assert f">{draft}</textarea>" in page
    assert not Comment.objects.exists()


def test_editing_and_history_return_to_the_item(client, new_alt, item):
    comment = comment_on(item, new_alt, "Teh first words")
    client.force_login(new_alt)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "The first words"})
    assert response["Location"] == f"{PAGE}#comment-{comment.pk}"
    history = client.get(f"/comments/{comment.pk}/history/").content.decode()
    assert "Teh first words" in history
    assert f'href="{PAGE}#comment-{comment.pk}"' in history


def test_item_comments_are_reported_and_removed_by_moderators(
    client, new_alt, contributor, moderator, item
):
    rude = comment_on(item, new_alt, "Something rude")
    client.force_login(contributor)
    response = client.post(f"/comments/{rude.pk}/report/", {"reason": "Rude"})
    assert response["Location"] == f"{PAGE}#comment-{rude.pk}"
    report = Report.objects.get()
    assert (report.comment, report.reporter) == (rude, contributor)

    client.force_login(moderator)
    page = client.get("/review/reports/").content.decode()
    assert "Comment on the library item “Word chain”" in page
    assert f'href="{PAGE}#comment-{rude.pk}"' in page
    response = client.post(f"/comments/{rude.pk}/remove/")
    assert response["Location"] == "/review/reports/"
    rude.refresh_from_db()
    assert rude.is_removed
    assert not Report.objects.open().exists()

    client.logout()
    page = client.get(PAGE).content.decode()
    assert "This comment was removed." in page
    assert "Something rude" not in page


def test_the_reports_list_shows_lesson_and_item_comments_in_fixed_queries(
    client, new_alt, contributor, moderator, lesson, item, django_assert_num_queries
):
    actions.report_comment(make_comment(lesson, new_alt, "On the lesson"), contributor, "One")
    actions.report_comment(comment_on(item, new_alt, "On the item"), contributor, "Two")
    client.force_login(moderator)
    # session, user, roles, reports with comment/author/reporter/lesson/module/item, texts
    with django_assert_num_queries(5):
        page = client.get("/review/reports/").content.decode()
    assert "Comment on “Planning with your JTE”" in page
    assert "Comment on the library item “Word chain”" in page


def test_a_comment_is_on_exactly_one_lesson_or_item(new_alt, lesson, item):
    for target in ({}, {"lesson": lesson, "item": item}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(author=new_alt, body="Nowhere", **target)
    assert thread_for(item).count == 0


def test_the_item_page_query_count_does_not_grow_with_comments(client, new_alt, contributor, item):
    client.force_login(new_alt)

    def queries_with(total: int) -> int:
        while item.comments.filter(parent=None).count() < total:
            top = comment_on(item, contributor, "Question")
            comment_on(item, new_alt, "Answer", parent=top)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGE)
        assert response.content.decode().count('class="comment"') == 2 * total
        return len(captured)

    assert queries_with(1) == queries_with(20)
