"""Editors keep the managed list of textbook series and editions on the site: add a series,
edit it, add editions, mark old ones obsolete. Site edits survive a later load."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from altto.library.loading import load_library
from altto.library.models import Textbook, TextbookEdition
from altto.revisions.models import AuditEntry
from tests.library.factories import make_activity, make_edition, write_library

pytestmark = pytest.mark.django_db

LIST = "/library/textbooks/"
PAGE = "/library/textbooks/new-horizon/"


def series(**fields) -> dict:
    data = {"slug": "sunshine", "name": "Sunshine", "publisher": "Kairyudo", "school_level": "jhs"}
    data.update(fields)
    return data


@pytest.fixture
def horizon(db):
    return make_edition("new-horizon", 2021, name="New Horizon").textbook


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# --- Who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "moderator", "blog_editor"])
def test_only_editors_may_see_or_change_textbooks(client, request, persona, horizon):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(PAGE).status_code == 403
    assert client.post(LIST, series()).status_code == 403
    assert client.post(PAGE, {"action": "edition", "year": 2025, "label": "x"}).status_code == 403
    assert client.post(PAGE, {"action": "obsolete", "year": 2021}).status_code == 403
    assert not Textbook.objects.filter(slug="sunshine").exists()
    assert horizon.editions.count() == 1
    assert not horizon.editions.get().is_obsolete


def test_anonymous_visitors_are_sent_to_log_in(client, horizon):
    for url in (LIST, PAGE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(LIST, series()).status_code == 302
    assert not Textbook.objects.filter(slug="sunshine").exists()


@pytest.mark.parametrize("persona", ["editor", "site_admin"])
def test_editors_see_series_grouped_by_level_with_editions(client, request, persona, horizon):
    make_edition("new-horizon", 2016, obsolete=True)
    make_activity("bingo", edition=horizon.editions.get(year=2021))
    make_edition("lets-try", 2018, level="es", name="Let's Try!")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Elementary school") < page.index("Let&#x27;s Try!")
    assert page.index("Junior high school") < page.index("New Horizon")
    assert f'href="{PAGE}"' in page
    assert "2021 · 2021 edition · <span" in page
    assert "1 item" in page
    assert "2016 · 2016 edition · <strong>obsolete</strong>" in page
    for name in ("slug", "name", "publisher", "school_level"):
        assert f'<label for="id_{name}"' in page


def test_editors_find_the_pages_from_the_library_and_the_review_queue(client, editor, new_alt):
    client.force_login(new_alt)
    assert LIST not in client.get("/library/").content.decode()
    client.force_login(editor)
    assert f'href="{LIST}"' in client.get("/library/").content.decode()
    assert f'href="{LIST}"' in client.get("/review/").content.decode()


# --- Series --------------------------------------------------------------------------------------


def test_an_editor_adds_a_series(client, editor):
    client.force_login(editor)
    response = client.post(LIST, series())
    assert response.status_code == 302
    assert response["Location"] == "/library/textbooks/sunshine/"
    textbook = Textbook.objects.get(slug="sunshine")
    assert (textbook.name, textbook.publisher, textbook.school_level) == (
        "Sunshine",
        "Kairyudo",
        "jhs",
    )
    assert audit_actions() == ["add_textbook"]
    assert AuditEntry.objects.get().document == textbook


def test_a_duplicate_address_is_refused_and_the_input_kept(client, editor, horizon):
    client.force_login(editor)
    response = client.post(LIST, series(slug="new-horizon", name="New Horizon Again"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "A textbook series with the address “new-horizon” already exists." in page
    assert 'value="New Horizon Again"' in page
    assert 'value="Kairyudo"' in page
    assert Textbook.objects.count() == 1
    assert Textbook.objects.get().name == "New Horizon"
    assert audit_actions() == []


def test_a_bad_address_or_missing_name_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(LIST, series(slug="New Horizon!", name=""))
    assert response.status_code == 400
    assert not Textbook.objects.exists()


def test_an_editor_edits_a_series_but_not_its_address(client, editor, horizon):
    client.force_login(editor)
    data = {"action": "textbook", "slug": "other", "name": "NEW HORIZON", "publisher": "Tokyo"}
    response = client.post(PAGE, {**data, "school_level": "jhs"})
    assert response.status_code == 302
    horizon.refresh_from_db()
    assert (horizon.slug, horizon.name, horizon.publisher) == (
        "new-horizon",
        "NEW HORIZON",
        "Tokyo",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.document) == ("edit_textbook", horizon)
    assert "NEW HORIZON" in entry.comment
    # Saving without a change records nothing.
    client.post(PAGE, {**data, "school_level": "jhs"})
    assert AuditEntry.objects.count() == 1


def test_an_unknown_action_is_refused(client, editor, horizon):
    client.force_login(editor)
    assert client.post(PAGE, {"action": "delete", "year": 2021}).status_code == 400
    assert client.get("/library/textbooks/no-such-series/").status_code == 404


# --- Editions ------------------------------------------------------------------------------------


def test_an_editor_adds_an_edition(client, editor, horizon):
    client.force_login(editor)
    response = client.post(PAGE, {"action": "edition", "year": "2025", "label": "2025 edition"})
    assert response.status_code == 302
    edition = horizon.editions.get(year=2025)
    assert (edition.label, edition.is_obsolete) == ("2025 edition", False)
    assert audit_actions() == ["add_edition"]
    page = client.get(PAGE).content.decode()
    assert 'id="edition-2025"' in page
    assert '<label for="id_year"' in page and '<label for="id_label"' in page
    assert "Editions are kept; mark old ones obsolete." in page


def test_a_second_edition_for_the_same_year_is_refused(client, editor, horizon):
    client.force_login(editor)
    response = client.post(PAGE, {"action": "edition", "year": "2021", "label": "Revised 2021"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This series already has an edition for 2021." in page
    assert 'value="Revised 2021"' in page
    assert horizon.editions.count() == 1
    assert audit_actions() == []


def test_a_year_out_of_range_is_refused(client, editor, horizon):
    client.force_login(editor)
    assert client.post(PAGE, {"action": "edition", "year": "21", "label": "x"}).status_code == 400
    assert horizon.editions.count() == 1


def test_an_obsolete_edition_is_a_filter_but_not_offered_for_submissions(
    client, editor, new_alt, horizon
):
    make_activity("bingo", edition=horizon.editions.get())
    client.force_login(new_alt)
    offered = '">2021 edition</option>'
    assert offered in client.get("/library/submit/").content.decode()

    client.force_login(editor)
    response = client.post(PAGE, {"action": "obsolete", "year": "2021"})
    assert response.status_code == 302
    assert horizon.editions.get().is_obsolete
    assert audit_actions() == ["obsolete_edition"]

    client.force_login(new_alt)
    assert offered not in client.get("/library/submit/").content.decode()
    page = client.get("/library/?textbook=new-horizon").content.decode()
    assert '<option value="2021">2021 edition (old edition)</option>' in page
    filtered = client.get("/library/?textbook=new-horizon&edition=2021").content.decode()
    assert "Bingo" in filtered

    client.force_login(editor)
    client.post(PAGE, {"action": "current", "year": "2021"})
    assert not horizon.editions.get().is_obsolete
    assert audit_actions() == ["obsolete_edition", "current_edition"]
    # An unknown year is not found; nothing is recorded.
    assert client.post(PAGE, {"action": "obsolete", "year": "1999"}).status_code == 404
    assert client.post(PAGE, {"action": "obsolete", "year": "x"}).status_code == 404
    assert AuditEntry.objects.count() == 2


def test_the_audit_log_names_the_textbook_changes(client, site_admin, horizon):
    client.force_login(site_admin)
    client.post(PAGE, {"action": "obsolete", "year": "2021"})
    page = client.get("/review/audit/").content.decode()
    assert "marked a textbook edition obsolete" in page
    assert f'href="{PAGE}"' in page


# --- Loading keeps the site's edits --------------------------------------------------------------


def test_site_edits_to_a_textbook_survive_a_later_load(client, editor, tmp_path):
    root = write_library(tmp_path / "library")
    load_library(root)
    client.force_login(editor)
    page = "/library/textbooks/lets-try/"
    data = {"action": "textbook", "name": "Let's Try! (MEXT)", "publisher": "MEXT"}
    assert client.post(page, {**data, "school_level": "es"}).status_code == 302
    assert client.post(page, {"action": "obsolete", "year": "2018"}).status_code == 302
    client.post(page, {"action": "edition", "year": "2024", "label": "2024 edition"})

    report = load_library(root)
    assert sorted(report.textbooks.kept_site_edits) == ["lets-try", "lets-try 2018"]
    textbook = Textbook.objects.get(slug="lets-try")
    assert textbook.name == "Let's Try! (MEXT)"
    assert textbook.editions.get(year=2018).is_obsolete
    assert textbook.editions.filter(year=2024).exists()


# --- Query bounds --------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_few_or_many_series(client, editor):
    client.force_login(editor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    make_edition("series-0", 2020)
    few = count()
    for number in range(1, 25):
        for year in (2016, 2021):
            edition = make_edition(f"series-{number}", year, level=("es", "jhs", "shs")[number % 3])
        make_activity(f"activity-{number}", edition=edition)
    assert count() == few
    assert TextbookEdition.objects.count() == 49
