"""Writing blog posts and the editorial desk through the views: who may see and do what,
the whole path from a draft to a scheduled post, refusals that keep what was typed, cover
images checked by content, and bounded query counts."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from altto.blog import actions
from altto.blog.models import BODY_MAX_LENGTH, EditorialNote, Post
from altto.blog.views.writing import paragraphs
from altto.notifications.models import Notification
from altto.revisions.actions import revisions_of

pytestmark = pytest.mark.django_db

JAPAN = ZoneInfo("Asia/Tokyo")
BODY = (
    "Bring a map of your home town.\n\n"
    "Show three photos: family, food, festival.\n\n"
    "- Ask one question\n- Smile"
)


def fields(post, **changes):
    data = {
        "title": post.title,
        "slug": post.slug,
        "summary": "A self-introduction that works.",
        "body": BODY,
        "language": "en",
        "tags": "self-introduction, first week",
        "cover_alt": "",
        "summary_of_change": "",
        "action": "save",
    }
    data.update(changes)
    return data


def save(post, writer, **changes):
    data = fields(post, **changes)
    data["tags"] = [t.strip() for t in data["tags"].split(",") if t.strip()]
    for key in ("action",):
        data.pop(key)
    return actions.save_post(post, writer, **data)


@pytest.fixture
def post(contributor, new_alt):
    """Priya's draft, co-written with Sam."""
    draft = actions.start_draft(contributor, "Your first self-introduction")
    save(draft, contributor)
    actions.add_writer(draft, new_alt)
    return draft


def in_review(post, writer):
    actions.submit_for_review(post, writer)
    post.refresh_from_db()
    return post


def url(name, post=None):
    return reverse(f"blog:{name}", kwargs={"pk": post.pk} if post else None)


def login(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def image_file(name="cover.jpg", size=(3000, 1500), fmt="JPEG", mode="RGB"):
    out = BytesIO()
    Image.new(mode, size, "#3a7").save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# ---- who may do what ----------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "outsider",
    "contributor",
    "new_alt",
    "editor",
    "blog_editor",
    "site_admin",
]


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 403, 200, 200, 200, 200, 200], strict=True)),
)
def test_any_verified_member_may_start_a_post(client, request, persona, expected):
    login(client, request, persona)
    response = client.get(url("new"))
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))


def test_starting_a_draft_leads_to_its_editor(client, contributor):
    client.force_login(contributor)
    response = client.post(url("new"), {"title": "Teaching with songs"})
    post = Post.objects.get(title="Teaching with songs")
    assert response.status_code == 302 and response.url == url("edit", post)
    assert list(post.authors.all()) == [contributor]
    assert post.status == Post.Status.DRAFT
    response = client.post(url("new"), {"title": "   "})
    assert response.status_code == 400
    assert "Please give the post a title." in response.content.decode()


# Writers: Priya (contributor) and Sam (new_alt). Erin (editor) edits lessons, not the blog.
@pytest.mark.parametrize(
    ("persona", "draft", "edit", "review"),
    [
        ("anonymous", 302, 302, 302),
        ("outsider", 404, 404, 404),
        ("contributor", 200, 200, 200),
        ("new_alt", 200, 200, 200),
        ("editor", 404, 404, 404),
        ("moderator", 404, 404, 404),
        ("blog_editor", 200, 200, 200),
        ("site_admin", 200, 200, 200),
    ],
)
def test_drafts_are_for_their_writers_and_the_blog_editors(
    client, request, post, persona, draft, edit, review
):
    login(client, request, persona)
    assert client.get(url("draft", post)).status_code == draft
    assert client.get(url("edit", post)).status_code == edit
    assert client.get(url("review", post)).status_code == review


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("contributor", 403),
        ("new_alt", 403),
        ("editor", 404),
        ("blog_editor", 200),
        ("site_admin", 200),
    ],
)
def test_a_post_in_review_is_the_editors_to_change(client, request, post, persona, expected):
    in_review(post, post.authors.first())
    login(client, request, persona)
    assert client.get(url("edit", post)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 403, 403, 403, 403, 200, 200], strict=True)),
)
def test_the_blog_desk_is_for_blog_editors(client, request, persona, expected):
    login(client, request, persona)
    assert client.get(url("editorial")).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 200, 200, 200, 200, 200, 200], strict=True)),
)
def test_your_posts_page_is_for_anyone_signed_in(client, request, post, persona, expected):
    login(client, request, persona)
    response = client.get(url("mine"))
    assert response.status_code == expected
    if persona in {"contributor", "new_alt"}:
        assert post.title in response.content.decode()
    elif expected == 200:
        assert post.title not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "submit", "note", "decide"),
    [
        ("anonymous", 302, 302, 302),
        ("outsider", 404, 404, 404),
        ("new_alt", 302, 403, 403),
        ("editor", 404, 404, 404),
        ("blog_editor", 302, 302, 302),
    ],
)
def test_only_writers_submit_and_only_blog_editors_note_and_decide(
    client, request, post, persona, submit, note, decide
):
    login(client, request, persona)
    response = client.post(url("submit", post))
    assert response.status_code == submit
    if persona == "anonymous":
        assert reverse("account_login") in response.url
    response = client.post(url("note", post), {"body": "Lovely opening."})
    assert response.status_code == note
    assert EditorialNote.objects.filter(post=post).count() == (
        1 if note == 302 and persona != "anonymous" else 0
    )
    post.refresh_from_db()
    if post.status != Post.Status.REVIEW:
        in_review(post, post.authors.first())
    response = client.post(url("decide", post), {"action": "changes", "comment": "More photos."})
    assert response.status_code == decide
    post.refresh_from_db()
    assert post.status == (Post.Status.DRAFT if persona == "blog_editor" else Post.Status.REVIEW)


def test_a_writer_reads_the_notes_but_gets_no_editor_forms(client, post, contributor, blog_editor):
    in_review(post, contributor)
    actions.add_note(
        post, blog_editor, "Tighten the opening.", quote="Bring a map of your home town."
    )
    client.force_login(contributor)
    html = client.get(url("review", post)).content.decode()
    assert "Tighten the opening." in html
    assert "<blockquote" in html and "Bring a map of your home town." in html
    assert "Comment on this paragraph" not in html
    assert "Approve and schedule" not in html


# ---- the whole path -----------------------------------------------------------------------


def test_from_a_draft_to_a_scheduled_post_through_the_views(
    client, contributor, new_alt, blog_editor, django_capture_on_commit_callbacks
):
    # Priya starts a draft and writes it.
    client.force_login(contributor)
    client.post(url("new"), {"title": "Your first self-introduction"})
    post = Post.objects.get()
    actions.add_writer(post, new_alt)  # Sam co-writes it
    response = client.post(url("edit", post), fields(post, summary_of_change="First full draft"))
    assert response.status_code == 302 and response.url == url("edit", post)
    post.refresh_from_db()
    assert post.body == BODY and [t.slug for t in post.tags.all()] == [
        "first-week",
        "self-introduction",
    ]
    assert revisions_of(post).first().summary == "First full draft"

    # … and sends it for review.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("edit", post), fields(post, action="submit"))
    assert response.status_code == 302 and response.url == url("draft", post)
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    assert Notification.objects.filter(user=blog_editor, kind="blog_submitted").exists()
    assert client.get(url("edit", post)).status_code == 403  # with the editors now

    # Bea reads it paragraph by paragraph and comments inline and overall.
    client.force_login(blog_editor)
    html = client.get(url("review", post)).content.decode()
    assert (
        html.count("<summary>Comment on this paragraph</summary>") == 3
    )  # two paragraphs and a list
    assert 'name="quote" value="Show three photos: family, food, festival."' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("note", post),
            {"quote": "Show three photos: family, food, festival.", "body": "Which festival?"},
        )
        assert response.status_code == 302
        client.post(url("note", post), {"body": "A warm, useful post."})
    inline, overall = EditorialNote.objects.filter(post=post)
    assert inline.quote == "Show three photos: family, food, festival." and not overall.quote
    assert Notification.objects.filter(user=contributor, kind="blog_note").count() == 2
    html = client.get(url("review", post)).content.decode()
    assert "1 note on this" in html and "Which festival?" in html

    # She asks for changes.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decide", post), {"action": "changes", "comment": "Name the festival, please."}
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert Notification.objects.filter(user=contributor, kind="blog_changes_requested").exists()

    # Sam, the co-writer, edits it and sends it back.
    client.force_login(new_alt)
    new_body = BODY.replace("festival.", "the Gion festival.")
    response = client.post(
        url("edit", post),
        fields(post, body=new_body, action="submit", summary_of_change="Named the festival"),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW

    # Bea approves it for tomorrow 09:00, Japan time.
    client.force_login(blog_editor)
    html = client.get(url("review", post)).content.decode()
    tomorrow = timezone.localtime(timezone.now(), JAPAN).date() + timedelta(days=1)
    assert f'value="{tomorrow:%Y-%m-%d}T09:00"' in html  # the default
    response = client.post(
        url("decide", post), {"action": "schedule", "publish_at": f"{tomorrow:%Y-%m-%d}T09:00"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert post.publish_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, tzinfo=JAPAN)
    assert post.publish_at.astimezone(ZoneInfo("UTC")).hour == 0
    assert not post.is_live()

    # The preview says when, the timeline tells the story, the history keeps each version.
    client.force_login(contributor)
    html = client.get(url("draft", post)).content.decode()
    when = date_format(timezone.localtime(post.publish_at, JAPAN), "DATETIME_FORMAT")
    assert f"Will be published {when} (Japan time)" in html
    assert "Bea approved and scheduled it" in html
    assert "Named the festival" in html and "Changes in version" in html
    assert "<ins>" in html and "Gion" in html
    kinds = list(post.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "changes", "submitted", "scheduled"]
    assert post.get_absolute_url() == reverse(
        "blog:post", kwargs={"year": tomorrow.year, "slug": post.slug}
    )
    client.force_login(blog_editor)
    desk_html = client.get(url("editorial")).content.decode()
    assert post.title in desk_html


def test_publish_now_and_unpublish(client, post, contributor, blog_editor):
    in_review(post, contributor)
    client.force_login(blog_editor)
    response = client.post(url("decide", post), {"action": "publish_now", "publish_at": ""})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_live()
    response = client.post(url("decide", post), {"action": "unpublish", "reason": ""})
    assert response.status_code == 400
    response = client.post(url("decide", post), {"action": "unpublish", "reason": "A wrong fact."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.UNPUBLISHED
    client.force_login(contributor)
    assert client.get(url("edit", post)).status_code == 200  # theirs to fix again


# ---- refusals keep what was typed ---------------------------------------------------------


def test_scheduling_in_the_past_is_refused_and_keeps_the_values(
    client, post, contributor, blog_editor
):
    in_review(post, contributor)
    client.force_login(blog_editor)
    response = client.post(
        url("decide", post), {"action": "schedule", "publish_at": "2020-04-01T09:30"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That time has passed" in html
    assert 'value="2020-04-01T09:30"' in html
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    response = client.post(url("decide", post), {"action": "schedule", "publish_at": "soon"})
    assert response.status_code == 400 and 'value="soon"' in response.content.decode()
    response = client.post(url("decide", post), {"action": "changes", "comment": ""})
    assert response.status_code == 400
    assert "Please say what should change." in response.content.decode()


def test_a_blog_editor_cannot_approve_their_own_post(
    client, post, contributor, blog_editor, site_admin
):
    actions.add_writer(post, blog_editor)
    in_review(post, contributor)
    client.force_login(blog_editor)
    html = client.get(url("review", post)).content.decode()
    assert "Approve and schedule" not in html
    assert "another blog editor must approve it" in html
    later = (timezone.localtime(timezone.now(), JAPAN) + timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(url("decide", post), {"action": "schedule", "publish_at": later})
    assert response.status_code == 400
    assert "Another blog editor must approve a post you wrote." in response.content.decode()
    assert f'value="{later}"' in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    client.force_login(site_admin)
    assert (
        client.post(url("decide", post), {"action": "schedule", "publish_at": later}).status_code
        == 302
    )


def test_a_slug_collision_is_refused_and_keeps_the_text(client, post, contributor):
    other = actions.start_draft(contributor, "Another post")
    client.force_login(contributor)
    typed = fields(other, slug=post.slug, body="Words I must not lose.", title="Mine too")
    response = client.post(url("edit", other), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Another post already has the address" in html
    assert "Words I must not lose." in html and 'value="Mine too"' in html
    other.refresh_from_db()
    assert other.body == "" and other.title == "Another post"
    response = client.post(url("edit", other), fields(other, slug="not a slug!"))
    assert response.status_code == 400


def test_a_body_over_the_limit_is_refused(client, post, contributor):
    client.force_login(contributor)
    response = client.post(url("edit", post), fields(post, body="a" * (BODY_MAX_LENGTH + 1)))
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == BODY


def test_too_many_tags_are_refused(client, post, contributor):
    client.force_login(contributor)
    response = client.post(url("edit", post), fields(post, tags="a, b, c, d, e, f"))
    assert response.status_code == 400
    assert "at most 5 tags" in response.content.decode()


def test_sending_an_empty_draft_for_review_keeps_it_and_says_why(client, contributor):
    post = actions.start_draft(contributor, "Nothing yet")
    client.force_login(contributor)
    response = client.post(url("edit", post), fields(post, body="", action="submit"), follow=True)
    assert "Please write the post before sending it for review." in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT and post.summary == "A self-introduction that works."


# ---- cover images ----------------------------------------------------------------------------


def test_a_cover_is_resized_to_webp_at_most_1600_wide(client, post, contributor):
    client.force_login(contributor)
    response = client.post(
        url("edit", post), {**fields(post, cover_alt="A map of Kyoto"), "cover": image_file()}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.cover.name.endswith(".webp") and post.cover_alt == "A map of Kyoto"
    with post.cover.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "WEBP" and image.size == (1600, 800)
    html = client.get(url("draft", post)).content.decode()
    assert 'alt="A map of Kyoto"' in html
    first = post.cover.name
    # A small cover is not enlarged (and replaces the first); removing it clears it.
    client.post(
        url("edit", post),
        {**fields(post, cover_alt="Tiny"), "cover": image_file(size=(400, 300), fmt="PNG")},
    )
    post.refresh_from_db()
    with post.cover.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (400, 300)
    assert not post.cover.storage.exists(first)
    second = post.cover.name
    client.post(url("edit", post), fields(post, remove_cover="on", cover_alt="Tiny"))
    post.refresh_from_db()
    assert not post.cover and post.cover_alt == ""
    assert not post.cover.storage.exists(second)


def test_a_cover_that_is_not_an_image_is_refused_whatever_its_name(client, post, contributor):
    client.force_login(contributor)
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = client.post(url("edit", post), {**fields(post, cover_alt="A photo"), "cover": fake})
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    post.refresh_from_db()
    assert not post.cover


def test_a_cover_needs_a_description(client, post, contributor):
    client.force_login(contributor)
    response = client.post(url("edit", post), {**fields(post), "cover": image_file()})
    assert response.status_code == 400
    assert "Please describe the cover image" in response.content.decode()


# ---- the review page's paragraphs ---------------------------------------------------------


def test_the_text_is_cut_into_its_top_level_blocks():
    html = (
        "<h2>Plan</h2>\n<p>One &amp; <em>two</em></p>\n"
        "<ul>\n<li>a</li>\n<li>b<ul><li>c</li></ul></li>\n</ul>\n<hr>\n<blockquote><p>Quoted</p>\n<p>More</p></blockquote>\n"
    )
    blocks = paragraphs(html)
    assert [b["quote"] for b in blocks] == ["Plan", "One & two", "a b c", "", "Quoted More"]
    assert blocks[1]["html"] == "<p>One &amp; <em>two</em></p>"
    assert blocks[2]["html"] == "<ul>\n<li>a</li>\n<li>b<ul><li>c</li></ul></li>\n</ul>"
    assert blocks[3]["html"] == "<hr>"
    loose = paragraphs("<p>a</p>&lt;script&gt;alert(1)&lt;/script&gt;")
    assert loose[1] == {
        "html": "&lt;script&gt;alert(1)&lt;/script&gt;",
        "quote": "<script>alert(1)</script>",
    }


# ---- query budgets --------------------------------------------------------------------------


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_blog_desk_costs_the_same_however_many_posts(
    client, contributor, new_alt, blog_editor, site_admin
):
    def add_posts(n):
        for i in range(n):
            for status in ["review", "scheduled", "draft", "unpublished"]:
                p = actions.start_draft(contributor, f"{status} {i} {n}")
                actions.add_writer(p, new_alt)
                p.status = status
                p.publish_at = timezone.now() + timedelta(days=1)
                p.save()
                p.events.create(kind="submitted", actor=contributor)

    client.force_login(blog_editor)
    add_posts(1)
    few = count_queries(client, url("editorial"))
    add_posts(6)
    many = count_queries(client, url("editorial"))
    assert few == many <= 14


def test_the_review_and_draft_pages_cost_the_same_however_many_notes(
    client, post, contributor, new_alt, blog_editor
):
    in_review(post, contributor)
    client.force_login(blog_editor)
    actions.add_note(post, blog_editor, "One", quote="Bring a map of your home town.")
    few = count_queries(client, url("review", post))
    few_draft = count_queries(client, url("draft", post))
    for i in range(8):
        actions.add_note(post, blog_editor, f"Note {i}", quote="" if i % 2 else "Smile")
        post.events.create(kind="changes", actor=blog_editor, comment=f"c{i}")
        save(post, new_alt, summary_of_change=f"v{i}", body=f"{BODY}\n\nMore {i}")
    assert count_queries(client, url("review", post)) == few <= 14
    assert count_queries(client, url("draft", post)) == few_draft <= 16


def test_your_posts_page_costs_the_same_however_many_posts(client, contributor, new_alt):
    client.force_login(contributor)
    actions.start_draft(contributor, "One")
    few = count_queries(client, url("mine"))
    for i in range(6):
        p = actions.start_draft(contributor, f"Post {i}")
        actions.add_writer(p, new_alt)
    assert count_queries(client, url("mine")) == few <= 10


def test_approving_a_post_without_writers_is_refused(client, post, contributor, blog_editor):
    in_review(post, contributor)
    post.authorship_set.all().delete()
    client.force_login(blog_editor)
    response = client.post(url("decide", post), {"action": "publish_now", "publish_at": ""})
    assert response.status_code == 400
    assert "A post needs at least one writer" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
