"""The PDFs a learner downloads: a module certificate and their training record.

Helvetica can only set text in its own 8-bit encoding (Windows-1252: Latin letters, dashes,
curly quotes). Any text it cannot set — a Japanese name or title — goes in reportlab's
built-in Japanese CID font, which needs no font file on the server."""

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

JAPAN = ZoneInfo("Asia/Tokyo")
JAPANESE_FONT = "HeiseiKakuGo-W5"
BRAND = "ALTTO — ALT Training Online"
INK = (0.1, 0.12, 0.15)
ACCENT = (0.05, 0.3, 0.55)


@cache
def _japanese_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(JAPANESE_FONT))
    return JAPANESE_FONT


def font_for(text: str, *, bold: bool = False) -> str:
    """Helvetica when it can set every character of `text`, else the Japanese font."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return _japanese_font()
    return "Helvetica-Bold" if bold else "Helvetica"


def japan_date(moment: datetime) -> str:
    """The date of `moment` in Japan, in the reader's language."""
    return date_format(moment.astimezone(JAPAN), "DATE_FORMAT")


def format_hours(hours: float) -> str:
    return f"{hours:g}"


def hours_text(hours: float) -> str:
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else 2) % {
        "hours": format_hours(hours)
    }


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`: between words, and between any two
    characters of Japanese (which has no spaces)."""
    tokens: list[str] = []
    for word in text.split():
        pieces = list(word) if font_for(word) == JAPANESE_FONT else [word]
        pieces[-1] += " "
        tokens.extend(pieces)
    lines: list[str] = []
    line = ""
    for token in tokens:
        candidate = line + token
        if line and pdfmetrics.stringWidth(candidate.rstrip(), font, size) > width:
            lines.append(line.rstrip())
            line = token
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
LINE_WIDTH = PAGE_WIDTH - 60 * mm


def _centred(
    canvas: Canvas, text: str, y: float, size: float, *, bold: bool = False, font: str = ""
) -> None:
    """One centred line, in a smaller size if it would not fit between the borders."""
    font = font or font_for(text, bold=bold)
    size = min(size, size * LINE_WIDTH / max(pdfmetrics.stringWidth(text, font, size), 1))
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def _title_lines(title: str, font: str) -> tuple[list[str], float]:
    """The module title in at most three lines, shrinking the type until it fits."""
    for size in (20, 16, 13, 11):
        lines = wrap(title, font, size, LINE_WIDTH)
        if len(lines) <= 3:
            break
    return lines[:3], size


def certificate_pdf(certificate, verification_url: str) -> bytes:
    """One A4 landscape page: who completed which module, when, and how to check it."""
    buffer = BytesIO()
    width, height = PAGE_WIDTH, PAGE_HEIGHT
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(_("Certificate of completion"))
    canvas.setAuthor("ALTTO")
    canvas.setCreator("ALTTO")

    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.75)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    canvas.setFillColorRGB(*ACCENT)
    _centred(canvas, BRAND, height - 40 * mm, 16, bold=True)
    canvas.setFillColorRGB(*INK)
    _centred(canvas, _("Certificate of completion"), height - 62 * mm, 32, bold=True)
    _centred(canvas, _("This certifies that"), height - 80 * mm, 14)
    _centred(canvas, certificate.name_on_certificate, height - 96 * mm, 28, bold=True)
    _centred(canvas, _("has completed the module"), height - 110 * mm, 14)

    title_font = font_for(certificate.module_title, bold=True)
    lines, size = _title_lines(certificate.module_title, title_font)
    y = height - 124 * mm
    for line in lines:
        _centred(canvas, line, y, size, font=title_font)
        y -= size * 1.3

    details = " · ".join([japan_date(certificate.issued_at), hours_text(certificate.hours)])
    _centred(canvas, details, y - 4 * mm, 14)

    code_line = _("Verification code: %(code)s") % {"code": certificate.formatted_code}
    _centred(canvas, code_line, 34 * mm, 12, bold=True)
    check_line = _("Check this certificate at %(url)s") % {"url": verification_url}
    _centred(canvas, check_line, 27 * mm, 10)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@cache
def _style(font: str, size: float, space_before: float = 0, space_after: float = 4):
    return ParagraphStyle(
        name=f"{font}-{size}-{space_before}-{space_after}",
        fontName=font,
        fontSize=size,
        leading=size * 1.35,
        spaceBefore=space_before,
        spaceAfter=space_after,
        wordWrap="CJK" if font == JAPANESE_FONT else None,
    )


def _paragraph(text: str, size: float = 10.5, *, bold: bool = False, before: float = 0):
    markup = escape(text).replace("\n", "<br/>")
    return Paragraph(markup, _style(font_for(text, bold=bold), size, before))


def record_pdf(record, verification_urls: Iterable[str]) -> bytes:
    """The training record as plain text on A4 pages: modules, hours, then reflections."""
    buffer = BytesIO()
    name = record.user.name
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Training record"),
        author="ALTTO",
        creator="ALTTO",
    )
    story = [
        _paragraph(BRAND, 10, bold=True),
        _paragraph(_("Training record: %(name)s") % {"name": name}, 20, bold=True, before=6),
        _paragraph(_("Made on %(date)s (Japan time)") % {"date": japan_date(timezone.now())}, 9),
        _paragraph(_("Total study time: %(hours)s") % {"hours": hours_text(record.total_hours)}),
        _paragraph(_("Completed modules: %(count)s") % {"count": len(record.certificates)}),
        _paragraph(_("Completed lessons: %(count)s") % {"count": record.completed_lessons}),
        _paragraph(_("Completed modules"), 14, bold=True, before=10),
    ]
    for certificate, url in zip(record.certificates, verification_urls, strict=True):
        story.append(_paragraph(certificate.module_title, 11, bold=True, before=4))
        story.append(
            _paragraph(
                _("Completed %(date)s · %(hours)s · certificate %(code)s · %(url)s")
                % {
                    "date": japan_date(certificate.issued_at),
                    "hours": hours_text(certificate.hours),
                    "code": certificate.formatted_code,
                    "url": url,
                }
            )
        )
    if not record.certificates:
        story.append(_paragraph(_("No completed modules yet.")))

    story.append(_paragraph(_("Reflections"), 14, bold=True, before=10))
    for group in record.reflection_groups:
        story.append(_paragraph(group.title, 12, bold=True, before=8))
        for reflection in group.reflections:
            story.append(_paragraph(reflection.lesson_title, 10.5, bold=True, before=4))
            story.append(_paragraph(japan_date(reflection.updated_at), 9))
            story.append(_paragraph(reflection.text))
    if not record.reflection_groups:
        story.append(_paragraph(_("No reflections yet.")))
    story.append(Spacer(1, 6 * mm))
    document.build(story)
    return buffer.getvalue()
