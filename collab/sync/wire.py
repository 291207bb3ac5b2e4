"""How boards, cards and events look on the wire (docs/protocol.md, "Objects")."""

from __future__ import annotations

from typing import Any

from ..models import Board, Card, Event


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
        "version": card.version,
        "deleted": card.deleted,
        "created_at": card.created_at.isoformat(),
        "updated_at": card.updated_at.isoformat(),
    }


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
