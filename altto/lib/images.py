"""Uploaded images, judged by what they contain: Pillow must decode them, whatever their name
or content type says. Callers re-encode the result, which drops metadata (GPS position, camera
serials) and anything smuggled after the image data. Used by avatars and lesson images."""

import struct

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MEGABYTE = 1024 * 1024

# What Pillow raises for files it cannot decode, truncated ones included. UnidentifiedImageError
# is an OSError; DecompressionBombError comes from Image.open for absurd pixel counts.
UNREADABLE = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)


def open_checked_image(upload: UploadedFile, max_bytes: int) -> Image.Image:
    """The upload decoded and turned upright (EXIF orientation applied), or ValidationError.

    Size and pixel count are checked before the pixels are decoded, so a small file that
    expands to a huge bitmap is refused without using the memory. Animated images give
    their first frame."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is larger than %(megabytes)s MB. Please choose a smaller one.")
            % {"megabytes": max_bytes // MEGABYTE}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise ValidationError(_("Please upload a JPEG, PNG, GIF or WebP image."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."))
        image.load()
        return ImageOps.exif_transpose(image)
    except UNREADABLE:
        raise ValidationError(_("That file is not an image we can read.")) from None


def rgb_or_rgba(image: Image.Image) -> Image.Image:
    """The image in RGB, or in RGBA when some pixel really is see-through (a fully opaque
    alpha channel, or a palette transparency no pixel uses, is dropped)."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        low, _high = rgba.getchannel("A").getextrema()
        if low < 255:
            return rgba
        return rgba.convert("RGB")
    return image.convert("RGB")
