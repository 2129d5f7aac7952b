"""Document uploads checked by content (altto/library/files.py), and served safely."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile, UploadedFile
from PIL import Image

from altto.library import files
from altto.library.models import Item
from tests.library.browse_factories import make_item

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    b"</Types>",
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
)
MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def office(kind="docx", *, extra=None, content_types=CONTENT_TYPES) -> bytes:
    """A tiny Office Open XML package made with zipfile: the parts a reader looks for."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", b"<Relationships/>")
        package.writestr(MAIN_PARTS[kind], b"<document><body>Hello, class!</body></document>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        files.check_document(upload(name, content))
    return " ".join(caught.value.messages)


# --- Accepted -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("worksheet.pdf", PDF, "application/pdf"),
        ("Worksheet.PDF", PDF, "application/pdf"),
        ("photo.jpg", image("JPEG"), "image/jpeg"),
        ("photo.jpeg", image("JPEG"), "image/jpeg"),
        ("chart.png", image("PNG"), "image/png"),
        ("animation.gif", image("GIF"), "image/gif"),
        ("picture.webp", image("WEBP"), "image/webp"),
        ("plan.docx", office("docx"), files.DOCX),
        ("scores.xlsx", office("xlsx"), files.XLSX),
        ("slides.pptx", office("pptx"), files.PPTX),
    ],
)
def test_accepted_documents_give_their_content_type(name, content, content_type):
    checked = upload(name, content)
    assert files.check_document(checked) == content_type
    assert checked.tell() == 0  # rewound, ready to be stored


def test_a_pdf_with_trailing_bytes_after_eof_is_still_a_pdf():
    assert files.check_document(upload("a.pdf", PDF + b"\r\n\x00")) == "application/pdf"


# --- Refused by content -------------------------------------------------------------------


def test_a_pdf_without_its_end_marker_is_refused():
    assert "incomplete or damaged" in refused("broken.pdf", PDF.replace(b"%%EOF", b""))


def test_a_pdf_named_docx_is_refused():
    message = refused("lesson-plan.docx", PDF)
    assert "“lesson-plan.docx”" in message
    assert "it is a PDF" in message


@pytest.mark.parametrize(
    ("name", "content", "actual"),
    [
        ("photo.png", image("JPEG"), "a JPEG image"),
        ("scores.docx", office("xlsx"), "an Excel workbook (.xlsx)"),
        ("plan.pdf", office("docx"), "a Word document (.docx)"),
        ("chart.pdf", image("PNG"), "a PNG image"),
    ],
)
def test_the_extension_must_match_the_content(name, content, actual):
    assert f"but it is {actual}" in refused(name, content)


@pytest.mark.parametrize("name", ["setup.exe", "setup.pdf", "setup.docx", "setup.png"])
def test_windows_programs_are_refused_whatever_their_name(name):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
    assert "Programs and scripts cannot be uploaded." in refused(name, program)


@pytest.mark.parametrize(
    "content", [b"\x7fELF\x02\x01\x01" + b"\x00" * 32, b"#!/bin/sh\nrm -rf ~\n"]
)
def test_other_programs_and_scripts_are_refused(content):
    assert "Programs and scripts cannot be uploaded." in refused("notes.pdf", content)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", SVG),
        ("logo.png", SVG),
        ("logo.pdf", b'<?xml version="1.0"?>\n' + SVG),
    ],
)
def test_svg_is_refused_with_or_without_its_name(name, content):
    assert "SVG images can contain scripts" in refused(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("page.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("page.jpg", b"\n  <html><body onload=alert(1)>"),
    ],
)
def test_web_pages_are_refused(name, content):
    assert "Web pages and scripts cannot be uploaded." in refused(name, content)


def test_a_broken_image_is_refused():
    assert "not an image we can read" in refused("photo.png", image("PNG")[:40])


def test_a_zip_archive_is_refused_whatever_its_name():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "Archives cannot be uploaded" in refused("files.zip", buffer.getvalue())
    assert "Zip archives cannot be uploaded" in refused("files.docx", buffer.getvalue())


def test_an_office_file_without_its_main_part_or_content_types_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", b"<document/>")  # no [Content_Types].xml
    assert "Zip archives cannot be uploaded" in refused("plan.docx", buffer.getvalue())


def test_a_damaged_office_file_is_refused():
    damaged = office("docx")[:200]  # the local header, no central directory
    assert "This Office file is damaged" in refused("plan.docx", damaged)


def test_office_files_with_macros_are_refused():
    with_vba = office("docx", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "with macros cannot be uploaded" in refused("plan.docx", with_vba)
    declared = office("docx", content_types=MACRO_CONTENT_TYPES)
    assert "with macros cannot be uploaded" in refused("plan.docx", declared)
    assert "with macros cannot be uploaded" in refused("plan.docm", office("docx"))


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio():
    # 5 MB of one byte deflates to a few kilobytes: far beyond 100:1.
    bomb = office("docx", extra={"word/media/huge.xml": b"\x00" * (5 * files.MEGABYTE)})
    assert len(bomb) < 50_000
    assert "zip bomb" in refused("plan.docx", bomb)


def test_a_package_that_unpacks_past_the_limit_is_refused(monkeypatch):
    # Each member compresses well under 100:1, but together they unpack past the limit
    # (lowered for the test, so it does not need 100 MB of data).
    monkeypatch.setattr(files, "MAX_UNZIPPED", 200_000)
    noise = random.Random(3)
    parts = {f"word/media/part{n}.bin": noise.randbytes(80_000) for n in range(3)}
    package = office("docx", extra=parts)
    with zipfile.ZipFile(io.BytesIO(package)) as members:
        assert all(m.file_size <= 100 * m.compress_size for m in members.infolist())
    assert "zip bomb" in refused("plan.docx", package)
    monkeypatch.setattr(files, "MAX_UNZIPPED", 300_000)
    assert files.check_document(upload("plan.docx", package)) == files.DOCX


def test_old_binary_office_files_are_refused():
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "Older Office files" in refused("plan.docx", old)
    assert "Older Office files" in refused("plan.doc", old)


@pytest.mark.parametrize("name", ["notes.txt", "song.mp3", "noextension", "archive.tar.gz"])
def test_other_kinds_are_refused_by_name(name):
    message = refused(name, b"hello")
    assert "Please upload a PDF, an image" in message or "Archives cannot" in message


def test_an_unrecognised_file_is_refused():
    assert "We could not recognise this file." in refused("plan.pdf", b"just some text")


def test_an_empty_file_is_refused():
    assert "The file is empty." in refused("empty.pdf", b"")


# --- Size, and reading in small parts -----------------------------------------------------


class ReadSpy(io.FileIO):
    """A file that remembers how much each read asked for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[int] = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def big_pdf(path: Path, size: int) -> Path:
    """A PDF of `size` bytes on disk (sparse: the middle is never written)."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.seek(size - 7)
        out.write(b"\n%%EOF\n")
    return path


def test_an_upload_over_20_mb_is_refused_without_being_read(tmp_path):
    path = big_pdf(tmp_path / "big.pdf", files.MAX_BYTES + 1)
    with ReadSpy(path) as handle:
        checked = UploadedFile(handle, name="big.pdf", size=path.stat().st_size)
        with pytest.raises(ValidationError, match="larger than 20 MB"):
            files.check_document(checked)
        assert handle.reads == []


def test_a_20_mb_upload_is_checked_from_small_reads(tmp_path):
    path = big_pdf(tmp_path / "big.pdf", files.MAX_BYTES)
    with ReadSpy(path) as handle:
        checked = UploadedFile(handle, name="big.pdf", size=path.stat().st_size)
        assert files.check_document(checked) == "application/pdf"
        assert handle.reads and all(0 < size <= files.HEAD_BYTES for size in handle.reads)


def test_a_large_office_file_is_checked_from_its_directory(tmp_path):
    # A 3 MB upload, streamed by Django to a temporary file, as a real one would be.
    noise = random.Random(5).randbytes(3 * files.MEGABYTE)  # a photo: hardly compresses
    content = office("pptx", extra={"ppt/media/image1.bin": noise})
    temporary = TemporaryUploadedFile("slides.pptx", "application/zip", len(content), None)
    temporary.write(content)
    temporary.flush()
    try:
        assert files.check_document(temporary) == files.PPTX
    finally:
        temporary.close()


# --- Storing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_store_document_keeps_the_file_and_its_checked_type(settings):
    item = make_item("Bingo cards", kind="document")
    assert files.store_document(item, upload("Bingo Cards.pdf", PDF)) == "application/pdf"
    item.refresh_from_db()
    assert item.file_type == "application/pdf"
    assert item.file.name.endswith(".pdf")
    assert Path(item.file.path).read_bytes() == PDF


@pytest.mark.django_db
def test_nothing_is_stored_when_the_check_fails(settings):
    item = make_item("Bingo cards", kind="document")
    with pytest.raises(ValidationError):
        files.store_document(item, upload("bingo.pdf", b"MZ" + b"\x00" * 64))
    item.refresh_from_db()
    assert not item.file and not item.file_type
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


# --- Serving ------------------------------------------------------------------------------


def document(name="bingo-cards.pdf", content=PDF, **fields) -> Item:
    item = make_item("Bingo cards", kind="document", **fields)
    files.store_document(item, upload(name, content))
    return item


def file_url(item) -> str:
    return f"/library/{item.slug}/file/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "new_alt", "editor"])
def test_a_published_file_is_served_as_a_download_with_safe_headers(client, request, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    item = document()
    response = client.get(file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bingo-cards' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert int(response["Content-Length"]) == len(PDF)
    assert body(response) == PDF


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("cards.png", image("PNG"), "image/png"), ("plan.docx", office("docx"), files.DOCX)],
)
def test_the_stored_type_is_the_one_served(client, name, content, content_type):
    item = document(name, content)
    response = client.get(file_url(item))
    assert response["Content-Type"] == content_type
    assert body(response) == content


@pytest.mark.django_db
def test_a_file_that_never_went_through_the_check_is_served_as_plain_bytes(client):
    item = make_item("Old upload", kind="document", file="library/old.pdf")
    path = Path(item.file.path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<script>alert(1)</script>")
    response = client.get(file_url(item))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Item.Status.DRAFT, Item.Status.SUBMITTED, "unpublished"])
def test_an_unpublished_file_is_for_editors_only(client, new_alt, editor, status):
    item = document(status=status)
    assert client.get(file_url(item)).status_code == 404
    client.force_login(new_alt)
    assert client.get(file_url(item)).status_code == 404
    client.force_login(editor)
    response = client.get(file_url(item))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == PDF


@pytest.mark.django_db
def test_missing_files_are_not_found(client):
    assert client.get("/library/no-such-item/file/").status_code == 404
    no_file = make_item("Link only", kind="link", url="https://example.org/")
    assert client.get(file_url(no_file)).status_code == 404
    gone = make_item("Gone", kind="document", file="library/gone.pdf", file_type="application/pdf")
    assert client.get(file_url(gone)).status_code == 404


@pytest.mark.django_db
def test_the_file_address_only_answers_get(client):
    item = document()
    assert client.post(file_url(item)).status_code == 405


@pytest.mark.django_db
def test_the_item_page_links_to_the_checked_download(client):
    item = document()
    html = client.get(item.get_absolute_url()).content.decode()
    assert f'href="{file_url(item)}" download' in html
    assert "/media/" not in html


@pytest.mark.django_db
def test_serving_a_file_reads_one_row(client, django_assert_num_queries):
    item = document()
    with django_assert_num_queries(1):
        response = client.get(file_url(item))
    body(response)
