"""Audio uploads checked by content with the documents' checker (altto/library/files.py),
served inline for the item page's player, and submitted by members."""

import struct
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from altto.library import files
from altto.library.models import Item
from tests.library.browse_factories import make_item
from tests.library.test_files import PDF, ReadSpy, body, file_url, upload
from tests.library.test_submissions import SUBMIT, activity_form, edition  # noqa: F401

MPEG_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + MPEG_FRAME
M4A_BYTES = struct.pack(">I", 24) + b"ftypM4A \x00\x00\x02\x00M4A isom" + b"\x00\x00\x00\x08free"
MP42_BYTES = struct.pack(">I", 20) + b"ftypmp42\x00\x00\x00\x00isom" + b"\x00\x00\x00\x08mdat"
WAV_BYTES = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<I", 16) + b"\x00" * 24


def ogg(packet: bytes) -> bytes:
    """A first Ogg page (version 0, beginning of stream) holding one packet."""
    header = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8
    return header + bytes([1, len(packet)]) + packet


VORBIS = ogg(b"\x01vorbis" + b"\x00" * 23)
OPUS = ogg(b"OpusHead\x01\x02" + b"\x00" * 9)


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        files.check_audio(upload(name, content))
    return " ".join(caught.value.messages)


# --- Checking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("station.mp3", MP3_ID3, "audio/mpeg"),
        ("Station.MP3", MPEG_FRAME, "audio/mpeg"),
        ("dialogue.m4a", M4A_BYTES, "audio/mp4"),
        ("dialogue.m4a", MP42_BYTES, "audio/mp4"),
        ("song.ogg", VORBIS, "audio/ogg"),
        ("song.oga", VORBIS, "audio/ogg"),
        ("song.opus", OPUS, "audio/ogg"),
        ("song.ogg", OPUS, "audio/ogg"),
        ("chant.wav", WAV_BYTES, "audio/wav"),
    ],
)
def test_accepted_audio_gives_its_content_type(name, content, content_type):
    checked = upload(name, content)
    assert files.check_audio(checked) == content_type
    assert checked.tell() == 0


def test_an_mp3_named_wav_is_refused():
    assert "“chant.wav” but it is an MP3 audio file" in refused("chant.wav", MP3_ID3)


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00" + b"\x00" * 60, b"\x7fELF\x02\x01", b"#!/bin/sh"]
)
def test_a_program_named_mp3_is_refused(content):
    assert "Programs and scripts cannot be uploaded." in refused("station.mp3", content)


def test_a_document_uploaded_as_audio_is_refused():
    assert "not an audio file" in refused("worksheet.pdf", PDF)
    assert "could not recognise this audio file" in refused("worksheet.mp3", PDF)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("clip.mp3", b"\xff\xf1\x50\x80" + b"\x00" * 60),  # AAC ADTS, not MPEG audio
        ("clip.mp3", b"\xff\xd8\xff\xe0" + b"\x00" * 60),  # a JPEG
        ("clip.mp3", b"ID3\x09\x00\x00\xff\xff\xff\xff"),  # not an ID3v2 header
        ("clip.m4a", struct.pack(">I", 20) + b"ftypqt  \x00\x00\x00\x00qt  "),  # QuickTime
        ("clip.wav", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
        ("clip.mp3", b"<html><script>alert(1)</script>"),
        ("clip.ogg", b"PK\x03\x04" + b"\x00" * 60),
    ],
)
def test_other_content_named_as_audio_is_refused(name, content):
    refused(name, content)


def test_ogg_other_than_vorbis_or_opus_is_refused():
    assert "Vorbis or Opus" in refused("film.ogg", ogg(b"\x80theora" + b"\x00" * 30))


def test_audio_is_not_a_document():
    with pytest.raises(ValidationError):
        files.check_document(upload("station.mp3", MP3_ID3))
    with pytest.raises(ValidationError):
        files.check_document(upload("station.pdf", MP3_ID3))


def test_audio_over_20_mb_is_refused_unread_and_20_mb_is_read_in_small_parts(tmp_path):
    path = tmp_path / "long.mp3"
    with path.open("wb") as out:
        out.write(MP3_ID3)
        out.truncate(files.MAX_BYTES + 1)
    with ReadSpy(path) as handle:
        with pytest.raises(ValidationError, match="larger than 20 MB"):
            files.check_audio(UploadedFile(handle, name="long.mp3", size=files.MAX_BYTES + 1))
        assert handle.reads == []
    with path.open("r+b") as out:
        out.truncate(files.MAX_BYTES)
    with ReadSpy(path) as handle:
        checked = UploadedFile(handle, name="long.mp3", size=files.MAX_BYTES)
        assert files.check_audio(checked) == "audio/mpeg"
        assert handle.reads and all(0 < size <= files.HEAD_BYTES for size in handle.reads)


# --- Storing and serving ------------------------------------------------------------------


def audio_item(name="station.mp3", content=MP3_ID3, **fields) -> Item:
    item = make_item("Listening: at the station", kind="audio", **fields)
    files.store_document(item, upload(name, content))
    return item


@pytest.mark.django_db
def test_an_audio_item_stores_only_audio(settings):
    item = make_item("Listening", kind="audio")
    with pytest.raises(ValidationError):
        files.store_document(item, upload("worksheet.pdf", PDF))
    item.refresh_from_db()
    assert not item.file and not item.file_type
    document = make_item("Worksheet", kind="document")
    with pytest.raises(ValidationError):
        files.store_document(document, upload("station.mp3", MP3_ID3))


@pytest.mark.django_db
def test_audio_is_served_inline_with_its_type_and_safe_headers(client):
    item = audio_item()
    assert Path(item.file.path).read_bytes() == MP3_ID3
    response = client.get(file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert body(response) == MP3_ID3


@pytest.mark.django_db
def test_the_item_page_plays_the_audio_through_the_file_view(client):
    item = audio_item()
    response = client.get(item.get_absolute_url())
    html = response.content.decode()
    assert f'<audio controls preload="none" src="{file_url(item)}"></audio>' in html
    assert "/media/" not in html
    csp = response["Content-Security-Policy"]
    assert "media-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_an_audio_item_with_only_an_address_keeps_its_link(client):
    item = make_item("Podcast", kind="audio", url="https://example.org/podcast")
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<audio" not in html
    assert 'href="https://example.org/podcast"' in html


# --- Submitting ---------------------------------------------------------------------------


def mp3(name="station.mp3", content=MP3_ID3):
    return SimpleUploadedFile(name, content, content_type="audio/mpeg")


@pytest.mark.django_db
def test_a_member_submits_an_audio_file_checked_by_its_content(client, new_alt, edition):  # noqa: F811
    client.force_login(new_alt)
    form = activity_form(edition, kind="audio", title="At the station", file=mp3())
    assert client.post(SUBMIT, form).status_code == 302
    item = Item.objects.get(slug="at-the-station")
    assert (item.kind, item.file_type, item.status) == ("audio", "audio/mpeg", "submitted")


@pytest.mark.django_db
def test_a_member_submits_audio_heard_elsewhere(client, new_alt, edition):  # noqa: F811
    client.force_login(new_alt)
    form = activity_form(edition, kind="audio", title="Podcast", url="https://example.org/pod")
    assert client.post(SUBMIT, form).status_code == 302
    assert Item.objects.get(slug="podcast").url == "https://example.org/pod"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "audio"}, "Choose the audio file, or give the address"),
        ({"kind": "audio", "file": mp3("worksheet.pdf", PDF)}, "not an audio file"),
        ({"kind": "audio", "file": mp3("chant.wav")}, "it is an MP3 audio file"),
        ({"kind": "audio", "file": mp3("station.mp3", b"MZ\x90\x00")}, "Programs and scripts"),
        ({"kind": "document", "file": mp3()}, "Please upload a PDF"),
        ({"kind": "activity", "file": mp3()}, "Only a document or audio has a file"),
    ],
)
def test_bad_audio_submissions_are_refused(client, new_alt, edition, changes, message):  # noqa: F811
    client.force_login(new_alt)
    response = client.post(SUBMIT, activity_form(edition, **changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Item.objects.exists()
