"""The topics board: what ALTs need written about, who offered to write it, and where each
topic stands. Members add topics and volunteer with a pitch; a blog editor assigns one
writer, who gets a draft linked to the topic. A forum thread can become a topic."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.roles import may
from altto.blog import actions
from altto.blog.models import Pitch, Post, Topic
from altto.blog.rules import is_blog_editor
from altto.blog.topic_forms import PitchForm, TopicForm, thread_reader_need
from altto.forum.models import Thread
from altto.forum.views.browse import get_readable_thread

TOPICS_PER_PAGE = 30


def state_filter(state: str, now=None) -> Q | None:
    """ORM conditions equal to `Topic.state == state` (worked out in Python from the writer
    and the post), so the board can filter and paginate in the database."""
    now = now or timezone.now()
    has_writer = Q(writer__isnull=False)
    live = Q(post__status=Post.Status.PUBLISHED) | Q(
        post__status=Post.Status.SCHEDULED, post__publish_at__lte=now
    )
    conditions = {
        Topic.State.OPEN: Q(writer__isnull=True),
        Topic.State.ASSIGNED: has_writer & Q(post__isnull=True),
        Topic.State.DRAFTING: has_writer
        & Q(post__status__in=[Post.Status.DRAFT, Post.Status.UNPUBLISHED]),
        Topic.State.REVIEW: has_writer & Q(post__status=Post.Status.REVIEW),
        Topic.State.SCHEDULED: has_writer
        & Q(post__status=Post.Status.SCHEDULED)
        & (Q(post__publish_at__gt=now) | Q(post__publish_at__isnull=True)),
        Topic.State.PUBLISHED: has_writer & live,
    }
    return conditions.get(state)


def _with_state_labels(topics) -> list[Topic]:
    labels = dict(Topic.State.choices)
    topics = list(topics)
    for found in topics:
        found.state_label = labels[found.state]
    return topics


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    topics = (
        Topic.objects.with_post()
        .annotate(pitch_count=Count("pitches"))
        .order_by("-created_at", "-pk")
    )
    condition = state_filter(state)
    if condition is None:
        state = ""
    else:
        topics = topics.filter(condition)
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "topics": _with_state_labels(page.object_list),
        "state": state,
        "states": Topic.State.choices,
        "page_query": f"state={state}" if state else "",
        "may_add": may(request.user, "add_blog_topic"),
    }
    return render(request, "blog/topics.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "add_blog_topic"):
        raise PermissionDenied(_("Please verify your email address before adding a topic."))
    status = 200
    if request.method == "POST":
        form = TopicForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = actions.add_topic(
                    request.user, data["title"], data["reader_need"], data["angle"]
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Thank you! The topic is on the board."))
                return redirect(topic)
    else:
        form = TopicForm()
    return render(request, "blog/topic_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(pk)
    if not may(request.user, "edit_blog_topic", topic):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = TopicForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            actions.edit_topic(topic, data["title"], data["reader_need"], data["angle"])
            messages.success(request, _("The topic is saved."))
            return redirect(topic)
    else:
        form = TopicForm(
            initial={"title": topic.title, "reader_need": topic.reader_need, "angle": topic.angle}
        )
    context = {"form": form, "topic": topic}
    return render(request, "blog/topic_form.html", context, status=status)


def _topic_context(request: HttpRequest, topic: Topic, pitch_form=None) -> dict:
    user = request.user
    editor = user.is_authenticated and is_blog_editor(user)
    pitches = []
    own_pitch = None
    if editor:
        pitches = list(topic.pitches.select_related("writer"))
        own_pitch = next((p for p in pitches if p.writer_id == user.pk), None)
    elif user.is_authenticated:
        own_pitch = topic.pitches.filter(writer=user).first()
    post = getattr(topic, "post", None)
    live = post is not None and post.is_live()
    may_see_draft = post is not None and not live and may(user, "see_blog_draft", post)
    may_volunteer = may(user, "volunteer_for_topic", topic)
    if pitch_form is None and may_volunteer:
        pitch_form = PitchForm(initial={"pitch": own_pitch.pitch if own_pitch else ""})
    thread = topic.forum_thread
    _with_state_labels([topic])
    return {
        "topic": topic,
        "post": post,
        "post_live": live,
        "may_see_draft": may_see_draft,
        "thread": thread if thread and thread.status == Thread.Status.VISIBLE else None,
        "editor": editor,
        "may_assign": editor and topic.writer_id is None,
        "pitches": pitches,
        "pitch_count": len(pitches) if editor else topic.pitches.count(),
        "own_pitch": own_pitch,
        "may_volunteer": may_volunteer,
        "may_edit": may(user, "edit_blog_topic", topic),
        "pitch_form": pitch_form,
    }


def _get_topic(pk: int) -> Topic:
    return get_object_or_404(Topic.objects.with_post(), pk=pk)


@require_GET
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_topic(pk)
    return render(request, "blog/topic.html", _topic_context(request, found))


@require_POST
@login_required
def volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_topic(pk)
    if not may(request.user, "add_blog_topic"):
        raise PermissionDenied(_("Please verify your email address before offering to write."))
    form = PitchForm(request.POST)
    if form.is_valid():
        try:
            actions.volunteer(found, request.user, form.cleaned_data["pitch"])
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Thank you for offering! A blog editor will read your pitch and let you know."),
            )
            return redirect(found)
    context = _topic_context(request, found, pitch_form=form)
    context["may_volunteer"] = True  # show the form again, with what was typed
    return render(request, "blog/topic.html", context, status=400)


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_topic(pk)
    if not may(request.user, "assign_blog_topic", found):
        raise PermissionDenied
    try:
        pitch = Pitch.objects.select_related("writer").get(
            pk=int(request.POST.get("pitch", "")), topic=found
        )
    except (ValueError, Pitch.DoesNotExist):
        raise Http404 from None
    try:
        actions.assign(found, pitch, request.user)
    except actions.Refused as refused:
        messages.error(request, refused.message)
        found = _get_topic(pk)
        return render(request, "blog/topic.html", _topic_context(request, found), status=400)
    messages.success(
        request,
        _("%(name)s is the writer: their draft is ready. Everyone else who offered is thanked.")
        % {"name": pitch.writer.name},
    )
    return redirect(found)


@require_POST
@login_required
def from_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A blog editor turns a forum question into a topic; the two link to each other."""
    if not may(request.user, "assign_blog_topic"):
        raise PermissionDenied
    thread = get_readable_thread(request, pk)
    if thread.merged_into_id is not None:
        raise Http404
    existing = thread.blog_topics.order_by("pk").first()
    if existing is not None:
        messages.info(request, _("This thread is already a blog topic."))
        return redirect(existing)
    if thread.status != Thread.Status.VISIBLE:
        messages.error(request, _("Only a thread members can see can become a blog topic."))
        return redirect(thread)
    found = actions.add_topic(
        request.user, thread.title, thread_reader_need(thread), forum_thread=thread
    )
    messages.success(request, _("The thread is now a topic on the board, linked both ways."))
    return redirect(found)
