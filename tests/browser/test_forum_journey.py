"""The forum in a real browser, three people at once (one browser context each): a new member
asks a question, which waits for a moderator; the moderator approves it from the review
queue; an established member answers; the asker accepts the answer and the thread is shown
as solved. Also the two bits of JavaScript the forum has: quoting selected words, and the
similar-questions panel beside a new question (htmx)."""

import re

import pytest
from playwright.sync_api import expect

from altto.forum.models import Post, Standing, Thread
from tests.browser.helpers import field, forum_categories
from tests.forum.helpers import make_member, reply, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def categories(transactional_db):
    forum_categories()


TITLE = "How do I get quiet second-years to answer in English?"
QUESTION = "They know the answer, but nobody speaks first. What has worked for you?"
ANSWER = "Let them check in pairs first, then ask a pair, not a student. Nobody is alone."


def test_a_new_member_asks_a_moderator_approves_a_member_answers_and_it_is_solved(
    browse_as, new_alt, moderator, contributor
):
    Standing.objects.create(user=contributor, approved_posts=2)

    # --- Sam, new, asks a question: it waits for a moderator.
    sam = browse_as(new_alt, "/forum/new/")
    expect(sam.get_by_role("heading", level=1)).to_have_text("New thread")
    sam.get_by_label(field("Category")).select_option(label="Classroom management")
    sam.get_by_role("group", name="This is a").get_by_label("Question").check()
    sam.get_by_label(field("Title")).fill(TITLE)
    sam.get_by_label(field("Details")).fill(QUESTION)
    sam.get_by_label("Junior high school").check()
    sam.get_by_role("button", name="Post thread").click()

    expect(sam.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(sam.locator(".messages")).to_contain_text("checked by a moderator")
    expect(sam.get_by_role("status").filter(has_text="waiting for a moderator")).to_be_visible()
    thread = Thread.objects.get(title=TITLE)
    assert thread.status == Thread.Status.HELD
    thread_path = thread.get_absolute_url()

    # --- Morgan approves it from the review queue.
    morgan = browse_as(moderator, "/forum/review/")
    held = morgan.get_by_role("region", name="Waiting for review")
    item = held.get_by_role("article").filter(has_text=TITLE)
    expect(item).to_contain_text(QUESTION)
    item.get_by_role("button", name="Approve").click()
    expect(morgan.locator(".messages")).to_contain_text("approved")
    thread.refresh_from_db()
    assert thread.status == Thread.Status.VISIBLE

    # --- Priya, an established member, answers; her reply appears at once.
    priya = browse_as(contributor, thread_path)
    expect(priya.get_by_text("waiting for a moderator")).to_have_count(0)
    priya.get_by_role("textbox", name="Your reply").fill(ANSWER)
    priya.get_by_role("button", name="Post reply").click()
    expect(priya.locator(".messages")).to_contain_text("Your reply is posted.")
    answer = Post.objects.get(thread=thread, is_opening=False)
    assert answer.status == Post.Status.VISIBLE
    expect(priya.locator(f"#post-{answer.pk}")).to_contain_text(ANSWER)

    # --- Sam accepts it: the thread is solved, on its page and in the list of solved ones.
    sam.goto(thread_path)
    reply_post = sam.get_by_role("article", name="Reply")
    expect(reply_post).to_contain_text(ANSWER)
    reply_post.get_by_role("button", name="Accept this answer").click()
    expect(sam.locator(".messages")).to_contain_text("Marked as the accepted answer.")
    expect(sam.locator(".forum-thread-head .tag-solved")).to_have_text("Solved")
    accepted = sam.get_by_role("region", name="Accepted answer")
    expect(accepted).to_contain_text(ANSWER)

    sam.goto("/forum/all/?show=solved")
    row = sam.locator(".forum-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator(".tag-solved")).to_have_text("Solved")
    sam.goto("/forum/all/?show=unanswered")
    expect(sam.locator(".forum-row").filter(has_text=TITLE)).to_have_count(0)


def test_quote_puts_the_selected_words_into_the_reply_box(browse_as, new_alt, contributor):
    asker = make_member("kim")
    thread = start(asker, title="Games for a class of forty", body="What works with forty?")
    reply(contributor_member(contributor), thread, "Try **four corners**. Everyone moves at once.")
    Standing.objects.create(user=new_alt, approved_posts=2)

    sam = browse_as(new_alt, thread.get_absolute_url())
    post = sam.get_by_role("article", name="Reply")
    body = post.locator(".comment-body")
    expect(body).to_contain_text("Everyone moves at once.")
    # Select "Everyone moves at once" with the mouse's equivalent: a range in the post.
    body.evaluate(
        """(element) => {
            const text = [...element.querySelectorAll("p")].at(-1).lastChild;
            const start = text.textContent.indexOf("Everyone");
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + "Everyone moves at once".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    post.get_by_role("link", name="Quote").click()

    box = sam.get_by_role("textbox", name="Your reply")
    expect(box).to_be_focused()
    expect(box).to_have_value("@priya\n> Everyone moves at once\n\n")
    assert "?quote=" not in sam.url  # JavaScript did it; no round trip to the server


def test_similar_questions_appear_while_typing_a_title(browse_as, new_alt):
    asker = make_member("kim")
    start(asker, title="Warm-ups for sleepy first-period classes", body="Ideas, please.")
    other = start(asker, title="Where do I buy indoor shoes?", body="My size is hard to find.")
    assert other.status == Thread.Status.VISIBLE

    sam = browse_as(new_alt, "/forum/new/")
    panel = sam.get_by_role("region", name="Similar questions and lessons")
    expect(panel.get_by_role("link")).to_have_count(0)
    sam.get_by_label(field("Title")).fill("Any warm-ups for sleepy classes after lunch?")
    expect(panel.get_by_role("heading", name="Already answered?")).to_be_visible()
    expect(
        panel.get_by_role("link", name="Warm-ups for sleepy first-period classes")
    ).to_be_visible()
    expect(panel.get_by_role("link", name=re.compile("indoor shoes"))).to_have_count(0)


def contributor_member(user):
    Standing.objects.update_or_create(user=user, defaults={"approved_posts": 2})
    return user
