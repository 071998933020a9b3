from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from works.importer import ImportFailed, import_paths


class Command(BaseCommand):
    help = (
        "Import OpenAlex data: snapshot folders (data/<entity>/updated_date=.../part_*.gz, "
        "with manifests, deleted and merged ids), JSON Lines files (plain or .gz), API "
        "responses with a results list, single-entity JSON files, or folders of such files. "
        "Safe to run again: records whose updated_date is not newer are left unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Stop at the first bad line (malformed, or with a value its column cannot "
                "hold); nothing of that file is kept."
            ),
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="In snapshot folders, load only updated_date partitions newer than this.",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar and no summary; problems only."
        )

    def handle(
        self, *args: object, paths: list[str], strict: bool, since: str | None, quiet: bool,
        **options: object,
    ) -> None:  # fmt: skip
        since_date = _parse_since(since)
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        try:
            summary = import_paths(
                paths, strict=strict, since=since_date, progress=False if quiet else self.stderr
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        if quiet:
            # Without the progress stream nothing was printed as it happened.
            for problem in summary.problems:
                self.stderr.write(problem)
            if summary.problem_count > len(summary.problems):
                self.stderr.write(f"... and {summary.problem_count - len(summary.problems)} more")
            return
        self.stdout.write(str(summary))


def _parse_since(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r} is not a date (expected YYYY-MM-DD)") from None
