"""The training record: completed modules, hours and reflections, as a page, PDF and CSV."""

import csv
import io
from datetime import UTC, datetime

import pypdf
import pytest

from altto.courses.actions import mark_lesson_complete, save_reflection
from altto.courses.models import Certificate
from tests.courses.factories import make_lesson, make_module

pytestmark = pytest.mark.django_db


def build_module(slug, title, order, lesson_titles, minutes=20):
    module = make_module(slug, title=title, order=order)
    lessons = [
        make_lesson(module, f"{slug}-{n}", title=t, order=n, estimated_minutes=minutes)
        for n, t in enumerate(lesson_titles, start=1)
    ]
    return module, lessons


def finish(user, lessons):
    for lesson in lessons:
        mark_lesson_complete(user, lesson)


@pytest.fixture
def sams_record(new_alt, contributor):
    """Sam completed three modules (1 h, 1 h, 40 min) and is half-way through a fourth;
    wrote four reflections in three modules. Priya completed one and reflected once."""
    team, team_lessons = build_module(
        "team-teaching", "Team teaching", 1, ["Meet your JTE", "Plan together", "Lead a game"]
    )
    es, es_lessons = build_module(
        "elementary", "Elementary school basics", 2, ["Phonics", "Songs", "Chants"]
    )
    life, life_lessons = build_module(
        "school-life", "School life", 3, ["Staff room", "Enkai"], minutes=20
    )
    _draft, draft_lessons = build_module("grammar", "Grammar", 4, ["Tenses", "Articles"])
    for lessons in (team_lessons, es_lessons, life_lessons):
        finish(new_alt, lessons)
    finish(new_alt, draft_lessons[:1])
    save_reflection(new_alt, team_lessons[0], "Ask about **the textbook** first.")
    save_reflection(new_alt, team_lessons[2], "Keep the game under ten minutes.")
    save_reflection(new_alt, es_lessons[1], "Songs work best at the start.")
    save_reflection(new_alt, draft_lessons[0], "先生に聞く。")

    finish(contributor, team_lessons)
    save_reflection(contributor, team_lessons[0], "Priya's private thoughts.")

    Certificate.objects.filter(user=new_alt, module=team).update(
        issued_at=datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 1 April in Japan
    )
    Certificate.objects.filter(user=new_alt, module=es).update(
        issued_at=datetime(2026, 4, 10, 3, 0, tzinfo=UTC)
    )
    Certificate.objects.filter(user=new_alt, module=life).update(
        issued_at=datetime(2026, 5, 2, 3, 0, tzinfo=UTC)
    )
    return new_alt


def test_it_lists_completed_modules_with_dates_and_hours(client, sams_record):
    client.force_login(sams_record)
    response = client.get("/me/record/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Team teaching" in page
    assert "Elementary school basics" in page
    assert "School life" in page
    assert "April 1, 2026" in page
    record = response.context["record"]
    assert [c.module_title for c in record.certificates] == [
        "Team teaching",
        "Elementary school basics",
        "School life",
    ]
    assert record.total_minutes == 60 + 60 + 40
    assert record.total_hours == 2.7
    assert record.completed_lessons == 3 + 3 + 2 + 1


def test_it_shows_totals(client, sams_record):
    client.force_login(sams_record)
    page = client.get("/me/record/").content.decode()
    assert "<dd>2.7</dd>" in page  # total hours
    assert "<dd>3</dd>" in page  # modules
    assert "<dd>9</dd>" in page  # lessons


def test_it_groups_reflections_by_module_with_lesson_titles(client, sams_record):
    client.force_login(sams_record)
    response = client.get("/me/record/")
    groups = response.context["record"].reflection_groups
    assert [g.title for g in groups] == ["Team teaching", "Elementary school basics", "Grammar"]
    assert [r.lesson_title for r in groups[0].reflections] == ["Meet your JTE", "Lead a game"]
    page = response.content.decode()
    assert "Ask about <strong>the textbook</strong> first." in page
    assert "Songs work best at the start." in page
    assert "先生に聞く。" in page
    assert "Meet your JTE" in page


def test_it_never_shows_anyone_elses_data(client, sams_record, contributor):
    client.force_login(sams_record)
    page = client.get("/me/record/").content.decode()
    assert "Priya" not in page
    priya_code = Certificate.objects.get(user=contributor).formatted_code
    assert priya_code not in page

    client.force_login(contributor)
    response = client.get("/me/record/")
    page = response.content.decode()
    assert "Priya's private thoughts." in page or "Priya&#x27;s private thoughts." in page
    assert "Ask about" not in page
    assert "Elementary school basics" not in page
    assert [c.module_title for c in response.context["record"].certificates] == ["Team teaching"]


def test_an_empty_record_says_so(client, outsider):
    client.force_login(outsider)
    page = client.get("/me/record/").content.decode()
    assert "No completed modules yet." in page
    assert "No reflections yet." in page


@pytest.mark.parametrize("url", ["/me/record/", "/me/record.pdf", "/me/record.csv"])
def test_the_record_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_record_offers_its_downloads_and_the_dashboard_links_to_it(client, sams_record):
    client.force_login(sams_record)
    page = client.get("/me/record/").content.decode()
    assert 'href="/me/record.pdf"' in page
    assert 'href="/me/record.csv"' in page
    assert 'href="/me/record/"' in client.get("/me/").content.decode()


def test_the_record_page_runs_a_fixed_number_of_queries(
    client, sams_record, django_assert_num_queries
):
    client.force_login(sams_record)
    # 1. session  2. user  3. certificates  4. count of completed lessons
    # 5. reflections with lessons and modules  6. lesson titles  7. module titles
    # 8. the member's roles (header links)
    with django_assert_num_queries(8):
        assert client.get("/me/record/").status_code == 200


# --- CSV --------------------------------------------------------------------------------------


def test_the_csv_has_a_bom_a_header_and_a_row_per_module(client, sams_record, settings):
    settings.SITE_URL = "https://altto.example"
    client.force_login(sams_record)
    response = client.get("/me/record.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="altto-training-record.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Module", "Completed on", "Hours", "Certificate code", "Verification URL"]
    certificate = Certificate.objects.get(user=sams_record, module__slug="team-teaching")
    assert rows[1] == [
        "Team teaching",
        "2026-04-01",
        "1",
        certificate.formatted_code,
        f"https://altto.example/certificates/{certificate.code}/",
    ]
    assert [row[0] for row in rows[1:]] == [
        "Team teaching",
        "Elementary school basics",
        "School life",
    ]
    assert rows[3][2] == "0.7"


def test_the_csv_keeps_japanese_titles_and_defuses_formulas(client, new_alt):
    _m, lessons = build_module("ja", "チームティーチング", 1, ["一"])
    _m2, lessons2 = build_module("formula", '=HYPERLINK("http://evil")', 2, ["x"])
    finish(new_alt, lessons + lessons2)
    client.force_login(new_alt)
    text = client.get("/me/record.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "チームティーチング"
    assert rows[2][0] == '\'=HYPERLINK("http://evil")'


def test_the_csv_runs_three_queries(client, sams_record, django_assert_num_queries):
    client.force_login(sams_record)
    # 1. session  2. user  3. certificates
    with django_assert_num_queries(3):
        assert client.get("/me/record.csv").status_code == 200


# --- PDF --------------------------------------------------------------------------------------


def test_the_pdf_lists_modules_hours_and_reflections(client, sams_record):
    client.force_login(sams_record)
    response = client.get("/me/record.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="altto-training-record.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in [
        "Training record: Sam",
        "Team teaching",
        "Elementary school basics",
        "2.7 hours",
        "Meet your JTE",
        "Ask about **the textbook** first.",
        "先生に聞く。",
    ]:
        assert expected in text
    assert "Priya" not in text


def test_the_pdf_runs_a_fixed_number_of_queries(client, sams_record, django_assert_num_queries):
    client.force_login(sams_record)
    # 1. session  2. user  3. certificates  4. count of completed lessons
    # 5. reflections with lessons and modules  6. lesson titles  7. module titles
    with django_assert_num_queries(7):
        assert client.get("/me/record.pdf").status_code == 200


def test_the_pdf_is_made_in_japanese_too(client, sams_record):
    client.force_login(sams_record)
    client.cookies["django_language"] = "ja"
    response = client.get("/me/record.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "2026年4月1日" in text  # dates in the reader's language, set in the Japanese font


@pytest.mark.parametrize("url", ["/me/record/", "certificate"])
def test_the_pages_have_no_inline_script_or_style(client, sams_record, url):
    from tests.test_pages import ScriptAndStyleFinder

    if url == "certificate":
        url = Certificate.objects.filter(user=sams_record).first().get_absolute_url()
    client.force_login(sams_record)
    finder = ScriptAndStyleFinder()
    finder.feed(client.get(url).content.decode())
    assert finder.inline_scripts == 0
    assert finder.inline_styles == 0
    assert finder.landmarks.count("main") == 1
