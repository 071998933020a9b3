"""Keeping claimed records fresh from the OpenAlex API: the owner's "Refresh from OpenAlex"
(at most one per RECORD_REFRESH_INTERVAL per record) and beat's daily refresh of every
claimed record. Both queue a works.ApiSync of the record's scope, with from_updated_date the
day its last successful sync began, for works.tasks.api_sync_run."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bzpeer.errors import ActionError
from profiles.models import Claim
from profiles.selectors.refresh import record_sync_scope, refresh_interval
from works.models import ApiSync, Author
from works.openalex_api.selectors import api_sync_last_asked
from works.openalex_api.sync import AUTHOR, SyncError, api_sync_queue, api_sync_scope
from works.tasks import api_sync_run as api_sync_run_task


class RefreshError(ActionError):
    """A refresh that cannot be queued; the message is shown to the owner as it is."""


class RefreshTooSoon(RefreshError):
    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


def record_refresh_request(*, author: Author) -> ApiSync:
    """Queue a refresh of the record and its works (the caller checked who may ask).
    RefreshTooSoon within RECORD_REFRESH_INTERVAL of the last one asked."""
    scope = record_sync_scope(author)
    if scope is None:
        raise RefreshError("This record is not in OpenAlex: there is nothing to refresh it from.")
    with transaction.atomic():
        # The record's row locked: two requests at once are counted one after the other.
        Author.objects.select_for_update().filter(pk=author.pk).first()
        asked = api_sync_last_asked(
            scope=scope, origin=ApiSync.Origin.OWNER, after=timezone.now() - refresh_interval()
        )
        if asked is not None:
            retry_at = asked.requested_at + refresh_interval()
            raise RefreshTooSoon(
                f"A refresh of this record was asked at {asked.requested_at:%H:%M} UTC; you "
                f"can ask again after {retry_at:%H:%M} UTC.",
                retry_at=retry_at,
            )
        sync = api_sync_queue(scope=scope, origin=ApiSync.Origin.OWNER)
        api_sync_run_task.delay_on_commit(sync.pk)
    return sync


def record_refresh_all() -> int:
    """Beat's daily entry: one queued refresh per record with an active claim."""
    queued = 0
    for openalex_id in Claim.objects.active().values_list("author__openalex_id", flat=True):
        try:
            scope = api_sync_scope(AUTHOR, openalex_id)
        except SyncError:
            continue  # a demo record
        with transaction.atomic():
            sync = api_sync_queue(scope=scope, origin=ApiSync.Origin.SCHEDULE)
            api_sync_run_task.delay_on_commit(sync.pk)
        queued += 1
    return queued
