from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from altto.courses.curriculum import CurriculumError, load_curriculum


class Command(BaseCommand):
    help = "Load or update the starter curriculum from content/modules/. Safe to re-run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", default=str(settings.BASE_DIR / "content" / "modules"))

    def handle(self, *args, path: str, **options) -> None:
        try:
            report = load_curriculum(Path(path))
        except (CurriculumError, KeyError) as exc:
            raise CommandError(f"Curriculum not loaded: {exc}") from None
        self.stdout.write(
            f"Curriculum: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for label in report.kept_site_edits:
            self.stdout.write(
                self.style.WARNING(f"  {label}: edited on the site, so the file was not applied.")
            )
