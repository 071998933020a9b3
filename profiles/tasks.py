"""Thin tasks over profiles.services.follows: the daily digest, fanned out one task per
account so one failing mailbox does not hold up the others."""

from celery import shared_task

from bzpeer.celery import RetryingTask
from profiles.selectors.follows import digest_user_ids
from profiles.services import follows, refresh


@shared_task(base=RetryingTask)
def follow_digest_send(user_id: int) -> int:
    return follows.follow_digest_send(user_id=user_id)


@shared_task(base=RetryingTask)
def follow_digest_send_all() -> int:
    """Celery beat's daily entry (bzpeer/settings.py CELERY_BEAT_SCHEDULE)."""
    user_ids = digest_user_ids()
    for user_id in user_ids:
        follow_digest_send.delay(user_id)
    return len(user_ids)


@shared_task(base=RetryingTask)
def record_refresh_all() -> int:
    """Celery beat's daily refresh of every claimed record from the OpenAlex API
    (bzpeer/settings.py CELERY_BEAT_SCHEDULE); one works.tasks.api_sync_run per record."""
    return refresh.record_refresh_all()
