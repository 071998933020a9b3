"""Thin tasks: an id in, a service call, the result in our own tables (graph/models.py)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from graph import services

# A database that went away for a moment is worth another try; anything else is a bug to see.
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def trust_score_compute(author_id: int) -> None:
    services.trust_score_compute(author_id=author_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def graph_slice_compute(author_id: int) -> None:
    services.graph_slice_compute(author_id=author_id)
