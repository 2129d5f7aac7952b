"""manage.py rebuild_search_index [--kind thread ...]: every entry rebuilt from the content."""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from altto.search import documents, indexing


class Command(BaseCommand):
    help = "Rebuild the search index from scratch (lessons, library, blog, forum)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=list(documents.KINDS),
            help="Only this kind (may be repeated). Default: all.",
        )
        parser.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, kind=None, batch_size=indexing.BATCH_SIZE, no_progress=False,
               **options):  # fmt: skip
        kinds = kind or list(documents.KINDS)
        started = time.monotonic()

        def progress(name, total):
            return tqdm(
                total=total, desc=f"{name:<6}", unit=" pages", file=_Raw(self.stdout),
                disable=no_progress, ascii=True, dynamic_ncols=True,
            )  # fmt: skip

        counts = indexing.reindex_all(kinds, batch_size=batch_size, progress=progress)
        indexing.optimize()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} entries")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {sum(counts.values())} entries in {seconds:.1f} s.")
        )


class _Raw:
    """The command's stdout without its added line endings (tqdm redraws with \r)."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()
