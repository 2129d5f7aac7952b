"""Members report comments; moderators remove them or close the report."""

import pytest

from altto.discussion import actions
from altto.discussion.models import Comment, Report
from tests.discussion.factories import make_comment

pytestmark = pytest.mark.django_db


def test_a_report_makes_one_open_report_however_often_it_is_sent(
    client, new_alt, contributor, lesson
):
    comment = make_comment(lesson, new_alt, "Just ignore your JTE.")
    client.force_login(contributor)
    assert client.get(f"/comments/{comment.pk}/report/").status_code == 200
    first = client.post(f"/comments/{comment.pk}/report/", {"reason": "Bad advice, and rude."})
    second = client.post(f"/comments/{comment.pk}/report/", {"reason": "Still bad."})
    assert first.status_code == second.status_code == 302
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason) == (
        comment,
        contributor,
        "Bad advice, and rude.",
    )
    assert report.resolved_at is None
    page = client.get(f"/comments/{comment.pk}/report/").content.decode()
    assert "You reported this comment (" in page


def test_a_report_needs_a_reason_and_keeps_what_was_typed(client, new_alt, contributor, lesson):
    comment = make_comment(lesson, new_alt)
    client.force_login(contributor)
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "x" * 1001})
    assert response.status_code == 400
    assert "x" * 1001 + "</textarea>" in response.content.decode()
    assert client.post(f"/comments/{comment.pk}/report/", {"reason": " "}).status_code == 400
    assert not Report.objects.exists()


def test_members_cannot_report_their_own_comment(client, new_alt, lesson):
    comment = make_comment(lesson, new_alt)
    client.force_login(new_alt)
    assert client.post(f"/comments/{comment.pk}/report/", {"reason": "Me"}).status_code == 403
    assert not Report.objects.exists()


def test_a_member_can_report_again_once_the_first_report_is_closed(
    new_alt, contributor, moderator, lesson
):
    comment = make_comment(lesson, new_alt)
    first = actions.report_comment(comment, contributor, "Spam")
    actions.resolve_report(first, moderator)
    second = actions.report_comment(comment, contributor, "Spam again")
    assert second.pk != first.pk
    assert Report.objects.open().get() == second


def test_moderators_see_open_reports_oldest_first(
    client, new_alt, contributor, editor, moderator, lesson
):
    older = make_comment(lesson, new_alt, "First bad comment")
    newer = make_comment(lesson, editor, "Second bad comment")
    actions.report_comment(older, contributor, "Reason one")
    actions.report_comment(newer, contributor, "Reason two")
    closed = actions.report_comment(newer, new_alt, "Already handled")
    actions.resolve_report(closed, moderator)
    client.force_login(moderator)
    response = client.get("/review/reports/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Reason one") < page.index("Reason two")
    assert "Already handled" not in page
    assert "Comment on “Planning with your JTE”" in page


def test_the_report_list_runs_a_fixed_number_of_queries(
    client, new_alt, contributor, moderator, lesson, django_assert_num_queries
):
    for number in range(5):
        actions.report_comment(make_comment(lesson, new_alt, f"Bad {number}"), contributor, "Rude")
    client.force_login(moderator)
    # session, user, the moderator's roles, reports with comment/author/reporter/lesson/module,
    # lesson texts
    with django_assert_num_queries(5):
        assert client.get("/review/reports/").status_code == 200


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "editor", "outsider"])
def test_members_who_are_not_moderators_get_403_for_the_report_list(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/review/reports/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_the_report_list(client, db):
    response = client.get("/review/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_removing_a_comment_hides_its_words_but_keeps_its_replies(
    client, new_alt, contributor, moderator, lesson
):
    rude = make_comment(lesson, new_alt, "Something rude")
    reply = make_comment(lesson, contributor, "Please be kind.", parent=rude)
    actions.report_comment(rude, contributor, "Rude")
    client.force_login(moderator)
    response = client.post(f"/comments/{rude.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/review/reports/"
    rude.refresh_from_db()
    assert rude.is_removed
    assert rude.removed_by == moderator
    assert rude.body == "Something rude"  # kept for the record, never shown
    assert not Report.objects.open().exists()

    client.logout()
    page = client.get("/modules/team-teaching/planning/").content.decode()
    assert "This comment was removed." in page
    assert "Something rude" not in page
    assert "Please be kind." in page
    assert f'id="comment-{reply.pk}"' in page
    assert "(1 comment)" in page


def test_a_moderator_can_remove_from_the_thread_and_return_to_it(
    client, new_alt, moderator, lesson
):
    spam = make_comment(lesson, new_alt, "spam")
    client.force_login(moderator)
    back = f"/modules/team-teaching/planning/#comment-{spam.pk}"
    response = client.post(f"/comments/{spam.pk}/remove/", {"next": back})
    assert response["Location"] == back
    evil = client.post(f"/comments/{spam.pk}/remove/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/review/reports/"


def test_members_cannot_remove_comments_or_close_reports(client, new_alt, contributor, lesson):
    comment = make_comment(lesson, new_alt)
    report = actions.report_comment(comment, contributor, "Spam")
    client.force_login(contributor)
    assert client.post(f"/comments/{comment.pk}/remove/").status_code == 403
    assert client.post(f"/review/reports/{report.pk}/resolve/").status_code == 403
    assert not Comment.objects.get().is_removed
    assert Report.objects.open().exists()


def test_closing_a_report_keeps_the_comment(client, new_alt, contributor, site_admin, lesson):
    comment = make_comment(lesson, new_alt, "Fine, actually")
    report = actions.report_comment(comment, contributor, "Not sure")
    client.force_login(site_admin)
    response = client.post(f"/review/reports/{report.pk}/resolve/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == site_admin
    assert report.resolved_at is not None
    assert not Comment.objects.get().is_removed
