"""Thin tasks of a queued import (import_openalex --queue): a part id or a run id in, a call
of works.importer.parallel. Parts arrive in any order, on any number of workers; the part
that settles the run's last one queues the lists."""

from celery import Task, shared_task
from django.db import transaction

from bzpeer.celery import TRANSIENT_ERRORS, RetryingTask
from works.importer import parallel
from works.openalex_api import sync
from works.openalex_api.sync import SyncFailed

# A part of a real snapshot takes minutes, not the seconds the project's time limit expects.
PART_TIME_LIMIT = 4 * 3600


@shared_task(
    base=RetryingTask,
    bind=True,
    autoretry_for=(*TRANSIENT_ERRORS, parallel.PartRetry),
    time_limit=PART_TIME_LIMIT,
)
def import_part_run(self: Task, part_id: int) -> None:
    # On the last retry a transient error fails the part instead of the task, so the run
    # still gets to its end (and says which part failed and why).
    final = self.request.retries >= self.max_retries
    result = parallel.import_part_run(part_id=part_id, final_attempt=final)
    if result.run_ready:
        import_run_finish.delay_on_commit(result.run_id)


@shared_task(base=RetryingTask, time_limit=PART_TIME_LIMIT)
def import_run_finish(run_id: int) -> None:
    parallel.import_run_finish(run_id=run_id)


# A sync pages through the API with retries and backoff: minutes, not seconds, at worst.
API_SYNC_TIME_LIMIT = 3600


@shared_task(
    base=RetryingTask,
    autoretry_for=(*TRANSIENT_ERRORS, SyncFailed),
    retry_backoff=60,
    time_limit=API_SYNC_TIME_LIMIT,
)
def api_sync_run(sync_id: int) -> None:
    """An owner's refresh or the daily one (works.openalex_api.sync). An API that does not
    answer fails the run with its cursors kept; the retry resumes it from there."""
    sync.api_sync_run(sync_id=sync_id)


@shared_task(base=RetryingTask)
def api_sync_institutions_refresh() -> int:
    """Celery beat's daily entry (bzpeer/settings.py CELERY_BEAT_SCHEDULE): every institution
    synced before, again, one api_sync_run each."""
    with transaction.atomic():
        sync_ids = sync.api_sync_queue_institutions()
        for sync_id in sync_ids:
            api_sync_run.delay_on_commit(sync_id)
    return len(sync_ids)
