"""Thin tasks over profiles.follow_services: the daily digest, fanned out one task per
account so one failing mailbox does not hold up the others."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from profiles import follow_services
from profiles.follow_selectors import digest_user_ids

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def follow_digest_send(user_id: int) -> int:
    return follow_services.follow_digest_send(user_id=user_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def follow_digest_send_all() -> int:
    """Celery beat's daily entry (bzpeer/settings.py CELERY_BEAT_SCHEDULE)."""
    user_ids = digest_user_ids()
    for user_id in user_ids:
        follow_digest_send.delay(user_id)
    return len(user_ids)
