"""Anonymous reads limited per client address: a fixed-window counter in Django's cache
(Redis in production, shared by every web process). The client address is the one allauth's
login throttles count (TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER), so a forged
X-Forwarded-For buys nothing."""

import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


def _client(request: HttpRequest) -> str:
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "unknown"  # no usable address: all such clients share one allowance


def throttle_hit(request: HttpRequest) -> Allowance:
    """Count this request against its client's window: two cache round trips (add, incr)."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
    now = time.time()
    start = int(now // window) * window
    key = f"api-rate:{_client(request)}:{start}"
    # add() is a no-op if the key exists: the first request of a window creates it, and the
    # key expires with the window, so nothing needs cleaning up.
    cache.add(key, 0, timeout=window + 1)
    try:
        used = cache.incr(key, 1)
    except ValueError:
        # The key vanished between add and incr (evicted, or Redis unreachable: the cache
        # fails open, and so does the throttle, as the login throttles do).
        used = 1
    retry_after = max(1, int(start + window - now + 0.999))
    return Allowance(
        allowed=used <= limit,
        limit=limit,
        remaining=max(0, limit - used),
        retry_after=retry_after,
    )
