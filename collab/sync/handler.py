"""What an op handler gets and gives: the locked board's row, and the event's `data`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from .access import Actor


@dataclass(frozen=True)
class BoardRow:
    """The board as the seq-taking UPDATE … RETURNING read it, under the write lock (SYNC-3)."""

    id: str
    workshop_id: str
    group_id: str | None
    locked: bool
    zones: list[dict[str, Any]]


class Handler(Protocol):
    def __call__(
        self, session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime
    ) -> dict[str, Any]: ...
