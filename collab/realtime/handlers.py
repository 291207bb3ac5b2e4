"""Socket.IO event handlers: thin, they authenticate, then call the sync rules."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any

import flask_socketio
from flask import Flask, current_app, g, request, session
from flask_babel import gettext
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import live
from ..auth import SESSION_KEY, participant_by_id, participant_for_token
from ..extensions import socketio
from ..models import Board
from ..mutations import board_room, submit_control, submit_op, workshop_room
from ..services import services
from ..sync.access import Actor, check_read
from ..sync.catchup import join_payload
from ..sync.errors import N_, OpError
from ..sync.fields import NoControls

log = logging.getLogger(__name__)
_actors: dict[str, tuple[Actor, str]] = {}
_presence_due: set[str] = set()  # boards whose presence message is about to go out
PRESENCE_DELAY_SECONDS = 0.2  # sid -> (actor, workshop language)


EDITING_BURST = 6  # board:editing messages a connection may send at once …
EDITING_PER_SECOND = 0.5  # … and then on average (clients refresh every 10 s, and on each open/close)
_editing_budget: dict[str, tuple[float, float]] = {}  # sid -> (tokens left, when counted)


class BoardRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    board_id: Annotated[str, NoControls] = Field(max_length=64)
    since: int | None = Field(default=None, ge=0)


class EditingRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    board_id: Annotated[str, NoControls] = Field(max_length=64)
    target: str | None = Field(default=None, max_length=80, pattern=r"^(card|theme):[A-Za-z0-9_-]{1,64}$")


def _actor() -> Actor:
    known = _actors.get(request.sid)  # type: ignore[attr-defined]
    if known is None:
        raise OpError("unauthorized", N_("Join the workshop first."))
    actor, g.workshop_locale = known
    return actor


def _board_request(payload: Any) -> BoardRequest:
    try:
        return BoardRequest.model_validate(payload)
    except ValidationError:
        raise OpError("invalid", N_("Give a board_id (and optionally since, a sequence number).")) from None


def answers(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn refusals into error acks and unexpected faults into logged `internal` acks: a client's
    mistake never closes its connection nor logs a traceback."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> dict[str, Any]:
        try:
            if len(args) > 1:
                raise OpError("invalid", N_("Send one object per message."))
            return handler(*args)
        except OpError as err:
            return err.to_wire(gettext)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return OpError("internal", N_("Server error: please try again in a moment.")).to_wire(gettext)

    return wrapper


@socketio.on("connect")
def on_connect(auth: Any = None, *_extra: Any) -> None:
    if request.sid in _actors:  # type: ignore[attr-defined]
        return  # an event a client named "connect", not a connection: it changes nothing
    participant = None
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        participant = participant_for_token(auth["token"])
    else:
        participant_id = session.get(SESSION_KEY)
        participant = participant_by_id(participant_id) if participant_id else None
    if participant is None:
        raise flask_socketio.ConnectionRefusedError("unauthorized")  # the client's connect_error message
    _actors[request.sid] = (Actor.of(participant), g.workshop_locale)  # type: ignore[attr-defined]
    # Every connection hears its workshop's live controls (timer, announcement…), starting with the
    # current state.
    socketio.server.enter_room(request.sid, workshop_room(participant.workshop_id), namespace="/")  # type: ignore[attr-defined]
    with services().sessions() as db:
        flask_socketio.emit("live", live.current(db, participant.workshop_id))


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    sid = request.sid  # type: ignore[attr-defined]
    if socketio.server.manager.is_connected(sid, "/"):
        return  # an event a client named "disconnect": a real disconnection is no longer connected
    for board_id in services().presence.boards_of(sid):
        _leave(board_id, sid)
    _actors.pop(sid, None)
    _editing_budget.pop(sid, None)


@socketio.on("board:join")
@answers
def on_board_join(payload: Any = None) -> dict[str, Any]:
    actor = _actor()
    req = _board_request(payload)
    sid = request.sid  # type: ignore[attr-defined]
    with services().sessions() as db:
        check_read(actor, db.get(Board, req.board_id))
        # In the room before reading: an event committed meanwhile reaches the client both as
        # `event` and in the payload, and the client drops what is not past its seq (SYNC-8).
        socketio.server.enter_room(sid, board_room(req.board_id), namespace="/")
        db.rollback()
        result = join_payload(db, actor, req.board_id, req.since)
    services().presence.add(req.board_id, sid, actor)
    _send_presence(req.board_id)
    return result


@socketio.on("board:leave")
@answers
def on_board_leave(payload: Any = None) -> dict[str, Any]:
    _actor()
    req = _board_request(payload)
    _leave(req.board_id, request.sid)  # type: ignore[attr-defined]
    return {"ok": True}


@socketio.on("op")
@answers
def on_op(payload: Any = None) -> dict[str, Any]:
    return submit_op(_actor(), payload, skip_sid=request.sid)  # type: ignore[attr-defined]


@socketio.on("live")
@answers
def on_live(payload: Any = None) -> dict[str, Any]:
    """A facilitator's live control (docs/protocol.md, "Live controls")."""
    return submit_control(_actor(), payload)


@socketio.on("board:editing")
@answers
def on_board_editing(payload: Any = None) -> dict[str, Any]:
    """Who is editing what (docs/protocol.md): volatile, relayed to the board's other connections, never
    stored. Only a connection that joined the board may say so."""
    actor = _actor()
    try:
        req = EditingRequest.model_validate(payload)
    except ValidationError:
        raise OpError("invalid", N_("Give a board_id and a target (card:<id>, theme:<id> or null).")) from None
    sid = request.sid  # type: ignore[attr-defined]
    room = board_room(req.board_id)
    if room not in (socketio.server.rooms(sid, namespace="/") or []):
        raise OpError("forbidden", N_("Join the board first."))
    if req.target is not None:  # "stopped editing" always goes through: else an indicator would linger
        _spend_editing_token(sid)
    message = {"board_id": req.board_id, "participant_id": actor.id, "name": actor.name, "target": req.target}
    socketio.emit("editing", message, to=room, skip_sid=sid)
    return {"ok": True}


def _spend_editing_token(sid: str) -> None:
    """A token bucket per connection: a burst, then one message every other second on average."""
    now = time.monotonic()
    tokens, then = _editing_budget.get(sid, (float(EDITING_BURST), now))
    tokens = min(float(EDITING_BURST), tokens + (now - then) * EDITING_PER_SECOND)
    if tokens < 1:
        _editing_budget[sid] = (tokens, now)
        error = OpError("rate_limited", N_("Too many changes at once: wait a moment and try again."))
        error.retry_after = 2
        raise error
    _editing_budget[sid] = (tokens - 1, now)


def _leave(board_id: str, sid: str) -> None:
    socketio.server.leave_room(sid, board_room(board_id), namespace="/")
    if services().presence.remove(board_id, sid):
        _send_presence(board_id)


def _send_presence(board_id: str) -> None:
    """Send the board's presence soon, once for all the joins and leaves of that moment: when a room
    of 40 connects at once, 40 lists go out instead of 40 × 40."""
    if board_id in _presence_due:
        return
    _presence_due.add(board_id)
    socketio.start_background_task(_flush_presence, current_app._get_current_object(), board_id)  # type: ignore[attr-defined]


def _flush_presence(app: Flask, board_id: str) -> None:
    socketio.sleep(PRESENCE_DELAY_SECONDS)
    _presence_due.discard(board_id)
    try:
        participants = app.extensions["collab"].presence.participants(board_id)
    except Exception:
        log.exception("presence of board %s could not be read", board_id)
        return
    socketio.emit("presence", {"board_id": board_id, "participants": participants}, to=board_room(board_id))
