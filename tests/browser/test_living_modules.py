"""Living modules in a real browser, two people at once (one browser context each):
a member proposes an edit with the live preview, an editor reviews the diff and approves it,
the member is notified and credited, and the lesson and its history show the new text.
Then a conflict resolved part by part on the review page, and an outdated report dismissed."""

import re

import pytest
from playwright.sync_api import expect

from altto.revisions import actions
from tests.browser.helpers import field, notifications_link
from tests.courses.factories import make_lesson, make_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


MODULE_TITLE = "Team teaching at junior high"
LESSON_TITLE = "Planning with your JTE"
FIRST_LINE = "Plan with your JTE before class."
OLD_SENTENCE = "Ask which textbook unit comes next."
NEW_SENTENCE = "Ask which worksheet your JTE wants printed."


def lesson_with_history(body: str):
    """A published lesson whose first revision is recorded as imported; (lesson, text)."""
    module = make_module("jhs-team-teaching", title=MODULE_TITLE)
    lesson = make_lesson(module, "planning-with-your-jte", title=LESSON_TITLE, body=body)
    text = lesson.texts.get()
    assert actions.ensure_revision(text, kind="import", summary="Imported") is not None
    return lesson, text


def upkeep(page):
    return page.get_by_role("region", name="Keep this lesson accurate")


def propose_edit(page, old: str, new: str, summary: str) -> str:
    """From the lesson page: open the propose form, replace `old` by typing `new` over it,
    wait for the live preview, write the summary and send. The proposal page's address."""
    upkeep(page).get_by_role("link", name="Propose an edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose an edit")
    body = page.get_by_label(field("Lesson text"))
    preview = page.locator("#preview")
    expect(preview).to_be_empty()
    # Select the old sentence in the textarea and type the new one over it, key by key
    # (the preview is triggered by keyup).
    body.evaluate(
        """(area, old) => {
            const start = area.value.indexOf(old);
            if (start < 0) throw new Error(`${old} is not in the textarea`);
            area.focus();
            area.setSelectionRange(start, start + old.length);
        }""",
        old,
    )
    page.keyboard.type(new)
    expect(body).not_to_have_value(re.compile(re.escape(old)))
    # htmx swaps the rendered preview in; nothing is saved yet.
    expect(preview.get_by_role("heading", name="Preview (not saved yet)")).to_be_visible()
    expect(preview.locator(".prose")).to_contain_text(new)
    expect(preview.locator(".prose")).not_to_contain_text(old)

    page.get_by_label(field("What did you change, and why?")).fill(summary)
    page.get_by_role("button", name="Send proposal").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Thank you! Your proposal is waiting for an editor."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Proposed edit: {LESSON_TITLE}")
    expect(page.get_by_role("main").locator(".tag").first).to_have_text("Waiting for review")
    expect(page.get_by_role("main")).to_contain_text(summary)
    return page.url


def version_entry(history, number: int):
    return history.get_by_role("listitem").filter(
        has=history.page.get_by_role("link", name=f"Version {number}", exact=True)
    )


# --- 1. The whole journey -----------------------------------------------------------------

SUMMARY = "Teachers print worksheets, not textbook units"
DECISION_COMMENT = "Good catch: our JTEs ask for this all the time."


def test_a_member_proposes_an_editor_approves_and_the_member_is_notified_and_credited(
    browse_as, new_alt, editor
):
    lesson, _text = lesson_with_history(f"{FIRST_LINE}\n\n{OLD_SENTENCE}\n")
    lesson_path = lesson.get_absolute_url()

    # Sam reads the lesson and proposes to change its second sentence.
    sam = browse_as(new_alt, lesson_path)
    expect(sam.get_by_role("heading", level=1)).to_have_text(LESSON_TITLE)
    expect(sam.locator("article.lesson .prose")).to_contain_text(OLD_SENTENCE)
    expect(upkeep(sam)).not_to_contain_text("Contributors:")
    proposal_url = propose_edit(sam, OLD_SENTENCE, NEW_SENTENCE, SUMMARY)
    expect(notifications_link(sam)).to_be_visible()  # nothing unread yet

    # Erin finds it in the review queue, with the backlog size.
    erin = browse_as(editor, "/review/")
    expect(erin.get_by_role("heading", level=1)).to_have_text("Review queue")
    backlog = erin.locator(".review-backlog")
    expect(backlog).to_contain_text(
        re.compile(r"1 proposal waits for review\s+· oldest waiting \d+\s+minutes?")
    )
    waiting = erin.get_by_role("region", name="Waiting for review")
    row = waiting.get_by_role("listitem").filter(has_text=SUMMARY)
    expect(row).to_contain_text(LESSON_TITLE)
    expect(row).to_contain_text(MODULE_TITLE)
    expect(row).to_contain_text("Sam")
    row.get_by_role("link", name=SUMMARY).click()

    # The review page: the proposer's change as a word-level diff against version 1.
    expect(erin).to_have_url(re.compile(r"/review/proposals/\d+/$"))
    expect(erin.get_by_role("heading", level=1)).to_have_text(SUMMARY)
    changes = erin.get_by_role("region", name="What the proposer changed (from version 1)")
    expect(changes.locator("ins").filter(has_text="worksheet")).to_have_count(1)
    expect(changes.locator("del").filter(has_text="textbook")).to_have_count(1)
    expect(changes.locator("ins").filter(has_text="textbook")).to_have_count(0)
    expect(erin.get_by_role("region", name="The merged result")).to_have_count(0)
    decision = erin.get_by_role("region", name="Your decision")
    decision.get_by_label("Comment for the proposer").fill(DECISION_COMMENT)
    decision.get_by_role("button", name="Approve", exact=True).click()
    expect(erin).to_have_url(re.compile(r"/review/$"))
    expect(erin.locator(".messages")).to_contain_text(
        "Approved: version 2 is published and credited to Sam."
    )
    expect(erin.locator(".review-backlog")).to_contain_text("No proposal waits for review.")

    # Sam's next page shows an unread notification in the header.
    sam.reload()
    expect(sam.get_by_role("main").locator(".tag").first).to_have_text("Approved")
    expect(sam.get_by_role("main")).to_contain_text(DECISION_COMMENT)
    notifications_link(sam, unread=1).click()
    expect(sam).to_have_url(re.compile(r"/notifications/$"))
    approved = f"Your proposal for “{LESSON_TITLE}” was approved by Erin."
    unread = sam.locator(".notification-unread")
    expect(unread).to_have_count(1)
    expect(unread).to_contain_text("New")
    unread.get_by_role("button", name=approved).click()

    # Following it opens the lesson, with the new sentence, and the notification is read.
    expect(sam).to_have_url(re.compile(rf"{re.escape(lesson_path)}$"))
    prose = sam.locator("article.lesson .prose")
    expect(prose).to_contain_text(NEW_SENTENCE)
    expect(prose).not_to_contain_text(OLD_SENTENCE)
    expect(prose).to_contain_text(FIRST_LINE)
    expect(notifications_link(sam)).to_be_visible()

    # Sam is credited on the lesson, and the link leads to the profile's accepted edits.
    expect(upkeep(sam)).to_contain_text("Contributors: Sam.")
    upkeep(sam).get_by_role("link", name="Sam", exact=True).click()
    expect(sam).to_have_url(re.compile(r"/u/sam/$"))
    edits = sam.get_by_role("region", name="Accepted edits")
    edit = edits.get_by_role("listitem").filter(has_text=SUMMARY)
    expect(edit).to_have_count(1)
    expect(edit.get_by_role("link", name=LESSON_TITLE)).to_have_attribute("href", lesson_path)

    # The lesson's history: version 2 by Sam, approved by Erin; version 1 imported.
    edit.get_by_role("link", name=LESSON_TITLE).click()
    upkeep(sam).get_by_role("link", name="History").click()
    expect(sam).to_have_url(re.compile(rf"{re.escape(lesson_path)}history/$"))
    expect(sam.get_by_role("heading", level=1)).to_have_text(f"History of “{LESSON_TITLE}”")
    history = sam.get_by_role("list", name="Versions, newest first")
    expect(history.get_by_role("listitem")).to_have_count(2)
    newest = version_entry(history, 2)
    expect(newest).to_contain_text(SUMMARY)
    expect(newest).to_contain_text("current")
    expect(newest).to_contain_text("Approved proposal")
    expect(newest.locator(".meta")).to_contain_text(re.compile(r"^by Sam · approved by Erin"))
    expect(newest.get_by_role("link", name="Sam", exact=True)).to_have_attribute("href", "/u/sam/")
    expect(version_entry(history, 1)).to_contain_text("Starter curriculum (imported)")

    # The proposal's page still tells the story, for Sam.
    sam.goto(proposal_url)
    expect(sam.get_by_role("main")).to_contain_text("Published as")
    expect(sam.get_by_role("main")).to_contain_text("version 2")


# --- 2. A conflict, resolved in the browser -----------------------------------------------

SECOND_LINE = "Teach the lesson together."
SAMS_LINE = "Plan with your JTE on Monday, before the week starts."
ERINS_LINE = "Plan with your JTE at least a day before class."
OWN_LINE = "Plan with your JTE on Monday, at least a day before class."


def test_an_editor_resolves_a_conflict_in_the_browser_and_nothing_is_lost(
    browse_as, new_alt, editor
):
    lesson, text = lesson_with_history(f"{FIRST_LINE}\n{SECOND_LINE}\n")
    lesson_path = lesson.get_absolute_url()

    # Sam proposes a new first line…
    sam = browse_as(new_alt, lesson_path)
    propose_edit(sam, FIRST_LINE, SAMS_LINE, "Say when to plan")

    # …while Erin publishes her own edit of the same line.
    text.refresh_from_db()
    actions.record_revision(
        text,
        kind="edit",
        summary="Plan a day ahead",
        author=editor,
        data={**text.revision_data(), "body": f"{ERINS_LINE}\n{SECOND_LINE}\n"},
    )

    erin = browse_as(editor, "/review/")
    erin.get_by_role("region", name="Waiting for review").get_by_role(
        "link", name="Say when to plan"
    ).click()
    expect(erin.get_by_role("heading", level=1)).to_have_text("Say when to plan")
    expect(
        erin.get_by_role("region", name="Compared with the current text (version 2)")
    ).to_be_visible()
    decision = erin.get_by_role("region", name="Your decision")
    expect(
        decision.get_by_role("heading", name="Both edits changed the same lines")
    ).to_be_visible()

    # One part, with what was there before and both versions side by side.
    part = decision.get_by_role("group", name="Part 1 of 1")
    expect(part).to_have_count(1)
    expect(part.locator(".review-hunk-base pre")).to_have_text(FIRST_LINE)
    current_side = part.locator(".review-side").filter(has=erin.get_by_label("Keep current"))
    proposed_side = part.locator(".review-side").filter(has=erin.get_by_label("Take proposed"))
    expect(current_side.locator("pre")).to_have_text(ERINS_LINE)
    expect(proposed_side.locator("pre")).to_have_text(SAMS_LINE)
    for side in (current_side, proposed_side):
        expect(side).not_to_contain_text(SECOND_LINE)  # the untouched line is no conflict
    own_text = part.get_by_label("Your own text for Lesson text, part 1")
    expect(own_text).to_have_value(re.compile(rf"^{re.escape(SAMS_LINE)}\n?$"))

    # Erin writes her own line from both, and approves.
    part.get_by_label("Write your own").check()
    own_text.fill(OWN_LINE)
    decision.get_by_label("Comment for the proposer").fill("Merged with my edit from today.")
    decision.get_by_role("button", name="Approve", exact=True).click()
    expect(erin).to_have_url(re.compile(r"/review/$"))
    expect(erin.locator(".messages")).to_contain_text(
        "Approved: version 3 is published and credited to Sam."
    )

    # The lesson shows the chosen line, and the second line as it was.
    erin.goto(lesson_path)
    prose = erin.locator("article.lesson .prose")
    expect(prose).to_contain_text(OWN_LINE)
    expect(prose).to_contain_text(SECOND_LINE)
    expect(prose).not_to_contain_text(ERINS_LINE)
    expect(prose).not_to_contain_text(SAMS_LINE)
    expect(upkeep(erin)).to_contain_text("Contributors: Erin, Sam.")

    # Nothing lost: the history keeps Erin's edit and the approved proposal, each readable.
    upkeep(erin).get_by_role("link", name="History").click()
    history = erin.get_by_role("list", name="Versions, newest first")
    expect(history.get_by_role("listitem")).to_have_count(3)
    expect(version_entry(history, 3)).to_contain_text("Say when to plan")
    expect(version_entry(history, 3).locator(".meta")).to_contain_text(
        re.compile(r"^by Sam · approved by Erin")
    )
    expect(version_entry(history, 2)).to_contain_text("Plan a day ahead")
    expect(version_entry(history, 2).locator(".meta")).to_contain_text(re.compile(r"^by Erin"))
    expect(version_entry(history, 1)).to_contain_text("Starter curriculum (imported)")
    erin.get_by_role("link", name="Version 2", exact=True).click()
    expect(erin.get_by_role("main")).to_contain_text(
        "This is an old version. The current one is version 3."
    )
    expect(erin.locator(".revision-content")).to_contain_text(ERINS_LINE)


# --- 3. An outdated report, dismissed -----------------------------------------------------

REASON = "The Course of Study changed in 2020: the units are different now."
DISMISSAL = "The lesson already follows the 2020 units; the reference is the older edition."


def test_an_outdated_report_is_dismissed_and_the_reader_is_told(browse_as, new_alt, editor):
    lesson, _text = lesson_with_history(f"{FIRST_LINE}\n\n{OLD_SENTENCE}\n")
    lesson_path = lesson.get_absolute_url()

    sam = browse_as(new_alt, lesson_path)
    freshness = upkeep(sam).get_by_role(
        "group", name="Is this lesson still accurate where you work?"
    )
    freshness.get_by_text("It is outdated…").click()
    freshness.get_by_label("What is out of date?").fill(REASON)
    freshness.get_by_role("button", name="Report as outdated").click()
    expect(sam).to_have_url(re.compile(rf"{re.escape(lesson_path)}#freshness$"))
    expect(sam.locator(".messages")).to_contain_text(
        "Thank you. Editors will look at what you reported."
    )
    expect(upkeep(sam)).to_contain_text(
        "You reported this lesson as outdated. Editors will look at it."
    )

    erin = browse_as(editor, "/review/")
    reports = erin.get_by_role("region", name="Reported as outdated")
    report = reports.get_by_role("article").filter(has_text=REASON)
    expect(report).to_have_count(1)
    expect(report.get_by_role("heading", level=3)).to_contain_text(LESSON_TITLE)
    expect(report).to_contain_text("Reported by Sam")
    report.get_by_text("Dismiss with a comment").click()
    report.get_by_label("Why is it still accurate? The reader sees this.").fill(DISMISSAL)
    report.get_by_role("button", name="Dismiss the report").click()
    expect(erin.locator(".messages")).to_contain_text(
        "The report is dismissed; the reader sees your comment."
    )
    expect(reports).to_contain_text("No reader reported a lesson as outdated.")

    sam.reload()
    notifications_link(sam, unread=1).click()
    expect(sam.locator(".notification-unread")).to_contain_text(
        f"Your note that “{LESSON_TITLE}” is outdated was answered: {DISMISSAL}"
    )
