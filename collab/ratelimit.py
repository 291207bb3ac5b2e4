"""The one rate-limit service (docs/protocol.md, "Rate limits"), on the `limits` library.

Each limit has a name (`op`, `upload`, `join_failure`, `login_failure`, `audience`) and a value
set in `collab/config.py` only (`config.RATE_LIMITS`). Counters live in memory for one process, or
in Redis when several processes share a message queue. While Redis cannot be reached, each process
counts on its own (in memory) rather than refusing every change: a write never fails because the
queue is down, and the limits still hold per process (docs/protocol.md, "Outages").
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

from .config import RATE_LIMITS
from .sync.errors import N_, OpError

log = logging.getLogger(__name__)

MESSAGES = {
    "op": N_("Too many changes at once: wait a moment and try again."),
    "upload": N_("Too many photos at once: wait a moment and try again."),
    "join_failure": N_("Too many wrong codes: wait a minute and try again."),
    "login_failure": N_("Too many failed sign-ins: wait a moment and try again."),
    "audience": N_("Too many requests: wait a moment and try again."),
}
RETRY_OUTAGE_SECONDS = 5  # how long a process counts on its own before it tries Redis again


class RateLimits:
    """Named moving-window limits. `hit` counts and refuses past the limit; `check` only refuses
    (for limits on failures, counted afterwards with `failed`)."""

    def __init__(self, storage_url: str, settings: Mapping[str, str]) -> None:
        self._is_shared = not storage_url.startswith("memory")
        # A Redis that stops answering (packets dropped) costs one request a second, then the
        # per-process window below: never a hang.
        options = {"socket_timeout": 1, "socket_connect_timeout": 1, "retry": Retry(NoBackoff(), 0)}
        self._shared = MovingWindowRateLimiter(storage_from_string(storage_url, **(options if self._is_shared else {})))
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._outage_until = 0.0
        self._items: dict[str, list[RateLimitItem]] = {
            name: ([] if settings[key] == "off" else parse_many(settings[key])) for name, key in RATE_LIMITS.items()
        }

    @classmethod
    def from_config(cls, storage_url: str, config: Mapping[str, str]) -> RateLimits:
        return cls(storage_url, {key: config[key] for key in RATE_LIMITS.values()})

    def hit(self, name: str, *keys: str) -> None:
        """Count one request under `name` for each key; refuse it (`rate_limited`) past the limit."""
        for key in keys:
            for item in self._items[name]:
                if not self._run("hit", item, name, key):
                    raise self._refusal(name, item, key)

    def check(self, name: str, *keys: str) -> None:
        """Refuse (`rate_limited`) when a key is past the limit, without counting."""
        for key in keys:
            for item in self._items[name]:
                if not self._run("test", item, name, key):
                    raise self._refusal(name, item, key)

    def failed(self, name: str, *keys: str) -> None:
        """Count one failure (a wrong code, a wrong password) for each key."""
        for key in keys:
            for item in self._items[name]:
                self._run("hit", item, name, key)

    def _limiter(self) -> MovingWindowRateLimiter:
        if self._is_shared and time.monotonic() >= self._outage_until:
            return self._shared
        return self._local

    def _run(self, method: str, item: RateLimitItem, name: str, key: str) -> bool:
        limiter = self._limiter()
        try:
            return bool(getattr(limiter, method)(item, name, key))
        except Exception:  # the shared storage is unreachable (Redis down): count in this process
            if limiter is self._local:
                raise
            log.warning("rate limits: shared storage unreachable, counting per process for %ss",
                        RETRY_OUTAGE_SECONDS)
            self._outage_until = time.monotonic() + RETRY_OUTAGE_SECONDS
            return bool(getattr(self._local, method)(item, name, key))

    def _refusal(self, name: str, item: RateLimitItem, key: str) -> OpError:
        error = OpError("rate_limited", MESSAGES[name])
        try:
            reset_at = self._limiter().get_window_stats(item, name, key).reset_time
        except Exception:
            reset_at = time.time() + 1
        error.retry_after = max(1, math.ceil(reset_at - time.time()))
        return error
