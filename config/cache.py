"""Django's Redis cache, made to degrade quietly when Redis is down.

Everything Hearth keeps in the cache can be recomputed from PostgreSQL (site settings, content
notes) or is a limit that may fail open for a while (allauth's sign-in limits, the reports
counter). So a Redis outage must never become a 500: each failed call is logged and answered
as a miss (``get`` returns the default, ``add`` succeeds as on an absent key, ``delete`` finds
nothing, ``incr`` says the key is missing). After a failure the backend leaves Redis alone for ``RETRY_AFTER``
seconds, so an unreachable or hanging Redis costs at most one short timeout per process in
that window, not one per call. The socket timeouts are short (``OPTIONS`` in settings).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
# Django builds one backend instance per thread; the outage window is shared by all of them.
_down_until: dict[str, float] = {}


class ForgivingRedisCache(RedisCache):
    """RedisCache whose failures are misses, logged at most once per outage window."""

    def _redis_is_resting(self) -> bool:
        return time.monotonic() < _down_until.get(self._location_key, 0.0)

    @property
    def _location_key(self) -> str:
        return str(self._servers)

    def _failed(self, operation: str, error: Exception) -> None:
        if not self._redis_is_resting():
            logger.warning(
                "cache unavailable (%s: %s); serving without it for %ss",
                operation,
                error.__class__.__name__,
                RETRY_AFTER,
            )
        _down_until[self._location_key] = time.monotonic() + RETRY_AFTER

    def _call(self, operation: str, fallback, call):
        if self._redis_is_resting():
            return fallback
        try:
            return call()
        except RedisError as error:
            self._failed(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # A miss means the key is absent, and ``add`` of an absent key succeeds: True. So locks
        # taken with ``add`` (allauth's rate limiter) are granted and limits fail open, not shut.
        return self._call("add", True, lambda: super(ForgivingRedisCache, self).add(key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._call("get", default, lambda: super(ForgivingRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, lambda: super(ForgivingRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, lambda: super(ForgivingRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        return self._call("delete", False, lambda: super(ForgivingRedisCache, self).delete(key, version))

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, lambda: super(ForgivingRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._call("has_key", False, lambda: super(ForgivingRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        if self._redis_is_resting():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._failed("incr", error)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many", list(data), lambda: super(ForgivingRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, lambda: super(ForgivingRedisCache, self).delete_many(keys, version))

    def clear(self):
        return self._call("clear", False, lambda: super(ForgivingRedisCache, self).clear())
