"""What members and moderators do in the forum. Each write is one transaction; views ask
`may()` first, then call these, which still refuse what the rules of the place forbid
(a locked thread, a suspension, a rate limit) with a message the member can read."""

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from altto.accounts.models import SchoolLevel, User
from altto.core.refusals import Refused
from altto.forum import trust
from altto.forum.models import (
    EMPLOYER_TYPES,
    Category,
    Flag,
    ModerationEntry,
    Post,
    PostRevision,
    Standing,
    Tag,
    Thread,
    Vote,
)
from altto.lib.markdown import mention_candidates, render_with_mentions
from altto.lib.text import clean_title
from altto.notifications.actions import notify, watch, watchers_of
from altto.search.indexing import reindex_later

# An address of another site, linked or bare: what spammers post.
OUTSIDE_LINK = re.compile(r"https?://", re.IGNORECASE)
MIN_TITLE_LENGTH = 8


# ---- posting ----------------------------------------------------------------------------


def check_title(title: str) -> str:
    cleaned = clean_title(title)
    if len(cleaned) < MIN_TITLE_LENGTH:
        raise Refused(
            _("Please give a title of at least %(count)s characters that says what it is about.")
            % {"count": MIN_TITLE_LENGTH}
        )
    return cleaned


def _may_post_now(user, thread: Thread | None = None) -> int:
    """The member's trust level, or Refused: suspended, locked thread, or posting too fast."""
    standing = trust.standing_of(user)
    if trust.is_suspended(user, standing):
        raise Refused(
            _("You are suspended from posting until %(until)s: %(reason)s")
            % {
                "until": timezone.localtime(standing.suspended_until).strftime("%Y-%m-%d %H:%M"),
                "reason": standing.suspension_reason,
            },
            status=403,
        )
    level = trust.level_of(user, standing)
    if thread is not None and thread.is_locked and level < trust.MODERATOR_LEVEL:
        raise Refused(_("This thread is locked: it takes no new replies."), status=403)
    limits = trust.LIMITS[level]
    now = timezone.now()
    recent = Post.objects.filter(author=user, created_at__gte=now - timedelta(days=1)).aggregate(
        day=Count("pk"), minute=Count("pk", filter=Q(created_at__gte=now - timedelta(minutes=1)))
    )
    if recent["minute"] >= limits.per_minute:
        raise Refused(
            _("You are posting very fast. Please wait a minute and try again."), status=429
        )
    if recent["day"] >= limits.per_day:
        raise Refused(
            _("You have reached today's limit of %(count)s posts. It relaxes as you earn trust.")
            % {"count": limits.per_day},
            status=429,
        )
    return level


def _render(post: Post) -> set[str]:
    """Fill in body_html; return the usernames it mentions (linked to their profiles)."""
    names = mention_candidates(post.body)
    known = {}
    if names:
        for username in User.objects.filter(username__in=names, is_active=True).values_list(
            "username", flat=True
        ):
            known[username] = reverse("accounts:profile", kwargs={"username": username})
    post.body_html, mentioned = render_with_mentions(post.body, known)
    return mentioned


def _check_links(post: Post, level: int) -> None:
    links = len(OUTSIDE_LINK.findall(post.body))
    if level == trust.NEW and links > trust.NEW_MEMBER_LINKS:
        raise Refused(
            ngettext(
                "New members may include at most %(count)s link in a post; this one has "
                "%(links)s. Remove some and post again, or ask a moderator.",
                "New members may include at most %(count)s links in a post; this one has "
                "%(links)s. Remove some and post again, or ask a moderator.",
                trust.NEW_MEMBER_LINKS,
            )
            % {"count": trust.NEW_MEMBER_LINKS, "links": links}
        )


def _tags_for(levels: list[str], employers: list[str], free: list[str]) -> list[Tag]:
    wanted = [(Tag.Group.LEVEL, s) for s in levels] + [(Tag.Group.EMPLOYER, s) for s in employers]
    wanted += [(Tag.Group.FREE, slugify(clean_title(s), allow_unicode=True)[:40]) for s in free]
    # A free tag spelled like a school level or employer type ("jet") is that tag: it must
    # never take the slug from the real one.
    fixed = dict.fromkeys(SchoolLevel.values, Tag.Group.LEVEL)
    fixed |= {value: Tag.Group.EMPLOYER for value, _label in EMPLOYER_TYPES}
    tags = []
    for group, slug in wanted:
        if not slug:
            continue
        group = fixed.get(slug, group)
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"group": group})
        tags.append(tag)
    return list(dict.fromkeys(tags))


@transaction.atomic
def start_thread(
    author,
    category: Category,
    kind: str,
    title: str,
    body: str,
    *,
    levels: list[str] = (),
    employers: list[str] = (),
    tags: list[str] = (),
    anonymous: bool = False,
) -> Thread:
    """A new thread and its opening post. A new member's thread waits for a moderator."""
    level = _may_post_now(author)
    held = level == trust.NEW
    thread = Thread(
        category=category,
        kind=kind,
        title=check_title(title),
        author=author,
        is_anonymous=anonymous,
        status=Thread.Status.HELD if held else Thread.Status.VISIBLE,
    )
    post = Post(author=author, is_opening=True, is_anonymous=anonymous, body=body)
    mentioned = _render(post)
    _check_links(post, level)
    thread.save()
    thread.tags.set(_tags_for(list(levels), list(employers), list(tags)))
    post.thread = thread
    post.status = Post.Status.HELD if held else Post.Status.VISIBLE
    post.save()
    watch(author, thread)
    refresh_thread(thread)
    if not held:
        count_approved(author)
        _announce(post, thread, mentioned)
    return thread


@transaction.atomic
def reply(author, thread: Thread, body: str) -> Post:
    """A reply; anonymous when the anonymous asker answers in their own thread."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    level = _may_post_now(author, thread)
    held = level == trust.NEW
    post = Post(
        thread=thread,
        author=author,
        body=body,
        is_anonymous=thread.is_anonymous and thread.author_id == author.pk,
        status=Post.Status.HELD if held else Post.Status.VISIBLE,
    )
    mentioned = _render(post)
    _check_links(post, level)
    post.save()
    watch(author, thread)
    if not held:
        refresh_thread(thread)
        count_approved(author)
        _announce(post, thread, mentioned)
    return post


@transaction.atomic
def edit_post(post: Post, editor, body: str, title: str | None = None) -> Post:
    """New words (and, for an opening post, a new title); the old ones are kept."""
    current = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    thread = current.thread
    new_title = check_title(title) if current.is_opening and title is not None else thread.title
    if current.body == body and new_title == thread.title:
        return current
    PostRevision.objects.create(
        post=current, body=current.body, title=thread.title if current.is_opening else ""
    )
    current.body = body
    _render(current)  # mentions are linked, but only new posts notify
    _check_links(current, trust.level_of(editor))
    current.edited_at = timezone.now()
    current.save(update_fields=["body", "body_html", "edited_at"])
    if new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title", "slug"])
    return current


@transaction.atomic
def delete_post(post: Post, by) -> Post:
    """Soft delete: a placeholder stays in the thread; the words stay in the database.
    Deleting the opening post takes the whole thread out of sight."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    if current.status != Post.Status.DELETED:
        current.status = Post.Status.DELETED
        current.save(update_fields=["status"])
        Thread.objects.filter(pk=current.thread_id, accepted_answer=current).update(
            accepted_answer=None
        )
        refresh_thread(current.thread)
    return current


# ---- votes and answers ------------------------------------------------------------------


def _refuse_if_suspended(user) -> None:
    if trust.is_suspended(user):
        raise Refused(
            _("You are suspended and cannot do this until the suspension ends."), status=403
        )


@transaction.atomic
def vote(post: Post, voter, up: bool = True) -> int:
    """Upvote (or take the vote back). One vote per member and post, never your own.
    Returns the post's new score."""
    if post.author_id == voter.pk:
        raise Refused(_("You cannot vote for your own post."))
    if not post.is_visible:
        raise Refused(_("This post cannot take votes."))
    _refuse_if_suspended(voter)
    if up:
        try:
            with transaction.atomic():
                Vote.objects.create(post=post, voter=voter)
        except IntegrityError:
            pass  # voted already: one vote stands
    else:
        Vote.objects.filter(post=post, voter=voter).delete()
    score = Vote.objects.filter(post=post).count()
    Post.objects.filter(pk=post.pk).update(score=score)
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(score=score)
    post.score = score
    return score


@transaction.atomic
def accept_answer(thread: Thread, post: Post | None, by) -> Thread:
    """Mark `post` as the answer to the question (None: no accepted answer)."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not thread.is_question:
        raise Refused(_("Only questions have accepted answers."))
    if post is not None:
        if post.thread_id != thread.pk:
            raise Refused(_("That answer belongs to another thread."))
        if post.is_opening or not post.is_visible:
            raise Refused(_("Only a visible reply can be the accepted answer."))
    previous = thread.accepted_answer_id
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer"])
    if post is not None and post.pk != previous and post.author_id != by.pk:
        notify([post.author], "forum_answer_accepted", post.get_absolute_url(), title=thread.title)
    return thread


# ---- flags --------------------------------------------------------------------------


@transaction.atomic
def flag_post(post: Post, flagger, reason: str, note: str = "") -> Flag:
    """A flag puts the post in the moderators' queue. Enough flags from trusted members
    hide it until a moderator looks."""
    if post.author_id == flagger.pk:
        raise Refused(_("You cannot flag your own post."))
    _refuse_if_suspended(flagger)
    if Flag.objects.open().filter(post=post, flagger=flagger).exists():
        raise Refused(_("You have already flagged this post; a moderator will look at it."))
    trusted = trust.level_of(flagger) >= trust.TRUSTED
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                post=post, flagger=flagger, reason=reason, note=note, from_trusted=trusted
            )
    except IntegrityError:
        raise Refused(
            _("You have already flagged this post; a moderator will look at it.")
        ) from None
    trusted_flags = Flag.objects.open().filter(post=post, from_trusted=True).count()
    if trusted_flags >= trust.FLAGS_TO_HIDE:
        # Only a post still visible now: never relabel one a moderator already hid.
        hidden = Post.objects.filter(pk=post.pk, status=Post.Status.VISIBLE).update(
            status=Post.Status.HIDDEN, hidden_by="flags"
        )
        if hidden:
            ModerationEntry.objects.create(
                action=ModerationEntry.Action.AUTO_HIDE, thread_id=post.thread_id, post=post
            )
            refresh_thread(post.thread)
    return flag


# ---- moderators -----------------------------------------------------------------------


def _log(moderator, action: str, *, thread=None, post=None, member=None, reason="") -> None:
    ModerationEntry.objects.create(
        actor=moderator,
        action=action,
        thread=thread or (post.thread if post else None),
        post=post,
        member=member,
        reason=reason,
    )


def _close_flags(post: Post, moderator) -> int:
    """Close the post's open flags; how many there were."""
    return (
        Flag.objects.open()
        .filter(post=post)
        .update(resolved_at=timezone.now(), resolved_by=moderator)
    )


@transaction.atomic
def approve_post(post: Post, moderator) -> Post:
    """A held post goes live: counted towards its author's trust, and announced."""
    current = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if current.status != Post.Status.HELD:
        return current
    current.status = Post.Status.VISIBLE
    current.save(update_fields=["status"])
    refresh_thread(current.thread)
    _log(moderator, ModerationEntry.Action.APPROVE, post=current)
    if current.author_id:
        count_approved(current.author)
        notify([current.author], "forum_post_approved", current.get_absolute_url(),
               title=current.thread.title)  # fmt: skip
    _announce(current, current.thread, _render(current))
    return current


@transaction.atomic
def hide_post(post: Post, moderator, reason: str = "") -> Post:
    """Hide a post (a held one too: that is how a held post is turned down). Its flags are
    closed; hiding a post already hidden by a moderator or deleted changes nothing."""
    current = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if current.status in {Post.Status.VISIBLE, Post.Status.HELD} or current.hidden_by == "flags":
        current.status = Post.Status.HIDDEN
        current.hidden_by = "moderator"
        current.save(update_fields=["status", "hidden_by"])
        Thread.objects.filter(pk=current.thread_id, accepted_answer=current).update(
            accepted_answer=None
        )
        refresh_thread(current.thread)
        _close_flags(current, moderator)
        _log(moderator, ModerationEntry.Action.HIDE, post=current, reason=reason)
    elif _close_flags(current, moderator):
        _log(moderator, ModerationEntry.Action.DISMISS_FLAGS, post=current, reason=reason)
    return current


@transaction.atomic
def restore_post(post: Post, moderator) -> Post:
    """Show a hidden post again (the flags were wrong) and close its flags."""
    current = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    action = ModerationEntry.Action.DISMISS_FLAGS
    if current.status == Post.Status.HIDDEN:
        current.status = Post.Status.VISIBLE
        current.hidden_by = ""
        current.save(update_fields=["status", "hidden_by"])
        refresh_thread(current.thread)
        action = ModerationEntry.Action.RESTORE
    _close_flags(current, moderator)
    _log(moderator, action, post=current)
    return current


@transaction.atomic
def set_locked(thread: Thread, moderator, locked: bool, reason: str = "") -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    action = ModerationEntry.Action.LOCK if locked else ModerationEntry.Action.UNLOCK
    _log(moderator, action, thread=thread, reason=reason)


@transaction.atomic
def set_pinned(thread: Thread, moderator, pinned: bool) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
    thread.is_pinned = pinned
    action = ModerationEntry.Action.PIN if pinned else ModerationEntry.Action.UNPIN
    _log(moderator, action, thread=thread)


@transaction.atomic
def move_thread(thread: Thread, category: Category, moderator) -> None:
    old = thread.category
    if old.pk == category.pk:
        raise Refused(_("The thread is already in that category."))
    Thread.objects.filter(pk=thread.pk).update(category=category)
    thread.category = category
    _log(moderator, ModerationEntry.Action.MOVE, thread=thread,
         reason=f"{old.slug} → {category.slug}")  # fmt: skip


@transaction.atomic
def merge_thread(source: Thread, target: Thread, moderator) -> Thread:
    """Every post of `source` joins `target` in time order; `source`'s address redirects."""
    if source.pk == target.pk or target.merged_into_id or source.merged_into_id:
        raise Refused(_("Choose another thread to merge into."))
    Post.objects.filter(thread=source).update(thread=target, is_opening=False)
    Thread.objects.filter(pk=source.pk).update(merged_into=target, accepted_answer=None)
    source.merged_into = target
    reindex_later("thread", source.pk)  # merged away: out of search
    refresh_thread(target)
    _log(
        moderator,
        ModerationEntry.Action.MERGE,
        thread=target,
        reason=f"#{source.pk} {source.title}",
    )
    return target


@transaction.atomic
def suspend(member, moderator, days: int, reason: str) -> Standing:
    standing = trust.standing_of(member)
    standing.suspended_until = timezone.now() + timedelta(days=days)
    standing.suspension_reason = reason
    standing.save(update_fields=["suspended_until", "suspension_reason"])
    member.__dict__.pop("_forum_standing", None)
    _log(moderator, ModerationEntry.Action.SUSPEND, member=member,
         reason=f"{days}d: {reason}")  # fmt: skip
    notify([member], "forum_suspended", reverse("forum:index"), days=days, reason=reason)
    return standing


@transaction.atomic
def lift_suspension(member, moderator) -> None:
    Standing.objects.filter(user=member).update(suspended_until=None, suspension_reason="")
    member.__dict__.pop("_forum_standing", None)
    _log(moderator, ModerationEntry.Action.UNSUSPEND, member=member)


# ---- bookkeeping ------------------------------------------------------------------------


def refresh_thread(thread: Thread) -> None:
    """Recount what lists show, from the posts themselves (cheap, and never drifts)."""
    posts = Post.objects.filter(thread=thread)
    facts = posts.aggregate(
        replies=Count("pk", filter=Q(status=Post.Status.VISIBLE, is_opening=False)),
        last=Max("created_at", filter=Q(status=Post.Status.VISIBLE)),
    )
    opening = posts.filter(is_opening=True).values("status", "score").first()
    # The thread is as visible as its opening post; a deleted question takes its thread
    # out of sight (moderators still see it).
    status = {
        Post.Status.HELD: Thread.Status.HELD,
        Post.Status.HIDDEN: Thread.Status.HIDDEN,
        Post.Status.DELETED: Thread.Status.HIDDEN,
    }.get(opening["status"] if opening else None, Thread.Status.VISIBLE)
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=facts["replies"],
        last_posted_at=facts["last"] or thread.created_at,
        status=status,
        score=opening["score"] if opening else 0,
    )
    # Its words in search follow: a post approved, hidden (by flags too), deleted or moved.
    reindex_later("thread", thread.pk)


def count_approved(user) -> None:
    """One more post (or comment) of the member's approved: a step up the trust ladder."""
    Standing.objects.get_or_create(user=user)
    Standing.objects.filter(user=user).update(approved_posts=F("approved_posts") + 1)
    user.__dict__.pop("_forum_standing", None)


def _announce(post: Post, thread: Thread, mentioned: set[str]) -> None:
    """Tell the thread's followers (or, for a new thread, the category's) and anyone
    mentioned. An anonymous post names nobody. Kinds keep apart what is addressed to the
    member (a mention, a reply to their own thread) from what they follow, so that email
    preferences can treat them differently."""
    anonymous = post.is_anonymous
    actor = "" if anonymous else (post.author.name if post.author_id else "")
    suffix = "_anon" if anonymous else ""
    url = post.get_absolute_url()
    mentioned_users = list(User.objects.filter(username__in=mentioned, is_active=True))
    skip = {post.author_id, *(u.pk for u in mentioned_users)}
    if post.is_opening:
        followers = watchers_of(thread.category)
        kind = "forum_new_thread"
    else:
        followers = watchers_of(thread)
        kind = "forum_reply"
    followers = [u for u in followers if u.pk not in skip]
    if not post.is_opening:
        own = [u for u in followers if u.pk == thread.author_id]
        notify(own, "forum_reply_to_you" + suffix, url, title=thread.title, actor=actor)
        followers = [u for u in followers if u.pk != thread.author_id]
    notify(followers, kind + suffix, url, title=thread.title, actor=actor)
    notify([u for u in mentioned_users if u.pk != post.author_id], "forum_mention" + suffix,
           url, title=thread.title, actor=actor)  # fmt: skip
