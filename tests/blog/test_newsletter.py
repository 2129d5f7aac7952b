"""The newsletter, "The Monthly Trainer": assembling a month's edition from posts, lessons
and forum threads; editing, previewing and publishing it; its public archive; and the
subscriber list with opt-in (members in one step, visitors through a signed link)."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from altto.blog import actions, newsletter
from altto.blog.models import Edition, EditionEntry, Post, Subscriber
from altto.courses.models import Lesson, LessonText
from altto.forum.models import Thread
from altto.revisions.models import Revision
from tests.conftest import make_user
from tests.courses.factories import make_lesson, make_module
from tests.forum.helpers import flashes, html, make_member, start

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("blog:newsletter")
EDITIONS = reverse("blog:newsletter_editions")
SUBSCRIBE = reverse("blog:newsletter_subscribe")
SUBSCRIBERS = reverse("blog:newsletter_subscribers")


# ---- builders -----------------------------------------------------------------------------


def month_and_day():
    """Last month (Japan time), and a moment in the middle of it."""
    month = newsletter.previous_month(newsletter.this_month())
    start_of_month, _end = newsletter.month_bounds(month)
    return month, start_of_month + timedelta(days=10, hours=12)


def live_post(writer, editor, title, when, summary="") -> Post:
    post = actions.start_draft(writer, title)
    actions.save_post(
        post, writer, title=title, slug=actions.unique_slug(title, exclude_pk=post.pk),
        summary=summary, body="Bring a map of your home town.", language="en", tags=[],
    )  # fmt: skip
    actions.submit_for_review(post, writer)
    return actions.schedule(post, editor, when, now=when)


def lesson_at(module, slug, created) -> Lesson:
    lesson = make_lesson(module, slug, title=slug.replace("-", " ").title())
    Lesson.objects.filter(pk=lesson.pk).update(created_at=created)
    return lesson


def revise(lesson, when, kind="edit") -> Revision:
    text = LessonText.objects.get(lesson=lesson, language="en")
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(LessonText), object_id=text.pk,
        number=Revision.objects.filter(object_id=text.pk).count() + 1, kind=kind, data={},
        summary="Updated the examples.",
    )  # fmt: skip
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    return revision


def thread_at(author, title, created, *, score=0, replies=0, last=None, **kwargs) -> Thread:
    thread = start(author, title, **kwargs)
    Thread.objects.filter(pk=thread.pk).update(
        created_at=created, last_posted_at=last or created, score=score, reply_count=replies
    )
    return Thread.objects.get(pk=thread.pk)


def entry_targets(edition) -> set:
    return {(e.kind, e.post_id or e.lesson_id or e.thread_id) for e in edition.entries.all()}


@pytest.fixture
def month_content(contributor, blog_editor):
    """Last month's posts, lessons and threads, and some from the months around it."""
    month, mid = month_and_day()
    start_of_month, end_of_month = newsletter.month_bounds(month)
    before = start_of_month - timedelta(hours=1)
    after = end_of_month + timedelta(hours=1)
    now = timezone.now()
    posts = {
        "in": live_post(contributor, blog_editor, "Sports day survival", mid),
        "first_minute": live_post(contributor, blog_editor, "Culture festival", start_of_month),
        "before": live_post(contributor, blog_editor, "Older post", before),
    }
    if after < now:
        posts["after"] = live_post(contributor, blog_editor, "Newer post", after)
    draft = actions.start_draft(contributor, "Draft about lunch")
    posts["draft"] = draft
    module = make_module()
    lessons = {
        "new": lesson_at(module, "new-lesson", mid),
        "updated": lesson_at(module, "updated-lesson", before - timedelta(days=60)),
        "old": lesson_at(module, "old-lesson", before - timedelta(days=60)),
        "imported": lesson_at(module, "imported-lesson", before - timedelta(days=60)),
        "unpublished": lesson_at(module, "hidden-lesson", mid),
    }
    Lesson.objects.filter(pk=lessons["unpublished"].pk).update(is_published=False)
    revise(lessons["updated"], mid + timedelta(days=2))
    revise(lessons["old"], before)
    revise(lessons["imported"], mid, kind="import")
    kim = make_member("kim")
    threads = {
        "popular": thread_at(kim, "Popular thread", mid, score=9, replies=3),
        "anonymous": thread_at(kim, "Anonymous worry", mid, score=5, anonymous=True),
        "active": thread_at(
            kim, "Old but busy", before - timedelta(days=30), score=4, last=mid
        ),  # fmt: skip
        "quiet": thread_at(
            kim, "Quiet old thread", before - timedelta(days=30), score=50, last=before
        ),  # fmt: skip
        "hidden": thread_at(kim, "Hidden thread", mid, score=99),
    }
    Thread.objects.filter(pk=threads["hidden"].pk).update(status=Thread.Status.HIDDEN)
    return {"month": month, "posts": posts, "lessons": lessons, "threads": threads}


def edition_with(blog_editor, month_content) -> Edition:
    return newsletter.assemble(month_content["month"], blog_editor)


# ---- assembling ---------------------------------------------------------------------------


def test_assemble_picks_the_months_posts_lessons_and_threads(blog_editor, month_content):
    edition = edition_with(blog_editor, month_content)
    posts, lessons, threads = (month_content[k] for k in ("posts", "lessons", "threads"))
    assert edition.status == Edition.Status.DRAFT
    assert edition.slug == month_content["month"].strftime("%Y-%m")
    assert edition.title.startswith("The Monthly Trainer — ")
    assert edition.created_by == blog_editor
    assert entry_targets(edition) == {
        ("post", posts["first_minute"].pk), ("post", posts["in"].pk),
        ("lesson", lessons["new"].pk), ("lesson", lessons["updated"].pk),
        ("thread", threads["popular"].pk), ("thread", threads["anonymous"].pk),
        ("thread", threads["active"].pk),
    }  # fmt: skip
    # Posts in the order they went live; threads by score; lessons newest activity first.
    entries = list(edition.entries.all())
    by_kind = {kind: [e.post_id or e.lesson_id or e.thread_id for e in entries if e.kind == kind]
               for kind in ("post", "lesson", "thread")}  # fmt: skip
    assert by_kind["post"] == [posts["first_minute"].pk, posts["in"].pk]
    assert by_kind["lesson"] == [lessons["updated"].pk, lessons["new"].pk]
    assert by_kind["thread"] == [t.pk for t in (threads["popular"], threads["anonymous"],
                                                threads["active"])]  # fmt: skip


def test_suggestions_are_capped(blog_editor, month_content):
    month, mid = month_and_day()
    kim = Thread.objects.first().author
    for number in range(6):
        thread_at(kim, f"Extra thread {number}", mid, score=1)
    module = month_content["lessons"]["new"].module
    for number in range(6):
        lesson_at(module, f"extra-{number}", mid)
    edition = edition_with(blog_editor, month_content)
    assert edition.entries.filter(kind="thread").count() == newsletter.SUGGESTED_THREADS
    assert edition.entries.filter(kind="lesson").count() == newsletter.SUGGESTED_LESSONS


def test_assembling_again_only_adds_what_is_new(blog_editor, contributor, month_content):
    edition = edition_with(blog_editor, month_content)
    first = edition.entries.get(post=month_content["posts"]["in"])
    newsletter.set_note(first, "A **must** read.")
    _month, mid = month_and_day()
    late = live_post(contributor, blog_editor, "Late addition", mid + timedelta(days=5))
    again = newsletter.assemble(month_content["month"], blog_editor)
    assert again.pk == edition.pk
    assert edition.entries.filter(post=late).count() == 1
    assert edition.entries.count() == 8
    assert edition.entries.get(pk=first.pk).note_html == "<p>A <strong>must</strong> read.</p>\n"
    newsletter.publish(edition, blog_editor)
    with pytest.raises(actions.Refused):
        newsletter.assemble(month_content["month"], blog_editor)


def test_an_entry_points_at_exactly_one_thing(blog_editor, month_content):
    from django.db import IntegrityError, transaction

    edition = edition_with(blog_editor, month_content)
    post = month_content["posts"]["in"]
    thread = month_content["threads"]["popular"]
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionEntry.objects.create(edition=edition, kind="post", post=post, thread=thread)
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionEntry.objects.create(edition=edition, kind="lesson", post=post)


# ---- who may do what ----------------------------------------------------------------------


@pytest.fixture
def draft_edition(blog_editor, month_content) -> Edition:
    return edition_with(blog_editor, month_content)


def editor_pages(edition) -> list[str]:
    return [
        EDITIONS,
        reverse("blog:newsletter_edit", kwargs={"pk": edition.pk}),
        reverse("blog:newsletter_preview", kwargs={"pk": edition.pk}),
        SUBSCRIBERS,
    ]


def test_only_blog_editors_and_admins_run_the_newsletter(
    client, draft_edition, new_alt, editor, moderator, outsider, blog_editor, site_admin
):
    for url in editor_pages(draft_edition):
        assert client.get(url).status_code == 302  # to the login page
    for person in (new_alt, editor, moderator, outsider):
        client.force_login(person)
        for url in editor_pages(draft_edition):
            assert client.get(url).status_code == 403, (person, url)
        publish = reverse("blog:newsletter_publish", kwargs={"pk": draft_edition.pk})
        assert client.post(publish).status_code == 403
        assert client.post(EDITIONS, {"month": draft_edition.slug}).status_code == 403
    for person in (blog_editor, site_admin):
        client.force_login(person)
        for url in editor_pages(draft_edition):
            assert client.get(url).status_code == 200, (person, url)
    assert Edition.objects.get().status == Edition.Status.DRAFT


def test_a_blog_editor_assembles_last_month_from_the_list(client, blog_editor, month_content):
    client.force_login(blog_editor)
    page = html(client.get(EDITIONS))
    assert month_content["month"].strftime("%Y-%m") in page
    response = client.post(EDITIONS, {"month": month_content["month"].strftime("%Y-%m")})
    edition = Edition.objects.get()
    assert response.url == reverse("blog:newsletter_edit", kwargs={"pk": edition.pk})
    assert edition.entries.count() == 7
    # Only this month and last month can be assembled from the page.
    assert client.post(EDITIONS, {"month": "2001-01"}).status_code == 404


# ---- editing, preview, publishing ---------------------------------------------------------


def test_editing_an_edition(client, blog_editor, draft_edition, month_content):
    client.force_login(blog_editor)
    url = reverse("blog:newsletter_edit", kwargs={"pk": draft_edition.pk})
    response = client.post(url, {"action": "save", "title": "  ", "intro": "Hello *ALTs*"})
    assert response.status_code == 400
    assert "Hello *ALTs*" in html(response)  # nothing typed is lost
    client.post(url, {"action": "save", "title": "November special", "intro": "Hello *ALTs*"})
    draft_edition.refresh_from_db()
    assert draft_edition.title == "November special"
    assert draft_edition.intro_html == "<p>Hello <em>ALTs</em></p>\n"

    threads = list(draft_edition.entries.filter(kind="thread"))
    client.post(url, {"action": "down", "entry": threads[0].pk})
    order = list(draft_edition.entries.filter(kind="thread").values_list("pk", flat=True))
    assert order == [threads[1].pk, threads[0].pk, threads[2].pk]
    client.post(url, {"action": "up", "entry": threads[2].pk})
    client.post(url, {"action": "up", "entry": threads[1].pk})  # already first: no change
    order = list(draft_edition.entries.filter(kind="thread").values_list("pk", flat=True))
    assert order == [threads[1].pk, threads[2].pk, threads[0].pk]

    client.post(url, {"action": "remove", "entry": threads[0].pk})
    assert not draft_edition.entries.filter(pk=threads[0].pk).exists()
    note = {"action": "note", "entry": threads[1].pk, f"entry-{threads[1].pk}-note": "Read it!"}
    client.post(url, note)
    assert draft_edition.entries.get(pk=threads[1].pk).note_html == "<p>Read it!</p>\n"
    # Another edition's entry is not found here.
    assert client.post(url, {"action": "remove", "entry": 999999}).status_code == 404


def test_adding_an_entry_by_its_address(client, blog_editor, contributor, draft_edition):
    client.force_login(blog_editor)
    url = reverse("blog:newsletter_edit", kwargs={"pk": draft_edition.pk})
    older = live_post(contributor, blog_editor, "An older favourite",
                      timezone.now() - timedelta(days=200))  # fmt: skip
    address = "http://testserver" + older.get_absolute_url()
    response = client.post(url, {"action": "add", "address": address})
    assert response.status_code == 302
    assert draft_edition.entries.filter(post=older).exists()
    again = client.post(url, {"action": "add", "address": older.get_absolute_url()})
    assert again.status_code == 400
    assert "already in this edition" in html(again)
    lesson = make_lesson(Lesson.objects.first().module, "added-by-address")
    client.post(url, {"action": "add", "address": lesson.get_absolute_url()})
    assert draft_edition.entries.filter(lesson=lesson).exists()
    thread = Thread.objects.filter(status=Thread.Status.VISIBLE).last()
    short = reverse("forum:thread_short", kwargs={"pk": thread.pk})
    draft_edition.entries.filter(thread=thread).delete()
    client.post(url, {"action": "add", "address": short})
    assert draft_edition.entries.filter(thread=thread).exists()
    draft = Post.objects.get(title="Draft about lunch")
    for bad in ["https://example.com/blog/2026/x/", reverse("blog:draft", args=[draft.pk]),
                "/nowhere/"]:  # fmt: skip
        response = client.post(url, {"action": "add", "address": bad})
        assert response.status_code == 400, bad
        assert "not a published blog post, lesson or forum thread" in html(response)


def test_an_empty_edition_cannot_be_published(client, blog_editor):
    client.force_login(blog_editor)
    edition = newsletter.assemble(newsletter.this_month() - timedelta(days=400), blog_editor)
    assert not edition.entries.exists()
    response = client.post(reverse("blog:newsletter_publish", kwargs={"pk": edition.pk}))
    assert response.status_code == 400
    assert "cannot be published" in html(response)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_preview_then_publish(client, blog_editor, draft_edition, month_content):
    public = reverse("blog:newsletter_edition", kwargs={"slug": draft_edition.slug})
    assert client.get(public).status_code == 404  # a draft is not found
    client.force_login(blog_editor)
    assert client.get(public).status_code == 404  # not even for editors: they preview
    preview = client.get(reverse("blog:newsletter_preview", kwargs={"pk": draft_edition.pk}))
    assert "Sports day survival" in html(preview)
    response = client.post(reverse("blog:newsletter_publish", kwargs={"pk": draft_edition.pk}))
    assert response.url == public
    draft_edition.refresh_from_db()
    assert draft_edition.status == Edition.Status.PUBLISHED
    assert draft_edition.published_at is not None
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    # The preview showed exactly what the page shows (apart from the banner).
    body = html(page)
    for title in ["Sports day survival", "Updated Lesson", "Popular thread", "Anonymous worry"]:
        assert title in body
        assert title in html(preview)
    again = reverse("blog:newsletter_publish", kwargs={"pk": draft_edition.pk})
    client.force_login(blog_editor)
    assert client.post(again).status_code == 400


# ---- the archive --------------------------------------------------------------------------


def test_the_archive_lists_published_editions_only(client, blog_editor, draft_edition):
    other = newsletter.assemble(newsletter.this_month() - timedelta(days=400), blog_editor)
    assert client.get(ARCHIVE).status_code == 200
    newsletter.publish(draft_edition, blog_editor)
    page = html(client.get(ARCHIVE))
    assert draft_edition.get_absolute_url() in page
    assert other.get_absolute_url() not in page
    assert client.get(reverse("blog:index")).content.decode().count(ARCHIVE) == 1


def test_an_edition_never_names_thread_authors_and_drops_what_went_away(
    client, blog_editor, draft_edition, month_content
):
    newsletter.publish(draft_edition, blog_editor)
    kim = month_content["threads"]["popular"].author
    page = html(client.get(draft_edition.get_absolute_url()))
    assert "Anonymous worry" in page
    assert kim.username not in page and kim.name not in page
    post = month_content["posts"]["in"]
    actions.unpublish(post, blog_editor, "Facts to check.")
    Thread.objects.filter(pk=month_content["threads"]["popular"].pk).update(status="hidden")
    page = html(client.get(draft_edition.get_absolute_url()))
    assert "Sports day survival" not in page
    assert "Popular thread" not in page
    assert "Culture festival" in page


def test_an_edition_page_reads_a_fixed_number_of_queries(
    client, blog_editor, contributor, django_assert_num_queries
):
    month, mid = month_and_day()
    module = make_module()
    kim = make_member("kim")

    def edition_of(size: int, offset: int) -> Edition:
        edition = Edition.objects.create(
            title=f"Edition {size}", slug=f"e-{size}", month=month - timedelta(days=offset),
            status="published", published_at=timezone.now(),
        )  # fmt: skip
        for number in range(size):
            kind = ("post", "lesson", "thread")[number % 3]
            name = f"{size}-{number}"
            if kind == "post":
                target = live_post(contributor, blog_editor, f"Post {name}", mid)
            elif kind == "lesson":
                target = make_lesson(module, f"lesson-{name}")
            else:
                target = thread_at(kim, f"Thread {name}", mid)
            EditionEntry.objects.create(
                edition=edition, kind=kind, position=number, note="A *note*.", **{kind: target}
            )
        return edition

    small, big = edition_of(2, 40), edition_of(10, 80)
    with django_assert_num_queries(3):  # the edition, its entries, the lessons' texts
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_num_queries(3):
        response = client.get(big.get_absolute_url())
    assert html(response).count('class="prose newsletter-note"') == 10


# ---- subscriptions: members ---------------------------------------------------------------


def test_a_member_subscribes_with_one_button_and_unsubscribes(client, new_alt):
    new_alt.preferred_language = "ja"
    new_alt.save()
    client.force_login(new_alt)
    # Sam reads the site in Japanese: the one button speaks it too.
    assert 'name="action" value="subscribe"' in html(client.get(SUBSCRIBE))
    assert "購読" in html(client.get(SUBSCRIBE))
    client.post(SUBSCRIBE, {"action": "subscribe"})
    subscriber = Subscriber.objects.get()
    assert subscriber.user == new_alt
    assert subscriber.email == "sam@example.org"
    assert subscriber.language == "ja"
    assert subscriber.is_receiving
    client.post(SUBSCRIBE, {"action": "subscribe"})  # twice: still one row
    assert Subscriber.objects.count() == 1
    response = client.post(SUBSCRIBE, {"action": "unsubscribe"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert flashes(response)
    subscriber.refresh_from_db()
    assert not subscriber.is_receiving
    assert Subscriber.objects.receiving().count() == 0
    client.post(SUBSCRIBE, {"action": "subscribe"})
    assert Subscriber.objects.receiving().get() == subscriber


def test_a_member_takes_over_the_row_they_made_as_a_visitor(client, new_alt):
    newsletter.subscribe_visitor("SAM@example.org", "en")
    client.force_login(new_alt)
    client.post(SUBSCRIBE, {"action": "subscribe"})
    subscriber = Subscriber.objects.get()
    assert subscriber.user == new_alt and subscriber.is_receiving


def test_a_member_without_a_verified_email_cannot_subscribe(client, outsider):
    client.force_login(outsider)
    assert "verify your email" in html(client.get(SUBSCRIBE))
    assert client.post(SUBSCRIBE, {"action": "subscribe"}).status_code == 403
    assert not Subscriber.objects.exists()


# ---- subscriptions: visitors (opt-in) -----------------------------------------------------


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1] if "://" in url else url


def test_a_visitor_confirms_through_the_emailed_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, {"email": " Kana@Example.org ", "language": "ja"})
    thanks = flashes(response)
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "kana@example.org"
    assert subscriber.confirmed_at is None and subscriber.language == "ja"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["kana@example.org"]
    link = path_of(re.search(r"\S+/blog/newsletter/confirm/\S+/", message.body).group(0))
    # GET asks (mail scanners follow links); POST confirms, and again changes nothing.
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    client.post(link)
    subscriber.refresh_from_db()
    confirmed_at = subscriber.confirmed_at
    assert subscriber.is_receiving
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at
    assert "already confirmed" in html(client.get(link))
    # Asking again for a subscribed address: the same words, no row, no email.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(SUBSCRIBE, {"email": "kana@example.org", "language": "en"})
    assert flashes(again) == thanks
    assert Subscriber.objects.count() == 1 and len(mailoutbox) == 1


def test_the_confirmation_email_speaks_the_subscribers_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch("altto.blog.newsletter.translation.override") as override:
        override.return_value.__enter__.return_value = None
        with django_capture_on_commit_callbacks(execute=True):
            client.post(SUBSCRIBE, {"email": "kana@example.org", "language": "ja"})
    override.assert_called_with("ja")
    assert len(mailoutbox) == 1


def test_asking_twice_does_not_duplicate_or_reveal(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    responses = []
    for address in ["jo@example.org", "JO@example.org", "new@example.org"]:
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(client.post(SUBSCRIBE, {"email": address, "language": "en"}))
    first, second, fresh = responses
    assert flashes(first)[-1] == flashes(second)[-1] == flashes(fresh)[-1]
    assert Subscriber.objects.filter(email="jo@example.org").count() == 1
    assert [m.to for m in mailoutbox] == [["jo@example.org"], ["new@example.org"]]
    # Much later, a second request sends the link again.
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBSCRIBE, {"email": "jo@example.org", "language": "en"})
    assert len(mailoutbox) == 3


def test_a_bad_address_keeps_what_was_typed(client):
    response = client.post(SUBSCRIBE, {"email": "not an address", "language": "en"})
    assert response.status_code == 400
    assert "not an address" in html(response)
    assert not Subscriber.objects.exists()


def test_forged_and_expired_links_are_refused_without_saying_whose(client):
    subscriber = Subscriber.objects.create(email="kana@example.org", language="en")
    token = newsletter.confirm_token(subscriber)
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    other_salt = newsletter.unsubscribe_token(subscriber)  # right value, wrong purpose
    for bad in [forged, other_salt, "1", "x:y:z"]:
        url = reverse("blog:newsletter_confirm", kwargs={"token": bad})
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            assert "kana" not in html(response)
    later = datetime.now().timestamp() + 8 * 24 * 3600
    with mock.patch("time.time", return_value=later):
        url = reverse("blog:newsletter_confirm", kwargs={"token": token})
        response = client.post(url)
    assert response.status_code == 400
    assert "kana" not in html(response)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_the_unsubscribe_link_asks_then_unsubscribes(client):
    subscriber = Subscriber.objects.create(
        email="kana@example.org", language="en", confirmed_at=timezone.now()
    )
    url = reverse(
        "blog:newsletter_unsubscribe", kwargs={"token": newsletter.unsubscribe_token(subscriber)}
    )
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_receiving
    client.post(url)
    subscriber.refresh_from_db()
    assert not subscriber.is_receiving
    assert client.post(url).status_code == 302  # again: still fine
    bad = reverse("blog:newsletter_unsubscribe", kwargs={"token": "1:forged"})
    assert client.post(bad).status_code == 400
    # A confirmation link followed after unsubscribing does not subscribe again.
    client.post(reverse("blog:newsletter_confirm",
                        kwargs={"token": newsletter.confirm_token(subscriber)}))  # fmt: skip
    subscriber.refresh_from_db()
    assert not subscriber.is_receiving


# ---- the subscriber list ------------------------------------------------------------------


def test_the_subscriber_list_counts_and_lists_the_confirmed(
    client, blog_editor, new_alt, django_assert_max_num_queries
):
    now = timezone.now()
    newsletter.subscribe_member(new_alt)
    Subscriber.objects.create(email="wait@example.org")
    Subscriber.objects.create(email="gone@example.org", confirmed_at=now, unsubscribed_at=now)
    Subscriber.objects.create(email="kana@example.org", language="ja", confirmed_at=now)
    client.force_login(blog_editor)
    response = client.get(SUBSCRIBERS)
    assert response.context["counts"] == {"confirmed": 2, "waiting": 1, "unsubscribed": 1}
    page = html(response)
    assert "kana@example.org" in page and "sam@example.org" in page
    assert "wait@example.org" not in page and "gone@example.org" not in page
    assert reverse("accounts:profile", args=["sam"]) in page

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(SUBSCRIBERS).status_code == 200
        return len(captured)

    few = count_queries()
    for number in range(20):
        member = make_user(f"reader{number}")
        newsletter.subscribe_member(member)
    assert count_queries() == few


# ---- the sample edition -------------------------------------------------------------------


def test_the_sample_blog_brings_last_months_edition(client, django_capture_on_commit_callbacks):
    from altto.blog.sample import load_sample_blog
    from altto.core.sample_data import load_sample_community
    from altto.forum.sample import load_sample_forum

    load_sample_community()
    load_sample_forum()
    with django_capture_on_commit_callbacks(execute=True):
        load_sample_blog()
        load_sample_blog()
    edition = Edition.objects.get()
    assert edition.month == newsletter.previous_month(newsletter.this_month())
    assert edition.is_published and edition.entries.exists()
    page = client.get(edition.get_absolute_url())
    assert page.status_code == 200
    assert "The Monthly Trainer" in html(page)
