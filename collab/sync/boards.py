"""Board ops (facilitators only): lock, rename, recolour, change the template of, delete a board.

A locked board refuses participants' ops with `locked` (collab.sync.access); facilitators still
write. Each event carries what changed of the board in `data.board`, so that a client merges it into
the board it shows; `board.template` also carries the new zones and the cards it moved, as a zone op
does. The facilitator console's group changes are these ops too (SYNC-16).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..board_templates import zones_for
from ..models import Board, Group, Workshop
from .access import Actor
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import card_dict
from .zones import to_inbox


def _lock(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can lock or unlock a board."))
    session.execute(update(Board).where(Board.id == board.id).values(locked=data.locked))
    return {"board": {"id": board.id, "locked": data.locked}}


def _facilitator(actor: Actor) -> None:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can rename, change or delete a board."))


def _rename(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    """The board's title and its group's name are one name."""
    _facilitator(actor)
    session.execute(update(Board).where(Board.id == board.id).values(title=data.title))
    if board.group_id is not None:
        session.execute(update(Group).where(Group.id == board.group_id).values(name=data.title))
    return {"board": {"id": board.id, "title": data.title}}


def _colour(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    if board.group_id is None:
        raise OpError("invalid", N_("This board belongs to no group."))
    session.execute(update(Group).where(Group.id == board.group_id).values(colour=data.colour))
    return {"board": {"id": board.id, "colour": data.colour}}


def _template(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    """The zones become the template's, in its order, titled in the workshop's language; a zone the
    board has already keeps its title. The cards of the zones that go return to the inbox, as with
    `zone.remove`."""
    _facilitator(actor)
    locale = session.scalar(select(Workshop.locale).where(Workshop.id == board.workshop_id)) or "fr"
    current = {zone["id"]: zone for zone in board.zones}
    zones = [current.get(zone["id"], zone) for zone in zones_for(data.template, locale)]
    kept = {zone["id"] for zone in zones}
    moved = to_inbox(session, board.id, [zone["id"] for zone in board.zones if zone["id"] not in kept], now)
    session.execute(update(Board).where(Board.id == board.id).values(template=data.template, zones=zones))
    return {
        "board": {"id": board.id, "template": data.template},
        "zones": zones,
        "cards": [card_dict(card) for card in moved],
    }


def _delete(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    return {"board": {"id": board.id, "deleted": True}}


def _remove(session: Session, board: BoardRow) -> None:
    """After the `board.delete` event is written, in the same transaction: the board goes with its
    group, its cards and everything on it, and its log (the database cascades); the group's members
    stay in the workshop, without a group."""
    if board.group_id is not None:
        session.execute(delete(Group).where(Group.id == board.group_id))
    session.execute(delete(Board).where(Board.id == board.id))


HANDLERS: dict[str, Handler] = {
    "board.lock": _lock,
    "board.rename": _rename,
    "board.colour": _colour,
    "board.template": _template,
    "board.delete": _delete,
}

# What the pipeline runs once an op's event is written, before the commit (collab.sync.pipeline).
AFTER_EVENT: dict[str, Callable[[Session, BoardRow], None]] = {"board.delete": _remove}
