import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from works.generate import CorpusSpec, generate_corpus


class Command(BaseCommand):
    help = (
        "Write a synthetic OpenAlex snapshot to OUT: data/<entity>/updated_date=.../part_NNN.gz "
        "for works, authors, institutions, topics and sources, with manifests, "
        "works/deleted_ids.csv and merged_ids/authors/, skewed like the real corpus (a few "
        "prolific authors, a few teams of hundreds or thousands). The same arguments give the "
        "same bytes. Import it with import_openalex OUT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = CorpusSpec(works=1)
        parser.add_argument("out", metavar="OUT", help="The folder to write (made if missing).")
        parser.add_argument("--works", type=int, required=True, help="Works in the snapshot.")
        parser.add_argument("--authors", type=int, help="Author ids (default: works / 2).")
        parser.add_argument("--seed", type=int, default=default.seed)
        parser.add_argument("--institutions", type=int, help="Default: works / 1,000, >= 10.")
        parser.add_argument("--sources", type=int, help="Default: works / 500, at least 5.")
        parser.add_argument("--topics", type=int, help="Default: works / 20, 20 to 4,516.")
        parser.add_argument(
            "--updated",
            type=float,
            default=default.updated,
            help="Share of the records with a newer version in the later partition.",
        )
        parser.add_argument(
            "--deleted", type=float, default=default.deleted, help="Share of works withdrawn."
        )
        parser.add_argument(
            "--merged",
            type=float,
            default=default.merged,
            help="Share of authors that are a duplicate record, merged into another.",
        )
        parser.add_argument(
            "--max-authors",
            type=int,
            default=default.max_authors,
            help="The largest team (hyperauthored works have 1,000 or more authors).",
        )
        parser.add_argument(
            "--part-size",
            type=int,
            default=default.part_size,
            help="Records per part_NNN.gz file at most.",
        )
        parser.add_argument(
            "--compresslevel",
            type=int,
            default=default.compresslevel,
            choices=range(10),
            metavar="0-9",
            help=f"gzip level (default {default.compresslevel}: fast; 6 for smaller files).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace OUT/data if it is there (otherwise that is an error).",
        )

    def handle(self, *args: object, out: str, overwrite: bool, **options: object) -> None:
        spec = CorpusSpec(
            works=_at_least(1, "--works", options["works"]),
            authors=_at_least(1, "--authors", options["authors"]),
            seed=options["seed"],  # type: ignore[arg-type]
            institutions=_at_least(1, "--institutions", options["institutions"]),
            sources=_at_least(1, "--sources", options["sources"]),
            topics=_at_least(1, "--topics", options["topics"]),
            updated=_share("--updated", options["updated"]),
            deleted=_share("--deleted", options["deleted"]),
            merged=_share("--merged", options["merged"]),
            max_authors=_at_least(1, "--max-authors", options["max_authors"]),
            part_size=_at_least(1, "--part-size", options["part_size"]),
            compresslevel=options["compresslevel"],  # type: ignore[arg-type]
        )
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        if (folder / "data").exists():
            if not overwrite:
                raise CommandError(f"{folder / 'data'} is already there (--overwrite replaces it)")
            shutil.rmtree(folder / "data")
        report = generate_corpus(folder, spec, progress=self.stderr)
        for entity, partitions in sorted(report.records.items()):
            counts = ", ".join(f"{n:,} in {day}" for day, n in sorted(partitions.items()))
            self.stdout.write(f"{entity:<13}{counts}")
        self.stdout.write(
            f"Authorships: {report.authorships:,} (largest team {report.largest_team:,}); "
            f"deleted ids: {report.deleted_ids:,} ({report.deleted_present:,} of them in the "
            f"snapshot); merged author ids: {report.merged_ids:,}"
        )
        rate = spec.works / report.elapsed if report.elapsed else 0.0
        self.stdout.write(
            f"Written to {folder / 'data'} in {report.elapsed:.1f} s ({rate:,.0f} works/s)"
        )


def _at_least(low: int, name: str, value: object) -> int | None:
    if value is not None and not (isinstance(value, int) and value >= low):
        raise CommandError(f"{name} must be a whole number of at least {low}")
    return value


def _share(name: str, value: object) -> float:
    if not (isinstance(value, float | int) and 0 <= value <= 1):
        raise CommandError(f"{name} must be between 0 and 1")
    return float(value)
