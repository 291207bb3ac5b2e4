"""JSON errors for the API: `{"error": {"code", "message"}}` with the matching status."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..auth import current_actor
from ..extensions import csrf
from ..sync.access import Actor
from ..sync.errors import N_, UNAVAILABLE_RETRY_SECONDS, OpError
from . import bp

_HTTP_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "invalid",
               410: "gone", 413: "too_large", 423: "locked", 429: "rate_limited"}


# The largest integer a query may carry: PostgreSQL's BIGINT and SQLite's INTEGER (larger ones were an
# OverflowError, a 500).
MAX_INT = 2**63 - 1

_HTTP_MESSAGES = {
    400: N_("The request is not valid."),
    404: N_("This address does not exist."),
    405: N_("This method is not allowed here."),
    413: N_("The request is too large."),
}


def error_response(err: OpError) -> tuple[Response, int]:
    response = jsonify({"error": err.to_wire(gettext)["error"]})
    if err.retry_after:
        response.headers["Retry-After"] = str(err.retry_after)
    return response, err.http_status


def op_response(result: dict[str, Any]) -> tuple[Response, int]:
    """An op result as REST: the ack itself, or its error with the matching status."""
    if result["ok"]:
        return jsonify(result), 200
    code = result["error"]["code"]
    response = jsonify({"error": result["error"]})
    if code == "unavailable":
        response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response, OpError(code, "").http_status


def require_actor(*, writing: bool = False) -> Actor:
    actor, from_cookie = current_actor()
    if actor is None:
        raise OpError("unauthorized", N_("Join the workshop first."))
    if writing and from_cookie:
        csrf.protect()
    return actor


def json_body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise OpError("invalid", N_("The request body must be JSON."))
    return body


@bp.errorhandler(OpError)
def _op_error(err: OpError) -> tuple[Response, int]:
    return error_response(err)


@bp.errorhandler(CSRFError)
def _csrf_error(_err: CSRFError) -> tuple[Response, int]:
    return error_response(OpError("forbidden", N_("Your page is out of date: reload it and try again.")))


def http_error(err: HTTPException) -> tuple[Response, int] | HTTPException:
    """Registered app-wide: HTTP errors under /api/ are JSON, elsewhere the default pages."""
    if not request.path.startswith("/api/"):
        return err
    code = _HTTP_CODES.get(err.code or 500, "internal")
    message = _HTTP_MESSAGES.get(err.code or 500)
    response = jsonify({"error": {"code": code, "message": gettext(message) if message else err.description}})
    return response, err.code or 500
