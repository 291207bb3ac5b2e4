"""Rate limits (docs/protocol.md, "Rate limits"), on the `limits` library.

Counters live in memory for one process, or in Redis when several processes share a message queue.
"""

from __future__ import annotations

from limits import parse_many
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
        if not all(self._limiter.hit(item, "op", participant_id) for item in self._op_limits):
            raise OpError("rate_limited", N_("Too many changes at once: wait a moment and try again."))

    def join_blocked(self, client: str) -> bool:
        """Whether this client has sent too many wrong join codes lately (without counting one)."""
        return not all(self._limiter.test(item, "join-failure", client) for item in self._join_failures)

    def join_failed(self, client: str) -> None:
        for item in self._join_failures:
            self._limiter.hit(item, "join-failure", client)
