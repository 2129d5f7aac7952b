"""Reads about proposals. Each function runs a fixed number of queries."""

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet

from altto.revisions.models import Proposal


def document_querysets() -> list[QuerySet]:
    """Each kind of document, fetched with what its title and address need."""
    from altto.courses.models import LessonText
    from altto.library.models import Item

    return [LessonText.objects.select_related("lesson__module"), Item.objects.all()]


def with_document(proposals: QuerySet) -> QuerySet:
    return proposals.prefetch_related(GenericPrefetch("document", document_querysets()))


def proposals_by(user, limit: int = 10) -> list[Proposal]:
    """A member's most recently active proposals, with their documents: 1 query, plus 1 per
    kind of document among them (lesson texts, with their lesson and module)."""
    if not user.is_authenticated:
        return []
    proposals = Proposal.objects.filter(proposer=user).order_by("-updated_at", "-pk")
    return list(with_document(proposals)[:limit])


def open_vote(user, document):
    """This reader's unresolved freshness vote on the document, if any (1 query)."""
    from django.contrib.contenttypes.models import ContentType

    from altto.revisions.models import FreshnessVote

    if not user.is_authenticated:
        return None
    return FreshnessVote.objects.filter(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        user=user,
        resolved_at__isnull=True,
    ).first()
