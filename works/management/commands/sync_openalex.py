from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from works.openalex_api.sync import (
    AUTHOR,
    FILTER,
    INSTITUTION,
    SyncError,
    SyncFailed,
    api_sync_run,
    api_sync_scope,
    api_sync_start,
)


class Command(BaseCommand):
    help = (
        "Fetch records from the OpenAlex API (OPENALEX_API_URL, OPENALEX_EMAIL) into the corpus, "
        "through the importer snapshot files go through: an author and their works, an "
        "institution's current researchers and their works, or the works of a filter. A run "
        "that stopped is resumed by the same command, from the page it was on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--author", metavar="ID", help="An author (A…) and their works.")
        what.add_argument(
            "--institution",
            metavar="ID",
            help="An institution (I…), the authors whose last known institutions include it, "
            "and their works.",
        )
        what.add_argument(
            "--filter",
            metavar="EXPRESSION",
            help="Works matching an OpenAlex filter, e.g. 'publication_year:2024,type:article'.",
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only records updated since this day (sent as from_updated_date).",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar and no summary; problems only."
        )

    def handle(
        self, *args: object, author: str | None, institution: str | None, filter: str | None,
        since: str | None, quiet: bool, **options: object,
    ) -> None:  # fmt: skip
        asked = {AUTHOR: author, INSTITUTION: institution, FILTER: filter}
        kind, value = next((kind, value) for kind, value in asked.items() if value is not None)
        try:
            scope = api_sync_scope(kind, value or "")
        except SyncError as exc:
            raise CommandError(str(exc)) from None
        sync, resumed = api_sync_start(scope=scope, since=_parse_since(since))
        if resumed and not quiet:
            self.stderr.write(f"Resuming OpenAlex sync {sync.pk} of {scope} where it stopped.")
        try:
            summary = api_sync_run(sync_id=sync.pk, progress=None if quiet else self.stderr)
        except SyncFailed as exc:
            raise CommandError(str(exc)) from exc
        if quiet:
            for problem in summary.problems:
                self.stderr.write(problem)
            return
        self.stdout.write(str(summary))


def _parse_since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r} is not a date (expected YYYY-MM-DD)") from None
