"""Reads of the API syncs, for the owner's refresh panel."""

from datetime import datetime

from works.models import ApiSync


def api_sync_latest(*, scope: str) -> ApiSync | None:
    return ApiSync.objects.filter(scope=scope).first()


def api_sync_last_done(*, scope: str) -> ApiSync | None:
    return ApiSync.objects.filter(scope=scope, status=ApiSync.Status.DONE).first()


def api_sync_last_asked(*, scope: str, origin: str, after: datetime) -> ApiSync | None:
    """The newest run of `scope` asked by `origin` after `after`, if any."""
    return ApiSync.objects.filter(scope=scope, origin=origin, requested_at__gt=after).first()
