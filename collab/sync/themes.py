"""Theme ops: create, update (title, synthesis, colour, order), delete, restore (SYNC-7: every event
carries the whole theme). A card joins a theme with `card.update {theme_id}` (collab.sync.cards)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fractional_indexing import generate_key_between
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Theme
from .access import Actor
from .cards import refuse_stale
from .errors import N_, OpError
from .handler import BoardRow, Handler
from .wire import theme_dict

MAX_THEMES = 40


def _find(session: Session, board: BoardRow, theme_id: str) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.board_id != board.id:
        raise OpError("not_found", N_("This theme does not exist."))
    return theme


def _create(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    theme_id = data.id or str(uuid.uuid4())
    if data.id and session.get(Theme, theme_id) is not None:
        raise OpError("invalid", N_("A theme with this id already exists."))
    live = select(func.count()).select_from(Theme).where(Theme.board_id == board.id, Theme.deleted.is_(False))
    if (session.scalar(live) or 0) >= MAX_THEMES:
        raise OpError("invalid", N_("A board holds at most %(max)s themes."), max=MAX_THEMES)
    position = data.position
    if not position:
        last = session.scalar(select(func.max(Theme.position)).where(Theme.board_id == board.id))
        position = generate_key_between(last or None, None)
    theme = Theme(
        id=theme_id,
        board_id=board.id,
        title=data.title,
        synthesis="",
        colour=data.colour,
        position=position,
        author_id=actor.id,
        version=1,
        deleted=False,
        created_at=now,
        updated_at=now,
    )
    session.add(theme)
    return {"theme": theme_dict(theme)}


def _update(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
    theme = _find(session, board, data.id)
    changes = data.changes()
    refuse_stale(theme.synthesis, data.base_synthesis, changes.get("synthesis"),
                 N_("Someone else changed this synthesis meanwhile: compare both versions."), lambda: theme_dict(theme))
    for field, value in changes.items():
        setattr(theme, field, value)
    return {"theme": theme_dict(_touch(theme, now))}


def _set_deleted(deleted: bool) -> Handler:
    def handler(session: Session, actor: Actor, board: BoardRow, data: Any, now: datetime) -> dict[str, Any]:
        theme = _find(session, board, data.id)
        theme.deleted = deleted  # its cards keep their theme_id: restoring brings the theme back whole
        return {"theme": theme_dict(_touch(theme, now))}

    return handler


def _touch(theme: Theme, now: datetime) -> Theme:
    theme.version += 1
    theme.updated_at = now
    return theme


HANDLERS: dict[str, Handler] = {
    "theme.create": _create,
    "theme.update": _update,
    "theme.delete": _set_deleted(True),
    "theme.restore": _set_deleted(False),
}
