"""Editors keep the rights ledger on the site: creators, permissions with private evidence,
publishing (only with complete rights) and takedown; /review/ lists what is expiring."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from altto.library import actions
from altto.library.models import Creator, Item, Permission
from altto.notifications.models import Notification
from altto.revisions import actions as revisions
from altto.revisions.models import AuditEntry
from tests.conftest import make_user
from tests.library.factories import grant, make_item

pytestmark = pytest.mark.django_db

RIGHTS = "/library/story-circle/rights/"


@pytest.fixture
def item(db):
    return make_item("story-circle", licence="", publish=False)


def ledger(**fields) -> dict:
    """The ledger form's fields, with the creator rows given as (name, url, remove)."""
    rows = fields.pop("creators", [])
    initial = fields.pop("initial", 0)
    data = {
        "action": "ledger",
        "licence": fields.pop("licence", "cc-by"),
        "publisher": fields.pop("publisher", ""),
        "source_url": fields.pop("source_url", ""),
        "creators-TOTAL_FORMS": str(len(rows)),
        "creators-INITIAL_FORMS": str(initial),
        "creators-MIN_NUM_FORMS": "0",
        "creators-MAX_NUM_FORMS": "30",
    }
    for number, (name, url, remove) in enumerate(rows):
        data[f"creators-{number}-name"] = name
        data[f"creators-{number}-url"] = url
        if remove:
            data[f"creators-{number}-DELETE"] = "on"
    return data


def permission(**fields) -> dict:
    data = {
        "action": "permission",
        "granted_by": "JALT",
        "granted_on": "2026-04-01",
        "scope": ["web", "print"],
        "expires_on": "",
        "notes": "",
    }
    data.update(fields)
    return data


LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def evidence_file(name="letter.pdf", content=LETTER) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Who may see the page ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "moderator", "blog_editor"])
def test_only_editors_may_see_or_change_the_rights(client, request, persona, item):
    stored = grant(item)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(RIGHTS).status_code == 403
    assert client.post(RIGHTS, ledger(creators=[("Ana", "", False)])).status_code == 403
    assert client.post(RIGHTS, {"action": "publish"}).status_code == 403
    assert client.get(f"{RIGHTS}evidence/{stored.pk}/").status_code == 403
    item.refresh_from_db()
    assert (item.licence, item.status, item.creators.count()) == ("", "draft", 0)


def test_anonymous_visitors_are_sent_to_log_in(client, item):
    stored = grant(item)
    for url in (RIGHTS, f"{RIGHTS}evidence/{stored.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["editor", "site_admin"])
def test_editors_and_admins_see_the_problems_and_the_attribution(client, request, persona, item):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(RIGHTS).content.decode()
    assert "Choose the licence the item is shared under." in page
    assert "ALTTO contributors." in page  # the attribution line as it would be shown
    assert 'name="action" value="publish"' in page


def test_the_item_page_offers_editors_to_edit_the_rights(client, editor, new_alt):
    make_item("story-circle")
    client.force_login(new_alt)
    assert RIGHTS not in client.get("/library/story-circle/").content.decode()
    client.force_login(editor)
    page = client.get("/library/story-circle/").content.decode()
    assert f'href="{RIGHTS}"' in page
    assert "Edit rights" in page


# --- The ledger -------------------------------------------------------------------------------


def test_an_editor_records_the_licence_and_creators_in_order(client, editor, item):
    client.force_login(editor)
    rows = [("Kim Ito", "https://example.org/kim", False), ("Ana Lee", "", False), ("", "", False)]
    response = client.post(
        RIGHTS, ledger(creators=rows, publisher="JALT", source_url="https://jalt.org/x")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.licence, item.publisher, item.source_url) == (
        "cc-by",
        "JALT",
        "https://jalt.org/x",
    )
    assert [(c.name, c.url) for c in item.creators.all()] == [
        ("Kim Ito", "https://example.org/kim"),
        ("Ana Lee", ""),
    ]
    page = client.get(RIGHTS).content.decode()
    assert "Kim Ito, Ana Lee / JALT. CC BY 4.0." in page
    assert AuditEntry.objects.get(action="edit_rights").actor == editor

    # Remove the first, add one at the end: the order follows the rows.
    rows = [("Kim Ito", "", True), ("Ana Lee", "", False), ("Jo Sato", "", False)]
    assert client.post(RIGHTS, ledger(creators=rows, initial=2)).status_code == 302
    assert list(item.creators.values_list("name", "order")) == [("Ana Lee", 0), ("Jo Sato", 1)]


def test_a_bad_ledger_stores_nothing(client, editor, item):
    client.force_login(editor)
    Creator.objects.create(item=item, name="Kim Ito")
    rows = [("", "", False), ("Ana", "not an address", False)]
    response = client.post(RIGHTS, ledger(creators=rows, initial=1, licence="cc-zz"))
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    item.refresh_from_db()
    assert item.licence == ""
    assert list(item.creators.values_list("name", flat=True)) == ["Kim Ito"]


def test_an_unknown_action_is_refused(client, editor, item):
    client.force_login(editor)
    assert client.post(RIGHTS, {"action": "delete"}).status_code == 400


# --- Permissions and their evidence ---------------------------------------------------------


def test_a_permission_cannot_expire_before_it_was_granted(client, editor, item, settings):
    client.force_login(editor)
    data = permission(granted_on="2026-04-01", expires_on="2026-03-31", evidence=evidence_file())
    response = client.post(RIGHTS, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A permission cannot expire before the day it was granted." in page
    assert "Nothing was saved." in page
    assert Permission.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "permissions").exists()
    assert not AuditEntry.objects.exists()


def test_a_permission_needs_who_when_and_a_scope(client, editor, item):
    client.force_login(editor)
    response = client.post(RIGHTS, permission(granted_by="", granted_on="", scope=[]))
    assert response.status_code == 400
    assert response.context["permission_form"].errors.keys() == {
        "granted_by",
        "granted_on",
        "scope",
    }
    assert Permission.objects.count() == 0


def test_evidence_must_be_a_document(client, editor, item):
    client.force_login(editor)
    script = SimpleUploadedFile("letter.html", b"<script>alert(1)</script>")
    response = client.post(RIGHTS, permission(evidence=script))
    assert response.status_code == 400
    assert "Upload a PDF, an image" in response.content.decode()
    assert Permission.objects.count() == 0


def test_evidence_is_private_to_editors(client, editor, new_alt, item, settings):
    client.force_login(editor)
    data = permission(expires_on="2027-03-31", notes="By email", evidence=evidence_file())
    response = client.post(RIGHTS, data)
    assert response.status_code == 302
    assert response["Location"] == f"{RIGHTS}#permissions"
    stored = Permission.objects.get()
    assert (stored.granted_by, stored.scope, stored.expires_on) == (
        "JALT",
        ["web", "print"],
        datetime.date(2027, 3, 31),
    )
    # Stored under a name nobody can guess, and never linked from /media/.
    assert stored.evidence.name.startswith("permissions/")
    assert "letter" not in stored.evidence.name
    assert len(stored.evidence.name.removeprefix("permissions/").split(".")[0]) == 32
    assert (settings.MEDIA_ROOT / stored.evidence.name).exists()
    page = client.get(RIGHTS).content.decode()
    download = f"{RIGHTS}evidence/{stored.pk}/"
    assert f'href="{download}"' in page
    assert "/media/permissions" not in page
    assert AuditEntry.objects.get(action="add_permission").comment == "JALT (2026-04-01)"

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="story-circle-permission-{stored.pk}.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == LETTER

    other = make_item("other", licence="permission", publish=False)
    assert client.get(f"/library/other/rights/evidence/{stored.pk}/").status_code == 404
    assert client.get(f"{RIGHTS}evidence/{grant(other).pk}/").status_code == 404
    without = grant(item)
    assert client.get(f"{RIGHTS}evidence/{without.pk}/").status_code == 404

    client.force_login(new_alt)
    assert client.get(download).status_code == 403


# --- Publishing and takedown ----------------------------------------------------------------


def test_publishing_is_refused_until_the_rights_are_complete(client, editor, item):
    client.force_login(editor)
    response = client.post(RIGHTS, {"action": "publish"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be published until its rights are complete" in page
    assert "Choose the licence the item is shared under." in page
    item.refresh_from_db()
    assert item.status == Item.Status.DRAFT

    rows = [("Kim Ito", "", False)]
    client.post(RIGHTS, ledger(creators=rows, licence="permission", publisher="JALT"))
    page = client.post(RIGHTS, {"action": "publish"}).content.decode()
    assert "Record a current permission from the rights holder." in page
    assert "Choose the licence" not in page

    client.post(RIGHTS, permission(granted_on=timezone.localdate().isoformat()))
    response = client.post(RIGHTS, {"action": "publish"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert AuditEntry.objects.get(action="publish").actor == editor
    assert "published a library item" in client.get("/review/audit/").content.decode()


def test_a_takedown_needs_a_reason_and_keeps_the_history(client, editor):
    item = make_item("story-circle")
    revisions.ensure_revision(item, kind="import", summary="Imported")
    client.force_login(editor)
    assert 'value="takedown"' in client.get(RIGHTS).content.decode()
    response = client.post(RIGHTS, {"action": "takedown", "reason": "   "})
    assert response.status_code == 400
    assert "Please say why the item is taken down." in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED

    response = client.post(RIGHTS, {"action": "takedown", "reason": "The author asked."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.takedown_reason) == ("unpublished", "The author asked.")
    assert revisions.revisions_of(item).count() == 1
    entry = AuditEntry.objects.get(action="unpublish")
    assert (entry.actor, entry.comment) == (editor, "The author asked.")
    assert "took a library item down" in client.get("/review/audit/").content.decode()
    page = client.get(RIGHTS).content.decode()
    assert "The author asked." in page
    assert 'value="publish"' in page


# --- /review/ and expiry ------------------------------------------------------------------------


def with_permission(slug, expires_on) -> Item:
    """A published "used with permission" item, published while its permission was current."""
    item = make_item(slug, licence="permission", creators=["Kim Ito"], publish=False)
    stored = grant(item, granted_on=datetime.date(2024, 4, 1))
    actions.publish(item)
    Permission.objects.filter(pk=stored.pk).update(expires_on=expires_on)
    return item


def test_the_queue_lists_permissions_expiring_soon_and_items_taken_down(client, editor):
    today = timezone.localdate()
    with_permission("soon", today + datetime.timedelta(days=30))
    with_permission("later", today + datetime.timedelta(days=90))
    expired = with_permission("expired", today + datetime.timedelta(days=1))
    actions.expire_permissions(today + datetime.timedelta(days=2))
    # Expired, renewed and published again, then taken down by an editor: not an expiry.
    taken_down = with_permission("taken-down", today + datetime.timedelta(days=1))
    actions.expire_permissions(today + datetime.timedelta(days=2))
    taken_down.permissions.update(expires_on=None)
    actions.publish(taken_down, editor)
    actions.unpublish(taken_down, editor, "Checking the source")
    client.force_login(editor)
    page = client.get("/review/").content.decode()
    section = page[page.index('id="rights-queue-title"') :]
    expiring = section[: section.index('id="rights-expired-title"')]
    assert "/library/soon/rights/" in expiring
    assert "granted by JALT, expires on " + (today + datetime.timedelta(days=30)).isoformat() in (
        expiring
    )
    assert "/library/later/" not in expiring
    taken = section[section.index('id="rights-expired-title"') :]
    assert f"/library/{expired.slug}/rights/" in taken
    assert "taken-down" not in taken
    assert "/library/soon/" not in taken


def test_editors_are_told_when_a_permission_expires(
    editor, site_admin, new_alt, django_capture_on_commit_callbacks
):
    retired = make_user("rex", roles=("editor",), is_active=False)
    today = timezone.localdate()
    item = with_permission("story-circle", today - datetime.timedelta(days=1))
    with_permission("current", today + datetime.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.expire_permissions(today) == [item]
    notes = Notification.objects.filter(kind="permission_expired")
    assert {n.user for n in notes} == {editor, site_admin}
    note = notes.get(user=editor)
    assert note.url == RIGHTS
    assert note.message() == (
        "Permission for “Story circle” has expired: it is unpublished until it is renewed."
    )
    editor.refresh_from_db()
    assert editor.unread_notifications == 1
    assert not Notification.objects.filter(user__in=[new_alt, retired]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.expire_permissions(today) == []
    assert notes.count() == 2


# --- Query bounds ----------------------------------------------------------------------------


def test_the_rights_page_runs_a_fixed_number_of_queries(
    client, editor, item, django_assert_num_queries
):
    client.force_login(editor)
    grant(item)
    Creator.objects.create(item=item, name="Kim Ito")
    # session, user, the editor's roles, the item, its creators, its permissions
    with django_assert_num_queries(6):
        assert client.get(RIGHTS).status_code == 200
    for number in range(10):
        grant(item, by=f"Holder {number}")
        Creator.objects.create(item=item, name=f"Creator {number}", order=number + 1)
    with django_assert_num_queries(6):
        page = client.get(RIGHTS).content.decode()
    assert "Holder 9" in page and "Creator 9" in page


def test_the_queue_rights_section_runs_a_fixed_number_of_queries(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    client.force_login(editor)

    def queue_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/review/").status_code == 200
        return len(queries)

    def add(number: int) -> None:
        with_permission(f"soon-{number}", today + datetime.timedelta(days=10 + number))
        with_permission(f"gone-{number}", today - datetime.timedelta(days=1))

    add(0)
    actions.expire_permissions(today)
    few = queue_queries()
    for number in range(1, 8):
        add(number)
    actions.expire_permissions(today)
    page = client.get("/review/").content.decode()
    assert page.count("/rights/") == 16
    assert queue_queries() == few


def test_evidence_is_never_served_from_media_even_in_development():
    from django.conf import settings
    from django.urls import Resolver404
    from django.urls.resolvers import RegexPattern, URLResolver

    from altto.urls import development_media_urls

    media = URLResolver(RegexPattern(r"^/"), development_media_urls())
    assert media.resolve("/media/avatars/sam.webp").kwargs == {
        "path": "avatars/sam.webp",
        "document_root": settings.MEDIA_ROOT,
    }
    for private in ("/media/permissions/letter.pdf", "/media/library/2026/11/sheet.pdf"):
        with pytest.raises(Resolver404):
            media.resolve(private)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"MZ\x90\x00 a program, not a letter"),
        ("mail.eml", b"\x00\x01\x02 binary"),
        ("letter.exe", LETTER),
    ],
)
def test_evidence_is_checked_by_content(client, editor, item, name, content):
    client.force_login(editor)
    data = permission(evidence=evidence_file(name, content))
    response = client.post(f"/library/{item.slug}/rights/", data)
    assert response.status_code == 400
    assert not Permission.objects.exists()
