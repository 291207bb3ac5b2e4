"""Card ops: create, update, move, delete, restore. Every event carries the whole card after the op
(SYNC-7), so applying it needs no earlier state."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fractional_indexing import generate_key_between
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Card, Media, Theme, Visit
from .access import Actor
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import card_dict


def refuse_stale(
    current: str, base: str | None, new: str | None, message: str, now_as_wire: Callable[[], dict[str, Any]]
) -> None:
    """SYNC-12: an edit of a text that started from `base` is refused as a `conflict` when someone else
    changed the text since (it is neither the base nor the new text), with the object as it is now."""
    if base is not None and new is not None and current not in (base, new):
        raise OpError("conflict", message, details={"current": now_as_wire()})


def find_card(session: Session, board: BoardRow, card_id: str) -> Card:
    card = session.get(Card, card_id)
    if card is None or card.board_id != board.id:
        raise OpError("not_found", N_("This note does not exist."))
    return card


def touch(card: Card, now: datetime) -> Card:
    card.version += 1
    card.updated_at = now
    return card


def check_zone(board: BoardRow, zone: str) -> None:
    if board.zones and zone not in {z["id"] for z in board.zones}:
        raise OpError("invalid", N_("This zone does not exist on the board."))


def last_key(session: Session, board_id: str, zone: str) -> str | None:
    """The greatest order key in the zone (deleted cards included: a restored card keeps its place)."""
    return session.scalar(select(func.max(Card.position)).where(Card.board_id == board_id, Card.zone == zone)) or None


def end_of_zone(session: Session, board_id: str, zone: str) -> str:
    """An order key after every card of the zone (SYNC-13)."""
    return generate_key_between(last_key(session, board_id, zone), None)


def _check_references(session: Session, board: BoardRow, fields: dict[str, Any]) -> None:
    """A card may only point at a visit and a photo of its own workshop, and a theme of its board."""
    theme_id = fields.get("theme_id")
    if theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.board_id != board.id or theme.deleted:
            raise OpError("invalid", N_("This theme does not exist."), details={"field": "theme_id"})
    for field, model, message in (
        ("visit_id", Visit, N_("This visit does not exist.")),
        ("media_id", Media, N_("This photo does not exist.")),
    ):
        target_id = fields.get(field)
        if target_id is not None:
            target = session.get(model, target_id)
            if target is None or target.workshop_id != board.workshop_id:
                raise OpError("invalid", message, details={"field": field})


def _create(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    card_id = data.id or str(uuid.uuid4())
    if data.id and session.get(Card, card_id) is not None:  # a fresh server-made id is free
        raise OpError("invalid", N_("A note with this id already exists."))
    check_zone(board, data.zone)
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
        position=data.position or end_of_zone(session, board.id, data.zone),
        visit_id=data.visit_id,
        actor=data.actor,
        media_id=data.media_id,
        tags=data.tags,
        reactions={},
        version=1,
        deleted=False,
        created_at=now,
        updated_at=now,
    )
    session.add(card)
    return {"card": card_dict(card)}


def _update(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    card = find_card(session, board, data.id)
    changes = data.changes()
    refuse_stale(card.text, data.base_text, changes.get("text"),
                 N_("Someone else changed this note meanwhile: compare both versions."), lambda: card_dict(card))
    _check_references(session, board, changes)
    for field, value in changes.items():
        setattr(card, field, value)
    return {"card": card_dict(touch(card, now))}


def _move(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    card = find_card(session, board, data.id)
    check_zone(board, data.zone)
    if data.position:
        card.position = data.position
    elif data.zone != card.zone:
        card.position = end_of_zone(session, board.id, data.zone)
    card.zone = data.zone
    return {"card": card_dict(touch(card, now))}


def _set_deleted(deleted: bool) -> Handler:
    def handler(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
        card = find_card(session, board, data.id)
        card.deleted = deleted
        return {"card": card_dict(touch(card, now))}

    return handler


def _react(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    """Add or take back this participant's reaction; the event carries who reacted how (SYNC-7)."""
    card = find_card(session, board, data.id)
    reactions = {key: list(ids) for key, ids in (card.reactions or {}).items()}
    people = reactions.setdefault(data.reaction, [])
    if data.on and actor.id not in people:
        people.append(actor.id)
    elif not data.on and actor.id in people:
        people.remove(actor.id)
    card.reactions = {key: ids for key, ids in reactions.items() if ids}
    card.version += 1  # not an edit of the note: updated_at stays
    return {"card": card_dict(card)}


HANDLERS: dict[str, Handler] = {
    "card.create": _create,
    "card.update": _update,
    "card.move": _move,
    "card.delete": _set_deleted(True),
    "card.restore": _set_deleted(False),
    "card.react": _react,
}
