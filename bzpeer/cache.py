"""Django's Redis cache, made to fail open: while Redis cannot be reached the cache behaves as
an empty one that forgets what it is given, so pages render uncached and allauth's rate limits
(kept in this cache) let requests through, where every such request used to answer 500.
Redis coming back needs no restart: the first call after RETRY_AFTER tries it again."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# After a failure, calls skip Redis for this long: an outage costs one connect timeout per
# process and window instead of one per cache call, and one warning in the log.
RETRY_AFTER = 2.0


class FailOpenRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0

    def _or[T](self, fallback: T, call: Callable[..., T], *args: Any) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call(*args)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Redis cache unreachable, serving without it: %s", exc)
            return fallback

    # As an empty cache: reads miss, writes are dropped, and add() succeeds (allauth takes
    # its rate-limit lock with add(), and would wait a second for a lock that never comes).

    def get(self, key: Any, default: Any) -> Any:
        return self._or(default, super().get, key, default)

    def get_many(self, keys: Any) -> dict:
        return self._or({}, super().get_many, keys)

    def has_key(self, key: Any) -> bool:
        return self._or(False, super().has_key, key)

    def add(self, key: Any, value: Any, timeout: int | None) -> bool:
        return self._or(True, super().add, key, value, timeout)

    def set(self, key: Any, value: Any, timeout: int | None) -> None:
        self._or(None, super().set, key, value, timeout)

    def set_many(self, data: dict, timeout: int | None) -> None:
        self._or(None, super().set_many, data, timeout)

    def touch(self, key: Any, timeout: int | None) -> bool:
        return self._or(False, super().touch, key, timeout)

    def delete(self, key: Any) -> bool:
        return self._or(False, super().delete, key)

    def delete_many(self, keys: Any) -> None:
        self._or(None, super().delete_many, keys)

    def incr(self, key: Any, delta: int) -> int:
        missing = object()
        value = self._or(missing, super().incr, key, delta)
        if value is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unreachable)")
        return value

    def clear(self) -> bool:
        return self._or(False, super().clear)


class FailOpenRedisCache(RedisCache):
    """settings.CACHES "BACKEND": "bzpeer.cache.FailOpenRedisCache", with short
    socket_connect_timeout and socket_timeout in OPTIONS: they bound what a dead Redis costs."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient
