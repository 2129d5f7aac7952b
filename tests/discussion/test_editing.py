"""Authors edit their own comments; every edit keeps the words it replaced."""

import pytest

from altto.discussion import actions
from altto.discussion.models import CommentRevision
from tests.discussion.factories import make_comment

pytestmark = pytest.mark.django_db


def test_it_lets_the_author_edit_and_keeps_a_revision(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt, "Teh JTE leads.")
    client.force_login(new_alt)
    form = client.get(f"/comments/{comment.pk}/edit/")
    assert form.status_code == 200
    assert "Teh JTE leads.</textarea>" in form.content.decode()

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "The JTE *leads*."})
    assert response.status_code == 302
    assert response["Location"] == f"/modules/team-teaching/planning/#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "The JTE *leads*."
    assert comment.body_html == "<p>The JTE <em>leads</em>.</p>\n"
    assert comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["Teh JTE leads."]
    page = client.get("/modules/team-teaching/planning/").content.decode()
    assert f'href="/comments/{comment.pk}/history/"' in page  # the "edited" marker


def test_saving_the_same_words_is_not_an_edit(new_alt, lesson):
    comment = make_comment(lesson, new_alt, "Same")
    actions.edit_comment(comment, new_alt, "Same")
    comment.refresh_from_db()
    assert comment.edited_at is None
    assert not CommentRevision.objects.exists()


def test_another_member_cannot_edit_a_comment(client, new_alt, contributor, lesson):
    comment = make_comment(lesson, new_alt, "Mine")
    client.force_login(contributor)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Yours"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine"
    assert not CommentRevision.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_to_edit(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_removed_comment_cannot_be_edited(client, new_alt, moderator, lesson):
    comment = make_comment(lesson, new_alt, "Rude words")
    actions.remove_comment(comment, moderator)
    client.force_login(new_alt)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Sorry"}).status_code == 403


def test_an_edit_with_errors_keeps_what_the_author_typed(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt, "Short")
    client.force_login(new_alt)
    draft = "y" * 5001
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": draft})
    assert response.status_code == 400
    assert f"{draft}</textarea>" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Short"


@pytest.mark.parametrize(
    "viewer, status",
    [("new_alt", 200), ("moderator", 200), ("site_admin", 200), ("contributor", 403)],
)
def test_only_the_author_and_moderators_see_the_history(client, lesson, request, viewer, status):
    author = request.getfixturevalue("new_alt")
    comment = make_comment(lesson, author, "First try")
    actions.edit_comment(comment, author, "Second try")
    actions.edit_comment(comment, author, "Third try")
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(f"/comments/{comment.pk}/history/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert page.index("Third try") < page.index("Second try") < page.index("First try")


def test_the_history_page_is_for_signed_in_members(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt)
    response = client.get(f"/comments/{comment.pk}/history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_history_page_escapes_old_words(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt, "<script>alert(1)</script>")
    actions.edit_comment(comment, new_alt, "Fixed")
    client.force_login(new_alt)
    page = client.get(f"/comments/{comment.pk}/history/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
