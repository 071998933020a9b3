"""Thin tasks: an id in, a service call, the result in our own tables (graph/models.py).
graph.panels queues them; nothing here imports it back."""

from celery import shared_task

from bzpeer.celery import RetryingTask
from graph import services


@shared_task(base=RetryingTask)
def trust_score_compute(author_id: int) -> None:
    services.trust_score_compute(author_id=author_id)


@shared_task(base=RetryingTask)
def graph_slice_compute(author_id: int) -> None:
    services.graph_slice_compute(author_id=author_id)
