from django.core.management.base import BaseCommand, CommandParser

from bzpeer.progress import ProgressBar
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
        done, last_id = 0, 0
        stream = None if quiet or not total else self.stderr
        with ProgressBar(stream, total=total, unit="author") as bar:
            # Keyset batches by id: each batch is one indexed range, however large the table.
            while batch := list(
                authors.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            ):
                for author_id in batch:
                    trust_score_compute(author_id=author_id)
                done += len(batch)
                last_id = batch[-1]
                bar.update(len(batch))
        self.stdout.write(self.style.SUCCESS(f"Recomputed {done:,} trust scores."))
