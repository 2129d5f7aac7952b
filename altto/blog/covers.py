"""Cover images for blog posts: checked by content (Pillow must decode them, whatever the
file is called), then re-encoded as WebP no wider than 1600 px.

Re-encoding drops metadata (GPS position, camera serials) and anything smuggled after the
image data. The checks are shared with avatars and lesson images: altto/lib/images.py.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from altto.lib.images import open_checked_image, rgb_or_rgba

MAX_BYTES = 8 * 1024 * 1024
MAX_WIDTH = 1600
QUALITY = 80


def prepare_cover(upload: UploadedFile) -> ContentFile:
    """The upload as a WebP file at most MAX_WIDTH wide (never enlarged), or ValidationError."""
    image = rgb_or_rgba(open_checked_image(upload, MAX_BYTES))
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="WEBP", quality=QUALITY)
    return ContentFile(out.getvalue(), name="cover.webp")
