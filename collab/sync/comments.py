"""Comment ops: add (a comment, or a reply one level deep) and delete (its author or a facilitator)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Comment
from .access import Actor
from .cards import find_card
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import comment_dict

MAX_COMMENTS_PER_CARD = 200


def _add(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    card = find_card(session, board, data.card_id)
    if card.deleted:
        raise OpError("not_found", N_("This note does not exist."))
    if data.id and session.get(Comment, data.id) is not None:
        raise OpError("invalid", N_("A comment with this id already exists."))
    if data.parent_id is not None:
        parent = session.get(Comment, data.parent_id)
        if parent is None or parent.card_id != card.id or parent.deleted:
            raise OpError("invalid", N_("This comment does not exist."), details={"field": "parent_id"})
        if parent.parent_id is not None:
            raise OpError("invalid", N_("Reply to the first comment of the thread."), details={"field": "parent_id"})
    count = session.scalar(select(func.count()).select_from(Comment).where(Comment.card_id == card.id)) or 0
    if count >= MAX_COMMENTS_PER_CARD:
        raise OpError("invalid", N_("A note holds at most %(max)s comments."), max=MAX_COMMENTS_PER_CARD)
    comment = Comment(
        id=data.id or str(uuid.uuid4()),
        board_id=board.id,
        card_id=card.id,
        parent_id=data.parent_id,
        author_id=actor.id,
        author_name=actor.name,
        text=data.text,
        deleted=False,
        created_at=now,
    )
    session.add(comment)
    return {"comment": comment_dict(comment)}


def _delete(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    comment = session.get(Comment, data.id)
    if comment is None or comment.board_id != board.id:
        raise OpError("not_found", N_("This comment does not exist."))
    if comment.author_id != actor.id and not actor.is_facilitator:
        raise OpError("forbidden", N_("Only its author or a facilitator can delete a comment."))
    comment.deleted = True  # its replies stay; the thread shows "comment deleted"
    return {"comment": comment_dict(comment)}


HANDLERS: dict[str, Handler] = {"comment.add": _add, "comment.delete": _delete}
