"""Board ops (facilitators only): lock and unlock a board. A locked board refuses participants' ops
with `locked` (collab.sync.access); facilitators still write. The event carries the board's new state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..models import Board
from .access import Actor
from .errors import N_, OpError
from .handler import BoardRow, Handler


def _lock(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can lock or unlock a board."))
    session.execute(update(Board).where(Board.id == board.id).values(locked=data.locked))
    return {"board": {"id": board.id, "locked": data.locked}}


HANDLERS: dict[str, Handler] = {"board.lock": _lock}
