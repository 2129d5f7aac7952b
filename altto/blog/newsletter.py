"""The newsletter, "The Monthly Trainer": a monthly edition assembled by a blog editor from
the month's blog posts, new and updated lessons and popular forum threads; its web archive;
and the subscriber list, with opt-in for visitors.

An edition is assembled (suggested entries added), edited (intro, notes, order, entries
removed or added by address), previewed and published; its archive page then shows it to
everyone. Sending it by email comes with the notifications issue: it goes to
`Subscriber.objects.receiving()`, each in their language, with `unsubscribe_token()`.

Visitors confirm their address through a signed link (`confirm_token`, 7 days); nothing
here ever says whether an address was already subscribed.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from altto.blog.actions import Refused
from altto.blog.models import Edition, EditionEntry, Post, Subscriber
from altto.courses.models import Lesson, LessonText
from altto.forum.models import Thread
from altto.revisions.models import Revision

logger = logging.getLogger(__name__)

NEWSLETTER_NAME = "The Monthly Trainer"
SUGGESTED_POSTS = 10
SUGGESTED_LESSONS = 5
SUGGESTED_THREADS = 5
CONFIRM_MAX_AGE = timedelta(days=7)
# A visitor asking again within this time gets no second email (nothing fancier).
RESEND_AFTER = timedelta(minutes=10)
CONFIRM_SALT = "altto.blog.newsletter.confirm"
UNSUBSCRIBE_SALT = "altto.blog.newsletter.unsubscribe"
# Revisions that change nothing a reader sees do not make a lesson "updated".
NOT_AN_UPDATE = (Revision.Kind.IMPORT, Revision.Kind.REVIEW)


# ---- months -------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return first_of_month(first_of_month(month) - timedelta(days=1))


def this_month(now: datetime | None = None) -> date:
    """The current month in Japan time."""
    return first_of_month(timezone.localtime(now or timezone.now()).date())


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next one, Japan time (site time zone)."""
    start = first_of_month(month)
    end = first_of_month(start + timedelta(days=32))
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, datetime.min.time()), zone),
        timezone.make_aware(datetime.combine(end, datetime.min.time()), zone),
    )


def parse_month(value: str) -> date | None:
    """'2026-11' → date(2026, 11, 1); None for anything else."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def default_title(month: date) -> str:
    # English month names: the name of the newsletter is English too; editors may retitle.
    return f"{NEWSLETTER_NAME} — {month.strftime('%B %Y')}"


# ---- what a month brings ------------------------------------------------------------------


def posts_of_month(month: date, now=None) -> list[Post]:
    """Blog posts that went live in the month, in the order they did."""
    start, end = month_bounds(month)
    return list(
        Post.objects.published(now)
        .filter(publish_at__gte=start, publish_at__lt=end)
        .only("pk", "publish_at")
        .order_by("publish_at", "pk")[:SUGGESTED_POSTS]
    )


def lessons_of_month(month: date) -> list[Lesson]:
    """Published lessons new in the month, or with a revision recorded in it (an edit, an
    approved proposal, a rollback; not the starter import or a "still accurate" review),
    newest activity first."""
    start, end = month_bounds(month)
    in_month = {"created_at__gte": start, "created_at__lt": end}
    latest: dict[int, datetime] = dict(
        Lesson.objects.published().filter(**in_month).values_list("pk", "created_at")
    )
    revised_texts = (
        Revision.objects.filter(content_type=ContentType.objects.get_for_model(LessonText))
        .exclude(kind__in=NOT_AN_UPDATE)
        .filter(**in_month)
        .values("object_id")
        .annotate(last=Max("created_at"))
    )
    last_by_text = {row["object_id"]: row["last"] for row in revised_texts}
    texts = LessonText.objects.filter(pk__in=list(last_by_text)).values_list("pk", "lesson_id")
    for text_pk, lesson_pk in texts:
        when = last_by_text[text_pk]
        if lesson_pk not in latest or latest[lesson_pk] < when:
            latest[lesson_pk] = when
    published = set(
        Lesson.objects.published().filter(pk__in=list(latest)).values_list("pk", flat=True)
    )
    newest = sorted(published, key=lambda pk: (latest[pk], pk), reverse=True)[:SUGGESTED_LESSONS]
    by_pk = Lesson.objects.in_bulk(newest)
    return [by_pk[pk] for pk in newest]


def threads_of_month(month: date) -> list[Thread]:
    """Listed forum threads started or active in the month, most liked first, then the most
    answered."""
    start, end = month_bounds(month)
    return list(
        Thread.objects.listed()
        .filter(
            Q(created_at__gte=start, created_at__lt=end)
            | Q(last_posted_at__gte=start, last_posted_at__lt=end)
        )
        .only("pk", "score", "reply_count", "last_posted_at")
        .order_by("-score", "-reply_count", "-last_posted_at", "-pk")[:SUGGESTED_THREADS]
    )


# ---- editing an edition -------------------------------------------------------------------


def _next_position(edition: Edition) -> int:
    last = edition.entries.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def assemble(month: date, editor, now=None) -> Edition:
    """The month's edition (a new draft, or the existing draft) with the month's posts,
    lessons and threads added; entries already in it stay as they are. Entries an editor
    removed come back on re-assembling: assembling is a suggestion, editing decides."""
    month = first_of_month(month)
    edition, _created = Edition.objects.select_for_update().get_or_create(
        month=month,
        defaults={
            "title": default_title(month),
            "slug": month.strftime("%Y-%m"),
            "created_by": editor,
        },
    )
    if edition.is_published:
        raise Refused(_("This month's edition is already published."))
    have = {
        (kind, pk)
        for kind, *pks in edition.entries.values_list("kind", "post_id", "lesson_id", "thread_id")
        for pk in pks
        if pk is not None
    }
    position = _next_position(edition)
    new_entries = []
    suggestions = [
        (EditionEntry.Kind.POST, posts_of_month(month, now)),
        (EditionEntry.Kind.LESSON, lessons_of_month(month)),
        (EditionEntry.Kind.THREAD, threads_of_month(month)),
    ]
    for kind, found in suggestions:
        for item in found:
            if (kind, item.pk) in have:
                continue
            new_entries.append(
                EditionEntry(edition=edition, kind=kind, position=position, **{kind: item})
            )
            position += 1
    EditionEntry.objects.bulk_create(new_entries)  # notes are empty: nothing to render
    return edition


def update_edition(edition: Edition, *, title: str, intro: str) -> Edition:
    edition.title = title
    edition.intro = intro
    edition.save(update_fields=["title", "intro", "updated_at"])
    return edition


def set_note(entry: EditionEntry, note: str) -> EditionEntry:
    entry.note = note
    entry.save(update_fields=["note"])
    return entry


def remove_entry(entry: EditionEntry) -> None:
    entry.delete()


@transaction.atomic
def move_entry(entry: EditionEntry, direction: str) -> None:
    """Swap the entry with its neighbour of the same kind ("up" or "down"): the page shows
    posts, lessons and threads each in their own section."""
    siblings = list(
        EditionEntry.objects.select_for_update()
        .filter(edition_id=entry.edition_id, kind=entry.kind)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == entry.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    positions = sorted(s.position for s in siblings)
    if len(set(positions)) < len(positions):  # ties: number them afresh
        positions = list(range(positions[0], positions[0] + len(positions)))
    for sibling, position in zip(siblings, positions, strict=True):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


def find_by_address(address: str, hosts=()) -> tuple[str, object] | None:
    """The live post, published lesson or listed thread an ALTTO address points at, as
    (kind, object); None for anything else. The address may be a path, or a full address
    on SITE_URL or one of `hosts` (the host the editor is using)."""
    parsed = urlparse(address.strip())
    if parsed.netloc and parsed.netloc not in {urlparse(settings.SITE_URL).netloc, *hosts}:
        return None
    try:
        match = resolve(parsed.path or "/")
    except Resolver404:
        return None
    kwargs = match.kwargs
    if match.view_name == "blog:post":
        found = Post.objects.published().filter(slug=kwargs["slug"]).first()
        return ("post", found) if found else None
    if match.view_name == "courses:lesson":
        found = (
            Lesson.objects.published()
            .filter(module__slug=kwargs["slug"], slug=kwargs["lesson"])
            .first()
        )
        return ("lesson", found) if found else None
    if match.view_name in {"forum:thread", "forum:thread_short"}:
        found = Thread.objects.listed().filter(pk=kwargs["pk"]).first()
        return ("thread", found) if found else None
    return None


def add_by_address(edition: Edition, address: str, hosts=()) -> EditionEntry:
    found = find_by_address(address, hosts)
    if found is None:
        raise Refused(
            _("That address is not a published blog post, lesson or forum thread on ALTTO.")
        )
    kind, item = found
    if edition.entries.filter(**{kind: item}).exists():
        raise Refused(_("That is already in this edition."))
    return EditionEntry.objects.create(
        edition=edition, kind=kind, position=_next_position(edition), **{kind: item}
    )


def publish(edition: Edition, editor, now=None) -> Edition:
    if edition.is_published:
        raise Refused(_("This edition is already published."))
    if not shown_entries(edition):
        raise Refused(
            _("An edition with nothing in it cannot be published: add at least one post, "
              "lesson or thread first.")
        )  # fmt: skip
    edition.status = Edition.Status.PUBLISHED
    edition.published_at = now or timezone.now()
    edition.save(update_fields=["status", "published_at", "updated_at"])
    return edition


# ---- reading an edition -------------------------------------------------------------------


@dataclass
class Item:
    """What the archive page shows of one entry."""

    entry: EditionEntry
    kind: str
    title: str
    url: str
    summary: str
    meta: str
    language: str


def _lesson_text(lesson: Lesson) -> LessonText | None:
    texts = {text.language: text for text in lesson.texts.all()}
    language = "ja" if (translation.get_language() or "").startswith("ja") else "en"
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)


def entries_for_page(edition: Edition) -> QuerySet:
    """The edition's entries with what they point at (2 queries, however many entries)."""
    return (
        edition.entries.select_related("post", "lesson__module", "thread__category")
        .defer("post__body", "post__body_html")
        .prefetch_related(
            Prefetch(
                "lesson__texts",
                queryset=LessonText.objects.only("pk", "lesson_id", "language", "title"),
            )
        )
        .order_by("position", "pk")
    )


def item_for(entry: EditionEntry, now) -> Item | None:
    """The entry as shown, or None when what it points at is no longer public (a post
    unpublished, a lesson withdrawn, a thread hidden)."""
    if entry.kind == EditionEntry.Kind.POST:
        post = entry.post
        if not post.is_live(now):
            return None
        return Item(entry, entry.kind, post.title, post.get_absolute_url(), post.summary,
                    "", post.language)  # fmt: skip
    if entry.kind == EditionEntry.Kind.LESSON:
        lesson = entry.lesson
        if not (lesson.is_published and lesson.module.is_published):
            return None
        text = _lesson_text(lesson)
        url = text.get_absolute_url() if text else lesson.get_absolute_url()
        return Item(entry, entry.kind, text.title if text else lesson.slug, url, "", "",
                    text.language if text else "en")  # fmt: skip
    thread = entry.thread
    if thread.status != Thread.Status.VISIBLE or thread.merged_into_id is not None:
        return None
    # Never who started it: anonymous threads stay anonymous, and nobody else is named either.
    replies = ngettext("%(count)s reply", "%(count)s replies", thread.reply_count) % {
        "count": thread.reply_count
    }
    meta = f"{thread.category.name} · {replies}" if thread.category_id else replies
    return Item(entry, entry.kind, thread.title, thread.get_absolute_url(), "", meta, "")


def shown_entries(edition: Edition, now=None) -> list[Item]:
    now = now or timezone.now()
    items = (item_for(entry, now) for entry in entries_for_page(edition))
    return [item for item in items if item is not None]


def sections(items: list[Item]) -> list[tuple[str, str, list[Item]]]:
    """(kind, heading, items) for each kind with something in it, in a fixed order."""
    headings = {
        EditionEntry.Kind.POST: _("From the blog"),
        EditionEntry.Kind.LESSON: _("New and updated lessons"),
        EditionEntry.Kind.THREAD: _("Popular in the forum"),
    }
    return [
        (kind, heading, [item for item in items if item.kind == kind])
        for kind, heading in headings.items()
        if any(item.kind == kind for item in items)
    ]


def published_editions() -> QuerySet:
    return Edition.objects.filter(status=Edition.Status.PUBLISHED).defer("intro").order_by("-month")


# ---- subscribers --------------------------------------------------------------------------


def normalise_email(address: str) -> str:
    return address.strip().lower()


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.pk))


def unsubscribe_token(subscriber: Subscriber) -> str:
    """Does not expire: every edition carries it (RFC 8058 one-click comes with issue 8)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def subscriber_for_confirm_token(token: str) -> Subscriber | None:
    """The subscriber the link was made for; None when forged or older than 7 days."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return Subscriber.objects.filter(pk=int(value)).first() if value.isdigit() else None


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(pk=int(value)).first() if value.isdigit() else None


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def send_confirmation(subscriber: Subscriber, now=None) -> None:
    """The opt-in email, plain text, in the subscriber's language."""
    context = {
        "confirm_url": _absolute(
            reverse("blog:newsletter_confirm", kwargs={"token": confirm_token(subscriber)})
        ),
        "days": CONFIRM_MAX_AGE.days,
        "name": NEWSLETTER_NAME,
    }
    with translation.override(subscriber.language):
        subject = _("Please confirm your subscription to %(name)s") % {"name": NEWSLETTER_NAME}
        body = render_to_string("blog/newsletter_confirm_email.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
    )
    subscriber.confirmation_sent_at = now or timezone.now()
    subscriber.save(update_fields=["confirmation_sent_at"])


@transaction.atomic
def subscribe_visitor(email: str, language: str, now=None) -> None:
    """A visitor asks for the newsletter: a waiting row and a confirmation email. An address
    already receiving it gets nothing new; the caller says the same thing either way."""
    now = now or timezone.now()
    email = normalise_email(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language}
    )
    if not created:
        if subscriber.is_receiving:
            return
        if subscriber.unsubscribed_at is not None:
            # Asking again after leaving: opt in afresh.
            subscriber.unsubscribed_at = None
            subscriber.confirmed_at = None
            subscriber.language = language
            subscriber.save(update_fields=["unsubscribed_at", "confirmed_at", "language"])
        elif (
            subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < RESEND_AFTER
        ):
            return
    transaction.on_commit(lambda: _send_confirmation_safely(subscriber, now))


def _send_confirmation_safely(subscriber: Subscriber, now) -> None:
    # The visitor sees the same page whatever happens; a mail server down is logged.
    try:
        send_confirmation(subscriber, now)
    except Exception:
        logger.exception("newsletter confirmation email to subscriber %s failed", subscriber.pk)


def confirm(subscriber: Subscriber, now=None) -> Subscriber:
    """Idempotent: a second click changes nothing. A link followed after unsubscribing does
    not subscribe again (that takes a new request)."""
    if subscriber.confirmed_at is None and subscriber.unsubscribed_at is None:
        subscriber.confirmed_at = now or timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def unsubscribe(subscriber: Subscriber, now=None) -> Subscriber:
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def member_email(user) -> str:
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    )
    return normalise_email(address.email if address else user.email)


def member_subscription(user) -> Subscriber | None:
    return Subscriber.objects.filter(user=user).first()


@transaction.atomic
def subscribe_member(user, now=None) -> Subscriber:
    """A member with a verified address: subscribed at once (their address is confirmed
    already), in their preferred language. A row for the same address (from before they
    joined, say) becomes theirs."""
    now = now or timezone.now()
    email = member_email(user)
    subscriber = (
        Subscriber.objects.select_for_update().filter(user=user).first()
        or Subscriber.objects.select_for_update().filter(email=email).first()
        or Subscriber(email=email)
    )
    if (
        subscriber.email != email
        and not Subscriber.objects.filter(email=email).exclude(pk=subscriber.pk).exists()
    ):
        subscriber.email = email  # their address changed since
    subscriber.user = user
    subscriber.language = user.preferred_language
    if not subscriber.is_receiving:
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
    subscriber.save()
    return subscriber


def subscriber_counts() -> dict[str, int]:
    """Confirmed, waiting for confirmation, unsubscribed (1 query)."""
    from django.db.models import Count

    return Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
        waiting=Count("pk", filter=Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
