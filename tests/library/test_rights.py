"""The rights ledger: nothing is published without its rights, and credit is generated."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from altto.library import actions
from altto.library.models import Item, Permission
from altto.revisions.models import AuditEntry
from tests.library.factories import grant, make_activity, make_item

pytestmark = pytest.mark.django_db


def draft(**fields) -> Item:
    return make_item(publish=False, **fields)


def refused(item: Item) -> str:
    with pytest.raises(actions.RightsIncomplete) as raised:
        actions.publish(item)
    item.refresh_from_db()
    assert item.status == Item.Status.DRAFT
    return str(raised.value)


def test_it_refuses_to_publish_without_a_licence():
    assert "Choose the licence" in refused(draft(licence="", creators=["Ana Lee"]))


def test_it_refuses_to_publish_a_cc_item_without_creators():
    assert "Name at least one creator." in refused(draft(licence="cc-by"))


def test_it_refuses_to_publish_without_a_current_permission():
    item = draft(licence="permission", creators=["Kim Ito"], publisher="JALT")
    assert "Record a current permission" in refused(item)
    grant(item, granted_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2020, 12, 31))
    assert "Record a current permission" in refused(item)


def test_the_refusal_names_the_item_and_every_problem():
    message = refused(draft(slug="story-circle", licence=""))
    assert message.startswith("“Story circle” cannot be published until its rights are complete")
    item = Item.objects.get()
    with pytest.raises(actions.RightsIncomplete) as raised:
        actions.publish(item)
    assert raised.value.problems == item.rights_problems()


def test_an_original_item_is_published_without_creators(editor):
    item = actions.publish(draft(licence="original"), editor)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert item.published_at is not None
    assert AuditEntry.objects.get().actor == editor


def test_a_permission_item_is_published_with_a_current_permission():
    item = draft(licence="permission", creators=["Kim Ito"])
    grant(item, expires_on=datetime.date.today() + datetime.timedelta(days=30))
    assert actions.publish(item).status == Item.Status.PUBLISHED


# --- Attribution ---------------------------------------------------------------------------


def test_attribution_of_an_original_item_credits_altto_contributors():
    assert make_item().attribution() == "ALTTO contributors. Original to ALTTO (CC BY-SA 4.0)."


def test_attribution_of_a_cc_by_item_names_creators_and_publisher():
    item = make_activity(licence="cc-by", creators=["Ana Lee", "Ben Ode"], publisher="JALT")
    assert item.attribution() == "Ana Lee, Ben Ode / JALT. CC BY 4.0."


def test_attribution_of_a_permission_item_says_so():
    item = draft(licence="permission", creators=["Kim Ito"], publisher="JALT")
    assert item.attribution() == "Kim Ito / JALT. Used with permission."


# --- Permissions ---------------------------------------------------------------------------


def test_a_permission_that_expires_before_it_was_granted_is_refused_by_the_database():
    item = draft(licence="permission", creators=["Kim Ito"])
    with pytest.raises(IntegrityError):
        grant(item, granted_on=datetime.date(2025, 4, 1), expires_on=datetime.date(2025, 3, 31))


def test_a_permission_that_expires_before_it_was_granted_is_refused_with_a_clear_message():
    item = draft(licence="permission", creators=["Kim Ito"])
    permission = Permission(
        item=item,
        granted_by="JALT",
        granted_on=datetime.date(2025, 4, 1),
        expires_on=datetime.date(2025, 3, 31),
        scope=["web"],
    )
    with pytest.raises(ValidationError) as raised:
        permission.full_clean()
    assert raised.value.message_dict["expires_on"] == [
        "A permission cannot expire before the day it was granted."
    ]
    assert not Permission.objects.exists()


def test_a_permission_may_expire_on_the_day_it_was_granted_or_never():
    item = draft(licence="permission", creators=["Kim Ito"])
    day = datetime.date(2025, 4, 1)
    for expires_on in (day, None):
        Permission(
            item=item, granted_by="JALT", granted_on=day, expires_on=expires_on, scope=["web"]
        ).full_clean()
