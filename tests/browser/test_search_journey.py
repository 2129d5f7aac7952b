"""Search in a real browser: a member opens Search from the main navigation, finds a
Japanese forum thread by typing 「自己紹介」 and an English lesson by typing "teaching" (the
word in its title is "teach"), narrows by type, and opens a result.

The content is made the way the site makes it (a thread started by a member, a published
lesson): the index fills itself when content is saved (altto/search/indexing.py), so this
is the whole path from saving to finding."""

import re

import pytest
from playwright.sync_api import expect

from altto.search.models import Entry
from tests.browser.helpers import field, forum_categories
from tests.courses.factories import make_lesson, make_module
from tests.forum.helpers import make_member, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JA_TITLE = "自己紹介で使えるゲームはありますか"
JA_BODY = "来週、中学一年生に自己紹介をします。写真を見せながら話す予定です。"
LESSON_TITLE = "How we teach together"
LESSON_BODY = "Team teaching starts **before** class: plan the roles with your JTE."


@pytest.fixture(autouse=True)
def content(transactional_db):
    forum_categories()
    start(make_member("kenji", display_name="Kenji"), title=JA_TITLE, body=JA_BODY)
    start(make_member("ana"), title="Where can I buy indoor shoes?", body="Size 29, please.")
    module = make_module()
    make_lesson(module, "teaching-together", title=LESSON_TITLE, body=LESSON_BODY)
    # Indexed on save, in the background (at once, with the test's task backend).
    assert set(Entry.objects.values_list("kind", flat=True)) == {"thread", "lesson"}


def test_a_member_searches_in_japanese_and_english_and_opens_a_result(browse_as, new_alt):
    sam = browse_as(new_alt, "/")
    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Search")
    expect(sam.get_by_role("status")).to_have_text("Type a word or two to search for.")

    # --- In Japanese: the thread, its snippet marked; nothing about who asked.
    search = sam.get_by_role("search")
    search.get_by_label(field("Search for")).fill("自己紹介")
    search.get_by_label(field("Search for")).press("Enter")
    expect(sam).to_have_url(re.compile(r"/search/\?q=%E8%87%AA"))
    results = sam.get_by_role("region", name="1 result for “自己紹介”")
    expect(results.get_by_role("link", name=JA_TITLE)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("自己紹介")
    expect(results.get_by_role("listitem")).to_contain_text("Forum")
    expect(results.get_by_role("listitem")).not_to_contain_text("Kenji")
    expect(results.locator("h3")).to_have_attribute("lang", "ja")
    expect(search.get_by_label(field("Search for"))).to_have_value("自己紹介")

    # --- In English: "teaching" finds the lesson titled "teach"; a filter narrows.
    search.get_by_label(field("Search for")).fill("teaching")
    search.get_by_label(field("Type")).select_option(label="Forum")
    search.get_by_role("button", name="Search").click()
    nothing = "Nothing found for “teaching” with these filters."
    expect(sam.get_by_role("status")).to_have_text(nothing)
    sam.get_by_role("link", name="Search everything, without the filters").click()
    results = sam.get_by_role("region", name="1 result for “teaching”")
    expect(results.locator("mark").first).to_have_text("teaching")
    expect(results.get_by_role("listitem")).to_contain_text("Lessons")

    # --- Opening a result goes to the lesson.
    results.get_by_role("link", name=LESSON_TITLE).click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(LESSON_TITLE)
    expect(sam).to_have_url(re.compile(r"/modules/team-teaching/teaching-together/$"))
