"""Small builders for discussion data, made the way the site makes them."""

from altto.discussion.models import Comment


def make_comment(lesson, author, body="Ask your JTE about the unit goal first.", parent=None):
    # Straight to the model: tests that build many comments would trip the rate limit.
    return Comment.objects.create(lesson=lesson, author=author, body=body, parent=parent)
