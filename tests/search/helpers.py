"""Index entries written directly, for the tests of searching itself."""

from altto.search import text
from altto.search.models import Entry


def entry(kind, pk, title, body, *, language="en", tags=(), levels=(), boost=0.0, **fields):
    return Entry.objects.create(
        kind=kind,
        object_id=pk,
        language=language,
        title=title,
        text=body,
        url=f"/{kind}/{pk}/",
        tags=Entry.framed(tags),
        levels=Entry.framed(levels),
        boost=boost,
        title_terms=text.index_text(title),
        body_terms=text.index_text(body),
        **fields,
    )
