from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from works.importer import ImportFailed, import_paths
from works.importer.parallel import import_run_create
from works.importer.progress import ImportSummary
from works.importer.workers import import_with_workers, watch_run
from works.models import ImportPart, ImportRun
from works.tasks import import_part_run as import_part_run_task
from works.tasks import import_run_finish as import_run_finish_task


class Command(BaseCommand):
    help = (
        "Import OpenAlex data: snapshot folders (data/<entity>/updated_date=.../part_*.gz, "
        "with manifests, deleted and merged ids), JSON Lines files (plain or .gz), API "
        "responses with a results list, single-entity JSON files, or folders of such files. "
        "Safe to run again: records whose updated_date is not newer are left unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files or folders.")
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
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help="Import the data files with N processes at once, then the id lists.",
        )
        how.add_argument(
            "--queue",
            action="store_true",
            help="Queue one Celery task per data file and return (the run id says how to watch).",
        )
        how.add_argument(
            "--watch", type=int, metavar="RUN", help="Show a run's progress until it finishes."
        )
        parser.add_argument(
            "--wait", action="store_true", help="With --queue: show the progress until done."
        )

    def handle(
        self, *args: object, paths: list[str], strict: bool, since: str | None, quiet: bool,
        workers: int | None, queue: bool, watch: int | None, wait: bool, **options: object,
    ) -> None:  # fmt: skip
        if watch is not None:
            self._watch(watch, quiet=quiet)
            return
        if not paths:
            raise CommandError("Give at least one PATH (or --watch RUN).")
        if wait and not queue:
            raise CommandError("--wait goes with --queue.")
        if workers is not None and workers < 1:
            raise CommandError("--workers takes a number of processes, 1 or more.")
        since_date = _parse_since(since)
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        progress = None if quiet else self.stderr
        try:
            if queue or workers is not None:
                mode = ImportRun.Mode.QUEUE if queue else ImportRun.Mode.WORKERS
                run = import_run_create(paths=paths, mode=mode, strict=strict, since=since_date)
                for note in filter(None, run.notes.splitlines()):
                    self.stderr.write(note)
                if queue:
                    self._queue(run, wait=wait, quiet=quiet)
                    return
                summary = import_with_workers(run, workers=workers, progress=progress)
                self._print(summary, quiet=quiet)
                self._raise_if_failed(ImportRun.objects.get(pk=run.pk))
                return
            else:
                summary = import_paths(paths, strict=strict, since=since_date, progress=progress)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self._print(summary, quiet=quiet)

    def _print(self, summary: ImportSummary, *, quiet: bool) -> None:
        if quiet:
            # Without the progress stream nothing was printed as it happened.
            for problem in summary.problems:
                self.stderr.write(problem)
            if summary.problem_count > len(summary.problems):
                self.stderr.write(f"... and {summary.problem_count - len(summary.problems)} more")
            return
        self.stdout.write(str(summary))

    def _queue(self, run: ImportRun, *, wait: bool, quiet: bool) -> None:
        with transaction.atomic():
            part_ids = list(run.parts.values_list("pk", flat=True))
            for part_id in part_ids:
                import_part_run_task.delay_on_commit(part_id)
            if not part_ids:  # nothing but id lists: no part will queue them
                import_run_finish_task.delay_on_commit(run.pk)
        self.stdout.write(
            f"Run {run.pk}: {len(part_ids)} part(s) queued. Watch it with "
            f"`manage.py import_openalex --watch {run.pk}` or in the admin "
            f"(/admin/works/importrun/{run.pk}/change/)."
        )
        if wait:
            self._watch(run.pk, quiet=quiet)

    def _watch(self, run_id: int, *, quiet: bool) -> None:
        if not ImportRun.objects.filter(pk=run_id).exists():
            raise CommandError(f"No import run {run_id}.")
        run = watch_run(run_id, progress=None if quiet else self.stderr)
        for part in run.parts.exclude(problems=""):
            self.stderr.write(part.problems)
        if run.notes:
            self.stderr.write(run.notes)
        self.stdout.write(
            f"Run {run.pk}: {run.parts_done} of {run.parts_total} part(s) imported, "
            f"{run.parts_failed} failed; {run.records:,} records ({run.errors:,} errors) in "
            f"{run.elapsed:.1f} s ({run.rate:,.0f} records/s); id lists {run.lists_state}."
        )
        self._raise_if_failed(run)

    def _raise_if_failed(self, run: ImportRun) -> None:
        failed = [
            f"{part.path}: failed after {part.attempts} attempt(s): {part.error}"
            for part in run.parts.filter(state=ImportPart.State.FAILED)
        ]
        if run.lists_state == ImportRun.Lists.FAILED:
            failed.append(run.notes.splitlines()[-1])
        if failed:
            raise CommandError("\n".join([f"Run {run.pk} finished with failures:", *failed]))


def _parse_since(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r} is not a date (expected YYYY-MM-DD)") from None
