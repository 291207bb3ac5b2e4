"""Rate limits (docs/protocol.md, "Rate limits"), on the `limits` library.

Counters live in memory for one process, or in Redis when several processes share a message queue.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .sync.errors import N_, OpError


class RateLimits:
    def __init__(self, storage_url: str, op_limit: str, join_failure_limit: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_url))
        self._op_limits = [] if op_limit == "off" else parse_many(op_limit)
        self._join_failures = [] if join_failure_limit == "off" else parse_many(join_failure_limit)

    def check_op(self, participant_id: str) -> None:
        """Count one op of this participant; refuse it past the limit."""
        for item in self._op_limits:
            if not self._limiter.hit(item, "op", participant_id):
                raise self._refusal(
                    item, ("op", participant_id), N_("Too many changes at once: wait a moment and try again.")
                )

    def check_join(self, client: str) -> None:
        """Refuse a wrong join code from a client that sent too many lately (without counting it)."""
        for item in self._join_failures:
            if not self._limiter.test(item, "join-failure", client):
                raise self._refusal(
                    item, ("join-failure", client), N_("Too many wrong codes: wait a minute and try again.")
                )

    def _refusal(self, item: RateLimitItem, keys: tuple[str, ...], message: str) -> OpError:
        error = OpError("rate_limited", message)
        reset_at = self._limiter.get_window_stats(item, *keys).reset_time
        error.retry_after = max(1, math.ceil(reset_at - time.time()))
        return error

    def join_failed(self, client: str) -> None:
        for item in self._join_failures:
            self._limiter.hit(item, "join-failure", client)
