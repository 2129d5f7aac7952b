"""Shared fixtures: named personas, each made through the same code paths the site uses."""

import os

import pytest

os.environ.setdefault("ALTTO_TESTING", "1")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits (logins, posts) live in the cache: no test inherits another's counts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(username: str, *, roles: tuple[str, ...] = (), verified: bool = True, **fields):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from altto.accounts.models import User

    email = fields.pop("email", f"{username}@example.org")
    user = User.objects.create_user(username, email, "correct horse battery staple", **fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def new_alt(db):
    """Sam, a JET in their first week: a plain member."""
    return make_user("sam", display_name="Sam", alt_type="jet", school_levels=["jhs"])


@pytest.fixture
def contributor(db):
    """Priya, an experienced ALT who answers questions and proposes edits."""
    return make_user("priya", display_name="Priya", alt_type="dispatch", years_in_japan=6)


@pytest.fixture
def editor(db):
    from altto.accounts.roles import EDITOR

    return make_user("erin", display_name="Erin", roles=(EDITOR,))


@pytest.fixture
def blog_editor(db):
    from altto.accounts.roles import BLOG_EDITOR

    return make_user("bea", display_name="Bea", roles=(BLOG_EDITOR,))


@pytest.fixture
def moderator(db):
    from altto.accounts.roles import MODERATOR

    return make_user("morgan", display_name="Morgan", roles=(MODERATOR,))


@pytest.fixture
def site_admin(db):
    from altto.accounts.roles import ADMIN

    return make_user("ada", display_name="Ada", roles=(ADMIN,))


@pytest.fixture
def outsider(db):
    """Olly, signed up but with an unverified email, and no business anywhere."""
    return make_user("olly", verified=False)


@pytest.fixture
def smtp_inbox(settings):
    """Point Django's SMTP backend at a real server started for this test."""
    from tests.smtp import start_smtp_server

    controller, inbox = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()
