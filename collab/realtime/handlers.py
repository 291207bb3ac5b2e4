"""Socket.IO event handlers: thin, they authenticate, then call the sync rules.

Who each connection is and what it follows lives in `readers` (collab.realtime.readers), which the
live delivery asks for every message (SYNC-15). Everything sent goes through collab.mutations."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

import flask_socketio
from flask import Flask, current_app, g, request
from flask_babel import gettext
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import live, mutations
from ..auth import actor_for_token, session_actor
from ..extensions import socketio
from ..mutations import board_room, participant_room, submit_control, submit_op, workshop_room
from ..services import services
from ..sync.access import Actor, hiding_matters, live_hidden, readable, refresh_actor
from ..sync.catchup import join_payload
from ..sync.errors import N_, OpError
from ..sync.fields import NoControls
from .readers import BoardFacts, ReaderPolicy, Readers

log = logging.getLogger(__name__)
readers = Readers()  # this process's connections (collab.realtime.readers)
_presence_due: set[str] = set()  # boards whose presence message is about to go out
PRESENCE_DELAY_SECONDS = 0.2


EDITING_BURST = 6  # board:editing messages a connection may send at once …
EDITING_PER_SECOND = 0.5  # … and then on average (clients refresh every 10 s, and on each open/close)
_editing_budget: dict[str, tuple[float, float]] = {}  # sid -> (tokens left, when counted)


class BoardRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    board_id: Annotated[str, NoControls] = Field(max_length=64)
    since: int | None = Field(default=None, ge=0)
    # How this connection is on the board, for presence only (SYNC-11): its page, the capture screen, or
    # a facilitator's console watching it.
    mode: Literal["board", "capture", "watch"] = "board"


class EditingRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    board_id: Annotated[str, NoControls] = Field(max_length=64)
    target: str | None = Field(default=None, max_length=80, pattern=r"^(card|theme):[A-Za-z0-9_-]{1,64}$")


def _actor() -> Actor:
    connection = readers.get(request.sid)  # type: ignore[attr-defined]
    if connection is None:
        raise OpError("unauthorized", N_("Join the workshop first."))
    g.workshop_locale = connection.locale
    return connection.actor


def _board_request(payload: Any) -> BoardRequest:
    try:
        return BoardRequest.model_validate(payload)
    except ValidationError:
        raise OpError("invalid", N_("Give a board_id (and optionally since, a sequence number, and a mode: "
                                    "board, capture or watch).")) from None


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
    sid = request.sid  # type: ignore[attr-defined]
    if readers.get(sid) is not None:
        return  # an event a client named "connect", not a connection: it changes nothing
    try:
        _authenticate(sid, auth)
    except OpError as err:  # the database is away (`unavailable`): the client tries again later
        readers.disconnected(sid)
        raise flask_socketio.ConnectionRefusedError(err.code) from None


def _authenticate(sid: str, auth: Any) -> None:
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        actor = actor_for_token(auth["token"])
    else:
        actor = session_actor()  # an account's participant: only while its session is current
    if actor is None:
        raise flask_socketio.ConnectionRefusedError("unauthorized")  # the client's connect_error message
    readers.connected(sid, actor, g.workshop_locale)
    # Every connection hears its workshop's live controls (timer, announcement…), starting with the
    # current state; its person's room carries the end of their access (moved, removed, signed out).
    socketio.server.enter_room(sid, workshop_room(actor.workshop_id), namespace="/")
    socketio.server.enter_room(sid, participant_room(actor.id), namespace="/")
    with services().sessions() as db:
        mutations.greet(sid, live.current(db, actor.workshop_id))


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    sid = request.sid  # type: ignore[attr-defined]
    if socketio.server.manager.is_connected(sid, "/"):
        return  # an event a client named "disconnect": a real disconnection is no longer connected
    for board_id in services().presence.boards_of(sid):
        _leave(board_id, sid)
    readers.disconnected(sid)
    _editing_budget.pop(sid, None)


@socketio.on("board:join")
@answers
def on_board_join(payload: Any = None) -> dict[str, Any]:
    actor = _actor()
    req = _board_request(payload)
    sid = request.sid  # type: ignore[attr-defined]
    room = board_room(req.board_id)
    if req.mode == "watch" and not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators watch boards."))
    with services().sessions() as db:
        board = readable(db, actor, req.board_id)  # the one read rule, hidden groups included (SYNC-15)
        if hiding_matters(actor, board):  # the delivery's flag for this workshop, as of now
            readers.note_live(board.workshop_id, *live_hidden(db, board.workshop_id))
        readers.joined(sid, board.id, BoardFacts(board.workshop_id, board.group_id))
        # In the room before reading: an event committed meanwhile reaches the client both as
        # `event` and in the payload, and the client drops what is not past its seq (SYNC-8).
        socketio.server.enter_room(sid, room, namespace="/")
        db.rollback()
        try:
            result = join_payload(db, actor, req.board_id, req.since)
        except Exception:
            _leave(req.board_id, sid)  # a refused join never leaves the connection in the room
            raise
    services().presence.add(req.board_id, sid, actor, req.mode)
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
    mutations.relay_editing(req.board_id, message, skip_sid=sid)
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
    readers.left(sid, board_id)
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
    mutations.send_presence(board_id, participants)


def init_readers(app: Flask) -> None:
    """Hand the live delivery its policy: what each of this process's connections may read."""

    def lose_board(sid: str, board_id: str) -> None:
        with app.app_context():
            _leave(board_id, sid)

    def close(sid: str) -> None:
        socketio.server.disconnect(sid, namespace="/", ignore_queue=True)

    def recheck() -> None:
        socketio.start_background_task(recheck_connections, app)

    manager = socketio.server.manager
    manager.policy = ReaderPolicy(readers, lose_board, close, recheck)
    if hasattr(manager, "on_recovered"):  # a message queue (collab.realtime.queue)
        manager.on_recovered = mutations.catch_up_everyone


def recheck_connections(app: Flask) -> None:
    """Re-read from the database who each of this process's connections is and what they may read
    (SYNC-15): after a message-queue outage, the `access` and `live` messages sent meanwhile by the other
    processes never came. Changed people are told and closed; boards no longer readable are left; each
    connection gets its workshop's live state again."""
    with app.app_context(), services().sessions() as db:
        workshops: dict[str, dict[str, Any]] = {}
        for sid, connection in readers.all():
            actor = connection.actor
            try:
                now = refresh_actor(db, actor)
            except OpError:
                mutations.end_access([actor.id], reason="signed_out" if actor.account_id else "removed")
                continue
            if now.group_id != actor.group_id or now.role != actor.role:
                mutations.end_access([actor.id], reason="moved")
                continue
            if actor.workshop_id not in workshops:
                workshops[actor.workshop_id] = live.current(db, actor.workshop_id)
                readers.note_live(actor.workshop_id, *live_hidden(db, actor.workshop_id))
            for board_id in list(connection.boards):
                if not readers.may_read(actor, board_id):
                    _leave(board_id, sid)
            mutations.greet(sid, workshops[actor.workshop_id])
