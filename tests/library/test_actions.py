"""Takedowns, by an editor or because a permission expired, keep the item's history."""

import datetime

import pytest
from django.core.management import call_command

from altto.library import actions
from altto.library.models import Item
from altto.revisions import actions as revisions
from altto.revisions.models import AuditEntry
from tests.library.factories import grant, make_activity, make_item

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def with_permission(slug, *expiries) -> Item:
    item = make_item(slug, licence="permission", creators=["Kim Ito"], publish=False)
    for expires_on in expiries:
        grant(item, granted_on=datetime.date(2024, 4, 1), expires_on=expires_on)
    # Published while its permissions were current; an import revision is its history.
    grant(item, granted_on=datetime.date(2024, 4, 1), expires_on=datetime.date(2999, 1, 1))
    actions.publish(item)
    item.permissions.filter(expires_on=datetime.date(2999, 1, 1)).delete()
    revisions.ensure_revision(item, kind="import", summary="Imported")
    return item


def test_an_editor_takes_an_item_down_with_a_reason_and_its_history_stays(editor):
    item = make_activity()
    revisions.ensure_revision(item, kind="import", summary="Imported")
    actions.unpublish(item, editor, "  The author asked us to remove it. ")
    item.refresh_from_db()
    assert (item.status, item.takedown_reason) == (
        "unpublished",
        "The author asked us to remove it.",
    )
    assert revisions.revisions_of(item).count() == 1
    entry = AuditEntry.objects.get(action="unpublish")
    assert (entry.actor, entry.object_id, entry.comment) == (
        editor,
        item.pk,
        "The author asked us to remove it.",
    )
    assert not Item.objects.published().exists()


def test_a_takedown_needs_a_reason(editor):
    item = make_activity()
    with pytest.raises(actions.LibraryError, match="say why"):
        actions.unpublish(item, editor, " ")
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_only_a_published_item_can_be_taken_down(editor):
    item = make_activity(publish=False)
    with pytest.raises(actions.LibraryError, match="Only a published item"):
        actions.unpublish(item, editor, "Spam")


def test_publishing_again_clears_the_takedown_reason_and_keeps_the_first_date(editor):
    item = make_activity()
    first_published = item.published_at
    actions.unpublish(item, editor, "Checking the source")
    actions.publish(item, editor)
    item.refresh_from_db()
    assert (item.status, item.takedown_reason) == ("published", "")
    assert item.published_at == first_published


def test_expiry_unpublishes_only_items_whose_permissions_all_expired():
    expired = with_permission("expired", datetime.date(2026, 5, 31))
    renewed = with_permission("renewed", datetime.date(2025, 3, 31), datetime.date(2027, 3, 31))
    lasts_today = with_permission("lasts-today", TODAY)
    open_ended = with_permission("open-ended", None)
    original = make_item("original")

    assert actions.expire_permissions(today=TODAY) == [expired]

    statuses = dict(Item.objects.values_list("slug", "status"))
    assert statuses == {
        "expired": "unpublished",
        "renewed": "published",
        "lasts-today": "published",
        "open-ended": "published",
        "original": "published",
    }
    expired.refresh_from_db()
    assert expired.takedown_reason == "The permission to use this item expired on 2026-05-31."
    assert AuditEntry.objects.get(action="unpublish").actor is None
    for item in (expired, renewed, lasts_today, open_ended):
        assert [r.number for r in revisions.revisions_of(item)] == [1]
    assert original.permissions.count() == 0


def test_expiry_is_idempotent():
    with_permission("expired", datetime.date(2026, 5, 31))
    assert len(actions.expire_permissions(today=TODAY)) == 1
    assert actions.expire_permissions(today=TODAY) == []


def test_the_expire_permissions_command_unpublishes_and_says_which(capsys):
    with_permission("expired", datetime.date(2024, 5, 31))
    with_permission("current", None)
    call_command("expire_permissions")
    out = capsys.readouterr().out
    assert "expired: unpublished, The permission to use this item expired on 2024-05-31." in out
    assert "1 item(s) unpublished" in out
    assert Item.objects.published().get().slug == "current"


def test_editors_are_warned_once_of_permissions_ending_within_two_weeks(
    editor, contributor, django_capture_on_commit_callbacks
):
    from altto.notifications.models import Notification

    soon = with_permission("soon", TODAY + datetime.timedelta(days=10))
    with_permission("later", TODAY + datetime.timedelta(days=40))
    with_permission("renewed", TODAY + datetime.timedelta(days=5), None)
    with_permission("gone", datetime.date(2026, 5, 31))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.warn_expiring_permissions(today=TODAY) == [soon]
    assert actions.warn_expiring_permissions(today=TODAY) == []  # the next day's run: once
    [note] = Notification.objects.filter(user=editor, kind="permission_expiring")
    assert "“" in note.message() and "14 days" in note.message()
    assert not Notification.objects.filter(user=contributor).exists()
