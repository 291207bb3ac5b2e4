"""The edge of the one mutation pipeline: rate limit, apply (collab.sync.pipeline), broadcast.

Socket handlers and REST views call `submit_op` and nothing else to change a board.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext

from . import live
from .extensions import socketio
from .services import services
from .sync.access import Actor
from .sync.errors import N_, OpError
from .sync.pipeline import apply_op
from .sync.wire import as_seen_by

log = logging.getLogger(__name__)


def board_room(board_id: str) -> str:
    return f"board:{board_id}"


def workshop_room(workshop_id: str) -> str:
    return f"workshop:{workshop_id}"


def submit_control(actor: Actor, raw: Any) -> dict[str, Any]:
    """Apply a workshop live control (collab.live) and broadcast the new state to the whole workshop."""
    svc = services()
    try:
        svc.limits.hit("op", actor.id)
        result = live.apply_control(svc.sessions, actor, raw)
        socketio.emit("live", result, to=workshop_room(actor.workshop_id))
        return {"ok": True, "live": result}
    except OpError as err:
        return err.to_wire(gettext)
    except Exception:
        log.exception("live control failed")
        return OpError("internal", N_("Server error: please try again in a moment.")).to_wire(gettext)


def submit_op(actor: Actor, raw: Any, skip_sid: str | None = None) -> dict[str, Any]:
    """Apply `raw` for `actor` and broadcast its event; the op result of docs/protocol.md."""
    svc = services()
    try:
        svc.limits.hit("op", actor.id)
        board_id = raw.get("board_id") if isinstance(raw, dict) else None
        # The gate spans commit and broadcast so that this process sends a board's events in
        # seq order (SYNC-8); the transaction itself never yields (no I/O but the database).
        with svc.gate.board(str(board_id)):
            result = apply_op(svc.sessions, actor, raw)
            if result.fresh:
                room = board_room(result.event["board_id"])
                socketio.emit("event", as_seen_by(result.event, None), to=room, skip_sid=skip_sid)
        return result.ack()
    except OpError as err:
        return err.to_wire(gettext)
    except Exception:
        log.exception("op failed")
        return OpError("internal", N_("Server error: please try again in a moment.")).to_wire(gettext)
