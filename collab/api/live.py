"""Workshop live controls over REST (docs/protocol.md, "Live controls"); the socket `live` event does
the same. Both call collab.mutations.submit_control."""

from __future__ import annotations

from flask import Response, jsonify

from .. import live
from ..mutations import submit_control
from ..services import services
from . import bp
from .errors import json_body, op_response, require_actor


@bp.get("/live")
def get_live() -> Response:
    actor = require_actor()
    with services().sessions() as db:
        return jsonify(live.current(db, actor.workshop_id))


@bp.post("/live")
def post_live() -> tuple[Response, int]:
    actor = require_actor(writing=True)
    return op_response(submit_control(actor, json_body()))
