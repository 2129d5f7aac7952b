from django.urls import path, register_converter

from altto.blog.views import feeds, newsletter, posts, topics, writing


class Slug:
    """A post's address: a Unicode slug (titles may be Japanese)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Slug, "uslug")

app_name = "blog"
urlpatterns = [
    path("blog/", posts.index, name="index"),
    path("blog/upcoming/", posts.upcoming, name="upcoming"),
    path("blog/feed/", feeds.LatestPosts(), name="feed"),
    path("blog/tags/<uslug:tag>/", posts.tag, name="tag"),
    path("blog/tags/<uslug:tag>/feed/", feeds.TagPosts(), name="tag_feed"),
    path("blog/writers/<str:username>/", posts.writer, name="writer"),
    path("blog/<int:year>/<uslug:slug>/", posts.post, name="post"),
    path("blog/new/", writing.new, name="new"),
    path("blog/drafts/", writing.my_posts, name="mine"),
    path("blog/drafts/<int:pk>/", writing.draft, name="draft"),
    path("blog/drafts/<int:pk>/edit/", writing.edit, name="edit"),
    path("blog/drafts/<int:pk>/submit/", writing.submit, name="submit"),
    path("blog/drafts/<int:pk>/review/", writing.review, name="review"),
    path("blog/drafts/<int:pk>/decide/", writing.decide, name="decide"),
    path("blog/drafts/<int:pk>/notes/", writing.add_note, name="note"),
    path("blog/editorial/", writing.editorial, name="editorial"),
    path("blog/topics/", topics.board, name="topics"),
    path("blog/topics/new/", topics.new, name="topic_new"),
    path("blog/topics/<int:pk>/", topics.topic, name="topic"),
    path("blog/topics/<int:pk>/edit/", topics.edit, name="topic_edit"),
    path("blog/topics/<int:pk>/volunteer/", topics.volunteer, name="volunteer"),
    path("blog/topics/<int:pk>/assign/", topics.assign, name="assign"),
    path("forum/t/<int:pk>/to-topic/", topics.from_thread, name="from_thread"),
    # The newsletter ("The Monthly Trainer"): archive, subscriptions, editors' pages.
    path("blog/newsletter/", newsletter.archive, name="newsletter"),
    path("blog/newsletter/subscribe/", newsletter.subscribe, name="newsletter_subscribe"),
    path("blog/newsletter/confirm/<str:token>/", newsletter.confirm, name="newsletter_confirm"),
    path(
        "blog/newsletter/unsubscribe/<str:token>/",
        newsletter.unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("blog/newsletter/editions/", newsletter.editions, name="newsletter_editions"),
    path("blog/newsletter/editions/<int:pk>/", newsletter.edit, name="newsletter_edit"),
    path(
        "blog/newsletter/editions/<int:pk>/preview/",
        newsletter.preview,
        name="newsletter_preview",
    ),
    path(
        "blog/newsletter/editions/<int:pk>/publish/",
        newsletter.publish,
        name="newsletter_publish",
    ),
    path("blog/newsletter/subscribers/", newsletter.subscribers, name="newsletter_subscribers"),
    path("blog/newsletter/<slug:slug>/", newsletter.edition, name="newsletter_edition"),
]
