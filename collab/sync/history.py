"""A board's history for people: the activity feed (its event log, newest first, with who did it)
and the bin (its soft-deleted cards, with who deleted them and when).

Read-only, with the board's read permissions (docs/protocol.md, "History").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Card, Event, Participant
from .access import Actor, readable
from .errors import N_
from .wire import as_seen_by, card_dict, event_dict

DEFAULT_ACTIVITY = 50
MAX_ACTIVITY = 200
MAX_BIN = 200
# Shown in place of a name when the person's account no longer exists (translated where it is shown).
SOMEONE_WHO_LEFT = N_("someone who left")


def activity(
    session: Session,
    actor: Actor,
    board_id: str,
    before: int | None = None,
    limit: int = DEFAULT_ACTIVITY,
    *,
    left_name: str = SOMEONE_WHO_LEFT,
) -> dict[str, Any]:
    """The board's events with seq < `before` (all when None), newest first, at most `limit`, as
    `actor` may see them (SYNC-14); each carries `actor_name`, or `left_name` when its author's
    account no longer exists."""
    board = readable(session, actor, board_id)
    limit = max(1, min(limit, MAX_ACTIVITY))
    seq = board.seq  # read first: events past it are not committed for this reader yet
    query = (
        select(Event, Participant.name)
        .outerjoin(Participant, Participant.id == Event.actor_id)
        .where(Event.board_id == board.id, Event.seq <= seq)
        .order_by(Event.seq.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(Event.seq < before)
    rows = session.execute(query).all()
    # As this reader may see each event: on a hidden vote, nobody else learns where one's dots went.
    events = [
        {**as_seen_by(event_dict(event), actor.id), "actor_name": name or left_name} for event, name in rows[:limit]
    ]
    return {"events": events, "has_more": len(rows) > limit, "seq": seq, "pruned_seq": board.pruned_seq}


def bin_cards(
    session: Session, actor: Actor, board_id: str, *, left_name: str = SOMEONE_WHO_LEFT
) -> dict[str, Any]:
    """The board's soft-deleted cards, most recently deleted first (at most `MAX_BIN`), each with
    `deleted_at` and `deleted_by` ({id, name}; null when its event is no longer kept)."""
    board = readable(session, actor, board_id)
    seq = board.seq
    cards = list(
        session.scalars(
            select(Card)
            .where(Card.board_id == board.id, Card.deleted.is_(True))
            .order_by(Card.updated_at.desc(), Card.id)
            .limit(MAX_BIN)
        )
    )
    deletions = _last_deletions(session, board.id, [card.id for card in cards])
    items = []
    for card in cards:
        found = deletions.get(card.id)
        deleted_by = None
        deleted_at: datetime = card.updated_at
        if found is not None:
            actor_id, name, deleted_at = found
            deleted_by = {"id": actor_id, "name": name or left_name}
        items.append({"card": card_dict(card), "deleted_at": deleted_at.isoformat(), "deleted_by": deleted_by})
    return {"items": items, "seq": seq}


bin = bin_cards  # `history.bin(...)` reads well from outside; inside, `bin_cards` leaves the builtin alone


def _last_deletions(
    session: Session, board_id: str, card_ids: list[str]
) -> dict[str, tuple[str | None, str | None, datetime]]:
    """card id -> (actor id, actor name, when) of its latest `card.delete` event still kept."""
    if not card_ids:
        return {}
    card_id = Event.data[("card", "id")].as_string()
    rows = session.execute(
        select(card_id, Event.actor_id, Participant.name, Event.ts)
        .outerjoin(Participant, Participant.id == Event.actor_id)
        .where(Event.board_id == board_id, Event.type == "card.delete", card_id.in_(card_ids))
        .order_by(Event.seq)
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}  # later rows win
