"""Editors upload images for lessons: checked by content, re-encoded as WebP, and pasted into
lesson Markdown by their /media/ address. Nobody else can upload."""

import html
import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from altto.courses.images import MAX_BYTES, store_lesson_image
from altto.courses.models import LessonImage
from altto.lib.markdown import render_markdown
from tests.courses.factories import make_lesson, make_module

pytestmark = pytest.mark.django_db

PAGE = "/author/images/"


def image_bytes(size=(2400, 1200), *, mode="RGB", colour=(20, 120, 200), fmt="PNG", **params):
    out = BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt, **params)
    return out.getvalue()


def upload(data: bytes, name="classroom.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "lesson-images"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_an_editor_uploads_a_png_and_pastes_its_markdown_into_a_lesson(client, editor):
    module = make_module()
    client.force_login(editor)
    assert client.get(PAGE).status_code == 200
    alt = "Desks in a U [plan view], *T1* at the front: Q&A board &copy; `JTE` <3"

    response = client.post(PAGE, {"file": upload(image_bytes()), "alt": alt, "module": module.slug})

    image = LessonImage.objects.get()
    assert response.status_code == 302
    assert response.url == f"{PAGE}#image-{image.pk}"
    assert (image.alt, image.module, image.uploaded_by) == (alt, module, editor)
    assert (image.width, image.height) == (1600, 800)
    assert re.fullmatch(r"lesson-images/\d{4}/\d{2}/classroom-[0-9a-f]{8}\.webp", image.file.name)
    with Image.open(image.file.path) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (1600, 800)
        assert stored.mode == "RGB"  # nothing was transparent

    page = client.get(PAGE).content.decode()
    assert f'src="{image.file.url}"' in page
    assert 'loading="lazy"' in page
    assert html.escape(image.markdown) in page  # in the read-only field, ready to copy
    assert "Image uploaded." in page

    assert "Q&A board \\&copy;" in image.markdown  # escaped only where Markdown would act
    rendered = render_markdown(f"Look at the room.\n\n{image.markdown}\n")
    img = re.search(r"<img [^>]*>", rendered).group()
    assert f'src="{image.file.url}"' in img
    assert image.file.url.startswith("/media/lesson-images/")
    assert html.unescape(re.search(r'alt="([^"]*)"', img).group(1)) == alt


def test_transparency_survives_and_small_images_keep_their_size(editor):
    picture = store_lesson_image(
        upload(image_bytes((300, 200), mode="RGBA", colour=(255, 0, 0, 0)), "logo.png"),
        "The school logo",
        editor,
    )
    with Image.open(picture.file.path) as stored:
        assert stored.size == (300, 200)
        assert stored.mode == "RGBA"
    assert picture.module is None


def test_a_gif_with_a_transparent_colour_keeps_it(editor):
    gif = image_bytes((40, 40), mode="P", colour=0, fmt="GIF", transparency=0)
    picture = store_lesson_image(upload(gif, "icon.gif", "image/gif"), "An icon", editor)
    with Image.open(picture.file.path) as stored:
        assert stored.mode == "RGBA"


def test_a_photo_is_turned_upright_and_loses_its_metadata(editor):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x010F] = "Camera maker with a serial number"
    photo = image_bytes((200, 100), fmt="JPEG", exif=exif.tobytes())
    picture = store_lesson_image(upload(photo, "IMG 0001.JPG", "image/jpeg"), "A photo", editor)
    assert (picture.width, picture.height) == (100, 200)
    with Image.open(picture.file.path) as stored:
        assert stored.size == (100, 200)
        assert not stored.getexif()
        assert "exif" not in stored.info and "xmp" not in stored.info
    assert picture.file.name.endswith(".webp") and "/img-0001-" in picture.file.name


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(client, editor):
    client.force_login(editor)
    fake = upload(b"<?php system($_GET['c']); ?>", "evil.png")
    response = client.post(PAGE, {"file": fake, "alt": "A harmless picture"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "That file is not an image we can read." in page
    assert 'value="A harmless picture"' in page  # the alt text is kept
    assert not LessonImage.objects.exists()
    assert stored_files() == []


def test_an_image_over_5_mb_is_refused(client, editor):
    noise = Image.frombytes("RGB", (1400, 1300), os.urandom(1400 * 1300 * 3))
    out = BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    assert len(out.getvalue()) > MAX_BYTES
    client.force_login(editor)
    response = client.post(PAGE, {"file": upload(out.getvalue()), "alt": "Noise"})
    assert response.status_code == 400
    assert (
        "The image is larger than 5 MB. Please choose a smaller one." in response.content.decode()
    )
    assert not LessonImage.objects.exists()
    assert stored_files() == []


def test_an_image_with_too_many_pixels_is_refused(client, editor):
    huge = image_bytes((8000, 5001), mode="1", colour=1)  # 40,008,000 pixels in a small file
    assert len(huge) < MAX_BYTES
    client.force_login(editor)
    response = client.post(PAGE, {"file": upload(huge), "alt": "A white wall"})
    assert response.status_code == 400
    assert "The image has too many pixels." in response.content.decode()
    assert stored_files() == []


def test_a_decompression_bomb_is_refused(client, editor, monkeypatch):
    # Pillow refuses, when opening, images over twice MAX_IMAGE_PIXELS: lower it to try that.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    client.force_login(editor)
    response = client.post(PAGE, {"file": upload(image_bytes((100, 100))), "alt": "A bomb"})
    assert response.status_code == 400
    assert "That file is not an image we can read." in response.content.decode()
    assert stored_files() == []


def test_other_formats_are_refused(client, editor):
    client.force_login(editor)
    bmp = image_bytes((20, 20), fmt="BMP")
    response = client.post(PAGE, {"file": upload(bmp, "a.bmp", "image/bmp"), "alt": "A square"})
    assert response.status_code == 400
    assert "Please upload a JPEG, PNG, GIF or WebP image." in response.content.decode()
    assert stored_files() == []


@pytest.mark.parametrize("alt", ["", "   "])
def test_the_text_alternative_is_required(client, editor, alt):
    client.force_login(editor)
    response = client.post(PAGE, {"file": upload(image_bytes((50, 50))), "alt": alt})
    assert response.status_code == 400
    assert "Describe the image in a few words" in response.content.decode()
    assert not LessonImage.objects.exists()
    assert stored_files() == []


def test_the_function_itself_refuses_a_missing_or_long_text_alternative(editor):
    from django.core.exceptions import ValidationError

    for alt in ["", " \n ", "x" * 201]:
        with pytest.raises(ValidationError):
            store_lesson_image(upload(image_bytes((50, 50))), alt, editor)
    assert stored_files() == []


@pytest.mark.parametrize("persona", ["new_alt", "contributor", "moderator", "outsider"])
def test_people_who_are_not_editors_are_refused_and_nothing_is_stored(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, {"file": upload(image_bytes((50, 50))), "alt": "Sneaky"})
    assert response.status_code == 403
    assert not LessonImage.objects.exists()
    assert stored_files() == []


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_stored(client):
    for response in (
        client.get(PAGE),
        client.post(PAGE, {"file": upload(image_bytes((50, 50))), "alt": "Sneaky"}),
    ):
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/author/images/"
    assert not LessonImage.objects.exists()
    assert stored_files() == []


def test_authoring_pages_link_to_the_image_page(client, editor):
    lesson = make_lesson(make_module())
    client.force_login(editor)
    assert PAGE in client.get("/author/modules/").content.decode()
    assert f'href="{PAGE}"' in client.get("/author/modules/new/").content.decode()
    assert (
        f"{PAGE}?module=team-teaching"
        in client.get("/author/modules/team-teaching/").content.decode()
    )
    edit = f"/author/modules/team-teaching/lessons/{lesson.slug}/"
    assert f"{PAGE}?module=team-teaching" in client.get(edit).content.decode()


def test_a_module_address_preselects_it_and_lists_only_its_images(client, editor):
    module = make_module()
    other = make_module("second", title="Second", order=2)
    mine = store_lesson_image(upload(image_bytes((50, 50))), "For team teaching", editor, module)
    theirs = store_lesson_image(upload(image_bytes((50, 50))), "For the second", editor, other)
    client.force_login(editor)
    page = client.get(f"{PAGE}?module=team-teaching").content.decode()
    assert '<option value="team-teaching" selected>' in page
    assert mine.file.url in page and theirs.file.url not in page

    response = client.post(
        f"{PAGE}?module=team-teaching",
        {"file": upload(image_bytes((50, 50))), "alt": "Another", "module": "team-teaching"},
    )
    newest = LessonImage.objects.first()
    assert response.url == f"{PAGE}?module=team-teaching#image-{newest.pk}"
    assert newest.module == module

    everything = client.get(f"{PAGE}?module=not a slug").content.decode()
    assert mine.file.url in everything and theirs.file.url in everything


def test_the_page_runs_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    module = make_module()
    for number in range(3):
        store_lesson_image(upload(image_bytes((40, 30))), f"Picture {number}", editor, module)
    client.force_login(editor)
    # session, user, user's roles, the latest images with uploader and module,
    # modules for the form's select
    with django_assert_num_queries(5):
        assert client.get(PAGE).status_code == 200
    for number in range(27):
        store_lesson_image(upload(image_bytes((40, 30))), f"More {number}", editor)
    with django_assert_num_queries(5):
        response = client.get(PAGE)
    assert response.content.decode().count('class="image-thumb"') == 30
