"""The one mutation pipeline (SYNC-1 … SYNC-5).

Every change to a board, whatever its source, goes through `apply_op`: validate → authorise →
de-duplicate by `op_id` → take the board's next `seq` → write the state change and the event in one
transaction → commit. Only the caller's broadcast and acknowledgement come after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..models import Board, Card, Event, Media, Visit, utcnow
from .access import Actor, check_read, check_write
from .errors import N_, OpError
from .ops import parse_op
from .wire import card_dict, event_dict


@dataclass(frozen=True)
class OpResult:
    event: dict[str, Any]
    fresh: bool  # False when the op had been applied before (a retry): nothing to broadcast

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
    seq = session.execute(
        update(Board).where(Board.id == op.board_id).values(seq=Board.seq + 1).returning(Board.seq)
    ).scalar_one_or_none()
    board = check_read(actor, session.get(Board, op.board_id) if seq is not None else None)
    existing = session.scalar(select(Event).where(Event.op_id == op.op_id))
    if existing is not None:
        return _replayed(actor, op, existing)
    check_write(actor, board)
    card = _HANDLERS[op.type](session, actor, board, op.data, now)
    event = Event(
        board_id=board.id,
        seq=seq,
        op_id=op.op_id,
        type=op.type,
        actor_id=actor.id,
        data={"card": card_dict(card)},
        ts=now,
    )
    session.add(event)
    session.flush()
    return OpResult(event=event_dict(event), fresh=True)


def _replayed(actor: Actor, op: Any, existing: Event) -> OpResult:
    if existing.board_id != op.board_id or existing.actor_id != actor.id or existing.type != op.type:
        raise OpError("invalid", N_("This op_id was already used for another change."))
    return OpResult(event=event_dict(existing), fresh=False)


def _card(session: Session, board: Board, card_id: str) -> Card:
    card = session.get(Card, card_id)
    if card is None or card.board_id != board.id:
        raise OpError("not_found", N_("This note does not exist."))
    return card


def _touch(card: Card, now: datetime) -> Card:
    card.version += 1
    card.updated_at = now
    return card


def _check_references(session: Session, board: Board, fields: dict[str, Any]) -> None:
    """A card may only point at a visit and a photo of its own workshop."""
    for field, model, message in (
        ("visit_id", Visit, N_("This visit does not exist.")),
        ("media_id", Media, N_("This photo does not exist.")),
    ):
        target_id = fields.get(field)
        if target_id is not None:
            target = session.get(model, target_id)
            if target is None or target.workshop_id != board.workshop_id:
                raise OpError("invalid", message)


def _create(session: Session, actor: Actor, board: Board, data: Any, now: datetime) -> Card:
    card_id = data.id or str(uuid.uuid4())
    if session.get(Card, card_id) is not None:
        raise OpError("invalid", N_("A note with this id already exists."))
    _check_references(session, board, {"visit_id": data.visit_id, "media_id": data.media_id})
    card = Card(
        id=card_id,
        board_id=board.id,
        author_id=actor.id,
        author_name=actor.name,
        text=data.text,
        kind=data.kind,
        colour=data.colour,
        zone=data.zone,
        position=data.position,
        visit_id=data.visit_id,
        actor=data.actor,
        media_id=data.media_id,
        version=1,
        deleted=False,
        created_at=now,
        updated_at=now,
    )
    session.add(card)
    return card


def _update(session: Session, actor: Actor, board: Board, data: Any, now: datetime) -> Card:
    card = _card(session, board, data.id)
    changes = data.changes()
    _check_references(session, board, changes)
    for field, value in changes.items():
        setattr(card, field, value)
    return _touch(card, now)


def _move(session: Session, actor: Actor, board: Board, data: Any, now: datetime) -> Card:
    card = _card(session, board, data.id)
    card.zone = data.zone
    if data.position is not None:
        card.position = data.position
    return _touch(card, now)


def _set_deleted(deleted: bool) -> Callable[..., Card]:
    def handler(session: Session, actor: Actor, board: Board, data: Any, now: datetime) -> Card:
        card = _card(session, board, data.id)
        card.deleted = deleted
        return _touch(card, now)

    return handler


_HANDLERS: dict[str, Callable[..., Card]] = {
    "card.create": _create,
    "card.update": _update,
    "card.move": _move,
    "card.delete": _set_deleted(True),
    "card.restore": _set_deleted(False),
}
