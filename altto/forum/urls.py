from django.urls import path, register_converter

from altto.forum.views import browse, categories, moderation, posting


class ThreadSlug:
    """The words after a thread's number: any Unicode slug (titles may be Japanese)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ThreadSlug, "tslug")

app_name = "forum"
urlpatterns = [
    path("forum/", browse.index, name="index"),
    path("forum/all/", browse.all_threads, name="all"),
    path("forum/trust/", browse.trust_ladder, name="trust"),
    path("forum/new/", posting.new_thread, name="new"),
    path("forum/similar/", posting.similar, name="similar"),
    path("forum/t/<int:pk>/", browse.thread_redirect, name="thread_short"),
    path("forum/t/<int:pk>-<tslug:slug>/", browse.thread, name="thread"),
    path("forum/t/<int:pk>/reply/", posting.reply, name="reply"),
    path("forum/t/<int:pk>/follow/", posting.follow_thread, name="follow_thread"),
    path("forum/t/<int:pk>/accept/", posting.accept, name="accept"),
    path("forum/t/<int:pk>/moderate/", moderation.thread_action, name="moderate_thread"),
    path("forum/p/<int:pk>/", browse.post_redirect, name="post"),
    path("forum/p/<int:pk>/edit/", posting.edit, name="edit"),
    path("forum/p/<int:pk>/history/", posting.history, name="history"),
    path("forum/p/<int:pk>/delete/", posting.delete, name="delete"),
    path("forum/p/<int:pk>/vote/", posting.vote, name="vote"),
    path("forum/p/<int:pk>/flag/", posting.flag, name="flag"),
    path("forum/p/<int:pk>/moderate/", moderation.post_action, name="moderate_post"),
    path("forum/review/", moderation.queue, name="review"),
    path("forum/log/", moderation.log, name="log"),
    path("forum/members/<str:username>/suspend/", moderation.suspend, name="suspend"),
    path("forum/categories/new/", categories.create, name="category_new"),
    path("forum/<slug:category>/edit/", categories.edit, name="category_edit"),
    path("forum/<slug:category>/follow/", posting.follow_category, name="follow_category"),
    path("forum/<slug:category>/", browse.category, name="category"),
]
