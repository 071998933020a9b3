"""A parallel import: a run (ImportRun) of parts (ImportPart, one data file each) that any
number of processes import at once, by a process pool (workers.py) or Celery tasks
(works/tasks.py); then the deleted and merged id lists.

Why the result is the same whatever order the parts run in, and the same as a sequential
import: a record replaces the stored one only if its updated_date is newer, so the parts
commute; while they run, what decides whether a record is skipped (DeletedWork, MergedId)
does not change, because the lists are applied once every part is settled, as the
sequential import applies them after its files. Two parts never write the same record at
once (locks.py).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bzpeer.celery import TRANSIENT_ERRORS
from works.importer.load import ImportFailed
from works.importer.parse import ENTITY_ORDER, OTHER
from works.importer.progress import ImportSummary
from works.importer.readers import PlannedFile
from works.importer.run import ListFile, apply_lists, import_file, plan_lists, plan_paths
from works.models import ImportPart, ImportRun

PROBLEMS_KEPT = 20  # per part, in ImportPart.problems

Part = ImportPart.State
Lists = ImportRun.Lists


class PartRetry(Exception):
    """A part failed on a transient database error: worth another attempt."""


@dataclass
class PartResult:
    run_id: int
    summary: ImportSummary | None  # None: not imported here (settled already, or failed)
    # This part settled the run's last part: the lists are to be applied now.
    run_ready: bool = False


def import_run_create(
    *, paths: list[str], mode: str, strict: bool = False, since: date | None = None
) -> ImportRun:
    """Plan the paths (ImportFailed if one is missing or an empty folder) and record the run
    and its parts, pending."""
    plans = plan_paths(paths, since=since)
    files: dict[str, PlannedFile] = {}
    for plan in plans:
        for planned in plan.files:
            files.setdefault(str(planned.path), planned)
    notes = [warning for plan in plans for warning in plan.warnings]
    skipped = [name for plan in plans for name in plan.skipped_folders]
    if skipped:
        notes.append(f"Folders not imported: {', '.join(skipped)}")
    sizes = {path: planned.path.stat().st_size for path, planned in files.items()}
    with transaction.atomic():
        run = ImportRun.objects.create(
            mode=mode,
            paths=[str(path) for path in paths],
            strict=strict,
            since=since,
            lists=[list(item) for plan in plans for item in plan_lists(plan)],
            parts_total=len(files),
            bytes_total=sum(sizes.values()),
            notes="\n".join(notes),
        )
        ImportPart.objects.bulk_create(
            ImportPart(
                run=run,
                path=path,
                size=sizes[path],
                expected_records=planned.expected_records,
            )
            for path, planned in files.items()
        )
    return run


def import_part_run(*, part_id: int, final_attempt: bool = True) -> PartResult:
    """Import one part. A part already done or failed is left alone (a task delivered twice);
    one left running by a worker that died is taken again. On a transient database error it
    raises PartRetry, unless this is the final attempt: the part is then failed, as it is at
    once for any other error (a corrupt file, a bad line under --strict)."""
    claimed = ImportPart.objects.filter(pk=part_id, state__in=[Part.PENDING, Part.RUNNING]).update(
        state=Part.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(), error=""
    )
    part = ImportPart.objects.select_related("run").get(pk=part_id)
    if not claimed:
        return PartResult(part.run_id, None)
    planned = PlannedFile(Path(part.path), expected_records=part.expected_records)
    try:
        summary = import_file(planned, strict=part.run.strict)
    except (ImportFailed, *TRANSIENT_ERRORS) as exc:
        if not final_attempt and _transient(exc):
            ImportPart.objects.filter(pk=part_id).update(error=str(exc))
            raise PartRetry(str(exc)) from exc
        return PartResult(part.run_id, None, _settle(part, Part.FAILED, error=str(exc)))
    return PartResult(part.run_id, summary, _settle(part, Part.DONE, summary=summary))


def _transient(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, TRANSIENT_ERRORS):
            return True
        exc = exc.__cause__
    return False


def _settle(
    part: ImportPart, state: str, *, summary: ImportSummary | None = None, error: str = ""
) -> bool:
    """Record how the part ended and add it to the run's counters; True if it was the run's
    last part to settle (exactly one part's call says so)."""
    total = summary.total() if summary else None
    records, errors = (total.records, total.errors) if total else (0, 0)
    problems = summary.problems[:PROBLEMS_KEPT] if summary else []
    with transaction.atomic():
        # Conditional: of two deliveries of the same part, one counts.
        settled = ImportPart.objects.filter(pk=part.pk, state=Part.RUNNING).update(
            state=state,
            finished_at=timezone.now(),
            records=records,
            errors=errors,
            problems="\n".join(problems),
            problem_count=summary.problem_count if summary else 0,
            error=error,
        )
        if not settled:
            return False
        # F() updates: parts settling at once in other processes each add theirs.
        ImportRun.objects.filter(pk=part.run_id).update(
            parts_done=F("parts_done") + int(state == Part.DONE),
            parts_failed=F("parts_failed") + int(state == Part.FAILED),
            bytes_done=F("bytes_done") + part.size,
            records=F("records") + records,
            errors=F("errors") + errors,
        )
        # The run's row is locked by the UPDATE above until commit: the part that brings
        # done + failed to the total is the one that sees it here.
        ready = ImportRun.objects.filter(
            pk=part.run_id,
            lists_state=Lists.WAITING,
            parts_total__lte=F("parts_done") + F("parts_failed"),
        ).update(lists_state=Lists.QUEUED)
    return bool(ready)


def import_run_finish(*, run_id: int) -> ImportSummary | None:
    """Apply the run's deleted and merged id lists and mark it finished. Call it once every
    part is settled; None if another call has it already (or it is finished)."""
    claimed = ImportRun.objects.filter(
        pk=run_id, lists_state__in=[Lists.WAITING, Lists.QUEUED, Lists.APPLYING]
    ).update(lists_state=Lists.APPLYING)
    if not claimed:
        return None
    run = ImportRun.objects.get(pk=run_id)
    try:
        summary = apply_lists([ListFile(*item) for item in run.lists], strict=run.strict)
    except ImportFailed as exc:
        _finish(run, Lists.FAILED, [f"The deleted and merged id lists failed: {exc}"])
        return None
    lines = list(summary.problems)
    if summary.deleted_ids or summary.merged_ids:
        lines.append(
            f"Deleted ids read: {summary.deleted_ids:,} (works removed: "
            f"{summary.deleted_works:,}); merged ids read: {summary.merged_ids:,} "
            f"(records merged: {summary.merges_applied:,})"
        )
    _finish(run, Lists.DONE, lines, errors=summary.total().errors)
    return summary


def _finish(run: ImportRun, state: str, lines: list[str], *, errors: int = 0) -> None:
    notes = "\n".join(filter(None, [run.notes, *lines]))
    ImportRun.objects.filter(pk=run.pk).update(
        lists_state=state, finished_at=timezone.now(), notes=notes, errors=F("errors") + errors
    )


def summary_add(into: ImportSummary, other: ImportSummary) -> None:
    """Add one part's summary to the run's (for the command's closing table)."""
    for entity in (*ENTITY_ORDER, OTHER):
        counts = into[entity]
        counts += other[entity]
    for name in ("reserved_authorships", "deleted_works", "deleted_ids", "merged_ids"):
        setattr(into, name, getattr(into, name) + getattr(other, name))
    into.merges_applied += other.merges_applied
    for problem in other.problems:
        into.add_problem(problem)
    into.problem_count += other.problem_count - len(other.problems)
