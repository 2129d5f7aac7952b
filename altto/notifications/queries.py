"""Reads for notifications and watching, each a fixed number of queries."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from altto.notifications.actions import live_watch
from altto.notifications.models import Notification, Watch


def notifications_for(user) -> QuerySet[Notification]:
    """The member's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def _model_key(target) -> tuple[str, str]:
    meta = target._meta.concrete_model._meta
    return meta.app_label, meta.model_name


def watch_state(user, *targets) -> dict:
    """Whether `user` watches each of `targets` (saved lessons, modules or any other objects),
    in one query; none for an anonymous visitor or no targets.

    The dict is keyed by the targets themselves (a model instance hashes by its model and pk):

        state = watch_state(request.user, lesson, lesson.module)
        context = {"watching_lesson": state[lesson], "watching_module": state[lesson.module]}

    Content types are matched by name in the same query, so the count does not depend on
    Django's content-type cache being warm."""
    if not targets or not user.is_authenticated:
        return dict.fromkeys(targets, False)
    ids_by_model: dict[tuple[str, str], set[int]] = {}
    for target in targets:
        ids_by_model.setdefault(_model_key(target), set()).add(target.pk)
    condition = reduce(
        or_,
        (
            Q(content_type__app_label=app_label, content_type__model=model, object_id__in=ids)
            for (app_label, model), ids in ids_by_model.items()
        ),
    )
    found = set(
        Watch.objects.filter(condition, live_watch(), user=user).values_list(
            "content_type__app_label", "content_type__model", "object_id"
        )
    )
    return {target: (*_model_key(target), target.pk) in found for target in targets}
