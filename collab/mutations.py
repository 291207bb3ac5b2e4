"""The edge of the one mutation pipeline: rate limit, apply (collab.sync.pipeline), broadcast.

Socket handlers and REST views call `submit_op` and nothing else to change a board. This module is
also the only one that sends anything to connections (tests/test_one_change_path.py checks it): every
message goes out through `socketio.emit` here, and the live delivery filters it for each reader
(collab.realtime.delivery and readers, SYNC-15).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask_babel import gettext

from . import live, metrics
from .extensions import socketio
from .services import services
from .sync.access import Actor
from .sync.errors import N_, OpError
from .sync.pipeline import apply_op

log = logging.getLogger(__name__)
_LOGGABLE_ID = re.compile(r"[\w-]{1,64}", re.ASCII)


def board_room(board_id: str) -> str:
    return f"board:{board_id}"


def workshop_room(workshop_id: str) -> str:
    return f"workshop:{workshop_id}"


def participant_room(participant_id: str) -> str:
    return f"participant:{participant_id}"


def greet(sid: str, live_message: dict[str, Any]) -> None:
    """A new connection's first message: its workshop's live state."""
    socketio.emit("live", live_message, to=sid)


def broadcast_live(workshop_id: str, live_message: dict[str, Any]) -> None:
    """The workshop's new live state (collab.live, collab.prompts), after its commit."""
    socketio.emit("live", live_message, to=workshop_room(workshop_id))


def broadcast_prompt_results(workshop_id: str, results: dict[str, Any]) -> None:
    socketio.emit("prompt:results", results, to=workshop_room(workshop_id))


def send_presence(board_id: str, participants: list[dict[str, Any]]) -> None:
    socketio.emit("presence", {"board_id": board_id, "participants": participants}, to=board_room(board_id))


def relay_editing(board_id: str, message: dict[str, Any], skip_sid: str) -> None:
    socketio.emit("editing", message, to=board_room(board_id), skip_sid=skip_sid)


def catch_up_everyone() -> None:
    """The message queue is back after an outage (collab.realtime.queue): every client of every process
    catches up (`sync:check`, SYNC-7), and every process re-checks its connections' access (SYNC-15),
    since messages that changed it may have been lost."""
    socketio.emit("sync:check", {}, namespace="/")


ACCESS_REASONS = ("moved", "renamed", "removed", "signed_out", "workshop_deleted")


def end_access(participant_ids: list[str] | tuple[str, ...] = (), *, reason: str,
               workshop_id: str | None = None) -> None:
    """Close the live connections of these people (or of a whole workshop) on every process, after
    telling them why (`access`, docs/protocol.md): through the message queue, like every message.
    Reconnecting authenticates afresh, with the rights they have now (SYNC-15)."""
    assert reason in ACCESS_REASONS
    for participant_id in participant_ids:
        socketio.emit("access", {"reason": reason}, to=participant_room(participant_id))
    if workshop_id is not None:
        socketio.emit("access", {"reason": reason}, to=workshop_room(workshop_id))


def submit_control(actor: Actor, raw: Any) -> dict[str, Any]:
    """Apply a workshop live control (collab.live) and broadcast the new state to the whole workshop."""
    svc = services()
    try:
        svc.limits.hit("op", actor.id)
        result = live.apply_control(svc.sessions, actor, raw)
        broadcast_live(actor.workshop_id, result)
        return {"ok": True, "live": result}
    except OpError as err:
        return err.to_wire(gettext)
    except Exception:
        log.exception("live control failed")
        metrics.error("control")
        return OpError("internal", N_("Server error: please try again in a moment.")).to_wire(gettext)


def submit_op(actor: Actor, raw: Any, skip_sid: str | None = None) -> dict[str, Any]:
    """Apply `raw` for `actor` and broadcast its event; the op result of docs/protocol.md.
    Counted in collab.metrics; a refused op logs one line (`op_error`, never the op's text)."""
    svc = services()
    kind = metrics.op_type(raw)
    board_id = raw.get("board_id") if isinstance(raw, dict) else None
    try:
        svc.limits.hit("op", actor.id)
        # The gate spans commit and broadcast so that this process sends a board's events in
        # seq order (SYNC-8); the transaction itself never yields (no I/O but the database).
        with svc.gate.board(str(board_id)):
            started = metrics.now()
            result = apply_op(svc.sessions, actor, raw)
            elapsed = metrics.now() - started
            # Whole: each reader gets what they may see of it (collab.realtime.readers, SYNC-14/15). A
            # retry's event goes out again: the process that applied it may have died between its commit
            # and its broadcast (SYNC-8); clients drop what they already have.
            socketio.emit("event", result.event, to=board_room(result.event["board_id"]), skip_sid=skip_sid)
        metrics.op_done(kind, "ok", elapsed, result.fresh)
        return result.ack()
    except OpError as err:
        _op_error(actor, kind, board_id, err.code)
        return err.to_wire(gettext)
    except Exception:
        log.exception("op failed")
        _op_error(actor, kind, board_id, "internal")
        metrics.error("op")
        return OpError("internal", N_("Server error: please try again in a moment.")).to_wire(gettext)


def _op_error(actor: Actor, kind: str, board_id: Any, code: str) -> None:
    metrics.op_done(kind, code)
    board = board_id if isinstance(board_id, str) and _LOGGABLE_ID.fullmatch(board_id) else "-"  # one line
    log.info("op_error type=%s board=%s code=%s actor=%s", kind, board, code, actor.id,
             extra={"op_type": kind, "board_id": board, "code": code, "actor_id": actor.id})
