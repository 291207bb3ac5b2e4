"""Reading a board: snapshots and catch-up from a sequence number (SYNC-6, SYNC-7)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..models import Card, Comment, Event, Theme
from .access import Actor, readable
from .errors import N_, OpError
from .votes import vote_state
from .wire import CARD_FIELDS, as_seen_by, board_dict, card_row_dict, comment_dict, event_dict, theme_dict

MAX_EVENTS = 1000
# A board's live cards, read as rows (Core, built once): with 2,000 cards, loading ORM objects cost
# more than the rest of the snapshot (bench/board_budget.py, docs/performance.md).
_CARDS = Card.__table__
_LIVE_CARDS = (
    select(*(_CARDS.c[name] for name in CARD_FIELDS))
    .where(_CARDS.c.board_id == bindparam("board_id"), _CARDS.c.deleted.is_(False))
    .order_by(_CARDS.c.position, _CARDS.c.created_at, _CARDS.c.id)
)


def snapshot(session: Session, actor: Actor, board_id: str) -> dict[str, Any]:
    """The board and its live cards. The board (and so `seq`) is read before the cards: the cards are
    at least as new as `seq`, and replaying later events, which carry whole cards, converges."""
    board = readable(session, actor, board_id)
    board_data = board_dict(board)
    cards_data = [card_row_dict(row) for row in session.execute(_LIVE_CARDS, {"board_id": board.id})]
    themes = session.scalars(
        select(Theme).where(Theme.board_id == board.id, Theme.deleted.is_(False)).order_by(Theme.position, Theme.id)
    )
    comments = session.scalars(
        select(Comment)
        .join(Card, Card.id == Comment.card_id)
        .where(Comment.board_id == board.id, Card.deleted.is_(False))
        .order_by(Comment.created_at, Comment.id)
    )
    return {
        "board": board_data,
        "cards": cards_data,
        "themes": [theme_dict(t) for t in themes],
        "comments": [comment_dict(c) for c in comments],
        "vote": vote_state(session, board.id, actor.id),
        "seq": board_data["seq"],
    }


def events_since(
    session: Session, actor: Actor, board_id: str, since: int, limit: int = MAX_EVENTS
) -> dict[str, Any]:
    """The events with seq > since, in order; `gone` when they are no longer kept."""
    board = readable(session, actor, board_id)
    if since < board.pruned_seq or since > board.seq:
        raise OpError("gone", N_("These changes are no longer kept: reload the board."))
    limit = max(1, min(limit, MAX_EVENTS))
    seq = board.seq
    rows = list(
        session.scalars(
            select(Event)
            .where(Event.board_id == board.id, Event.seq > since, Event.seq <= seq)
            .order_by(Event.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    events = [as_seen_by(event_dict(e), actor.id) for e in rows[:limit]]
    return {"events": events, "seq": seq, "has_more": has_more}


def join_payload(session: Session, actor: Actor, board_id: str, since: int | None) -> dict[str, Any]:
    """What a client gets when it (re)joins a board: the missed events when they are few and kept,
    else a snapshot (SYNC-7)."""
    board = readable(session, actor, board_id)
    if since is None or since > board.seq or since < board.pruned_seq or board.seq - since > MAX_EVENTS:
        return {"ok": True, **snapshot(session, actor, board_id)}
    return {"ok": True, **_without_more(events_since(session, actor, board_id, since))}


def _without_more(payload: dict[str, Any]) -> dict[str, Any]:
    payload.pop("has_more", None)
    return payload
