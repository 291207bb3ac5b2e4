"""Who may read and write which board (docs/protocol.md, "Permissions")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from ..models import Board, Participant
from .errors import N_, OpError


@dataclass(frozen=True)
class Actor:
    """The authenticated person behind a request, detached from any database session."""

    id: str
    name: str
    role: str
    workshop_id: str
    group_id: str | None

    @classmethod
    def of(cls, participant: Participant) -> Actor:
        return cls(
            id=participant.id,
            name=participant.name,
            role=participant.role,
            workshop_id=participant.workshop_id,
            group_id=participant.group_id,
        )

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


BoardLike = TypeVar("BoardLike", bound=Any)  # a Board, or a BoardRow read under the write lock


def check_read(actor: Actor, board: BoardLike | None) -> BoardLike:
    """Everybody in a workshop reads its boards; another workshop's boards do not exist for them."""
    if board is None or board.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This board does not exist."))
    return board


def check_write(actor: Actor, board: BoardLike | None) -> BoardLike:
    board = check_read(actor, board)
    if actor.is_facilitator:
        return board
    if board.group_id is None or board.group_id != actor.group_id:
        raise OpError("forbidden", N_("You can only write on your own group's board."))
    if board.locked:
        raise OpError("locked", N_("A facilitator has locked this board."))
    return board


def can_write(actor: Actor, board: Board) -> bool:
    try:
        check_write(actor, board)
    except OpError:
        return False
    return True
