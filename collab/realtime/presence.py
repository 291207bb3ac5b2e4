"""Who is connected to which board. Volatile: kept in this process's memory, never stored."""

from __future__ import annotations

import threading
from typing import Any

from ..sync.access import Actor


class Presence:
    def __init__(self) -> None:
        self._boards: dict[str, dict[str, Actor]] = {}
        self._lock = threading.Lock()

    def add(self, board_id: str, sid: str, actor: Actor) -> None:
        with self._lock:
            self._boards.setdefault(board_id, {})[sid] = actor

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
            actors = {actor.id: actor for actor in self._boards.get(board_id, {}).values()}
        return sorted(
            (
                {"id": a.id, "name": a.name, "role": a.role, "group_id": a.group_id}
                for a in actors.values()
            ),
            key=lambda p: (p["name"].casefold(), p["id"]),
        )
