"""Zone ops (facilitators only): add, rename, move, remove the zones of a board.

Every zone event carries the board's whole zone list after the op, and the cards it moved (a removed
zone's cards go back to the inbox), so that applying it needs no earlier state (SYNC-7).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fractional_indexing import generate_n_keys_between
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..board_templates import INBOX
from ..models import Board, Card
from .access import Actor
from .cards import last_key, touch
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import card_dict

MAX_ZONES = 24


def _facilitator(actor: Actor) -> None:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can change the zones of a board."))


def _index_of(zones: list[dict[str, Any]], zone_id: str) -> int:
    for index, zone in enumerate(zones):
        if zone["id"] == zone_id:
            return index
    raise OpError("not_found", N_("This zone does not exist on the board."))


def _result(
    session: Session, board: BoardRow, zones: list[dict[str, Any]], moved: list[Card] | None = None
) -> dict[str, Any]:
    session.execute(update(Board).where(Board.id == board.id).values(zones=zones))
    return {"zones": zones, "cards": [card_dict(card) for card in moved or []]}


def _add(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    zones = list(board.zones)
    if len(zones) >= MAX_ZONES:
        raise OpError("invalid", N_("A board holds at most %(max)s zones."), max=MAX_ZONES)
    zone_id = data.id or uuid.uuid4().hex[:12]
    if any(zone["id"] == zone_id for zone in zones):
        raise OpError("invalid", N_("A zone with this id already exists."))
    index = len(zones) if data.index is None else max(1, min(data.index, len(zones)))  # inbox stays first
    zones.insert(index, {"id": zone_id, "title": data.title})
    return _result(session, board, zones)


def _rename(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    zones = [dict(zone) for zone in board.zones]
    zones[_index_of(zones, data.id)]["title"] = data.title
    return _result(session, board, zones)


def _move(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    zones = list(board.zones)
    if data.id == INBOX:
        raise OpError("invalid", N_("The inbox stays first."))
    zone = zones.pop(_index_of(zones, data.id))
    zones.insert(max(1, min(data.index, len(zones))), zone)
    return _result(session, board, zones)


def _remove(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    if data.id == INBOX:
        raise OpError("invalid", N_("The inbox cannot be removed."))
    zones = list(board.zones)
    zones.pop(_index_of(zones, data.id))
    return _result(session, board, zones, to_inbox(session, board.id, [data.id], now))


def to_inbox(session: Session, board_id: str, zone_ids: list[str], now: datetime) -> list[Card]:
    """Move the cards of these zones (deleted ones too) to the end of the inbox, zone after zone, each
    zone's in their order (SYNC-13); the cards moved."""
    moved: list[Card] = []
    for zone_id in zone_ids:
        moved += session.scalars(
            select(Card).where(Card.board_id == board_id, Card.zone == zone_id).order_by(Card.position, Card.id)
        )
    # They keep their order, after the inbox's own cards.
    keys = generate_n_keys_between(last_key(session, board_id, INBOX), None, len(moved)) if moved else []
    for card, key in zip(moved, keys, strict=True):
        card.zone = INBOX
        card.position = key
        touch(card, now)
    return moved


HANDLERS: dict[str, Handler] = {
    "zone.add": _add,
    "zone.rename": _rename,
    "zone.move": _move,
    "zone.remove": _remove,
}
