"""Reading boards and changing them through the one op pipeline."""

from __future__ import annotations

from flask import Response, jsonify, request

from ..mutations import submit_op
from ..services import services
from ..sync.catchup import MAX_EVENTS, events_since, snapshot
from ..sync.errors import N_, OpError
from . import bp
from .compression import gzipped
from .errors import MAX_INT, json_body, op_response, require_actor


@bp.get("/boards/<board_id>")
def get_board(board_id: str) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        return gzipped(jsonify(snapshot(db, actor, board_id)))


@bp.get("/boards/<board_id>/events")
def get_events(board_id: str) -> Response:
    actor = require_actor()
    since = _int_arg("since", 0)
    limit = _int_arg("limit", MAX_EVENTS)
    with services().sessions() as db:
        return gzipped(jsonify(events_since(db, actor, board_id, since, limit)))


@bp.post("/boards/<board_id>/ops")
def post_op(board_id: str) -> tuple[Response, int]:
    actor = require_actor(writing=True)
    op = json_body()
    if isinstance(op, dict):
        if op.setdefault("board_id", board_id) != board_id:
            raise OpError("invalid", N_("The op is for another board than this URL."))
    return op_response(submit_op(actor, op))


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=name) from None
    if not 0 <= value <= MAX_INT:
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=name)
    return value
