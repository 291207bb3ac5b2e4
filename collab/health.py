"""Liveness and readiness for a process manager or a load balancer (docs/protocol.md, "Outages").

`/healthz`: the process answers (nothing else is checked: restarting it would not bring a database
back). `/readyz`: it can serve, the database answering `SELECT 1` and the message queue (when one is
configured) a PING, each within a few seconds; 503 with the reason when not.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import text

from .api.errors import error_response
from .db import deadline
from .services import services
from .sync.errors import OpError

bp = Blueprint("health", __name__)
READY_TIMEOUT_SECONDS = 2.0  # at most, per check (the database's may take two: a stale connection, then a new one)


@bp.get("/healthz")
def healthz() -> dict[str, bool]:
    return {"ok": True}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    seconds = min(READY_TIMEOUT_SECONDS, current_app.config["DB_TIMEOUT"])
    database = _database_problem(seconds)
    queue = _queue_problem(seconds) if current_app.config["MESSAGE_QUEUE"] else None
    ok = database is None and queue is None
    body: dict[str, Any] = {"ok": ok, "database": database or "ok"}
    if current_app.config["MESSAGE_QUEUE"]:
        body["queue"] = queue or "ok"
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return (response, 200) if ok else (response, 503, {"Retry-After": "5"})


def _database_problem(seconds: float) -> str | None:
    try:
        with deadline(seconds), services().engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
            connection.execute(text("SELECT 1"))
    except Exception as err:  # noqa: BLE001 - any failure is the answer
        return _reason(err)
    return None


def _queue_problem(seconds: float) -> str | None:
    clients: dict[str, redis.Redis] = current_app.extensions.setdefault("collab_health", {})
    url = current_app.config["MESSAGE_QUEUE"]
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_timeout=seconds, socket_connect_timeout=seconds,
                                            retry=Retry(NoBackoff(), 0))  # one answer, no retries
    try:
        clients[url].ping()
    except Exception as err:  # noqa: BLE001
        return _reason(err)
    return None


def _reason(err: BaseException) -> str:
    cause = err.__cause__ or err
    return f"{type(cause).__name__}: {str(cause).strip().splitlines()[0] if str(cause).strip() else 'no answer'}"[:200]


def unanswered(err: OpError) -> ResponseReturnValue:
    """A refusal no blueprint answered (e.g. `unavailable` on a page): its status and message, not a 500."""
    if request.path.startswith("/api/"):
        return error_response(err)
    headers = {"Retry-After": str(err.retry_after)} if err.retry_after else {}
    return err.to_wire(gettext)["error"]["message"], err.http_status, {"Content-Type": "text/plain; charset=utf-8",
                                                                       **headers}


def init_health(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(OpError, unanswered)
