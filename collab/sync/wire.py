"""How boards, cards and events look on the wire (docs/protocol.md, "Objects")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..markdown import render
from ..models import Board, Card, Comment, Event, Theme, Vote


def board_dict(board: Board) -> dict[str, Any]:
    return {
        "id": board.id,
        "title": board.title,
        "workshop_id": board.workshop_id,
        "group_id": board.group_id,
        "locked": board.locked,
        "template": board.template,
        "zones": board.zones,
        "seq": board.seq,
    }


def card_dict(card: Card) -> dict[str, Any]:
    return {
        "id": card.id,
        "board_id": card.board_id,
        "author_id": card.author_id,
        "author_name": card.author_name,
        "text": card.text,
        "kind": card.kind,
        "colour": card.colour,
        "zone": card.zone,
        "position": card.position,
        "visit_id": card.visit_id,
        "actor": card.actor,
        "media_id": card.media_id,
        "tags": card.tags,
        "theme_id": card.theme_id,
        "reactions": card.reactions or {},
        "version": card.version,
        "deleted": card.deleted,
        "created_at": card.created_at.isoformat(),
        "updated_at": card.updated_at.isoformat(),
    }


# The card's wire fields, in card_dict's order. The snapshot reads exactly these columns with Core
# (no ORM objects: a third of a 2,000-card snapshot's time) and card_row_dict must give what
# card_dict gives (tests/test_snapshot_cards.py).
CARD_FIELDS = tuple(
    "id board_id author_id author_name text kind colour zone position visit_id actor media_id tags theme_id "
    "reactions version deleted created_at updated_at".split()
)


def card_row_dict(row: Sequence[Any]) -> dict[str, Any]:
    """card_dict for a row of the card table's CARD_FIELDS columns, in that order."""
    card = dict(zip(CARD_FIELDS, row, strict=True))
    card["reactions"] = card["reactions"] or {}
    card["created_at"] = card["created_at"].isoformat()
    card["updated_at"] = card["updated_at"].isoformat()
    return card


def theme_dict(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.id,
        "board_id": theme.board_id,
        "title": theme.title,
        "synthesis": theme.synthesis,
        "synthesis_html": render(theme.synthesis),  # sanitised (collab.markdown)
        "colour": theme.colour,
        "position": theme.position,
        "author_id": theme.author_id,
        "version": theme.version,
        "deleted": theme.deleted,
        "created_at": theme.created_at.isoformat(),
        "updated_at": theme.updated_at.isoformat(),
    }


def comment_dict(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "board_id": comment.board_id,
        "card_id": comment.card_id,
        "parent_id": comment.parent_id,
        "author_id": comment.author_id,
        "author_name": comment.author_name,
        "text": "" if comment.deleted else comment.text,
        "deleted": comment.deleted,
        "created_at": comment.created_at.isoformat(),
    }


def vote_dict(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.id,
        "board_id": vote.board_id,
        "dots": vote.dots,
        "hidden": vote.hidden,
        "revealed": vote.revealed,
        "status": vote.status,
        "opened_at": vote.opened_at.isoformat(),
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
    }


def counts_visible(vote: Vote | dict[str, Any]) -> bool:
    """Everyone sees the counts of a live vote, and of a hidden one once revealed or closed (SYNC-14)."""
    get = vote.get if isinstance(vote, dict) else lambda key: getattr(vote, key)
    return not get("hidden") or bool(get("revealed")) or get("status") == "closed"


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "board_id": event.board_id,
        "seq": event.seq,
        "op_id": event.op_id,
        "type": event.type,
        "actor_id": event.actor_id,
        "data": event.data,
        "ts": event.ts.isoformat(),
    }


def as_seen_by(event: dict[str, Any], viewer_id: str | None) -> dict[str, Any]:
    """The event as `viewer_id` may see it (None: anyone but its actor). On a hidden vote, only the
    voter learns where their dots went (SYNC-14)."""
    data = event["data"]
    if event["type"] == "vote.dot" and data.get("hidden") and event["actor_id"] != viewer_id:
        return {**event, "data": {k: v for k, v in data.items() if k not in ("card_id", "mine", "count")}}
    return event
