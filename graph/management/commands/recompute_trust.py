import time

from django.core.management.base import BaseCommand, CommandParser

from graph.services import trust_score_compute
from works.models import Author


class Command(BaseCommand):
    help = (
        "Recompute the trust score of every researcher (or of those given by OpenAlex id) in "
        "this process, in batches of ids, with a progress bar. Safe to stop and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", help="OpenAlex author ids (default: all)")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(
        self, *args: object, ids: list[str], batch_size: int, quiet: bool, **options: object
    ) -> None:
        authors = Author.objects.public()
        if ids:
            authors = authors.filter(openalex_id__in=ids)
        total = authors.count()
        started, done, last_id = time.monotonic(), 0, 0
        # Keyset batches by id: each batch is one indexed range, however large the table.
        while batch := list(
            authors.filter(id__gt=last_id).order_by("id").values_list("id", flat=True)[:batch_size]
        ):
            for author_id in batch:
                trust_score_compute(author_id=author_id)
            done += len(batch)
            last_id = batch[-1]
            if not quiet:
                self._draw(done, total, started)
        if not quiet and total:
            self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"Recomputed {done:,} trust scores."))

    def _draw(self, done: int, total: int, started: float) -> None:
        fraction = done / total if total else 1.0
        filled = round(fraction * 24)
        rate = done / max(time.monotonic() - started, 1e-9)
        bar = "#" * filled + "-" * (24 - filled)
        line = f"[{bar}] {fraction:4.0%}  {done:,}/{total:,}  {rate:,.0f}/s"
        # The stream under the OutputWrapper, which would add a newline to every write.
        stream = getattr(self.stderr, "_out", self.stderr)
        # Redraw in place on a terminal; one line per batch in logs.
        stream.write(("\r\033[K" + line) if stream.isatty() else line + "\n")
        stream.flush()
