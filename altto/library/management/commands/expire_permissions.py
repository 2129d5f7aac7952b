from django.core.management.base import BaseCommand

from altto.library.actions import expire_permissions, warn_expiring_permissions


class Command(BaseCommand):
    help = (
        "Unpublish library items whose permission has expired, and warn editors of those "
        "expiring within two weeks. Run daily."
    )

    def handle(self, *args, **options) -> None:
        items = expire_permissions()
        for item in items:
            self.stdout.write(f"  {item.slug}: unpublished, {item.takedown_reason}")
        self.stdout.write(f"{len(items)} item(s) unpublished: permission expired.")
        warned = warn_expiring_permissions()
        self.stdout.write(f"{len(warned)} item(s) expiring soon: editors told.")
