"""A lesson's history: the list of versions, comparing two, an old version, rollback and
"mark reviewed" — for each persona. Data is made through the real actions."""

import re
from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string

from altto.courses.models import LessonText
from altto.revisions import actions
from altto.revisions.documents import diff_documents
from altto.revisions.models import AuditEntry, Revision
from altto.revisions.templatetags.revision_diff import in_context
from tests.courses.factories import add_check, make_lesson, make_module

pytestmark = pytest.mark.django_db

LESSON = "/modules/team-teaching/planning/"
HISTORY = f"{LESSON}history/"
MEMBERS = ["new_alt", "contributor", "moderator", "outsider"]


@pytest.fixture
def text(db):
    """The lesson's English text in two versions: imported, then edited by an editor."""
    lesson = make_lesson(make_module(), "planning", title="Planning with your JTE")
    add_check(lesson)
    text = lesson.texts.get()
    actions.ensure_revision(text, kind="import", summary="Imported from the starter files")
    return text


def edit(text, author, summary="Clearer", **changes) -> Revision:
    return actions.record_revision(
        text, kind="edit", summary=summary, author=author, data={**text.revision_data(), **changes}
    )


@pytest.fixture
def edited(text, editor):
    edit(text, editor, body="Plan with the JTE **before** every class.")
    return text


def approved_proposal(text, proposer, reviewer, **changes) -> Revision:
    proposal = actions.propose(text, proposer, {**text.revision_data(), **changes}, "Typo")
    return actions.approve(
        proposal, reviewer, "Thanks!", data=proposal.data, expected_head=actions.head(text)
    )


def page(response) -> str:
    return response.content.decode()


# --- The list of versions ----------------------------------------------------------------


def test_anyone_can_read_the_history_newest_first(client, edited, contributor, editor):
    approved_proposal(edited, contributor, editor, title="Planning with the JTE")
    response = client.get(HISTORY)
    html = page(response)
    assert response.status_code == 200
    assert html.index("Version 3") < html.index("Version 2") < html.index("Version 1")
    assert "Starter curriculum (imported)" in html
    assert "Imported from the starter files" in html
    assert "approved by Erin" in html
    assert "Approved proposal" in html
    assert 'href="/u/priya/"' in html


def test_the_history_shows_times_in_japan_time(client, text):
    actions.revisions_of(text).update(created_at=datetime(2026, 4, 1, 23, 30, tzinfo=UTC))
    html = page(client.get(HISTORY))
    assert 'datetime="2026-04-02T08:30:00+09:00"' in html
    assert "Japan time" in html


def test_the_compare_form_works_without_javascript(client, edited):
    html = page(client.get(HISTORY))
    assert 'method="get" action="/modules/team-teaching/planning/history/compare/"' in html
    assert '<option value="1" selected>1</option>' in html  # from the one before the latest
    assert '<option value="2" selected>2</option>' in html  # to the latest
    assert "history/compare/?from=1&amp;to=2" in html  # "changes" of version 2


def test_each_language_has_its_own_history_and_links_keep_lang(client, edited):
    japanese = LessonText.objects.create(
        lesson=edited.lesson, language="ja", title="JTEと計画", body="授業の前に計画する。"
    )
    actions.ensure_revision(japanese, kind="import", summary="インポート")
    html = page(client.get(f"{HISTORY}?lang=ja"))
    assert "JTEと計画" in html
    assert "1 version" in html
    assert 'href="/modules/team-teaching/planning/history/1/?lang=ja"' in html
    assert '<input type="hidden" name="lang" value="ja">' not in html  # one version: no form
    edit(japanese, None, body="授業の前にJTEと計画する。")
    html = page(client.get(f"{HISTORY}?lang=ja"))
    assert '<input type="hidden" name="lang" value="ja">' in html
    assert "history/compare/?from=1&amp;to=2&amp;lang=ja" in html


def test_long_histories_come_in_pages(client, text, editor):
    for number in range(2, 53):
        edit(text, editor, summary=f"Edit {number}", body=f"Version {number}.")
    first = page(client.get(HISTORY))
    assert "Edit 52" in first and "Edit 3<" in first and "Imported" not in first
    assert "?page=2" in first
    second = page(client.get(f"{HISTORY}?page=2"))
    assert "Edit 2<" in second and "Imported from the starter files" in second


def test_editors_see_the_mark_reviewed_form_and_members_do_not(client, text, editor, new_alt):
    assert "Mark as reviewed" not in page(client.get(HISTORY))
    client.force_login(new_alt)
    assert "Mark as reviewed" not in page(client.get(HISTORY))
    client.force_login(editor)
    assert 'action="/modules/team-teaching/planning/reviewed/"' in page(client.get(HISTORY))


# --- An old version ----------------------------------------------------------------------


def test_an_old_version_is_shown_rendered(client, edited):
    response = client.get(f"{HISTORY}1/")
    html = page(response)
    assert response.status_code == 200
    assert "Plan with your JTE <strong>before</strong> class." in html  # Markdown rendered
    assert "Plan a lesson with a JTE" in html  # objectives
    assert "MEXT. <em>Course of Study</em> (2017)." in html  # references
    assert "[x] The JTE — Yes: they are T1." in html  # the check, described
    assert "This is an old version. The current one is version 2." in html
    assert "history/compare/?from=1&amp;to=2" in html
    assert "rollback" not in html  # visitors get no rollback button


def test_the_current_version_says_so_and_offers_no_rollback(client, edited, editor):
    client.force_login(editor)
    html = page(client.get(f"{HISTORY}2/"))
    assert "This is the current version." in html
    assert "/rollback/" not in html


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_see_old_versions_without_a_rollback_button(client, request, edited, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"{HISTORY}1/")
    assert response.status_code == 200
    assert "/rollback/" not in page(response)


def test_editors_see_a_rollback_button_on_old_versions(client, edited, editor):
    client.force_login(editor)
    html = page(client.get(f"{HISTORY}1/"))
    assert 'action="/modules/team-teaching/planning/history/1/rollback/"' in html
    assert "Make version 1 current again" in html


def test_a_version_that_does_not_exist_is_404(client, text):
    assert client.get(f"{HISTORY}7/").status_code == 404
    assert client.get(f"{HISTORY}99999999999999999999/").status_code == 404


# --- Comparing ---------------------------------------------------------------------------


def test_compare_marks_insertions_and_deletions_word_by_word(client, edited):
    response = client.get(f"{HISTORY}compare/?from=1&to=2")
    html = page(response)
    assert response.status_code == 200
    assert "Changes from version 1 to version 2" in html
    assert '<del><span class="visually-hidden">[removed:] </span>your</del>' in html
    assert '<ins><span class="visually-hidden">[added:] </span>the</ins>' in html
    assert re.search(
        r'<ins><span class="visually-hidden">\[added:\] </span>\s*every\s*</ins>', html
    )
    assert 'class="diff-legend' in html
    # Fields that did not change are collapsed to their name.
    assert 'Title <span class="diff-state">unchanged</span>' in html
    assert 'Knowledge check <span class="diff-state">unchanged</span>' in html


def test_compare_backwards_shows_the_change_undone(client, edited):
    html = page(client.get(f"{HISTORY}compare/?from=2&to=1"))
    assert '<ins><span class="visually-hidden">[added:] </span>your</ins>' in html


def test_compare_folds_long_unchanged_stretches_unless_asked(client, text, editor):
    paragraphs = [f"Paragraph {n} about team teaching." for n in range(1, 21)]
    edit(text, editor, body="\n\n".join(paragraphs))
    paragraphs[10] = "Paragraph 11 about team teaching with a new JTE."
    edit(text, editor, body="\n\n".join(paragraphs))
    folded = page(client.get(f"{HISTORY}compare/?from=2&to=3"))
    assert "with a new JTE" in folded
    assert "Paragraph 9 " not in folded and "Paragraph 10 " in folded
    assert "unchanged lines" in folded
    whole = page(client.get(f"{HISTORY}compare/?from=2&to=3&full=1"))
    assert "Paragraph 1 " in whole and "Paragraph 20 " in whole
    assert "Show only the changes" in whole


@pytest.mark.parametrize(
    "query", ["", "?from=1", "?to=2", "?from=one&to=2", "?from=1&to=-2", "?from=1&to=9999999999"]
)
def test_compare_without_two_version_numbers_is_400(client, edited, query):
    response = client.get(f"{HISTORY}compare/{query}")
    assert response.status_code == 400
    assert "Choose two versions to compare" in page(response)


def test_compare_with_a_version_that_does_not_exist_is_404(client, edited):
    response = client.get(f"{HISTORY}compare/?from=1&to=8")
    assert response.status_code == 404
    assert "This page has no version 8." in page(response)


# --- Rollback ----------------------------------------------------------------------------


def test_an_editor_rolls_back_by_adding_a_version(client, edited, editor):
    client.force_login(editor)
    response = client.post(f"{HISTORY}1/rollback/", {"comment": "The edit lost a word."})
    assert response.status_code == 302
    assert response["Location"] == HISTORY
    latest = actions.head(edited)
    first = actions.revisions_of(edited).get(number=1)
    assert (latest.number, latest.kind, latest.author) == (3, "rollback", editor)
    assert latest.data == first.data
    assert latest.parent.number == 2
    assert [r.number for r in actions.revisions_of(edited)] == [3, 2, 1]  # nothing deleted
    edited.refresh_from_db()
    assert edited.body == "Plan with your JTE **before** class."
    audit = AuditEntry.objects.get(action="rollback")
    assert (audit.actor, audit.comment, audit.revision) == (editor, "The edit lost a word.", latest)
    assert "is current again, as version 3" in page(client.get(HISTORY))


def test_rollback_keeps_lang_on_the_way_back(client, edited, editor):
    client.force_login(editor)
    response = client.post(f"{HISTORY}1/rollback/?lang=en")
    assert response["Location"] == f"{HISTORY}?lang=en"


def test_an_admin_may_roll_back_too(client, edited, site_admin):
    client.force_login(site_admin)
    client.post(f"{HISTORY}1/rollback/")
    assert actions.head(edited).kind == "rollback"


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_cannot_roll_back(client, request, edited, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"{HISTORY}1/rollback/").status_code == 403
    assert actions.head(edited).number == 2


def test_visitors_are_sent_to_log_in_to_roll_back(client, edited):
    response = client.post(f"{HISTORY}1/rollback/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert actions.head(edited).number == 2


def test_rollback_is_post_only(client, edited, editor):
    client.force_login(editor)
    assert client.get(f"{HISTORY}1/rollback/").status_code == 405
    assert actions.head(edited).number == 2


def test_rollback_to_a_version_that_does_not_exist_is_404(client, edited, editor):
    client.force_login(editor)
    assert client.post(f"{HISTORY}9/rollback/").status_code == 404


def test_rollback_to_the_same_content_adds_nothing(client, edited, editor):
    client.force_login(editor)
    response = client.post(f"{HISTORY}2/rollback/", follow=True)
    assert "has the same content as the current one" in page(response)
    assert actions.head(edited).number == 2


def test_rollback_with_a_too_long_comment_changes_nothing(client, edited, editor):
    client.force_login(editor)
    response = client.post(f"{HISTORY}1/rollback/", {"comment": "x" * 2001}, follow=True)
    assert "The comment is too long" in page(response)
    assert actions.head(edited).number == 2


# --- Mark reviewed -----------------------------------------------------------------------


def test_an_editor_marks_a_lesson_reviewed(client, edited, editor):
    LessonText.objects.filter(pk=edited.pk).update(
        last_reviewed_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    client.force_login(editor)
    response = client.post(f"{LESSON}reviewed/", {"comment": "Checked against the 2026 rules"})
    assert response.status_code == 302
    assert response["Location"] == HISTORY
    latest = actions.head(edited)
    assert (latest.number, latest.kind, latest.author) == (3, "review", editor)
    assert latest.summary == "Checked against the 2026 rules"
    assert latest.data == actions.revisions_of(edited).get(number=2).data
    edited.refresh_from_db()
    assert edited.last_reviewed_at == latest.created_at
    assert AuditEntry.objects.filter(action="mark_reviewed", actor=editor).exists()
    assert "Marked as reviewed" in page(client.get(HISTORY))


def test_marking_reviewed_without_a_comment_says_so_in_the_history(client, edited, editor):
    client.force_login(editor)
    client.post(f"{LESSON}reviewed/")
    assert actions.head(edited).summary == "Reviewed: still accurate"


def test_marking_reviewed_returns_to_a_safe_next_page(client, edited, editor):
    client.force_login(editor)
    response = client.post(f"{LESSON}reviewed/", {"next": LESSON})
    assert response["Location"] == LESSON
    response = client.post(f"{LESSON}reviewed/", {"next": "https://evil.example/"})
    assert response["Location"] == HISTORY


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_cannot_mark_reviewed(client, request, edited, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"{LESSON}reviewed/").status_code == 403
    assert actions.head(edited).number == 2


def test_visitors_are_sent_to_log_in_to_mark_reviewed(client, edited):
    response = client.post(f"{LESSON}reviewed/")
    assert response["Location"].startswith("/accounts/login/")


def test_mark_reviewed_is_post_only(client, edited, editor):
    client.force_login(editor)
    assert client.get(f"{LESSON}reviewed/").status_code == 405


# --- Unpublished lessons -----------------------------------------------------------------


@pytest.mark.parametrize("hide", ["lesson", "module"])
def test_unpublished_lessons_have_no_history_pages(client, edited, editor, hide):
    target = edited.lesson if hide == "lesson" else edited.lesson.module
    target.is_published = False
    target.save(update_fields=["is_published"])
    client.force_login(editor)
    for url in [HISTORY, f"{HISTORY}1/", f"{HISTORY}compare/?from=1&to=2"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{HISTORY}1/rollback/").status_code == 404
    assert client.post(f"{LESSON}reviewed/").status_code == 404
    assert actions.head(edited).number == 2


# --- The diff partial, reused by the review queue ----------------------------------------


def test_the_diff_partial_renders_any_list_of_field_diffs(edited):
    old, new = (r.data for r in actions.revisions_of(edited).order_by("number"))
    html = render_to_string(
        "revisions/_diff.html", {"diffs": diff_documents(edited, old, new), "heading_level": 3}
    )
    assert '<h3 class="diff-label">Lesson text</h3>' in html
    assert "[added:] </span>the</ins>" in html


def test_folding_keeps_context_around_each_change():
    lines = [f"line {n}" for n in range(10)]
    pieces = [("equal", "\n".join(lines[:9]) + "\nline "), ("delete", "9"), ("insert", "nine")]
    shown = in_context(pieces)
    assert shown[0] == ("skip", 7)
    assert shown[1] == ("equal", "\nline 7\nline 8\nline ")
    assert shown[2:] == pieces[1:]
    assert in_context(pieces, True) == pieces


# --- Query counts ------------------------------------------------------------------------


def add_versions(text, editor, contributor, count: int) -> None:
    for number in range(count):
        if number % 2:
            approved_proposal(text, contributor, editor, body=f"Proposed text {number}.")
        else:
            edit(text, editor, body=f"Edited text {number}.")


@pytest.mark.parametrize("versions", [3, 30])
def test_the_history_runs_a_fixed_number_of_queries(
    client, text, editor, contributor, versions, django_assert_num_queries
):
    add_versions(text, editor, contributor, versions - 1)
    # lesson with its module, lesson texts, count of revisions, one page of revisions with
    # their authors and approvers
    with django_assert_num_queries(4):
        assert client.get(HISTORY).status_code == 200
    client.force_login(editor)
    # + session, user, the editor's roles (rollback and mark-reviewed rules)
    with django_assert_num_queries(7):
        assert client.get(HISTORY).status_code == 200


def test_an_old_version_runs_a_fixed_number_of_queries(
    client, text, editor, contributor, django_assert_num_queries
):
    add_versions(text, editor, contributor, 5)
    # lesson with its module, lesson texts, the revision with its author and approver,
    # the latest revision's number
    with django_assert_num_queries(4):
        assert client.get(f"{HISTORY}2/").status_code == 200
    client.force_login(editor)
    # + session, user, the editor's roles
    with django_assert_num_queries(7):
        assert client.get(f"{HISTORY}2/").status_code == 200


def test_compare_runs_a_fixed_number_of_queries(
    client, text, editor, contributor, django_assert_num_queries
):
    add_versions(text, editor, contributor, 5)
    # lesson with its module, lesson texts, the latest revision's number, both revisions
    # with their authors and approvers
    with django_assert_num_queries(4):
        assert client.get(f"{HISTORY}compare/?from=2&to=5").status_code == 200
    client.force_login(editor)
    # + session, user, the member's roles (header links)
    with django_assert_num_queries(7):
        assert client.get(f"{HISTORY}compare/?from=1&to=6").status_code == 200


# --- Diffs of long texts stay fast -------------------------------------------------------


def test_a_long_changed_stretch_is_trimmed_then_compared(monkeypatch):
    from altto.lib import textdiff

    monkeypatch.setattr(textdiff, "MAX_TOKEN_PAIRS", 50)
    old = "One long paragraph about planning with the JTE before every single class."
    new = "One long paragraph about planning with a JTE before every single class."
    assert textdiff.word_diff(old, new) == [
        ("equal", "One long paragraph about planning with "),
        ("delete", "the"),
        ("insert", "a"),
        ("equal", " JTE before every single class."),
    ]
    rewrite = textdiff.word_diff(
        old, "Something else entirely, said in many more words than before."
    )
    assert [op for op, _text in rewrite] == ["delete", "insert", "equal"]  # the full stop
