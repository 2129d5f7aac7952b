"""Storing an image an editor uploads for lessons: checked by content, turned upright, scaled
down to lesson width and re-encoded as WebP, which drops its metadata."""

import secrets
from io import BytesIO
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from altto.courses.models import LessonImage, Module
from altto.lib.images import MEGABYTE, open_checked_image, rgb_or_rgba

MAX_BYTES = 5 * MEGABYTE
MAX_WIDTH = 1600
WEBP_QUALITY = 82
MAX_ALT = LessonImage._meta.get_field("alt").max_length


def alt_required_message() -> str:
    return _("Describe the image in a few words: people who cannot see it read this instead.")


def file_name(upload: UploadedFile) -> str:
    """A readable name from the uploaded one, made unique: the editor sees it in the Markdown."""
    stem = slugify(PurePath(upload.name or "").stem)[:40].strip("-") or "image"
    return f"{stem}-{secrets.token_hex(4)}.webp"


def store_lesson_image(
    upload: UploadedFile, alt: str, user, module: Module | None = None
) -> LessonImage:
    """Check, re-encode and save an upload; ValidationError says what is wrong with it.
    Nothing is written unless the image is accepted."""
    alt = " ".join(alt.split())
    if not alt:
        raise ValidationError(alt_required_message())
    if len(alt) > MAX_ALT:
        raise ValidationError(
            _("Keep the text alternative to %(max)s characters or fewer.") % {"max": MAX_ALT}
        )
    image = rgb_or_rgba(open_checked_image(upload, MAX_BYTES))
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="WEBP", quality=WEBP_QUALITY)  # RGBA keeps its alpha in WebP
    lesson_image = LessonImage(
        alt=alt, uploaded_by=user, module=module, width=image.width, height=image.height
    )
    lesson_image.file.save(file_name(upload), ContentFile(out.getvalue()), save=False)
    try:
        lesson_image.save()
    except Exception:
        lesson_image.file.delete(save=False)  # no file without its row
        raise
    return lesson_image
