"""Who is connected to which board (SYNC-11). Volatile: in memory, never in the database.

`Presence` knows this process's connections. With several processes (a Redis message queue),
`SharedPresence` also mirrors them in Redis so that every process lists everyone on a board; each
process keeps a heartbeat key alive, and the entries of a process whose heartbeat expired (it
crashed) are dropped when read. While Redis cannot be reached, presence falls back to this process's
connections (a join never fails for it); after the outage, clients join again (`sync:check`,
collab/realtime/queue.py), which writes their entries back.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .sync.access import Actor

log = logging.getLogger(__name__)


MODES = ("board", "capture", "watch")  # strongest first: a person's entry takes their strongest connection


class Presence:
    def __init__(self) -> None:
        self._boards: dict[str, dict[str, tuple[Actor, str]]] = {}
        self._lock = threading.Lock()

    def add(self, board_id: str, sid: str, actor: Actor, mode: str = "board") -> None:
        """`mode`: how the connection is on the board (docs/sync-spec.md SYNC-11): "board" (its page),
        "capture" (the capture screen, posting to it) or "watch" (a facilitator's console)."""
        with self._lock:
            self._boards.setdefault(board_id, {})[sid] = (actor, mode)

    def remove(self, board_id: str, sid: str) -> bool:
        with self._lock:
            members = self._boards.get(board_id)
            if not members or members.pop(sid, None) is None:
                return False
            if not members:
                del self._boards[board_id]
            return True

    def boards_of(self, sid: str) -> list[str]:
        with self._lock:
            return [board_id for board_id, members in self._boards.items() if sid in members]

    def participants(self, board_id: str) -> list[dict[str, Any]]:
        """One entry per person, however many tabs they have open, sorted by name."""
        with self._lock:
            people = [_person(actor, mode) for actor, mode in self._boards.get(board_id, {}).values()]
        return _one_each(people)


def _person(actor: Actor, mode: str) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name, "role": actor.role, "group_id": actor.group_id, "mode": mode}


def _strength(person: dict[str, Any]) -> int:
    mode = person.get("mode", "board")  # entries written before modes existed
    return MODES.index(mode) if mode in MODES else 0


def _one_each(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per person, with their strongest mode (a board page beats a capture screen beats watching)."""
    unique: dict[str, dict[str, Any]] = {}
    for person in people:
        kept = unique.get(person["id"])
        if kept is None or _strength(person) < _strength(kept):
            unique[person["id"]] = {**person, "mode": MODES[_strength(person)]}
    return sorted(unique.values(), key=lambda p: (p["name"].casefold(), p["id"]))


class SharedPresence(Presence):
    HEARTBEAT_SECONDS = 10
    PROCESS_TTL_SECONDS = 30
    TIMEOUT_SECONDS = 1  # a Redis that does not answer costs a join at most this …
    PAUSE_SECONDS = 5  # … and then presence stays in this process for this long before trying again

    def __init__(
        self,
        redis_url: str,
        spawn: Callable[[Callable[[], None]], Any],
        sleep: Callable[[float], None],
        prefix: str = "collab:presence",
    ) -> None:
        """`spawn` and `sleep` come from the async mode (socketio.start_background_task, socketio.sleep)."""
        super().__init__()
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=self.TIMEOUT_SECONDS,
                                           socket_connect_timeout=self.TIMEOUT_SECONDS, socket_keepalive=True,
                                           retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)))
        self._paused_until = 0.0
        self._spawn, self._sleep = spawn, sleep
        self._prefix = prefix
        self._process = uuid.uuid4().hex
        self._beating = False

    def add(self, board_id: str, sid: str, actor: Actor, mode: str = "board") -> None:
        super().add(board_id, sid, actor, mode)
        if self._reachable():
            try:
                self._beat()
                self._redis.hset(self._board_key(board_id), f"{self._process}:{sid}", json.dumps(_person(actor, mode)))
            except redis.RedisError as err:
                self._unreachable(err)

    def remove(self, board_id: str, sid: str) -> bool:
        removed = super().remove(board_id, sid)
        if removed and self._reachable():
            try:
                self._redis.hdel(self._board_key(board_id), f"{self._process}:{sid}")
            except redis.RedisError as err:  # its entry goes with this process's heartbeat, or a restart
                self._unreachable(err)
        return removed

    def participants(self, board_id: str) -> list[dict[str, Any]]:
        if self._reachable():
            try:
                return self._shared_participants(board_id)
            except redis.RedisError as err:
                self._unreachable(err)
        return super().participants(board_id)  # this process's connections only

    def _reachable(self) -> bool:
        return time.monotonic() >= self._paused_until

    def _unreachable(self, err: Exception) -> None:
        log.warning("presence: Redis unreachable, this process only for %ss (%s)", self.PAUSE_SECONDS, err)
        self._paused_until = time.monotonic() + self.PAUSE_SECONDS

    def _shared_participants(self, board_id: str) -> list[dict[str, Any]]:
        self._beat()
        entries = self._redis.hgetall(self._board_key(board_id))
        processes = {field.split(b":", 1)[0] for field in entries}
        alive = {p for p in processes if p == self._process.encode() or self._redis.exists(self._process_key(p))}
        dead = [field for field in entries if field.split(b":", 1)[0] not in alive]
        if dead:
            self._redis.hdel(self._board_key(board_id), *dead)
        return _one_each([json.loads(value) for field, value in entries.items() if field not in dead])

    def _beat(self) -> None:
        """Start this process's heartbeat the first time presence is used."""
        if not self._beating:
            self._beating = True
            try:
                self._redis.set(self._process_key(self._process.encode()), b"1", ex=self.PROCESS_TTL_SECONDS)
            except redis.RedisError:
                self._beating = False  # the next use tries again
                raise
            self._spawn(self._heartbeat)

    def _heartbeat(self) -> None:
        while True:
            self._sleep(self.HEARTBEAT_SECONDS)
            try:
                self._redis.set(self._process_key(self._process.encode()), b"1", ex=self.PROCESS_TTL_SECONDS)
            except redis.RedisError:
                log.warning("presence heartbeat failed; retrying", exc_info=True)

    def _board_key(self, board_id: str) -> str:
        return f"{self._prefix}:board:{board_id}"

    def _process_key(self, process: bytes) -> str:
        return f"{self._prefix}:process:{process.decode()}"
