"""Joining a workshop with its code, and the current session."""

from __future__ import annotations

from typing import Annotated

from flask import Response, jsonify, request, session
from flask_wtf.csrf import generate_csrf
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from ..auth import log_in, participant_for_token
from ..extensions import csrf
from ..models import Participant, Workshop
from ..services import services
from ..sync.errors import N_, OpError
from ..sync.fields import Clean, NoControls
from ..workshops import find_by_code, join, participant_dict, workshop_dict
from . import bp
from .errors import json_body, require_actor


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    code: Annotated[str, StringConstraints(min_length=1, max_length=32), NoControls]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Clean]
    group: Annotated[str, NoControls] | None = None


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.post("/join")
def join_workshop() -> Response:
    try:
        req = JoinRequest.model_validate(json_body())
    except ValidationError:
        raise OpError("invalid", N_("Give the workshop code and your name (60 characters at most).")) from None
    svc = services()
    with svc.sessions() as db:
        workshop = find_by_code(db, req.code)
        if workshop is None:
            # Only wrong codes count: a whole room joins from one address (docs/protocol.md).
            svc.limits.check("join_failure", client_address())
            svc.limits.failed("join_failure", client_address())
            raise OpError("not_found", N_("No workshop has this code. Check it and try again."))
        joined = join(db, workshop, req.name, req.group)
        payload = {
            "participant": participant_dict(joined.participant),
            "workshop": _public_workshop(workshop_dict(db, workshop)),
            "token": joined.token,
        }
    log_in(joined.participant)
    return jsonify(payload)


def _public_workshop(data: dict) -> dict:
    data["groups"] = [{"id": g["id"], "name": g["name"], "board_id": g["board_id"]} for g in data["groups"]]
    data.pop("code", None)
    data.pop("locale", None)
    return data


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    token: Annotated[str, StringConstraints(min_length=1, max_length=200), NoControls]


@bp.post("/session")
def open_session() -> Response:
    """Trade a token (from joining, or a facilitator's) for the session cookie: a facilitator signs in
    in a browser this way, and a phone whose cookie was lost signs in again without losing its outbox."""
    try:
        token = SessionRequest.model_validate(json_body()).token
    except ValidationError:
        raise OpError("invalid", N_("Give your access key (token).")) from None
    participant = participant_for_token(token)
    if participant is None:
        raise OpError("unauthorized", N_("This access key is not valid (any more)."))
    log_in(participant)
    return me()


@bp.get("/me")
def me() -> Response:
    actor = require_actor()
    svc = services()
    with svc.sessions() as db:
        participant = db.get(Participant, actor.id)
        workshop = db.get(Workshop, actor.workshop_id)
        assert participant is not None and workshop is not None
        return jsonify(
            {
                "participant": participant_dict(participant),
                "workshop": workshop_dict(db, workshop),
                "csrf_token": generate_csrf(),
            }
        )


@bp.post("/logout")
def logout() -> Response:
    if session:  # a browser's session: another site must not sign it out (CSRF, as other cookie writes)
        csrf.protect()
    session.clear()
    return jsonify({"ok": True})
