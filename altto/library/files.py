"""Uploaded documents and audio, judged by what they contain, never by their name or the
browser's word.

Documents (`check_document`): PDF, JPEG/PNG/GIF/WebP images, and Office Open XML (Word .docx,
Excel .xlsx, PowerPoint .pptx) without macros. Audio (`check_audio`): MP3, M4A/AAC (MP4),
Ogg Vorbis or Opus, and WAV. Everything else (programs, scripts, HTML, SVG, archives, old
binary Office files) is refused, and so is a file whose name says one kind while its content
is another. Both return the content type to store and to serve.

Files are never read whole: the first few kilobytes, the last one, and (for Office files) the
zip's directory and its small [Content_Types].xml part. Django streams uploads larger than
FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so a 20 MB upload is not held in memory."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from altto.lib import images

MEGABYTE = 1024 * 1024
MAX_BYTES = 20 * MEGABYTE
MAX_UNZIPPED = 100 * MEGABYTE
MAX_RATIO = 100
HEAD_BYTES = 8192
TAIL_BYTES = 1024
MAX_CONTENT_TYPES_XML = MEGABYTE

PDF = "application/pdf"
JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MP3, M4A, OGG, WAV = "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav"
AUDIO_TYPES = {MP3, M4A, OGG, WAV}

# What each accepted extension promises.
EXTENSIONS = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".gif": GIF,
    ".webp": WEBP,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
}
AUDIO_EXTENSIONS = {
    ".mp3": MP3,
    ".m4a": M4A,
    ".ogg": OGG,
    ".oga": OGG,
    ".opus": OGG,
    ".wav": WAV,
}
# MP4 brands (the "ftyp" box's major brand) an audio-only MP4 file may carry.
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"dash"}
IMAGE_TYPES = {"JPEG": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP}
# An Office Open XML package: its main folder and the part that must be in it.
OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}

# Content that is refused whatever the file is called: first bytes → what it is.
PROGRAM_SIGNATURES = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xca\xfe\xba\xbe",  # Java classes, macOS universal programs
    b"\xfe\xed\xfa\xce",  # macOS programs (Mach-O)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"#!",  # scripts
)
OLD_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls/.ppt, and encrypted Office files
ARCHIVE_SIGNATURES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")


def accepted_kinds() -> str:
    return _(
        "Please upload a PDF, an image (JPEG, PNG, GIF or WebP) or an Office file "
        "(Word .docx, Excel .xlsx or PowerPoint .pptx)."
    )


def accepted_audio() -> str:
    return _("Please upload an audio file: MP3, M4A, Ogg (Vorbis or Opus) or WAV.")


def type_label(content_type: str) -> str:
    return {
        PDF: _("a PDF"),
        JPEG: _("a JPEG image"),
        PNG: _("a PNG image"),
        GIF: _("a GIF image"),
        WEBP: _("a WebP image"),
        DOCX: _("a Word document (.docx)"),
        XLSX: _("an Excel workbook (.xlsx)"),
        PPTX: _("a PowerPoint presentation (.pptx)"),
        MP3: _("an MP3 audio file"),
        M4A: _("an M4A audio file"),
        OGG: _("an Ogg audio file"),
        WAV: _("a WAV audio file"),
    }[content_type]


def _read_at(upload: UploadedFile, offset: int, length: int) -> bytes:
    upload.seek(offset)
    return upload.read(length)


def check_document(upload: UploadedFile) -> str:
    """The content type of an acceptable document, or ValidationError saying why not."""
    return _check(upload, EXTENSIONS, _detect, _refused_extension)


def check_audio(upload: UploadedFile) -> str:
    """The content type of an acceptable audio file, or ValidationError saying why not."""
    return _check(upload, AUDIO_EXTENSIONS, _detect_audio, _refused_audio_extension)


def _check(upload: UploadedFile, extensions: dict, detect, refused_extension) -> str:
    """Size, then name, then content from small reads: the checks both kinds share."""
    extension = PurePath(upload.name or "").suffix.lower()
    size = upload.size
    if size is None:  # A file object without a known size: count it chunk by chunk.
        upload.seek(0)
        size = sum(len(chunk) for chunk in upload.chunks())
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB. Please upload a smaller one.")
            % {"megabytes": MAX_BYTES // MEGABYTE}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if extension not in extensions:
        raise ValidationError(refused_extension(extension))

    head = _read_at(upload, 0, HEAD_BYTES)
    detected = detect(upload, head, size)
    expected = extensions[extension]
    if detected != expected:
        raise ValidationError(
            _(
                "The file is called “%(name)s” but it is %(actual)s. Please rename it "
                "or choose the right file."
            )
            % {"name": PurePath(upload.name).name, "actual": type_label(detected)}
        )
    upload.seek(0)
    return detected


PROGRAM_EXTENSIONS = {
    ".exe", ".dll", ".msi", ".com", ".scr", ".bat", ".cmd", ".ps1", ".sh", ".js", ".mjs",
    ".vbs", ".jar", ".py", ".php", ".pl", ".rb", ".app", ".apk", ".bin",
}  # fmt: skip
ARCHIVE_EXTENSIONS = {".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz"}


def _refused_extension(extension: str) -> str:
    """Why a file with this (unaccepted) extension is refused, as clearly as we can say."""
    if extension in {".svg", ".svgz"}:
        return _svg()
    if extension in PROGRAM_EXTENSIONS:
        return _("Programs and scripts cannot be uploaded.")
    if extension in {".html", ".htm", ".xhtml", ".xml", ".shtml"}:
        return _("Web pages and scripts cannot be uploaded.")
    if extension in ARCHIVE_EXTENSIONS:
        return _("Archives cannot be uploaded. Please upload the files inside.")
    if extension in {".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".potm", ".ppsm"}:
        return _macros()
    if extension in {".doc", ".xls", ".ppt"}:
        return _old_office()
    return accepted_kinds()


def _refused_audio_extension(extension: str) -> str:
    """Why a file is refused as audio: a document belongs to the kind "Document"."""
    if extension in EXTENSIONS:
        return _(
            "This is a document, not an audio file. Choose the kind “Document” for it, "
            "or upload an MP3, M4A, Ogg or WAV file."
        )
    refused = _refused_extension(extension)  # programs, scripts, web pages, archives…
    return accepted_audio() if refused == accepted_kinds() else refused


def _detect_audio(upload: UploadedFile, head: bytes, size: int) -> str:
    """Which audio format the first bytes are, or ValidationError."""
    if head.startswith(b"ID3") and len(head) >= 10:
        # An ID3v2 tag: version 2–4, and a "synchsafe" size (no byte with its top bit set).
        if head[3] in (2, 3, 4) and all(byte < 0x80 for byte in head[6:10]):
            return MP3
    elif _is_mpeg_frame(head):
        return MP3
    elif head[4:8] == b"ftyp":
        if head[8:12] in M4A_BRANDS:
            return M4A
    elif head.startswith(b"OggS"):
        if _is_vorbis_or_opus(head):
            return OGG
        raise ValidationError(_("Only Ogg files with Vorbis or Opus sound are accepted."))
    elif head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    _refuse_unsafe(head)
    if head.startswith(b"PK\x03\x04"):
        raise ValidationError(_("Archives cannot be uploaded. Please upload the files inside."))
    raise ValidationError(
        _("We could not recognise this audio file. %(kinds)s") % {"kinds": accepted_audio()}
    )


def _is_mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then a valid version, layer, bit rate and
    sample rate (which tells it apart from AAC's ADTS and from JPEG)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and sample_rate != 0b11


def _is_vorbis_or_opus(head: bytes) -> bool:
    """The first Ogg page (version 0) holds a Vorbis or Opus identification header."""
    if len(head) < 27 or head[4] != 0:
        return False
    packet = head[27 + head[26] :]
    return packet.startswith((b"\x01vorbis", b"OpusHead"))


def _refuse_unsafe(head: bytes) -> None:
    """ValidationError for content refused whatever it is called: programs, old Office
    files, archives, SVG and web pages."""
    if head.startswith(PROGRAM_SIGNATURES):
        raise ValidationError(_("Programs and scripts cannot be uploaded."))
    if head.startswith(OLD_OFFICE):
        raise ValidationError(_old_office())
    if head.startswith(ARCHIVE_SIGNATURES):
        raise ValidationError(_("Archives cannot be uploaded. Please upload the files inside."))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:1024] or (text.startswith(b"<?xml") and b"<svg" in text):
        raise ValidationError(_svg())
    if text.startswith(b"<") or b"<script" in text:
        raise ValidationError(_("Web pages and scripts cannot be uploaded."))


def _detect(upload: UploadedFile, head: bytes, size: int) -> str:
    """What the content is, checked in depth, or ValidationError."""
    if head.startswith(b"%PDF-"):
        tail = _read_at(upload, max(0, size - TAIL_BYTES), TAIL_BYTES)
        if b"%%EOF" not in tail:
            raise ValidationError(
                _("This PDF is incomplete or damaged. Please save it again and re-upload it.")
            )
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _check_office(upload)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        # Pillow must decode it (and refuses any other format); its signature names it.
        images.open_checked_image(upload, MAX_BYTES)
        return IMAGE_TYPES[_image_format(head)]
    _refuse_unsafe(head)
    raise ValidationError(
        _("We could not recognise this file. %(kinds)s") % {"kinds": accepted_kinds()}
    )


def _image_format(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG"):
        return "PNG"
    if head.startswith(b"GIF8"):
        return "GIF"
    return "WEBP"


def _check_office(upload: UploadedFile) -> str:
    """An Office Open XML package without macros and without a zip bomb inside."""
    damaged = _("This Office file is damaged. Please save it again and re-upload it.")
    upload.seek(0)
    try:
        package = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(damaged) from None
    with package:
        members = package.infolist()
        names = {member.filename for member in members}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise ValidationError(_macros())
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size and (
                member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
            ):
                raise ValidationError(_bomb())
        if total > MAX_UNZIPPED:
            raise ValidationError(_bomb())
        kind = next((t for t, part in OFFICE_PARTS.items() if part in names), None)
        if "[Content_Types].xml" not in names or kind is None:
            raise ValidationError(
                _(
                    "Zip archives cannot be uploaded. Only Word, Excel and PowerPoint files "
                    "(.docx, .xlsx, .pptx) are accepted in this form."
                )
            )
        try:
            with package.open("[Content_Types].xml") as part:
                content_types = part.read(MAX_CONTENT_TYPES_XML + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            raise ValidationError(damaged) from None
        if len(content_types) > MAX_CONTENT_TYPES_XML:
            raise ValidationError(damaged)
        if b"macroenabled" in content_types.lower():
            raise ValidationError(_macros())
    return kind


def _svg() -> str:
    return _("SVG images can contain scripts, so they are not accepted. Please upload a PNG.")


def _old_office() -> str:
    return _(
        "Older Office files (.doc, .xls, .ppt) and password-protected Office files are not "
        "accepted. Please save it as .docx, .xlsx or .pptx, or as a PDF."
    )


def _macros() -> str:
    return _(
        "Office files with macros cannot be uploaded. Please save it without macros "
        "(.docx, .xlsx or .pptx)."
    )


def _bomb() -> str:
    return _(
        "This Office file unpacks to far more than its size (it may be a zip bomb), so it "
        "cannot be uploaded."
    )


def check_for_kind(kind: str, upload: UploadedFile) -> str:
    """The check for an item of this kind: audio for "audio", a document for any other."""
    return check_audio(upload) if kind == "audio" else check_document(upload)


def store_document(item, upload: UploadedFile) -> str:
    """Check `upload` (as audio for an audio item, else as a document) and attach it to
    `item` as its file, with the detected content type (item.file_type, which the file view
    serves). Saves the item's file fields only; the caller saves the rest. Nothing is stored
    when the check fails."""
    content_type = check_for_kind(item.kind, upload)
    item.file.save(PurePath(upload.name).name, upload, save=False)
    item.file_type = content_type
    if item.pk:
        item.save(update_fields=["file", "file_type", "updated_at"])
    return content_type
