"""A board's history: the activity feed and the bin (docs/protocol.md, "History")."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext

from ..services import services
from ..sync import history
from ..sync.errors import N_, OpError
from . import bp
from .errors import MAX_INT, require_actor


@bp.get("/boards/<board_id>/activity")
def get_activity(board_id: str) -> Response:
    actor = require_actor()
    before = _int_arg("before", None, minimum=1)
    limit = _int_arg("limit", history.DEFAULT_ACTIVITY, minimum=1)
    with services().sessions() as db:
        return jsonify(
            history.activity(db, actor, board_id, before, limit or history.DEFAULT_ACTIVITY,
                             left_name=gettext(history.SOMEONE_WHO_LEFT))
        )


@bp.get("/boards/<board_id>/bin")
def get_bin(board_id: str) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        return jsonify(history.bin(db, actor, board_id, left_name=gettext(history.SOMEONE_WHO_LEFT)))


def _int_arg(name: str, default: int | None, *, minimum: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=name) from None
    if not minimum <= value <= MAX_INT:
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=name)
    return value
