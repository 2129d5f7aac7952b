"""Who wrote what: a document's contributors, and a member's accepted edits."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch

from altto.accounts.models import User
from altto.courses.models import LessonText
from altto.revisions.models import Revision

# Revisions that carry someone's words (not imports, rollbacks or review marks).
CONTRIBUTIONS = (Revision.Kind.EDIT, Revision.Kind.PROPOSAL)


def contributors_of(document) -> list[User]:
    """Everyone with an approved revision of this document, in order of first contribution
    (1 query)."""
    revisions = Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        kind__in=CONTRIBUTIONS,
        author__isnull=False,
    ).select_related("author")
    seen: dict[int, User] = {}
    for revision in revisions.order_by("number"):
        seen.setdefault(revision.author_id, revision.author)
    return list(seen.values())


def accepted_edits_by(user, limit: int = 20) -> list[Revision]:
    """A member's approved proposals, newest first, with their documents (2 queries)."""
    return list(
        Revision.objects.filter(author=user, kind=Revision.Kind.PROPOSAL)
        .order_by("-created_at")
        .prefetch_related(
            GenericPrefetch("document", [LessonText.objects.select_related("lesson__module")])
        )[:limit]
    )
