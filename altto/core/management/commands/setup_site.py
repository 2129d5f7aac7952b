"""`make run` calls this after migrating: site name, roles, the sample admin and the sample
community. Safe to run again: it only adds what is missing."""

import secrets
from urllib.parse import urlparse

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

from altto.accounts.models import User
from altto.accounts.roles import ADMIN, ensure_roles
from altto.blog.sample import load_sample_blog
from altto.core.sample_data import load_sample_community
from altto.forum.sample import load_sample_forum

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Prepare a local site: roles, a sample admin with a random password, sample data."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-sample", action="store_true", help="Skip the sample community, forum and blog."
        )
        parser.add_argument("--port", default="8000", help="The port `make run` serves on.")

    def handle(self, *args, no_sample: bool = False, port: str = "8000", **options) -> None:
        with transaction.atomic():
            self.name_site()
            ensure_roles()
            password = self.create_admin()
            if not no_sample:
                created = load_sample_community()
                if created:
                    self.stdout.write(f"Loaded the sample community ({created} members).")
                threads = load_sample_forum()
                if threads:
                    self.stdout.write(f"Loaded the sample forum ({threads} threads).")
                posts = load_sample_blog()
                if posts:
                    self.stdout.write(f"Loaded the sample blog ({posts} posts).")
        url = f"http://127.0.0.1:{port}"
        if password:
            password_file = settings.VAR_DIR / "sample-admin-password"
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nLog in at {url}/accounts/login/ as '{ADMIN_USERNAME}' "
                    f"with password: {password}\n"
                    f"(generated now, shown once; also kept in {password_file} on this machine)\n"
                )
            )
        else:
            kept_in = settings.VAR_DIR / "sample-admin-password"
            self.stdout.write(
                f"\nLog in at {url}/accounts/login/ as '{ADMIN_USERNAME}' with the password "
                f"printed on the first run (kept in {kept_in}).\n"
                f"Forgot it? `.venv/bin/python manage.py changepassword {ADMIN_USERNAME}`\n"
            )

    def name_site(self) -> None:
        domain = urlparse(settings.SITE_URL).netloc or "127.0.0.1:8000"
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "ALTTO"}
        )

    def create_admin(self) -> str | None:
        if User.objects.filter(username=ADMIN_USERNAME).exists():
            return None
        password = secrets.token_urlsafe(12)
        admin = User.objects.create_superuser(
            ADMIN_USERNAME, "admin@example.org", password, display_name="Site admin"
        )
        admin.groups.add(Group.objects.get(name=ADMIN))
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
        return password
