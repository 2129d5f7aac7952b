import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from altto.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def png_bytes(size=(800, 600), colour="red") -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


# --- Sign up, verify, log in -------------------------------------------------------------


def test_signing_up_sends_a_verification_email_over_smtp(client, smtp_inbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.alt@example.org",
            "username": "newalt",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(smtp_inbox.messages) == 1
    assert smtp_inbox.messages[0]["To"] == "new.alt@example.org"
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", smtp_inbox.bodies()[0]).group(0)

    # Not verified yet: logging in is refused with a pointer to the email.
    client.post(
        "/accounts/login/", {"login": "newalt", "password": "a long and unusual passphrase"}
    )
    assert not client.session.get("_auth_user_id")

    client.post(link)
    response = client.post(
        "/accounts/login/", {"login": "newalt", "password": "a long and unusual passphrase"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="newalt")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.role_names == {"member"}


def test_sign_up_form_keeps_what_was_typed_when_passwords_differ(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "typo@example.org", "username": "typo", "password1": "x" * 12, "password2": "y"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="typo@example.org"' in html
    assert 'value="typo"' in html
    assert "aria-invalid" in html


@pytest.mark.parametrize("login", ["sam", "sam@example.org"])
def test_members_log_in_with_username_or_email(client, new_alt, login):
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(new_alt.pk)


def test_failed_logins_are_rate_limited(client, new_alt):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "sam", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "sam", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, new_alt, smtp_inbox):
    response = client.post("/accounts/password/reset/", {"email": "sam@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in smtp_inbox.bodies()[0]


def test_adding_an_email_address_sends_a_verification(client, new_alt, smtp_inbox):
    client.force_login(new_alt)
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "sam.new@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert smtp_inbox.messages[-1]["To"] == "sam.new@example.org"


# --- Profiles --------------------------------------------------------------------------------


def test_public_profile_shows_what_the_member_shared(
    client, contributor, django_assert_num_queries
):
    contributor.prefecture = 13
    contributor.school_levels = ["es", "jhs"]
    contributor.bio = "I love **phonics**. <script>alert(1)</script>"
    contributor.save()
    # the member, their accepted edits, their forum threads, answers, accepted answers and
    # upvotes received (anonymous visitor: no session lookup)
    with django_assert_num_queries(6):
        response = client.get("/u/priya/")
    html = response.content.decode()
    assert "Priya" in html
    assert "Tokyo" in html
    assert "Elementary school, Junior high school" in html
    assert "<strong>phonics</strong>" in html
    assert "<script>alert" not in html
    assert "Edit profile" not in html


def test_unknown_or_deactivated_members_have_no_profile(client, outsider):
    assert client.get("/u/nobody/").status_code == 404
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    assert client.get("/u/olly/").status_code == 404


def test_settings_need_a_login(client):
    response = client.get("/me/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_saves_their_profile(client, new_alt):
    client.force_login(new_alt)
    response = client.post(
        "/me/settings/",
        {
            "display_name": "Sam S.",
            "alt_type": "dispatch",
            "prefecture": "38",
            "school_levels": ["es", "jhs"],
            "years_in_japan": "2",
            "bio": "Hello *there*",
            "preferred_language": "ja",
        },
    )
    assert response.status_code == 302
    new_alt.refresh_from_db()
    assert new_alt.display_name == "Sam S."
    assert new_alt.school_levels == ["es", "jhs"]
    assert new_alt.bio_html == "<p>Hello <em>there</em></p>\n"
    assert response.cookies["django_language"].value == "ja"


def test_profile_errors_keep_what_was_typed(client, new_alt):
    client.force_login(new_alt)
    response = client.post(
        "/me/settings/",
        {
            "display_name": "Kept Name",
            "years_in_japan": "200",
            "school_levels": ["shs", "university"],
            "preferred_language": "en",
            "bio": "my bio",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kept Name"' in html
    assert "my bio" in html
    assert "Ensure this value is less than or equal to 80." in html
    assert "Select a valid choice. university is not one of the available choices." in html
    new_alt.refresh_from_db()
    assert new_alt.display_name == "Sam"


def test_avatar_is_checked_by_content_and_resized(client, new_alt):
    client.force_login(new_alt)
    base = {"preferred_language": "en"}
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post("/me/settings/", {**base, "avatar": upload})
    assert response.status_code == 302
    new_alt.refresh_from_db()
    with Image.open(new_alt.avatar.path) as stored:
        assert stored.size == (256, 256)
        assert stored.format == "WEBP"

    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    response = client.post("/me/settings/", {**base, "avatar": fake})
    assert response.status_code == 200
    assert "That file is not an image we can read." in response.content.decode()


def test_a_member_cannot_edit_another_members_profile(client, new_alt, contributor):
    # There is no URL to edit someone else: /me/settings/ always edits the signed-in member.
    client.force_login(new_alt)
    client.post("/me/settings/", {"display_name": "Hacked", "preferred_language": "en"})
    contributor.refresh_from_db()
    assert contributor.display_name == "Priya"
