"""Keeping the index current: when content is saved or deleted, its entries are recomputed
in the background (a django-tasks task, enqueued once the change is committed), and the
whole index can be rebuilt (`manage.py rebuild_search_index`).

Signal handlers only enqueue. Writes that bypass signals (`QuerySet.update()`: a post hidden
by flags, a thread recounted or merged, a blog post going live) call `reindex_later()`
themselves in the forum's and blog's actions. A bulk job (a data generator) can wrap its
work in `paused()` and rebuild at the end.
"""

import contextlib
import threading
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks import task

from altto.search import documents
from altto.search.models import Entry

BATCH_SIZE = 500
# Not an Entry kind: "every lesson of this module" (a module's publishing or levels).
MODULE = "module"

_state = threading.local()


# ---- doing it now -------------------------------------------------------------------------


def reindex(kind: str, object_id: int) -> int:
    """Recompute one object's entries (none if it is no longer searchable); how many."""
    if kind == MODULE:
        from altto.courses.models import Lesson

        ids = Lesson.objects.filter(module_id=object_id).values_list("pk", flat=True)
        return sum(reindex(Entry.Kind.LESSON, pk) for pk in list(ids))
    for attempt in range(2):
        try:
            with transaction.atomic():
                entries = documents.entries_for(kind, object_id)
                Entry.objects.filter(kind=kind, object_id=object_id).delete()
                Entry.objects.bulk_create(entries)
            return len(entries)
        except IntegrityError:
            # Two workers rebuilt the same object at once: the second try sees the first.
            if attempt:
                raise
    return 0  # pragma: no cover


def reindex_all(kinds=documents.KINDS, *, batch_size: int = BATCH_SIZE, progress=None) -> dict:
    """Rebuild every entry of `kinds` from scratch; {kind: entries written}.

    `progress(kind, total)`, if given, returns a bar with update(n) and close() (tqdm's
    signature), advanced by the number of source objects done. Each kind is replaced in one
    transaction, so a search during a rebuild sees the old entries or the new, never none.
    """
    counts = {}
    for kind in kinds:
        ids = documents.source_ids(kind)
        bar = progress(kind, len(ids)) if progress else None
        written = 0
        with transaction.atomic():
            Entry.objects.filter(kind=kind).delete()
            for start, entries in zip(
                range(0, len(ids), batch_size),
                documents.entries_in_batches(kind, ids, batch_size),
                strict=True,
            ):
                Entry.objects.bulk_create(entries, batch_size=batch_size)
                written += len(entries)
                if bar is not None:
                    bar.update(len(ids[start : start + batch_size]))
        if bar is not None:
            bar.close()
        counts[kind] = written
    return counts


def optimize() -> None:
    """After a bulk rebuild, merge SQLite's FTS5 segments (PostgreSQL's GIN needs nothing)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES('optimize')")


# ---- doing it later -----------------------------------------------------------------------


@task()
def reindex_task(kind: str, object_id: int) -> int:
    return reindex(kind, object_id)


@dataclass
class _Enqueue:
    """The on-commit callback for one object; equal ones are registered once per commit."""

    kind: str
    object_id: int
    done: bool = field(default=False, compare=False)

    def __call__(self) -> None:
        self.done = True
        reindex_task.enqueue(self.kind, self.object_id)


def reindex_later(kind: str, object_id) -> None:
    """Reindex the object once the current transaction commits (at once outside one)."""
    if object_id is None or getattr(_state, "paused", False):
        return
    job = _Enqueue(str(kind), int(object_id))
    conn = transaction.get_connection()
    waiting = conn.run_on_commit if conn.in_atomic_block else ()
    if any(item[1] == job and not item[1].done for item in waiting):
        return  # already due at this commit (a post saved, then its thread recounted)
    transaction.on_commit(job)


@contextlib.contextmanager
def paused():
    """No reindexing from saves inside: for bulk jobs that call reindex_all() after."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


# ---- signals --------------------------------------------------------------------------------


def _on_lesson(sender, instance, **kwargs):
    reindex_later(Entry.Kind.LESSON, instance.pk)


def _on_lesson_text(sender, instance, **kwargs):
    reindex_later(Entry.Kind.LESSON, instance.lesson_id)


def _on_module(sender, instance, **kwargs):
    reindex_later(MODULE, instance.pk)


def _on_item(sender, instance, **kwargs):
    reindex_later(Entry.Kind.ITEM, instance.pk)


def _on_blog_post(sender, instance, **kwargs):
    reindex_later(Entry.Kind.POST, instance.pk)


def _on_thread(sender, instance, **kwargs):
    reindex_later(Entry.Kind.THREAD, instance.pk)


def _on_forum_post(sender, instance, **kwargs):
    reindex_later(Entry.Kind.THREAD, instance.thread_id)


def _on_tags(kind):
    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if not reverse:
            reindex_later(kind, instance.pk)
        else:  # tag.items.add(...): the pages are in pk_set (unknown for a clear)
            for pk in pk_set or ():
                reindex_later(kind, pk)

    return changed


_on_item_tags = _on_tags(Entry.Kind.ITEM)
_on_blog_tags = _on_tags(Entry.Kind.POST)
_on_thread_tags = _on_tags(Entry.Kind.THREAD)


def connect() -> None:
    """Called by SearchConfig.ready()."""
    from altto.blog.models import Post as BlogPost
    from altto.courses.models import Lesson, LessonText, Module
    from altto.forum.models import Post as ForumPost
    from altto.forum.models import Thread
    from altto.library.models import Item

    handlers = [
        (Module, _on_module, "module"),
        (Lesson, _on_lesson, "lesson"),
        (LessonText, _on_lesson_text, "lesson_text"),
        (Item, _on_item, "item"),
        (BlogPost, _on_blog_post, "blog_post"),
        (Thread, _on_thread, "thread"),
        (ForumPost, _on_forum_post, "forum_post"),
    ]
    for model, handler, name in handlers:
        post_save.connect(handler, sender=model, dispatch_uid=f"search_save_{name}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"search_delete_{name}")
    for through, handler, name in [
        (Item.tags.through, _on_item_tags, "item"),
        (BlogPost.tags.through, _on_blog_tags, "blog_post"),
        (Thread.tags.through, _on_thread_tags, "thread"),
    ]:
        m2m_changed.connect(handler, sender=through, dispatch_uid=f"search_tags_{name}")
