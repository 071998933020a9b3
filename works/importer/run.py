"""import_paths: the whole import, from paths on disk to a summary."""

import sys
import time
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.db import connection, transaction

from works.importer.columns import check_row
from works.importer.copyload import CopyLoader
from works.importer.lists import apply_deleted_ids, apply_merged_ids
from works.importer.load import ImportFailed, Loader
from works.importer.parse import (
    OTHER,
    AuthorRow,
    InstitutionRow,
    ParseError,
    Skipped,
    SourceRow,
    TopicRow,
    WorkRow,
    entity_of,
    parse_record,
)
from works.importer.progress import ImportSummary, Progress
from works.importer.readers import (
    BadLine,
    FileUnreadable,
    Plan,
    PlannedFile,
    RecordFile,
    plan_path,
)
from works.services import corpus_version_bump

_ENTITY_OF_ROW = {
    InstitutionRow: "institutions",
    SourceRow: "sources",
    TopicRow: "topics",
    AuthorRow: "authors",
    WorkRow: "works",
}


def import_paths(
    paths: list[Path | str],
    *,
    strict: bool = False,
    since: date | None = None,
    progress: bool | TextIO = False,
) -> ImportSummary:
    """Import OpenAlex files and folders, in the order given (see readers.py for what each
    may be). Idempotent: a record replaces the stored one only if its updated_date is newer.

    Writes go in batches of 500, one transaction each. A malformed line, or a record with a
    value its column cannot hold, is reported as "path:line: reason" (or "path:line: field:
    reason") and counted as an error; the rest of its batch is written. With `strict` it
    raises ImportFailed, and since each file is then imported in one transaction, nothing of
    that file is kept (files before it are). A truncated or corrupt gzip file always raises
    ImportFailed; without `strict`, the batches of it already written stay. A folder with no
    data files raises ImportFailed before anything is read. Whatever was written, a new corpus
    version is announced, also when the import stops part-way. `progress` is a stream (or
    True for stderr) for the progress bar and the problems as they are found; they are in
    summary.problems either way.
    """
    started = time.monotonic()
    resolved = [Path(path) for path in paths]
    for path in resolved:
        if not path.exists():
            raise ImportFailed(f"{path}: no such file or folder")
    summary = ImportSummary()
    plans = [plan_path(path, since=since) for path in resolved]
    for path, plan in zip(resolved, plans, strict=True):
        _refuse_empty_folder(path, plan)
    stream = sys.stderr if progress is True else (progress or None)
    bar = Progress(
        stream, total_bytes=sum(file.path.stat().st_size for plan in plans for file in plan.files)
    )

    def report(text: str) -> None:
        summary.add_problem(text)
        bar.message(text)

    # PostgreSQL gets the set-based loader (COPY into staging tables); SQLite, the zero-setup
    # default and the demo, keeps the simple one.
    loader_class = CopyLoader if connection.vendor == "postgresql" else Loader
    loader = loader_class(summary, report)
    try:
        for plan in plans:
            _import_plan(plan, loader, bar, strict=strict)
        bar.finish()
    finally:
        # Announced on the error path too: pages and trust scores cached from the corpus
        # before the import must not outlive what it committed.
        if loader.changed_corpus:
            corpus_version_bump()
    summary.elapsed = time.monotonic() - started
    return summary


def _refuse_empty_folder(path: Path, plan: Plan) -> None:
    """A folder with nothing to read is a mistake (a wrong path, a failed download), not an
    import of nothing. A snapshot with nothing newer than --since is fine."""
    if not path.is_dir() or plan.files or plan.deleted_ids or plan.merged_ids:
        return
    if plan.skipped_partitions:
        return
    skipped = plan.skipped_folders
    not_imported = f"; of types not imported: {', '.join(skipped)}" if skipped else ""
    raise ImportFailed(
        f"{path}: no data files (a snapshot folder, or .jsonl, .ndjson, .json or .gz "
        f"files){not_imported}"
    )


def _import_plan(plan: Plan, loader: Loader, bar: Progress, *, strict: bool) -> None:
    summary = loader.summary
    for warning in plan.warnings:
        loader.report(warning)
    summary.skipped_folders += plan.skipped_folders
    summary.skipped_partitions += plan.skipped_partitions
    for planned in plan.files:
        _import_file(planned, loader, bar, strict=strict)
    try:
        for path in plan.deleted_ids:
            apply_deleted_ids(path, loader, strict=strict)
        for entity, path in plan.merged_ids:
            apply_merged_ids(entity, path, loader, strict=strict)
    except FileUnreadable as exc:
        raise ImportFailed(str(exc)) from exc


def _import_file(planned: PlannedFile, loader: Loader, bar: Progress, *, strict: bool) -> None:
    records = RecordFile(planned.path)
    seen = 0
    changed_before = loader.changed_corpus
    finished = False
    # Under --strict the file is all or nothing: its batches become savepoints of one
    # transaction, so a bad line rolls back everything read from this file.
    try:
        with transaction.atomic() if strict else nullcontext():
            for location, value in records:
                seen += 1
                _import_record(location, value, loader, strict=strict)
                bar.advance(file_position=records.position, label=planned.path.name)
            loader.flush()
        finished = True
    except FileUnreadable as exc:
        raise ImportFailed(str(exc)) from exc
    finally:
        if not finished:
            loader.discard()
            if strict:  # the file's transaction was rolled back, its batches with it
                loader.changed_corpus = changed_before
    bar.file_done(records.size)
    if planned.expected_records is not None and planned.expected_records != seen:
        loader.report(
            f"{planned.path}: the manifest says {planned.expected_records} records, "
            f"the file has {seen}"
        )


def _import_record(location: str, value: Any, loader: Loader, *, strict: bool) -> None:
    if isinstance(value, BadLine):
        loader.reject(location, value.reason, entity=OTHER, strict=strict)
        return
    try:
        row = parse_record(value, on_warning=lambda text: loader.report(f"{location}: {text}"))
        if not isinstance(row, Skipped):
            check_row(_ENTITY_OF_ROW[type(row)], row)
    except ParseError as exc:
        loader.reject(location, str(exc), entity=_entity_or_other(value), strict=strict)
        return
    if isinstance(row, Skipped):
        loader.summary[row.entity].skipped += 1
        return
    loader.add(_ENTITY_OF_ROW[type(row)], row, location)


def _entity_or_other(value: Any) -> str:
    try:
        return entity_of(value.get("id")) if isinstance(value, dict) else OTHER
    except ParseError:
        return OTHER
