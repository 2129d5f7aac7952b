"""Certificates: public verification by code, the owner's PDF and the printed name."""

import io
import re
from datetime import UTC, datetime

import pypdf
import pytest

from altto.courses.actions import mark_lesson_complete
from altto.courses.models import Certificate
from tests.courses.factories import make_lesson, make_module

pytestmark = pytest.mark.django_db


def complete_module(user, module) -> Certificate:
    for lesson in module.lessons.all():
        mark_lesson_complete(user, lesson)
    return Certificate.objects.get(user=user, module=module)


@pytest.fixture
def certificate(new_alt):
    """Sam finished "Team teaching" (3 lessons × 20 minutes) at 01:00 on 1 April, Japan time."""
    module = make_module(title="Team teaching")
    for number in range(1, 4):
        make_lesson(module, f"lesson-{number}", order=number, estimated_minutes=20)
    certificate = complete_module(new_alt, module)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    )
    certificate.refresh_from_db()
    return certificate


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- Verification -----------------------------------------------------------------------------


def test_it_is_issued_the_real_way_with_name_title_and_hours(certificate, new_alt):
    assert certificate.name_on_certificate == "Sam"
    assert certificate.module_title == "Team teaching"
    assert certificate.hours == 1.0
    assert certificate.get_absolute_url() == f"/certificates/{certificate.code}/"


def test_it_shows_anyone_logged_out_that_the_certificate_is_valid(client, certificate, settings):
    settings.TIME_ZONE = "UTC"  # the page still shows the date in Japan
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid certificate" in page
    assert "Sam" in page
    assert "Team teaching" in page
    assert "April 1, 2026" in page
    assert "March 31" not in page
    assert certificate.formatted_code in page
    assert "<dd>1</dd>" in page  # hours


def test_it_shows_nothing_more_than_the_certificate(client, certificate, new_alt):
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert not re.search(rf"\b{new_alt.username}\b", page)
    assert new_alt.email not in page
    assert "/u/" not in page
    assert "Download PDF" not in page
    assert 'name="name"' not in page
    assert 'name="robots" content="noindex"' in page


@pytest.mark.parametrize(
    "spelling",
    [
        lambda c: c.code.lower(),
        lambda c: c.formatted_code,
        lambda c: c.formatted_code.lower(),
        lambda c: c.formatted_code.replace("-", "%20"),
    ],
    ids=["lower-case", "dashed", "dashed-lower-case", "spaced"],
)
def test_it_accepts_the_code_however_it_is_typed(client, certificate, spelling):
    response = client.get(f"/certificates/{spelling(certificate)}/")
    assert response.status_code == 200
    assert response.context["certificate"] == certificate


@pytest.mark.parametrize(
    "code",
    ["ZZZZ-ZZZZ-ZZZZ", "nope", "0000-0000-0000", "ABCDEFGHJKMNP", "X" * 300, "%E2%9C%93", "-"],
)
def test_an_unknown_or_malformed_code_is_a_friendly_404(client, certificate, code):
    response = client.get(f"/certificates/{code}/")
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()


def test_a_malformed_code_does_not_reach_the_database(client, django_assert_num_queries):
    # No queries: the code has letters certificates never use.
    with django_assert_num_queries(0):
        response = client.get("/certificates/OOOO-IIII-LLLL/")
    assert response.status_code == 404


def test_verification_runs_one_query_logged_out(client, certificate, django_assert_num_queries):
    # 1. the certificate by code
    with django_assert_num_queries(1):
        assert client.get(certificate.get_absolute_url()).status_code == 200


def test_verification_runs_three_queries_for_the_owner(
    client, certificate, new_alt, django_assert_num_queries
):
    client.force_login(new_alt)
    # 1. session  2. user  3. the certificate by code  4. the owner's roles (header links)
    with django_assert_num_queries(4):
        assert client.get(certificate.get_absolute_url()).status_code == 200


# --- The owner's name form ----------------------------------------------------------------------


def test_the_owner_sees_the_download_button_and_the_name_form(client, certificate, new_alt):
    client.force_login(new_alt)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Download PDF" in page
    assert f"/certificates/{certificate.code}/pdf/" in page
    assert '<label for="id_name"' in page
    assert 'value="Sam"' in page


def test_another_member_sees_only_the_public_page(client, certificate, contributor):
    client.force_login(contributor)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Valid certificate" in page
    assert "Download PDF" not in page
    assert 'name="name"' not in page


def test_the_owner_can_change_the_printed_name(client, certificate, new_alt):
    client.force_login(new_alt)
    response = client.post(certificate.get_absolute_url(), {"name": "  Samantha Taylor "})
    assert response.status_code == 302
    assert response["Location"] == certificate.get_absolute_url()
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "Samantha Taylor"
    new_alt.refresh_from_db()
    assert new_alt.display_name == "Sam"  # only the certificate changes


def test_the_owner_can_rename_through_a_dashed_lower_case_address(client, certificate, new_alt):
    client.force_login(new_alt)
    client.post(f"/certificates/{certificate.formatted_code.lower()}/", {"name": "S. Taylor"})
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "S. Taylor"


@pytest.mark.parametrize("typed", ["", "   ", "x" * 121])
def test_a_bad_name_is_refused_and_what_was_typed_is_kept(client, certificate, new_alt, typed):
    client.force_login(new_alt)
    response = client.post(certificate.get_absolute_url(), {"name": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    if typed.strip():
        assert f'value="{typed}"' in page
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "Sam"


def test_a_name_of_120_characters_fits(client, certificate, new_alt):
    client.force_login(new_alt)
    client.post(certificate.get_absolute_url(), {"name": "y" * 120})
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "y" * 120


@pytest.mark.parametrize("persona", ["contributor", "moderator", "editor"])
def test_nobody_else_can_change_the_name(client, certificate, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(certificate.get_absolute_url(), {"name": "Mallory"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "Sam"


def test_a_logged_out_visitor_cannot_change_the_name(client, certificate):
    response = client.post(certificate.get_absolute_url(), {"name": "Mallory"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.name_on_certificate == "Sam"


# --- PDF --------------------------------------------------------------------------------------


def test_the_owner_downloads_a_pdf_with_name_title_date_and_code(
    client, certificate, new_alt, settings
):
    settings.SITE_URL = "https://altto.example"
    client.force_login(new_alt)
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="altto-certificate-{certificate.code}.pdf"'
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = pdf_text(response.content)
    for expected in [
        "ALTTO — ALT Training Online",
        "Certificate of completion",
        "Sam",
        "Team teaching",
        "April 1, 2026",
        "1 hour",
        certificate.formatted_code,
        f"https://altto.example/certificates/{certificate.code}/",
    ]:
        assert expected in text


def test_the_pdf_is_found_by_a_lower_case_dashed_code(client, certificate, new_alt):
    client.force_login(new_alt)
    response = client.get(f"/certificates/{certificate.formatted_code.lower()}/pdf/")
    assert response.status_code == 200


def test_a_japanese_name_and_title_make_a_valid_pdf(client, new_alt):
    module = make_module("team-teaching-ja", title="チームティーチング入門", lessons=2)
    certificate = complete_module(new_alt, module)
    client.force_login(new_alt)
    client.post(certificate.get_absolute_url(), {"name": "山田 花子"})
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("HeiseiKakuGo-W5" in font for font in fonts)
    text = pdf_text(response.content)
    assert "山田 花子" in text
    assert "チームティーチング入門" in text


def test_someone_elses_pdf_is_not_found(client, certificate, contributor):
    client.force_login(contributor)
    assert client.get(f"/certificates/{certificate.code}/pdf/").status_code == 404


def test_the_pdf_asks_a_logged_out_visitor_to_log_in(client, certificate):
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_codes_pdf_is_not_found(client, new_alt):
    client.force_login(new_alt)
    assert client.get("/certificates/ZZZZ-ZZZZ-ZZZZ/pdf/").status_code == 404


def test_the_pdf_runs_three_queries(client, certificate, new_alt, django_assert_num_queries):
    client.force_login(new_alt)
    # 1. session  2. user  3. the certificate by code
    with django_assert_num_queries(3):
        assert client.get(f"/certificates/{certificate.code}/pdf/").status_code == 200


def test_the_learner_is_told_when_a_certificate_is_issued(
    new_alt, django_capture_on_commit_callbacks
):
    from altto.notifications.models import Notification

    module = make_module(title="Classroom English")
    make_lesson(module, "only", order=1)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = complete_module(new_alt, module)
        complete_module(new_alt, module)  # done again: no second certificate, no second note
    [note] = Notification.objects.filter(user=new_alt, kind="certificate_issued")
    assert note.url == certificate.get_absolute_url()
    assert "Classroom English" in note.message()
