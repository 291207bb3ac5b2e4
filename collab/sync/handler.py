"""The shape of an op handler: it changes the board's state and returns the event's `data`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ..models import Board
from .access import Actor


class Handler(Protocol):
    def __call__(self, session: Session, actor: Actor, board: Board, data: Any, now: datetime) -> dict[str, Any]: ...
