"""What the researcher page's trust and graph panels show: the stored result, or the queueing
of its computation (the task's work is graph.services).

A panel asks for a result with `*_ensure`: if the stored one is missing or stale, the request
that changes `queued_at` on the row (a conditional UPDATE that must change exactly one row)
queues the task, on commit; every other request at the same time sees the row already queued
and waits. The worker stores the result and clears `queued_at`. A computation queued longer
ago than WORKER_SILENT_AFTER without a result means the worker is not answering (a worker
killed mid-task leaves its message unacknowledged until the broker's visibility timeout):
the panel's poll queues it once more, and if that brings nothing either the panel says so;
the next page view or a click on "Try again" may queue it again.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from celery import Task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from graph import tasks
from graph.models import Computed, GraphSlice, TrustScore
from graph.selectors import graph_fingerprint_get, trust_fingerprint_get
from works.models import Author

WORKER_SILENT_AFTER = timedelta(seconds=20)

logger = logging.getLogger(__name__)


class PanelState(StrEnum):
    READY = "ready"  # a current result
    BUILDING = "building"  # queued recently, no current result yet
    NOT_ANSWERING = "not-answering"  # the broker refused the task, or the worker is silent


@dataclass
class Panel:
    state: PanelState
    row: Computed  # its result (if any) is shown in every state, marked out of date if so
    requeued: bool = False  # a poll found the worker silent and queued the computation again


def _is_current(row: Computed, fingerprint: str) -> bool:
    return row.has_result and not row.is_stale and row.input_fingerprint == fingerprint


def _ensure(
    model: type[Computed],
    *,
    author: Author,
    fingerprint: str,
    task: Task,
    may_queue: bool,
    may_requeue: bool = False,
) -> Panel:
    """`may_queue`: a load or "Try again" queues a missing or stale result. `may_requeue`: a
    poll queues once more a computation the worker has been silent about."""
    row = model.objects.filter(author=author).first()
    if row is None:
        # The row must exist before anyone can claim it; two first views may race here,
        # hence ON CONFLICT DO NOTHING rather than a plain INSERT.
        model.objects.bulk_create([model(author=author)], ignore_conflicts=True)
        row = model.objects.get(author=author)
    if _is_current(row, fingerprint):
        return Panel(PanelState.READY, row)
    now = timezone.now()
    silent = row.queued_at is not None and row.queued_at < now - WORKER_SILENT_AFTER
    requeued = may_requeue and silent
    if not (may_queue or requeued):
        return Panel(PanelState.NOT_ANSWERING if silent else PanelState.BUILDING, row)
    try:
        with transaction.atomic():
            # The claim: exactly one of any number of simultaneous requests changes the row.
            claimed = (
                model.objects.filter(author=author)
                .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - WORKER_SILENT_AFTER))
                .update(queued_at=now)
            )
            if claimed == 1:
                task.delay_on_commit(author.id)
    except Exception as exc:
        # The broker refused the task, or (tasks in-process, the zero-setup default) the task
        # ran on commit in this request and failed even after its retries: the panel says the
        # worker is not answering, never a 500. The claim committed before: release it, so
        # "Try again" (or the next page view) can queue at once.
        if not (isinstance(exc, BrokerError) or task.app.conf.task_always_eager):
            raise
        # The broker's refusal is one line; a task's failure comes with its traceback.
        in_process = not isinstance(exc, BrokerError)
        logger.warning("%s of author %s: %r", task.name, author.id, exc, exc_info=in_process)
        model.objects.filter(author=author, queued_at=now).update(queued_at=None)
        row.refresh_from_db()
        return Panel(PanelState.NOT_ANSWERING, row, requeued)
    # Without a broker (the zero-setup default) the task ran in-process on commit.
    row.refresh_from_db()
    state = PanelState.READY if _is_current(row, fingerprint) else PanelState.BUILDING
    return Panel(state, row, requeued)


def trust_score_ensure(
    *, author: Author, may_queue: bool = True, may_requeue: bool = False
) -> Panel:
    return _ensure(
        TrustScore,
        author=author,
        fingerprint=trust_fingerprint_get(author=author),
        task=tasks.trust_score_compute,
        may_queue=may_queue,
        may_requeue=may_requeue,
    )


def graph_slice_ensure(
    *, author: Author, may_queue: bool = True, may_requeue: bool = False
) -> Panel:
    return _ensure(
        GraphSlice,
        author=author,
        fingerprint=graph_fingerprint_get(author=author),
        task=tasks.graph_slice_compute,
        may_queue=may_queue,
        may_requeue=may_requeue,
    )
