"""This process's connections and what each may read, for the live delivery (docs/sync-spec.md
SYNC-15; collab.realtime.delivery calls `ReaderPolicy` for every message it sends).

`Readers` knows, for the connections this process holds: who each one is (as authenticated at
connect), which boards it joined, each joined board's workshop and group (facts that never change),
and each workshop's hidden-groups flag with its live seq. The flag follows the `live` messages, which
reach every process through the same queue as the events, in order: when a facilitator hides the
groups, every process drops the other groups' boards of its participants' connections at once.
Changes of a person (moved, removed, session ended) close their connections on every process through
an `access` message (collab.mutations.end_access); a reconnection is authenticated afresh. When the
queue comes back after an outage (`sync:check`), such messages may have been lost: every process then
re-reads its connections' people and workshops from the database (handlers.recheck_connections).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..sync.access import Actor, read_refusal
from ..sync.wire import as_seen_by
from .delivery import SKIP, PerReader

log = logging.getLogger(__name__)

BOARD_ROOM = "board:"
WORKSHOP_ROOM = "workshop:"
PARTICIPANT_ROOM = "participant:"


@dataclass
class Connection:
    actor: Actor
    locale: str
    boards: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class BoardFacts:
    workshop_id: str
    group_id: str | None


class Readers:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._boards: dict[str, BoardFacts] = {}
        self._hidden: dict[str, tuple[int, bool]] = {}  # workshop id -> (live seq, groups hidden)

    def connected(self, sid: str, actor: Actor, locale: str) -> None:
        with self._lock:
            self._connections[sid] = Connection(actor, locale)

    def disconnected(self, sid: str) -> None:
        with self._lock:
            self._connections.pop(sid, None)

    def get(self, sid: str) -> Connection | None:
        return self._connections.get(sid)

    def all(self) -> list[tuple[str, Connection]]:
        with self._lock:
            return list(self._connections.items())

    def joined(self, sid: str, board_id: str, facts: BoardFacts) -> None:
        with self._lock:
            self._boards[board_id] = facts
            connection = self._connections.get(sid)
            if connection is not None:
                connection.boards.add(board_id)

    def left(self, sid: str, board_id: str) -> None:
        with self._lock:
            connection = self._connections.get(sid)
            if connection is not None:
                connection.boards.discard(board_id)

    def note_live(self, workshop_id: str, seq: int, hidden: bool) -> None:
        """The workshop's hidden-groups flag as of live seq `seq` (an older one changes nothing)."""
        with self._lock:
            known = self._hidden.get(workshop_id)
            if known is None or seq >= known[0]:
                self._hidden[workshop_id] = (seq, hidden)

    def may_read(self, actor: Actor, board_id: str) -> bool:
        facts = self._boards.get(board_id)
        if facts is None:
            return False
        hidden = self._hidden.get(facts.workshop_id, (0, False))[1]
        return read_refusal(actor, facts.workshop_id, facts.group_id, groups_hidden=hidden) is None


class ReaderPolicy:
    """What each connection gets of a message (collab.realtime.delivery.DeliveryPolicy)."""

    def __init__(self, readers: Readers, lose_board: Callable[[str, str], None],
                 close: Callable[[str], None], recheck: Callable[[], None]) -> None:
        self.readers = readers
        self._lose_board = lose_board  # (sid, board_id): take the connection off the board
        self._close = close  # sid: close the connection (this process's)
        self._recheck = recheck  # re-read every connection's access from the database (in the background)

    def view(self, event: str, data: Any, room: str) -> PerReader | None:
        if not room.startswith(BOARD_ROOM):
            return None
        board_id = room[len(BOARD_ROOM):]
        readers = self.readers
        if event == "event" and isinstance(data, dict):
            redacted = as_seen_by(data, None)  # a hidden vote's dot: only its voter sees where (SYNC-14)
            author = data.get("actor_id")

            def event_for(sid: str) -> Any:
                connection = readers.get(sid)
                if connection is None or not readers.may_read(connection.actor, board_id):
                    return SKIP
                return data if connection.actor.id == author else redacted

            return event_for

        def same_for(sid: str) -> Any:
            connection = readers.get(sid)
            if connection is None or not readers.may_read(connection.actor, board_id):
                return SKIP
            return data

        return same_for

    def after(self, event: str, data: Any, room: str | None, sids: list[str]) -> None:
        try:
            if event == "sync:check":  # the queue is back: access messages may have been lost meanwhile
                self._recheck()
            elif room is None:
                return
            elif event == "live" and room.startswith(WORKSHOP_ROOM) and isinstance(data, dict):
                self._live(data, sids)
            elif event == "access":  # to a person's connections, or a whole (deleted) workshop's
                for sid in sids:
                    self._close(sid)
        except Exception:
            log.exception("access change of %s could not be applied to this process's connections", room)

    def _live(self, message: dict[str, Any], sids: list[str]) -> None:
        state = message.get("state") or {}
        hidden = bool(state.get("groups_hidden"))
        self.readers.note_live(str(message.get("workshop_id")), int(message.get("seq") or 0), hidden)
        if not hidden:
            return
        for sid in sids:
            connection = self.readers.get(sid)
            if connection is None:
                continue
            for board_id in list(connection.boards):
                if not self.readers.may_read(connection.actor, board_id):
                    self._lose_board(sid, board_id)
