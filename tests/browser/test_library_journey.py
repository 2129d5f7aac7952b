"""The library in a real browser, three people at once (one browser context each): a member
submits an activity for a textbook unit without knowing its rights, an editor is refused
until she completes them, then approves it; another member finds it by filtering on the
textbook, edition and unit, and marks it used with a rating; the submitter is notified."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import field, notifications_link
from tests.library.factories import make_activity, make_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TITLE = "Weekend plans interview"
SUMMARY = "Pairs ask each other about next weekend with “be going to”."
UNIT = "Unit 5"
STEPS = "1. Model the question.\n2. Students interview three classmates.\n3. Report back."
OTHER_UNIT = "Past tense bingo"  # same edition, Unit 4
OTHER_EDITION = "Summer memories chain"  # Unit 5 of the 2021 edition
CREATOR = "Sam Taylor"


def test_a_member_submits_an_editor_completes_rights_and_approves_another_member_uses_it(
    browse_as, new_alt, editor, contributor
):
    edition = make_edition("new-horizon", 2025, name="New Horizon")
    old_edition = make_edition("new-horizon", 2021)
    make_activity("past-tense-bingo", title=OTHER_UNIT, edition=edition, unit="Unit 4")
    make_activity("summer-memories-chain", title=OTHER_EDITION, edition=old_edition, unit=UNIT)

    # --- Sam submits an activity for New Horizon 2025, Unit 5, not knowing its licence.
    sam = browse_as(new_alt, "/library/submit/")
    expect(sam.get_by_role("heading", level=1)).to_have_text("Submit to the library")
    sam.get_by_label(field("Kind")).select_option(label="Activity")
    sam.get_by_label(field("Title")).fill(TITLE)
    sam.get_by_label(field("Summary")).fill(SUMMARY)
    sam.get_by_label("Junior high school").check()
    sam.get_by_label(field("Textbook edition")).select_option(label="2025 edition")
    sam.get_by_label(field("Unit or page")).fill(UNIT)
    sam.get_by_label(field("Grammar point")).fill("be going to")
    sam.get_by_label("Speaking").check()
    sam.get_by_label(field("Time needed (minutes)")).fill("15")
    sam.get_by_label(field("Steps")).fill(STEPS)
    expect(sam.get_by_label(field("Licence"))).to_have_value("")  # "I don't know"
    sam.get_by_role("button", name="Submit for review").click()

    expect(sam).to_have_url(re.compile(r"/library/submit/$"))
    expect(sam.locator(".messages")).to_contain_text(
        f"Thank you! “{TITLE}” is waiting for an editor, who will review it."
    )
    mine = sam.get_by_role("region", name="Your submissions").get_by_role("listitem")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(TITLE)
    expect(mine).to_contain_text("Waiting for review")
    expect(mine.get_by_role("link")).to_have_count(0)  # not public yet

    # --- Erin finds it in the review queue, with its rights problems counted.
    erin = browse_as(editor, "/review/")
    submissions = erin.get_by_role("region", name="New library submissions")
    row = submissions.get_by_role("listitem").filter(has_text=TITLE)
    expect(row).to_contain_text("Activity")
    expect(row).to_contain_text("Sam")
    expect(row).to_contain_text("2 rights problems")
    row.get_by_role("link", name=TITLE).click()

    # The item page: a banner for editors, and approving is refused while rights are missing.
    expect(erin.get_by_role("heading", level=1)).to_have_text(TITLE)
    item_path = urlparse(erin.url).path
    banner = erin.locator(".library-banner")
    expect(banner).to_contain_text("Status: Waiting for review.")
    expect(banner.locator(".library-problems li")).to_have_text(
        ["Choose the licence the item is shared under.", "Name at least one creator."]
    )
    banner.get_by_role("button", name="Approve and publish").click()
    expect(erin.locator(".messages")).to_contain_text(
        f"“{TITLE}” cannot be published until its rights are complete:"
    )
    expect(banner).to_contain_text("Status: Waiting for review.")

    # She completes the rights: original to ALTTO, credited to Sam's full name.
    erin.get_by_role("link", name="Edit rights").click()
    expect(erin).to_have_url(re.compile(rf"{re.escape(item_path)}rights/$"))
    expect(erin.get_by_role("heading", level=1)).to_have_text(f"Rights: {TITLE}")
    expect(erin.locator("#rights-problems li")).to_have_count(2)
    erin.get_by_label(field("Licence")).select_option(label="Original to ALTTO (CC BY-SA 4.0)")
    erin.get_by_role("group", name="Creator 1").get_by_label(field("Name")).fill(CREATOR)
    erin.get_by_role("button", name="Save the rights").click()
    expect(erin.locator(".messages")).to_contain_text("The rights are saved.")
    expect(erin.locator("#rights-problems")).to_have_text("The rights are complete.")
    expect(erin.locator("#attribution-preview")).to_have_text(
        f"{CREATOR}. Original to ALTTO (CC BY-SA 4.0)."
    )

    # Back on the item page, she approves it.
    erin.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=TITLE).click()
    expect(banner.locator(".library-problems")).to_have_count(0)
    banner.get_by_role("button", name="Approve and publish").click()
    expect(erin.locator(".messages")).to_contain_text(
        f"“{TITLE}” is published. The member is notified."
    )
    expect(erin.locator(".library-banner")).to_have_count(0)
    erin.goto("/review/")
    expect(erin.get_by_role("region", name="New library submissions")).to_contain_text(
        "No library submission waits for review."
    )

    # --- Priya filters the library on the textbook, its edition and the unit.
    priya = browse_as(contributor, "/library/")
    filters = priya.locator("form.library-filters")
    expect(filters.get_by_label("Edition")).to_have_count(0)  # until a textbook is chosen
    filters.get_by_label("Textbook", exact=True).select_option(label="New Horizon")
    filters.get_by_role("button", name="Show results").click()
    expect(priya).to_have_url(re.compile(r"[?&]textbook=new-horizon(&|$)"))
    filters.get_by_label("Edition").select_option(label="2025 edition")
    filters.get_by_label("Unit or page").fill(UNIT)
    filters.get_by_role("button", name="Show results").click()
    expect(priya).to_have_url(re.compile(r"[?&]edition=2025(&|$)"))
    expect(priya).to_have_url(re.compile(r"[?&]unit=Unit(\+|%20)5(&|$)"))

    results = priya.get_by_role("region", name="1 item")
    rows = results.locator(".library-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("New Horizon (2025 edition), Unit 5")
    expect(rows).to_contain_text(f"{CREATOR}. Original to ALTTO (CC BY-SA 4.0).")
    expect(rows).to_contain_text("Used 0 times")
    expect(results).not_to_contain_text(OTHER_UNIT)
    expect(results).not_to_contain_text(OTHER_EDITION)
    rows.get_by_role("link", name=TITLE).click()

    # The activity's page; she marks it used, with a rating of 4 and a private note.
    expect(priya).to_have_url(re.compile(rf"{re.escape(item_path)}$"))
    expect(priya.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(priya.locator(".library-activity-facts")).to_contain_text(
        "New Horizon (2025 edition), Unit 5"
    )
    expect(priya.locator(".library-banner")).to_have_count(0)  # not an editor
    used = priya.get_by_role("region", name="I used this")
    used.get_by_label("4 of 5").check()
    used.get_by_label("Your notes").fill("Worked well with my second-years.")
    used.get_by_role("button", name="I used this").click()

    expect(priya).to_have_url(re.compile(rf"{re.escape(item_path)}#used$"))
    expect(priya.locator(".messages")).to_contain_text("Thank you: your mark is saved.")
    facts = priya.locator("p.library-row-facts")
    expect(facts).to_contain_text("Used 1 time")
    expect(facts).to_contain_text("Rated 4.0 of 5 (1 rating)")
    used = priya.get_by_role("region", name="I used this")
    expect(used.locator(".library-used-mine")).to_have_text(
        "You marked this item as used. Your rating: 4 of 5."
    )
    expect(used.get_by_label("4 of 5")).to_be_checked()
    expect(used.get_by_label("Your notes")).to_have_value("Worked well with my second-years.")

    # --- Sam is told his submission is out; the notification leads to it.
    sam.reload()
    mine = sam.get_by_role("region", name="Your submissions").get_by_role("listitem")
    expect(mine).to_contain_text("Published")
    expect(mine.get_by_role("link", name=TITLE)).to_have_attribute("href", item_path)
    notifications_link(sam, unread=1).click()
    expect(sam).to_have_url(re.compile(r"/notifications/$"))
    unread = sam.locator(".notification-unread")
    expect(unread).to_have_count(1)
    unread.get_by_role(
        "button", name=f"Your library submission “{TITLE}” is published. Thank you!"
    ).click()
    expect(sam).to_have_url(re.compile(rf"{re.escape(item_path)}$"))
    expect(sam.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(sam.locator("p.library-row-facts")).to_contain_text("Used 1 time")
    expect(notifications_link(sam)).to_be_visible()
