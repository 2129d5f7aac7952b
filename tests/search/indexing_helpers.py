"""Content for the indexing and permission tests, made through the site's own actions."""

from datetime import timedelta

from django.utils import timezone

from altto.blog import actions as blog_actions
from altto.courses.models import LessonText
from altto.search.models import Entry
from altto.search.queries import search


def found(query, **kwargs) -> list[tuple[str, int]]:
    return [(hit.entry.kind, hit.entry.object_id) for hit in search(query, **kwargs).hits]


def entries(kind, object_id) -> list[Entry]:
    return list(Entry.objects.filter(kind=kind, object_id=object_id).order_by("language"))


def japanese_text(lesson, title="自己紹介の授業", body="家族の**写真**を見せましょう。"):
    return LessonText.objects.create(
        lesson=lesson, language="ja", title=title, body=body, objectives=["自分の町を紹介する"]
    )


def blog_post(writer, editor, title, *, until="published", body="Bring a map of your town.",
              tags=("first week",), publish_at=None, language="en"):  # fmt: skip
    """A post taken along the editorial path as far as `until`."""
    post = blog_actions.start_draft(writer, title, language=language)
    blog_actions.save_post(
        post, writer, title=title, slug=post.slug, summary="A short summary about maps.",
        body=body, language=language, tags=list(tags),
    )  # fmt: skip
    if until == "draft":
        return post
    blog_actions.submit_for_review(post, writer)
    if until == "review":
        return post
    now = timezone.now()
    publish_at = publish_at or now - timedelta(minutes=1)
    blog_actions.schedule(post, editor, publish_at, now=min(now, publish_at))
    if until == "published":
        blog_actions.publish_due_posts(max(now, publish_at))
    elif until == "unpublished":
        blog_actions.unpublish(post, editor, "Out of date.")
    post.refresh_from_db()
    return post
