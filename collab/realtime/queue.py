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
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import redis
import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

SYNC_CHECK = "sync:check"
RETRY_SECONDS = 0.5  # between attempts to listen again
PUBLISH_TIMEOUT_SECONDS = 1.0  # an op's broadcast never waits longer on the queue …
PUBLISH_PAUSE_SECONDS = 2.0  # … and after a failure, broadcasts stay local this long before trying again
# A peer that went silent is noticed in about 10 s (idle 4 s, then 3 probes 2 s apart).
KEEPALIVE = {socket.TCP_KEEPIDLE: 4, socket.TCP_KEEPINTVL: 2, socket.TCP_KEEPCNT: 3}


class RecoveringRedisManager(socketio.RedisManager):
    # What to do once the queue works again: the app sets collab.mutations.catch_up_everyone, which
    # sends `sync:check` to every client of every process (and each process re-checks its connections'
    # access, collab.realtime.readers).
    on_recovered: Callable[[], None] | None = None

    def __init__(self, url: str, **kwargs: Any) -> None:
        options = kwargs.pop("redis_options", None) or {}
        options.setdefault("socket_keepalive", True)
        options.setdefault("socket_keepalive_options", KEEPALIVE)
        options.setdefault("socket_connect_timeout", PUBLISH_TIMEOUT_SECONDS)
        options.setdefault("retry", Retry(NoBackoff(), 0))  # no retrying inside redis-py: the loop below does
        super().__init__(url, redis_options=options, **kwargs)
        self._publisher = redis.Redis.from_url(
            url, socket_timeout=PUBLISH_TIMEOUT_SECONDS, socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS,
            socket_keepalive=True, socket_keepalive_options=KEEPALIVE,
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),  # a connection left from before
        )
        self.publish_failed = False  # since the queue was last seen working
        self._publish_paused_until = 0.0

    def _publish(self, data: Any) -> Any:
        if self.publish_failed and time.monotonic() < self._publish_paused_until:
            return None
        try:
            receivers = self._publisher.publish(self.channel, self.json.dumps(data))
        except redis.RedisError as err:
            if not self.publish_failed:
                log.warning("message queue unreachable: events reach only this process's clients (%s)", err)
                self.server.start_background_task(self._probe)
            self.publish_failed = True
            self._publish_paused_until = time.monotonic() + PUBLISH_PAUSE_SECONDS
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

    def _probe(self) -> None:
        """While publishing fails, ask the queue now and then: its return is news even when no event
        is sent and this process's listener never noticed (a network that dropped packets)."""
        while self.publish_failed:
            self.server.sleep(PUBLISH_PAUSE_SECONDS)
            try:
                self._publisher.ping()
            except redis.RedisError:
                continue
            if self.publish_failed:
                self.recovered()

    def recovered(self) -> None:
        """Listening again: every client, here and on the other processes, catches up."""
        log.warning("message queue back: clients catch up")
        self.publish_failed = False
        if self.on_recovered is not None:
            self.on_recovered()  # here, then through the queue

    def _close_quietly(self) -> None:
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:  # noqa: BLE001, S110 - it is being replaced
            pass
