from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from altto.library.loading import LibraryContentError, load_library


class Command(BaseCommand):
    help = "Load or update the starter library from content/library/. Safe to re-run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", default=str(settings.BASE_DIR / "content" / "library"))

    def handle(self, *args, path: str, **options) -> None:
        try:
            report = load_library(Path(path))
        except LibraryContentError as exc:
            raise CommandError(f"Library not loaded: {exc}") from None
        for name, counts in (("Textbooks", report.textbooks), ("Library items", report.items)):
            self.stdout.write(
                f"{name}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged."
            )
        for label in report.kept_site_edits:
            self.stdout.write(
                self.style.WARNING(f"  {label}: edited on the site, so the file was not applied.")
            )
        for slug, problems in report.drafts.items():
            self.stdout.write(
                self.style.WARNING(f"  {slug}: left as a draft. {' '.join(problems)}")
            )
