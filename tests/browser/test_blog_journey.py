"""The blog in a real browser, two people at once (one browser context each): a member
volunteers for a topic on the board, a blog editor assigns it to her, she drafts and sends
it for review; the editor leaves a note on a paragraph and asks for changes, then approves
the new version and schedules it a few minutes ahead in Japan time. The post is listed as
coming up, not live; when the clock passes its time (moved in the database here, nobody
presses a button) it is on the blog, at its own address and in the feed, and coming up no
more."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from altto.blog import actions
from altto.blog.models import EditorialNote, Post, Topic
from tests.browser.helpers import field, notifications_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JAPAN = ZoneInfo("Asia/Tokyo")
TOPIC = "Your first week at a new school"
NEED = "New ALTs ask what to do before their first lesson, and whom to talk to first."
PITCH = "I've started at six schools; I'd write a day-by-day checklist with what I learnt."
TITLE = "Your first week at a new school: a day-by-day checklist"
SUMMARY = "What to do, and whom to meet, before your first lesson."
OPENING = "Day one is for people: the vice principal, the office staff and your JTEs."
DAY_TWO = "On day two, ask for the textbooks and the year plan."
DAY_TWO_BETTER = "On day two, ask for the textbooks, the year plan and the bell times."
NOTE = "Which textbooks? Please name the series most schools use."
CHANGES = "Lovely. Could you add the bell times? New ALTs always miss them."


@pytest.fixture
def topic(transactional_db, blog_editor):
    return actions.add_topic(blog_editor, TOPIC, NEED, angle="A checklist, day by day.")


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_a_member_writes_a_topic_an_editor_schedules_it_and_it_goes_live_on_time(
    browse_as, topic, contributor, blog_editor
):
    # --- Priya finds the topic on the board and offers to write it.
    priya = browse_as(contributor, "/blog/topics/")
    expect(priya.get_by_role("heading", level=1)).to_have_text("Topics board")
    priya.get_by_role("main").get_by_role("link", name=TOPIC).click()
    expect(priya.get_by_role("heading", level=1)).to_have_text(TOPIC)
    expect(priya.get_by_role("main")).to_contain_text(NEED)
    priya.get_by_label(field("Your pitch")).fill(PITCH)
    priya.get_by_role("button", name="I'd like to write this").click()
    expect(priya.locator(".messages")).to_contain_text("Thank you for offering!")
    offer = priya.get_by_role("region", name="Your offer to write")
    expect(offer).to_contain_text(PITCH)
    expect(offer).to_contain_text("Waiting")

    # --- Bea, a blog editor, reads the offers and gives Priya the topic.
    bea = browse_as(blog_editor, topic.get_absolute_url())
    offers = bea.get_by_role("region", name="Offers to write")
    expect(offers).to_contain_text(PITCH)
    offers.get_by_role("button", name="Assign to Priya").click()
    expect(bea.locator(".messages")).to_contain_text("Priya is the writer")
    expect(bea.get_by_role("region", name="Writer")).to_contain_text("Priya is writing this.")
    post = Post.objects.get(topic=topic)
    assert Topic.objects.with_post().get(pk=topic.pk).state == Topic.State.DRAFTING

    # --- Priya is told; the notification opens her draft, where she writes and sends it.
    priya.goto("/blog/topics/")
    notifications_link(priya, unread=1).click()
    priya.get_by_role("button", name=re.compile(r"You are the writer of")).click()
    expect(priya).to_have_url(re.compile(rf"/blog/drafts/{post.pk}/edit/$"))
    expect(priya.get_by_role("heading", level=1)).to_contain_text(TOPIC)
    priya.get_by_label(field("Title")).fill(TITLE)
    priya.get_by_label(field("Summary")).fill(SUMMARY)
    priya.get_by_label(field("Text")).fill(body(OPENING, DAY_TWO))
    priya.get_by_label(field("Tags")).fill("first week, new school")
    priya.get_by_role("button", name="Save and send for review").click()
    expect(priya.locator(".messages")).to_contain_text("Saved and sent to the blog editors")
    expect(priya).to_have_url(re.compile(rf"/blog/drafts/{post.pk}/$"))
    expect(priya.get_by_role("heading", level=1)).to_have_text(TITLE)
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW

    # --- Bea finds it on the blog desk, notes a paragraph and asks for changes.
    bea.goto("/blog/editorial/")
    waiting = bea.get_by_role("region", name=re.compile("^Waiting for review"))
    waiting.get_by_role("link", name=TITLE).click()
    expect(bea.get_by_role("heading", level=1)).to_have_text(f"Review “{TITLE}”")
    paragraph = bea.locator(".blog-paragraph").filter(has_text=DAY_TWO)
    paragraph.get_by_text("Comment on this paragraph").click()
    paragraph.get_by_label("Your note on this paragraph").fill(NOTE)
    paragraph.get_by_role("button", name="Add note").click()
    expect(bea.locator(".messages")).to_contain_text("Your note is added.")
    notes = bea.get_by_role("region", name="Editors’ notes")
    expect(notes).to_contain_text(NOTE)
    expect(notes.locator("blockquote")).to_have_text(DAY_TWO)
    assert EditorialNote.objects.get(post=post).quote == DAY_TWO
    bea.get_by_label(field("What should change?")).fill(CHANGES)
    bea.get_by_role("button", name="Ask for changes").click()
    expect(bea.locator(".messages")).to_contain_text("The post is back with its writers")
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT

    # --- Priya sees the note and the request, changes the paragraph and sends it again.
    priya.goto(f"/blog/drafts/{post.pk}/review/")
    expect(priya.get_by_role("region", name="Editors’ notes")).to_contain_text(NOTE)
    expect(priya.get_by_role("region", name="Timeline")).to_contain_text(CHANGES)
    priya.get_by_role("main").get_by_role("link", name="Preview and history").click()
    priya.get_by_role("main").get_by_role("link", name="Edit", exact=True).click()
    expect(priya.get_by_label(field("Title"))).to_have_value(TITLE)
    priya.get_by_label(field("Text")).fill(body(OPENING, DAY_TWO_BETTER))
    priya.get_by_label(field("Summary of this change")).fill("Added the bell times")
    priya.get_by_role("button", name="Save and send for review").click()
    expect(priya.locator(".messages")).to_contain_text("Saved and sent to the blog editors")
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW

    # --- Bea approves it and schedules it three minutes ahead, Japan time.
    bea.goto(f"/blog/drafts/{post.pk}/review/")
    expect(bea.get_by_role("region", name="The text")).to_contain_text(DAY_TWO_BETTER)
    when = timezone.now().astimezone(JAPAN) + timedelta(minutes=3)
    bea.get_by_label(field("Publish on (Japan time)")).fill(when.strftime("%Y-%m-%dT%H:%M"))
    bea.get_by_role("button", name="Approve and schedule").click()
    expect(bea.locator(".messages")).to_contain_text(
        f"Approved: the post goes live on {when:%Y-%m-%d %H:%M} (Japan time)."
    )
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert timezone.localtime(post.publish_at, JAPAN).strftime("%H:%M") == f"{when:%H:%M}"

    # --- It is coming up, with its writer, and not on the blog or in the feed yet.
    priya.goto("/blog/upcoming/")
    coming = priya.get_by_role("main").get_by_role("listitem").filter(has_text=TITLE)
    expect(coming).to_have_count(1)
    expect(coming).to_contain_text("Priya")
    expect(coming).not_to_contain_text(DAY_TWO_BETTER)  # titles and writers, not bodies
    priya.goto("/blog/")
    expect(priya.get_by_role("main").get_by_role("link", name=TITLE)).to_have_count(0)
    feed = priya.request.get("/blog/feed/")
    assert feed.ok
    assert TITLE not in feed.text()

    # --- The clock passes its time: nobody presses anything, the post is live.
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    priya.goto("/blog/")
    card = priya.get_by_role("article", name=TITLE)
    expect(card).to_contain_text(SUMMARY)
    card.get_by_role("link", name=TITLE).click()
    post.refresh_from_db()
    expect(priya).to_have_url(re.compile(rf"{re.escape(post.get_absolute_url())}$"))
    expect(priya.get_by_role("heading", level=1)).to_have_text(TITLE)
    article = priya.get_by_role("article", name=TITLE)
    expect(article).to_contain_text(DAY_TWO_BETTER)
    expect(article.get_by_role("link", name="Priya").first).to_be_visible()
    expect(article.get_by_role("link", name="first-week")).to_be_visible()

    priya.goto("/blog/upcoming/")
    expect(priya.get_by_role("main")).not_to_contain_text(TITLE)
    feed = priya.request.get("/blog/feed/")
    assert feed.ok
    assert TITLE in feed.text()
    assert post.get_absolute_url() in feed.text()

    # The topic shows where its post is.
    bea.goto(topic.get_absolute_url())
    expect(bea.get_by_role("region", name="Writer").get_by_role("link")).to_have_text(
        f"Read the post: {TITLE}"
    )
