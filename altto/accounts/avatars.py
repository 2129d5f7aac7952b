"""Avatars: checked by content (Pillow must decode them), then re-encoded small.

Re-encoding drops metadata such as GPS position and anything smuggled after the image data.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZE = 256
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def prepare_avatar(upload: UploadedFile) -> ContentFile:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 2 MB. Please choose a smaller one."))
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise ValidationError(_("Please upload a JPEG, PNG, GIF or WebP image."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("That file is not an image we can read.")) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image = ImageOps.fit(image, (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="WEBP", quality=82)
    return ContentFile(out.getvalue(), name="avatar.webp")
