"""`import_openalex --workers N`: a run's parts imported by N processes of this machine, and
the progress of any run (also one on the Celery queue) drawn from its ImportRun row.

Each worker is a fresh interpreter ("spawn": nothing of the parent's state, open connections
or threads is inherited) that sets Django up and opens its own database connection, to the
database the parent uses.
"""

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TextIO

from django.core.management.base import OutputWrapper
from django.db import connection

from bzpeer.progress import ProgressBar
from works import import_process
from works.importer.load import ImportFailed
from works.importer.parallel import import_run_finish, summary_add
from works.importer.progress import ImportSummary
from works.models import ImportPart, ImportRun


class RunProgress(ProgressBar):
    """Parts done of the total, records/s and the time left, by the bytes of the parts
    finished (the only measure known up front); redrawn from the run's row."""

    BAR_FORMAT = (
        "{percentage:3.0f}%|{bar}| {parts}/{parts_total} parts  {records:,} records"
        "  {records_rate:,.0f} records/s  [{elapsed}<{remaining}]"
    )

    def __init__(self, stream: TextIO | OutputWrapper | None, run: ImportRun) -> None:
        self.run = run
        super().__init__(stream, total=max(run.bytes_total, 1), bar_format=self.BAR_FORMAT)

    @property
    def format_dict(self) -> dict[str, Any]:
        fields = super().format_dict
        run = self.run
        return {
            **fields,
            "parts": run.parts_done + run.parts_failed,
            "parts_total": run.parts_total,
            "records": run.records,
            "records_rate": run.rate,
        }

    def show(self, run: ImportRun) -> None:
        self.run = run
        self.update_to(min(run.bytes_done, self.total))

    def finish(self, run: ImportRun) -> None:
        self.run = run
        self.n = min(run.bytes_done, self.total)
        self.close()  # draws the last line


def import_with_workers(
    run: ImportRun, *, workers: int, progress: TextIO | OutputWrapper | None = None
) -> ImportSummary:
    """Import the run's pending parts with `workers` processes, then apply its lists here.
    Returns the summary of what the parts and lists did; parts that failed are in the run
    (their error). ImportFailed if a worker process died."""
    summary = ImportSummary()
    started = time.monotonic()
    bar = RunProgress(progress, run)
    pending = list(
        run.parts.filter(state__in=[ImportPart.State.PENDING, ImportPart.State.RUNNING])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if pending:
        _run_pool(pending, workers, lambda result: _part_done(result, summary, bar, run.pk))
    lists = import_run_finish(run_id=run.pk)
    if lists is not None:
        summary_add(summary, lists)
    bar.finish(ImportRun.objects.get(pk=run.pk))
    summary.elapsed = time.monotonic() - started
    return summary


def _part_done(
    result: ImportSummary | None, summary: ImportSummary, bar: RunProgress, run_id: int
) -> None:
    if result is not None:
        summary_add(summary, result)
        for problem in result.problems:
            bar.message(problem)
    bar.show(ImportRun.objects.get(pk=run_id))


def _run_pool(
    part_ids: list[int], workers: int, on_done: Callable[[ImportSummary | None], None]
) -> None:
    context = multiprocessing.get_context("spawn")
    # The parent's database (the test database under pytest), not what the environment says.
    database = connection.settings_dict["NAME"]
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(part_ids))),
        mp_context=context,
        initializer=import_process.setup,
        initargs=(database,),
    )
    try:
        futures = [pool.submit(import_process.import_part, part_id) for part_id in part_ids]
        for future in as_completed(futures):
            on_done(future.result())
    except BrokenProcessPool as exc:
        raise ImportFailed(
            "a worker process died; the parts it had are left running: run the same "
            "command again to import what is missing"
        ) from exc
    finally:
        # On an error or ^C: parts not started are dropped, the running ones finish.
        pool.shutdown(wait=True, cancel_futures=True)


def watch_run(
    run_id: int, *, progress: TextIO | OutputWrapper | None, interval: float = 1.0
) -> ImportRun:
    """Draw a run's progress (from its row, however its parts are imported) until it is
    finished; returns the finished run."""
    run = ImportRun.objects.get(pk=run_id)
    bar = RunProgress(progress, run)
    while run.finished_at is None:
        time.sleep(interval)
        run = ImportRun.objects.get(pk=run_id)
        bar.show(run)
    bar.finish(run)
    return run
