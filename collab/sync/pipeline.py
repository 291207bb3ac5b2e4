"""The one mutation pipeline (SYNC-1 … SYNC-5).

Every change to a board, whatever its source, goes through `apply_op`: validate → authorise →
de-duplicate by `op_id` → take the board's next `seq` → write the state change and the event in one
transaction → commit. Only the caller's broadcast and acknowledgement come after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..models import Board, Event, utcnow
from . import boards, cards, comments, themes, votes, zones
from .access import Actor, check_read, check_write, refresh_actor
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .ops import parse_op
from .wire import event_dict

# A Core statement, built once: the ORM's bulk-update bookkeeping cost more than the statement itself.
_BOARDS = Board.__table__
_NEXT_SEQ = (
    update(_BOARDS)
    .where(_BOARDS.c.id == bindparam("board_id"))
    .values(seq=_BOARDS.c.seq + 1)
    .returning(_BOARDS.c.seq, _BOARDS.c.id, _BOARDS.c.workshop_id, _BOARDS.c.group_id, _BOARDS.c.locked,
               _BOARDS.c.zones)
)


@dataclass(frozen=True)
class OpResult:
    event: dict[str, Any]
    fresh: bool  # False when the op had been applied before (a retry): its event is sent again (SYNC-8)

    @property
    def seq(self) -> int:
        return int(self.event["seq"])

    def ack(self) -> dict[str, Any]:
        return {"ok": True, "seq": self.seq, "event": self.event}


def apply_op(
    session_factory: sessionmaker[Session], actor: Actor, raw: Any, *, now: Callable[[], datetime] = utcnow
) -> OpResult:
    """Apply one op for `actor`; raise `OpError` when it is refused. Returns after commit."""
    op = parse_op(raw)
    with session_factory() as session:
        try:
            result = _apply(session, actor, op, now())
        except IntegrityError:
            # A concurrent request with the same op_id committed first (SYNC-4).
            session.rollback()
            existing = session.scalar(select(Event).where(Event.op_id == op.op_id))
            if existing is None:
                raise
            return _replayed(actor, op, existing)
        if result.fresh:
            session.commit()
        else:
            session.rollback()  # a retry: give back the seq taken in _apply
        return result


def _apply(session: Session, actor: Actor, op: Any, now: datetime) -> OpResult:
    # Taking the next seq first locks the board row (PostgreSQL) or the database (SQLite) before
    # anything is read, so writers of one board run one after the other, in every process
    # (SYNC-3, SYNC-5). A refused op or a retry rolls back and leaves seq unchanged.
    row = session.execute(_NEXT_SEQ, {"board_id": op.board_id}).one_or_none()
    actor = refresh_actor(session, actor)  # moved, removed, session ended: the rights of now (SYNC-15)
    board = check_read(actor, None if row is None else BoardRow(*row[1:]), groups_hidden=False)
    seq = row.seq
    existing = session.scalar(select(Event).where(Event.op_id == op.op_id))
    if existing is not None:
        return _replayed(actor, op, existing)
    check_write(actor, board)
    data = HANDLERS[op.type](session, actor, board, op.data, now)
    event = Event(
        board_id=board.id,
        seq=seq,
        op_id=op.op_id,
        type=op.type,
        actor_id=actor.id,
        data=data,
        ts=now,
    )
    session.add(event)
    session.flush()
    result = OpResult(event=event_dict(event), fresh=True)
    after = boards.AFTER_EVENT.get(op.type)
    if after is not None:
        after(session, board)  # board.delete: the board and its log go, in this transaction (SYNC-16)
    return result


def _replayed(actor: Actor, op: Any, existing: Event) -> OpResult:
    if existing.board_id != op.board_id or existing.actor_id != actor.id or existing.type != op.type:
        raise OpError("invalid", N_("This op_id was already used for another change."))
    return OpResult(event=event_dict(existing), fresh=False)


HANDLERS: dict[str, Handler] = {
    **cards.HANDLERS, **zones.HANDLERS, **themes.HANDLERS, **comments.HANDLERS, **votes.HANDLERS, **boards.HANDLERS
}
