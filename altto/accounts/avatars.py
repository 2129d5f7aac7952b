"""Avatars: checked by content (Pillow must decode them), then re-encoded small.

Re-encoding drops metadata such as GPS position and anything smuggled after the image data.
The checks themselves are shared with lesson images: altto/lib/images.py.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from altto.lib.images import open_checked_image

MAX_BYTES = 2 * 1024 * 1024
SIZE = 256


def prepare_avatar(upload: UploadedFile) -> ContentFile:
    image = open_checked_image(upload, MAX_BYTES).convert("RGB")
    image = ImageOps.fit(image, (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="WEBP", quality=82)
    return ContentFile(out.getvalue(), name="avatar.webp")
