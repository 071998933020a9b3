"""What the owner's "Refresh from OpenAlex" panel shows (profiles/services/refresh.py queues
the refreshes)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from works.models import ApiSync, Author
from works.openalex_api.selectors import api_sync_last_asked, api_sync_last_done, api_sync_latest
from works.openalex_api.sync import AUTHOR, SyncError, api_sync_scope


@dataclass(frozen=True)
class RefreshState:
    """What the owner's panel says: whether the record can be synced at all, the run in
    hand (queued or running), the last one done, the last failure, and when they may ask."""

    syncable: bool
    pending: ApiSync | None = None
    last_done: ApiSync | None = None
    failed: ApiSync | None = None
    retry_at: datetime | None = None


def refresh_interval() -> timedelta:
    return timedelta(seconds=settings.RECORD_REFRESH_INTERVAL)


def record_sync_scope(author: Author) -> str | None:
    try:
        return api_sync_scope(AUTHOR, author.openalex_id)
    except SyncError:
        return None  # a demo record: OpenAlex never had it


def record_refresh_state(*, author: Author) -> RefreshState:
    scope = record_sync_scope(author)
    if scope is None:
        return RefreshState(syncable=False)
    latest = api_sync_latest(scope=scope)
    asked = api_sync_last_asked(
        scope=scope, origin=ApiSync.Origin.OWNER, after=timezone.now() - refresh_interval()
    )
    pending = (ApiSync.Status.QUEUED, ApiSync.Status.RUNNING)
    return RefreshState(
        syncable=True,
        pending=latest if latest and latest.status in pending else None,
        last_done=api_sync_last_done(scope=scope),
        failed=latest if latest and latest.status == ApiSync.Status.FAILED else None,
        retry_at=asked.requested_at + refresh_interval() if asked else None,
    )
