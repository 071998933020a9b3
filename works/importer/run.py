"""import_paths: the whole import, from paths on disk to a summary."""

import sys
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from django.db import connection, transaction

from works.importer.columns import check_row
from works.importer.copyload import CopyLoader
from works.importer.lists import apply_deleted_ids, apply_merged_ids
from works.importer.load import ImportFailed, Loader
from works.importer.locks import lists_lock
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
from works.services import corpus_version_announce

DELETED, MERGED = "deleted", "merged"


class ListFile(NamedTuple):
    kind: str  # DELETED or MERGED
    entity: str  # what the ids are of
    path: str


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
    summary = ImportSummary()
    plans = plan_paths(paths, since=since)
    stream = sys.stderr if progress is True else (progress or None)
    bar = Progress(
        stream, total_bytes=sum(file.path.stat().st_size for plan in plans for file in plan.files)
    )

    def report(text: str) -> None:
        summary.add_problem(text)
        bar.message(text)

    corpus_version_announce()  # what an import killed earlier committed
    loader = _loader(summary, report)
    try:
        for plan in plans:
            _import_plan(plan, loader, bar, strict=strict)
        bar.finish()
    finally:
        # Announced on the error path too: pages and trust scores cached from the corpus
        # before the import must not outlive what it committed. (Killed, it cannot: the
        # changes it marked are announced by the next import, see corpus_change_note.)
        corpus_version_announce()
    summary.elapsed = time.monotonic() - started
    return summary


def plan_paths(paths: list[Path | str], *, since: date | None = None) -> list[Plan]:
    """The plan of each path (readers.plan_path); ImportFailed for a missing path or a folder
    with nothing to import."""
    resolved = [Path(path) for path in paths]
    for path in resolved:
        if not path.exists():
            raise ImportFailed(f"{path}: no such file or folder")
    plans = [plan_path(path, since=since) for path in resolved]
    for path, plan in zip(resolved, plans, strict=True):
        _refuse_empty_folder(path, plan)
    return plans


def plan_lists(plan: Plan) -> list[ListFile]:
    """The plan's deleted and merged id lists, in the order they are applied."""
    deleted = [ListFile(DELETED, "works", str(path)) for path in plan.deleted_ids]
    merged = [ListFile(MERGED, entity, str(path)) for entity, path in plan.merged_ids]
    return deleted + merged


def import_file(planned: PlannedFile, *, strict: bool = False) -> ImportSummary:
    """Import one data file on its own (one part of a parallel run): its summary, problems
    included. A new corpus version is announced if it changed anything, also when it fails."""
    started = time.monotonic()
    summary = ImportSummary()
    loader = _loader(summary, summary.add_problem)
    try:
        _import_file(planned, loader, Progress(None, total_bytes=1), strict=strict)
    finally:
        corpus_version_announce()
        summary.elapsed = time.monotonic() - started
    return summary


def apply_lists(lists: list[ListFile], *, strict: bool = False) -> ImportSummary:
    """Apply deleted and merged id lists after the data files (see _apply_lists)."""
    summary = ImportSummary()
    loader = _loader(summary, summary.add_problem)
    try:
        _apply_lists(lists, loader, strict=strict)
    finally:
        corpus_version_announce()
    return summary


def records_loader(summary: ImportSummary, report: Callable[[str], None]) -> Loader:
    """A loader for records that do not come from files (works/openalex_api: the REST API's
    JSON records, the shapes of snapshot lines), fed with records_import."""
    return _loader(summary, report)


def records_import(records: Iterable[tuple[str, Any]], loader: Loader) -> int:
    """Import (location, record) pairs as the lines of one file are imported (a malformed
    record is reported as "location: reason" and the rest go on), then write what is pending,
    as at the end of a file. Returns how many records were read."""
    seen = 0
    try:
        for location, value in records:
            seen += 1
            _import_record(location, value, loader, strict=False)
        loader.flush()
    except BaseException:
        loader.discard()
        raise
    return seen


def _loader(summary: ImportSummary, report: Callable[[str], None]) -> Loader:
    # PostgreSQL gets the set-based loader (COPY into staging tables); SQLite, the zero-setup
    # default and the demo, keeps the simple one.
    loader_class = CopyLoader if connection.vendor == "postgresql" else Loader
    return loader_class(summary, report)


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
    _apply_lists(plan_lists(plan), loader, strict=strict)


def _apply_lists(lists: list[ListFile], loader: Loader, *, strict: bool) -> None:
    """The lists come after the data files (a deletion or merge then sees every record it
    concerns). They hold the whole corpus while they run (locks.lists_lock): other imports'
    batches wait, rather than write a record being deleted or folded."""
    if not lists:
        return
    changed_before = loader.changed_corpus
    try:
        with transaction.atomic():
            lists_lock()
            for kind, entity, path in lists:
                if kind == DELETED:
                    apply_deleted_ids(Path(path), loader, strict=strict)
                else:
                    apply_merged_ids(entity, Path(path), loader, strict=strict)
    except FileUnreadable as exc:
        loader.changed_corpus = changed_before
        raise ImportFailed(str(exc)) from exc
    except BaseException:
        loader.changed_corpus = changed_before  # rolled back with the transaction
        raise


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
