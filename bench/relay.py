"""A bare Flask-SocketIO relay: the floor Collab's fan-out is compared against.

Same Socket.IO events as Collab (docs/protocol.md), nothing else: no database, no auth, no
validation, no presence. ``board:join`` joins the room and acks an empty snapshot; ``op`` builds an
event shaped like Collab's (so frames are the same size), acks it and broadcasts it as ``event`` to
the board's room, skipping the sender.

Run with the same server settings as Collab (eventlet, one process):

    .venv/bin/python bench/relay.py --port 5101 [--deflate accept|decline]

``--deflate decline`` strips the client's ``Sec-WebSocket-Extensions`` offer before eventlet sees
it, so no connection negotiates permessage-deflate (eventlet accepts it by default and then
compresses every frame, per connection). bench/run.py picks the same mode as the Collab server it
measures, unless told otherwise.
"""

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room, leave_room  # noqa: E402


def decline_permessage_deflate(wsgi_app):
    """WSGI middleware: hide the client's extension offer so eventlet negotiates none."""

    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def now_iso():
    return datetime.now(UTC).isoformat()


def create_app(deflate="accept", max_http_buffer_size=1_000_000):
    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode="eventlet",
        max_http_buffer_size=max_http_buffer_size,
        logger=False,
        engineio_logger=False,
    )
    seqs = {}  # board_id -> last seq
    actor = str(uuid.uuid4())

    @socketio.on("board:join")
    def on_join(data):
        if not isinstance(data, dict) or not isinstance(data.get("board_id"), str):
            return {"ok": False, "error": {"code": "invalid", "message": "board_id"}}
        board_id = data["board_id"]
        join_room(board_id)
        return {
            "ok": True,
            "board": {
                "id": board_id,
                "title": board_id,
                "workshop_id": "relay",
                "group_id": "relay",
                "locked": False,
                "seq": seqs.get(board_id, 0),
            },
            "cards": [],
            "seq": seqs.get(board_id, 0),
        }

    @socketio.on("board:leave")
    def on_leave(data):
        if isinstance(data, dict) and isinstance(data.get("board_id"), str):
            leave_room(data["board_id"])
        return {"ok": True}

    @socketio.on("op")
    def on_op(op):
        if not isinstance(op, dict) or not isinstance(op.get("board_id"), str):
            return {"ok": False, "error": {"code": "invalid", "message": "op"}}
        board_id = op["board_id"]
        seq = seqs[board_id] = seqs.get(board_id, 0) + 1
        data = op.get("data") or {}
        ts = now_iso()
        card = {
            "id": data.get("id") or str(uuid.uuid4()),
            "board_id": board_id,
            "author_id": actor,
            "author_name": "relay",
            "text": str(data.get("text", ""))[:2000],
            "kind": data.get("kind", "note"),
            "colour": data.get("colour", "yellow"),
            "zone": data.get("zone", "inbox"),
            "position": data.get("position", ""),
            "version": 1,
            "deleted": False,
            "created_at": ts,
            "updated_at": ts,
        }
        event = {
            "board_id": board_id,
            "seq": seq,
            "op_id": op.get("op_id"),
            "type": op.get("type"),
            "actor_id": actor,
            "data": {"card": card},
            "ts": ts,
        }
        socketio.emit("event", event, to=board_id, skip_sid=request.sid)
        return {"ok": True, "seq": seq, "event": event}

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    if deflate == "decline":
        app.wsgi_app = decline_permessage_deflate(app.wsgi_app)
    return app, socketio


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5101)
    parser.add_argument(
        "--deflate",
        choices=["accept", "decline"],
        default="accept",
        help="permessage-deflate: accept (eventlet's default) or decline",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=None,
        help="eventlet wsgi max simultaneous connections (default: eventlet's 1024)",
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app, socketio = create_app(deflate=args.deflate)
    kwargs = {}
    if args.max_size:
        kwargs["max_size"] = args.max_size
    socketio.run(app, host=args.host, port=args.port, log_output=False, **kwargs)


if __name__ == "__main__":
    main()
