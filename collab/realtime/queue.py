"""The Redis message queue between processes, and what happens when it goes away and comes back
(docs/protocol.md, "Outages"; docs/sync-spec.md SYNC-8).

python-socketio's `RedisManager` listens in a loop that, after a failure, waits 1, 2, 4, 8 … up to
60 s between attempts: after a short outage a process went on missing the others' events for up to
that long, and the events sent while the queue was down never reached the other processes' clients
at all. `RecoveringRedisManager` retries every half second, publishes with short timeouts (an op is
acknowledged whatever the queue does: its event is in the database), and once its listener is
subscribed again it sends `sync:check` to every client of every process (locally at once, and
through the queue for the processes whose own listener never noticed). A client that gets
`sync:check` joins its board again with `since` (SYNC-7), which brings what it missed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import redis
import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

SYNC_CHECK = "sync:check"
RETRY_SECONDS = 0.5  # between attempts to listen again
PUBLISH_TIMEOUT_SECONDS = 2.0  # an op's broadcast never waits longer on the queue


class RecoveringRedisManager(socketio.RedisManager):
    def __init__(self, url: str, **kwargs: Any) -> None:
        options = kwargs.pop("redis_options", None) or {}
        options.setdefault("socket_keepalive", True)
        options.setdefault("socket_connect_timeout", PUBLISH_TIMEOUT_SECONDS)
        options.setdefault("retry", Retry(NoBackoff(), 0))  # no retrying inside redis-py: the loop below does
        super().__init__(url, redis_options=options, **kwargs)
        self._publisher = redis.Redis.from_url(
            url, socket_timeout=PUBLISH_TIMEOUT_SECONDS, socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS,
            socket_keepalive=True, retry=Retry(NoBackoff(), 1),  # once: a connection left from before an outage
        )
        self.publish_failed = False  # since the queue was last seen working

    def _publish(self, data: Any) -> Any:
        try:
            receivers = self._publisher.publish(self.channel, self.json.dumps(data))
        except redis.RedisError as err:
            if not self.publish_failed:
                log.warning("message queue unreachable: events reach only this process's clients (%s)", err)
            self.publish_failed = True
            return None
        if self.publish_failed:
            self.recovered()  # the queue works again, though this process's listener never noticed
        return receivers

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        lost = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if lost or self.publish_failed:
                    self.recovered()
                    lost = False
                yield from self.pubsub.listen()
            except Exception as err:  # noqa: BLE001 - whatever broke, listen again
                if not lost:
                    log.warning("message queue lost, listening again every %ss (%s)", RETRY_SECONDS, err)
                lost = True
                self._close_quietly()
                time.sleep(RETRY_SECONDS)

    def recovered(self) -> None:
        """Listening again: every client, here and on the other processes, catches up."""
        log.warning("message queue back: clients catch up")
        self.publish_failed = False
        self.server.emit(SYNC_CHECK, {}, namespace="/")  # here, then through the queue

    def _close_quietly(self) -> None:
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:  # noqa: BLE001, S110 - it is being replaced
            pass
