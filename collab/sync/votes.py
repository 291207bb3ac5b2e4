"""Dot votes (SYNC-14): a facilitator opens a vote with N dots per participant, hidden or live; each
participant puts dots on cards (several on one card if they like); revealing shows the counts of a
hidden vote; closing freezes it (and shows the counts). One vote is open on a board at a time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Vote, VoteDot
from .access import Actor
from .cards import find_card
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import counts_visible, vote_dict


def _facilitator(actor: Actor) -> None:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can run a vote."))


def _find(session: Session, board: BoardRow, vote_id: str) -> Vote:
    vote = session.get(Vote, vote_id)
    if vote is None or vote.board_id != board.id:
        raise OpError("not_found", N_("This vote does not exist."))
    return vote


def tally(session: Session, vote_id: str) -> dict[str, int]:
    """Dots per card."""
    rows = session.execute(
        select(VoteDot.card_id, func.sum(VoteDot.count))
        .where(VoteDot.vote_id == vote_id, VoteDot.count > 0)
        .group_by(VoteDot.card_id)
    )
    return {card_id: int(total) for card_id, total in rows}


def _used(session: Session, vote_id: str, participant_id: str) -> int:
    total = session.scalar(
        select(func.sum(VoteDot.count)).where(VoteDot.vote_id == vote_id, VoteDot.participant_id == participant_id)
    )
    return int(total or 0)


def latest_vote(session: Session, board_id: str) -> Vote | None:
    return session.scalars(
        select(Vote).where(Vote.board_id == board_id).order_by(Vote.opened_at.desc(), Vote.id).limit(1)
    ).first()


def vote_state(session: Session, board_id: str, viewer_id: str) -> dict[str, Any] | None:
    """The board's latest vote as `viewer_id` sees it, for snapshots."""
    vote = latest_vote(session, board_id)
    if vote is None:
        return None
    rows = session.execute(
        select(VoteDot.participant_id, VoteDot.card_id, VoteDot.count).where(
            VoteDot.vote_id == vote.id, VoteDot.count > 0
        )
    ).all()
    used_by: dict[str, int] = {}
    mine: dict[str, int] = {}
    for participant_id, card_id, count in rows:
        used_by[participant_id] = used_by.get(participant_id, 0) + count
        if participant_id == viewer_id:
            mine[card_id] = count
    visible = counts_visible(vote)
    return {"vote": vote_dict(vote), "tally": tally(session, vote.id) if visible else {}, "mine": mine,
            "used_by": used_by}


def _open(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    current = latest_vote(session, board.id)
    if current is not None and current.status == "open":
        raise OpError("invalid", N_("A vote is already open on this board: close it first."))
    if data.id and session.get(Vote, data.id) is not None:
        raise OpError("invalid", N_("A vote with this id already exists."))
    vote = Vote(id=data.id or str(uuid.uuid4()), board_id=board.id, dots=data.dots, hidden=data.hidden,
                revealed=False, status="open", opened_at=now)
    session.add(vote)
    return {"vote": vote_dict(vote), "tally": {}}


def _reveal(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    vote = _find(session, board, data.id)
    vote.revealed = True
    return {"vote": vote_dict(vote), "tally": tally(session, vote.id)}


def _close(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    _facilitator(actor)
    vote = _find(session, board, data.id)
    if vote.status != "closed":
        vote.status = "closed"
        vote.closed_at = now
    return {"vote": vote_dict(vote), "tally": tally(session, vote.id)}


def _dot(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    vote = _find(session, board, data.vote_id)
    if vote.status != "open":
        raise OpError("invalid", N_("This vote is closed."))
    card = find_card(session, board, data.card_id)
    if card.deleted and data.delta > 0:  # dots on a note deleted since can still be taken back
        raise OpError("not_found", N_("This note does not exist."))
    used = _used(session, vote.id, actor.id)
    row = session.get(VoteDot, (vote.id, actor.id, card.id))
    if data.delta > 0 and used >= vote.dots:
        raise OpError("invalid", N_("You have used all your dots (%(max)s)."), max=vote.dots,
                      details={"field": "dots"})
    if data.delta < 0 and (row is None or row.count == 0):
        raise OpError("invalid", N_("You have no dot on this note."))
    if row is None:
        row = VoteDot(vote_id=vote.id, participant_id=actor.id, card_id=card.id, count=0)
        session.add(row)
    row.count += data.delta
    result: dict[str, Any] = {
        "vote_id": vote.id,
        "card_id": card.id,
        "voter_id": actor.id,
        "mine": row.count,
        "used": used + data.delta,
        "hidden": not counts_visible(vote),  # others get this event without card_id and mine
    }
    if not result["hidden"]:
        session.flush()
        result["count"] = int(session.scalar(
            select(func.sum(VoteDot.count)).where(VoteDot.vote_id == vote.id, VoteDot.card_id == card.id)
        ) or 0)
    return result


HANDLERS: dict[str, Handler] = {"vote.open": _open, "vote.reveal": _reveal, "vote.close": _close, "vote.dot": _dot}
