"""The blog's editorial path and topics board. Each write is one transaction; views ask
`may()` first and call these, which refuse what the path forbids (scheduling in the past, a
writer approving their own post, two writers on one topic) with a message for the person.

Clock: functions that depend on the time take `now` (default: the real clock), so tests and
the periodic command pass a controlled one.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from altto.accounts.models import User
from altto.accounts.roles import ADMIN, BLOG_EDITOR, holders
from altto.blog.models import Authorship, EditorialNote, Pitch, Post, PostEvent, Tag, Topic
from altto.core.refusals import Refused
from altto.lib.text import clean_title
from altto.notifications.actions import notify, watch, watchers_of
from altto.revisions.actions import ensure_revision
from altto.search.indexing import reindex_later


def blog_editors() -> list[User]:
    return list(holders(BLOG_EDITOR, ADMIN))


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    """An address made from the title, numbered when another post has it."""
    base = slugify(clean_title(title), allow_unicode=True)[:70] or "post"
    taken = set(
        Post.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _event(post: Post, actor, kind: str, comment: str = "") -> None:
    PostEvent.objects.create(post=post, actor=actor, kind=kind, comment=comment)


def _set_tags(post: Post, names: list[str]) -> None:
    tags = []
    for name in names:
        slug = slugify(clean_title(name), allow_unicode=True)[:40]
        if slug:
            tags.append(Tag.objects.get_or_create(slug=slug)[0])
    post.tags.set(tags)


# ---- writing ------------------------------------------------------------------------------


@transaction.atomic
def start_draft(writer, title: str, *, topic: Topic | None = None, language: str = "en") -> Post:
    """A new draft with `writer` as its first author (and linked to `topic`, if any)."""
    title = clean_title(title)
    if not title:
        raise Refused(_("Please give the post a title."))
    post = Post.objects.create(title=title, slug=unique_slug(title), topic=topic, language=language)
    Authorship.objects.create(post=post, writer=writer, position=0)
    _event(post, writer, PostEvent.Kind.CREATED)
    ensure_revision(post, kind="edit", summary=_("Draft started"), author=writer)
    watch(writer, post)
    return post


@transaction.atomic
def save_post(
    post: Post, editor, *, title: str, slug: str, summary: str, body: str, language: str,
    tags: list[str], cover=None, cover_alt: str = "", summary_of_change: str = "",
) -> Post:  # fmt: skip
    """New words for a post; every change is kept as a revision credited to `editor`."""
    title = clean_title(title)
    if not title:
        raise Refused(_("Please give the post a title."))
    if post.published_at and slug != post.slug:
        raise Refused(_("A published post keeps its address: links to it are out there."))
    if Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
        raise Refused(
            _("Another post already has the address “%(slug)s”. Please choose another.")
            % {"slug": slug}
        )
    post.title, post.slug, post.summary, post.body = title, slug, summary, body
    post.language, post.cover_alt = language, cover_alt
    if cover is not None:
        post.cover = cover
    post.save()
    _set_tags(post, tags)
    ensure_revision(post, kind="edit", summary=summary_of_change or _("Edited"), author=editor)
    return post


@transaction.atomic
def add_writer(post: Post, writer) -> None:
    """A co-writer: shares the byline and the right to edit the draft."""
    position = Authorship.objects.filter(post=post).count()
    try:
        with transaction.atomic():
            Authorship.objects.create(post=post, writer=writer, position=position)
    except IntegrityError:
        return
    watch(writer, post)


# ---- the editorial path -----------------------------------------------------------------


def _lock(post: Post) -> Post:
    return Post.objects.select_for_update().get(pk=post.pk)


def _writers(post: Post) -> list[User]:
    return list(post.authors.all())


@transaction.atomic
def submit_for_review(post: Post, writer) -> Post:
    current = _lock(post)
    if current.status not in {Post.Status.DRAFT, Post.Status.UNPUBLISHED}:
        raise Refused(_("Only a draft can be sent for review."))
    if not current.body.strip():
        raise Refused(_("Please write the post before sending it for review."))
    current.status = Post.Status.REVIEW
    current.save(update_fields=["status", "updated_at"])
    _event(current, writer, PostEvent.Kind.SUBMITTED)
    url = reverse("blog:review", kwargs={"pk": current.pk})
    notify([u for u in blog_editors() if u.pk != writer.pk], "blog_submitted", url,
           title=current.title)  # fmt: skip
    return current


@transaction.atomic
def add_note(post: Post, editor, body: str, quote: str = "") -> EditorialNote:
    """An editor's comment, on the whole post or (with `quote`) on some of its words."""
    note = EditorialNote.objects.create(post=post, author=editor, body=body, quote=quote)
    url = reverse("blog:review", kwargs={"pk": post.pk})
    notify([w for w in _writers(post) if w.pk != editor.pk], "blog_note", url, title=post.title)
    return note


@transaction.atomic
def request_changes(post: Post, editor, comment: str) -> Post:
    current = _lock(post)
    if current.status != Post.Status.REVIEW:
        raise Refused(_("Only a post in review can be sent back for changes."))
    if not comment.strip():
        raise Refused(_("Please say what should change."))
    current.status = Post.Status.DRAFT
    current.save(update_fields=["status", "updated_at"])
    _event(current, editor, PostEvent.Kind.CHANGES, comment)
    notify(_writers(current), "blog_changes_requested",
           reverse("blog:review", kwargs={"pk": current.pk}), title=current.title,
           comment=comment)  # fmt: skip
    return current


@transaction.atomic
def schedule(post: Post, editor, publish_at: datetime, now: datetime | None = None) -> Post:
    """Approve a post in review and set when it goes live (Japan time in the form; any
    aware datetime here). Now or a minute ago counts as "publish now"."""
    now = now or timezone.now()
    current = _lock(post)
    writers = _writers(current)
    if current.status != Post.Status.REVIEW:
        raise Refused(_("Only a post in review can be approved."))
    if not writers:
        raise Refused(_("A post needs at least one writer before it is published."))
    if any(w.pk == editor.pk for w in writers):
        raise Refused(_("Another blog editor must approve a post you wrote."))
    if (now - publish_at).total_seconds() > 60:
        raise Refused(_("That time has passed. Please choose a time from now on."))
    current.status = Post.Status.SCHEDULED
    current.publish_at = max(publish_at, now)
    current.save(update_fields=["status", "publish_at", "updated_at"])
    when = timezone.localtime(current.publish_at).strftime("%Y-%m-%d %H:%M")
    _event(current, editor, PostEvent.Kind.SCHEDULED, when)
    notify(writers, "blog_scheduled", reverse("blog:review", kwargs={"pk": current.pk}),
           title=current.title, when=when)  # fmt: skip
    return current


@transaction.atomic
def unpublish(post: Post, editor, reason: str) -> Post:
    current = _lock(post)
    if current.status not in {Post.Status.SCHEDULED, Post.Status.PUBLISHED}:
        raise Refused(_("Only a scheduled or published post can be unpublished."))
    if not reason.strip():
        raise Refused(_("Please give a reason: the writers will see it."))
    current.status = Post.Status.UNPUBLISHED
    current.save(update_fields=["status", "updated_at"])
    _event(current, editor, PostEvent.Kind.UNPUBLISHED, reason)
    notify(_writers(current), "blog_unpublished", reverse("blog:review", kwargs={"pk": current.pk}),
           title=current.title, comment=reason)  # fmt: skip
    return current


def publish_due_posts(now: datetime | None = None) -> list[Post]:
    """The side effects of going live, once per post: mark it published and tell its
    writers, their followers and whoever asked for its topic. Safe to run as often as you
    like, from several machines: each post is claimed by one conditional update."""
    now = now or timezone.now()
    done = []
    due = Post.objects.published(now).filter(announced_at__isnull=True)
    for post in due.prefetch_related("authors").select_related("topic"):
        with transaction.atomic():
            claimed = Post.objects.filter(pk=post.pk, announced_at__isnull=True).update(
                announced_at=now,
                status=Post.Status.PUBLISHED,
                published_at=post.published_at or post.publish_at,
            )
            if not claimed:
                continue
            reindex_later("post", post.pk)  # an update(): no signal reaches search
            post.status = Post.Status.PUBLISHED
            writers = list(post.authors.all())
            _event(post, None, PostEvent.Kind.PUBLISHED)
            url = post.get_absolute_url()
            notify(writers, "blog_live", url, title=post.title)
            audience = set(watchers_of(*writers))
            if post.topic_id:
                topic = post.topic
                audience |= {u for u in [topic.created_by] if u}
                audience |= {p.writer for p in topic.pitches.select_related("writer")}
            audience -= set(writers)
            names = ", ".join(w.name for w in writers)
            notify(audience, "blog_published", url, title=post.title, writers=names)
        done.append(post)
    return done


# ---- topics --------------------------------------------------------------------------------


@transaction.atomic
def add_topic(user, title: str, reader_need: str, angle: str = "", forum_thread=None) -> Topic:
    title = clean_title(title)
    if not title:
        raise Refused(_("Please give the topic a title."))
    return Topic.objects.create(
        title=title,
        reader_need=reader_need,
        angle=angle,
        created_by=user,
        forum_thread=forum_thread,
    )


@transaction.atomic
def edit_topic(topic: Topic, title: str, reader_need: str, angle: str = "") -> Topic:
    title = clean_title(title)
    if not title:
        raise Refused(_("Please give the topic a title."))
    topic.title, topic.reader_need, topic.angle = title, reader_need, angle
    topic.save(update_fields=["title", "reader_need", "angle"])
    return topic


@transaction.atomic
def volunteer(topic: Topic, writer, pitch: str) -> Pitch:
    """ "I'd like to write this": one pitch per member and topic (a second one replaces
    the words of the first)."""
    current = Topic.objects.select_for_update().get(pk=topic.pk)
    if current.writer_id is not None:
        raise Refused(_("This topic already has a writer. Thank you for offering!"))
    found, created = Pitch.objects.update_or_create(
        topic=current, writer=writer, defaults={"pitch": pitch}
    )
    if created:
        url = reverse("blog:topic", kwargs={"pk": current.pk})
        notify([u for u in blog_editors() if u.pk != writer.pk], "blog_pitch", url,
               title=current.title, actor=writer.name)  # fmt: skip
    return found


@transaction.atomic
def assign(topic: Topic, pitch: Pitch, editor) -> Post:
    """Give the topic to the writer of `pitch`: they get a draft linked to it; everyone
    else who offered is thanked. Two editors assigning at once: the second is refused."""
    current = Topic.objects.select_for_update().get(pk=topic.pk)
    if current.writer_id is not None:
        raise Refused(_("This topic was just given to another writer."))
    if pitch.topic_id != current.pk:
        raise Refused(_("That offer is for another topic."))
    current.writer = pitch.writer
    current.assigned_at = timezone.now()
    current.save(update_fields=["writer", "assigned_at"])
    Pitch.objects.filter(pk=pitch.pk).update(outcome=Pitch.Outcome.CHOSEN)
    others = list(current.pitches.exclude(pk=pitch.pk).select_related("writer"))
    Pitch.objects.filter(pk__in=[p.pk for p in others]).update(outcome=Pitch.Outcome.NOT_CHOSEN)
    post = start_draft(pitch.writer, current.title, topic=current)
    notify([pitch.writer], "blog_topic_assigned", reverse("blog:edit", kwargs={"pk": post.pk}),
           title=current.title)  # fmt: skip
    notify([p.writer for p in others], "blog_pitch_not_chosen",
           reverse("blog:topics"), title=current.title)  # fmt: skip
    return post
