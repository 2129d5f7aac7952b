"""The thread on the lesson page: everyone reads, members join in."""

import datetime
from html.parser import HTMLParser

import pytest

from altto.discussion import actions
from altto.discussion.models import Comment
from altto.discussion.queries import thread_for
from tests.discussion.factories import make_comment
from tests.test_pages import ScriptAndStyleFinder

pytestmark = pytest.mark.django_db

PAGE = "/modules/team-teaching/planning/"


def test_anonymous_visitors_read_the_thread_and_are_invited_to_log_in(
    client, new_alt, contributor, lesson
):
    question = make_comment(lesson, new_alt, "Who plans the *lesson*?")
    make_comment(lesson, contributor, "You both do.", parent=question)
    page = client.get(PAGE).content.decode()
    assert "Discussion" in page
    assert "(2 comments)" in page
    assert "Who plans the <em>lesson</em>?" in page
    assert "You both do." in page
    assert 'href="/accounts/login/?next=/modules/team-teaching/planning/%23discussion"' in page
    assert "Log in to join the discussion" in page
    assert 'name="body"' not in page
    assert "/edit/" not in page
    assert "/report/" not in page


def test_an_empty_thread_invites_the_first_comment(client, new_alt, lesson):
    client.force_login(new_alt)
    page = client.get(PAGE).content.decode()
    assert "(0 comments)" in page
    assert "No comments yet." in page
    assert '<label for="comment-body">Add a comment</label>' in page


def test_each_comment_shows_its_author_japan_time_and_edits(client, new_alt, contributor, lesson):
    comment = make_comment(lesson, new_alt, "Original")
    posted = datetime.datetime(2025, 4, 1, 15, 30, tzinfo=datetime.UTC)  # 00:30 on 2 April in Tokyo
    Comment.objects.filter(pk=comment.pk).update(created_at=posted)
    actions.edit_comment(comment, new_alt, "Edited")
    client.force_login(contributor)
    page = client.get(PAGE).content.decode()
    assert '<a href="/u/sam/" class="comment-author">Sam</a>' in page
    assert '<time datetime="2025-04-02T00:30:00+09:00">April 2, 2025, 12:30 a.m.</time>' in page
    assert '<span class="muted">edited</span>' in page  # no history link for other members
    assert f'href="/comments/{comment.pk}/report/"' in page
    assert f'href="/comments/{comment.pk}/edit/"' not in page


def test_authors_see_edit_links_on_their_own_comments_only(client, new_alt, contributor, lesson):
    mine = make_comment(lesson, new_alt, "Mine")
    theirs = make_comment(lesson, contributor, "Theirs")
    client.force_login(new_alt)
    page = client.get(PAGE).content.decode()
    assert f'href="/comments/{mine.pk}/edit/"' in page
    assert f'href="/comments/{theirs.pk}/edit/"' not in page
    assert f'href="/comments/{mine.pk}/report/"' not in page
    assert f'href="/comments/{theirs.pk}/report/"' in page


def test_replies_are_one_level_deep_with_one_reply_form_per_comment(
    client, new_alt, contributor, lesson
):
    first = make_comment(lesson, new_alt, "First")
    make_comment(lesson, contributor, "Reply", parent=first)
    second = make_comment(lesson, contributor, "Second")
    client.force_login(new_alt)
    page = client.get(PAGE).content.decode()
    assert page.count('<details class="reply-box">') == 2
    assert f'name="parent" value="{first.pk}"' in page
    assert f'name="parent" value="{second.pk}"' in page
    assert page.index("First") < page.index("Reply") < page.index("Second")


class FormFieldFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.labelled: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.labelled.add(attributes.get("for", ""))
        if tag in {"textarea", "select"} or (tag == "input" and attributes.get("type") != "hidden"):
            self.fields.append(attributes.get("id", ""))


def test_the_thread_has_no_inline_script_or_style_and_labels_every_field(
    client, new_alt, contributor, lesson
):
    make_comment(lesson, contributor, "Hello")
    client.force_login(new_alt)
    page = client.get(PAGE).content.decode()
    scripts = ScriptAndStyleFinder()
    scripts.feed(page)
    assert (scripts.inline_scripts, scripts.inline_styles) == (0, 0)
    fields = FormFieldFinder()
    fields.feed(page)
    assert fields.fields
    assert [f for f in fields.fields if f not in fields.labelled] == []


def test_the_thread_is_read_in_one_query(new_alt, contributor, lesson, django_assert_num_queries):
    for number in range(5):
        top = make_comment(lesson, new_alt, f"Question {number}")
        make_comment(lesson, contributor, f"Answer {number}", parent=top)
    actions.remove_comment(top, contributor)
    # comments with their authors
    with django_assert_num_queries(1):
        thread = thread_for(lesson)
        names = [(c.author.name, [r.author.name for r in c.thread_replies]) for c in thread]
    assert names == [("Sam", ["Priya"])] * 5
    assert thread.count == 9


def test_the_lesson_page_runs_the_same_queries_however_many_comments(
    client, new_alt, contributor, lesson
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(new_alt)

    def queries_with(total: int) -> int:
        while lesson.comments.filter(parent=None).count() < total:
            top = make_comment(lesson, contributor, "Question")
            make_comment(lesson, new_alt, "Answer", parent=top)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGE)
        assert response.content.decode().count('class="comment"') == 2 * total
        return len(captured)

    # The thread costs a fixed 2 queries (comments with authors; the verified-email check),
    # so the page's count (the course's business, asserted in tests/courses) stays the same.
    assert queries_with(1) == queries_with(20)
