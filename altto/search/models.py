"""One row per searchable page: a lesson in one language, a library item, a blog post, a
forum thread. Only what everyone may read is ever written here (see documents.py), so a
search can never show a draft, a held post or who asked anonymously.

The terms columns hold pre-cut terms (text.py); the database's full-text index is built on
them by migration 0002: FTS5 on SQLite, a GIN index over a tsvector on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lessons")
        ITEM = "item", _("Library")
        POST = "post", _("Blog")
        THREAD = "thread", _("Forum")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)  # plain words, for snippets
    url = models.CharField(max_length=500)
    # Space-framed lists (" es jhs "), so a filter is one `contains`.
    tags = models.CharField(max_length=500, blank=True)
    levels = models.CharField(max_length=40, blank=True)
    # A scheduled blog post is indexed ahead and found from its time on.
    live_from = models.DateTimeField(null=True, blank=True)
    # Ranking help: a solved question, an accepted answer's words.
    boost = models.FloatField(default=0.0)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="one_entry_per_page"
            )
        ]
        indexes = [models.Index(fields=["kind", "live_from"], name="search_entry_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.language}".strip()

    @staticmethod
    def framed(values) -> str:
        """[a, b] → " a b " (see `tags` and `levels`)."""
        values = [v for v in values if v]
        return f" {' '.join(values)} " if values else ""
