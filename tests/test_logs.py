"""Log lines (issue #12, "Operations"): one line per op error (type, board, code, actor: never the op's
text), JSON lines with COLLAB_LOG_FORMAT=json, and never a token, cookie or join code in clear."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from itsdangerous import URLSafeSerializer
from werkzeug.security import generate_password_hash

from collab.models import FacilitatorAccount
from collab.present.audience import SALT

from .support.peers import Peer, Room, server_sessions
from .support.server import wait_for

PASSWORD = "correct horse battery staple"
NOTE = "Texte très personnel"


def test_json_lines_carry_no_secret(make_server: Any) -> None:
    server = make_server({"COLLAB_LOG_FORMAT": "json"})
    room = Room(server, groups=1)
    board = room.boards[0]
    secrets = {"join code": room.code, "facilitator token": room.facilitator_token, "password": PASSWORD}

    assert requests.get(f"{server.url}/j/{room.code}", timeout=5).ok  # the join link
    person = room.person("Alice")  # joining by code
    secrets["participant token"] = person["token"]
    phone = requests.Session()  # a session sign-in with the token
    assert phone.post(server.url + "/api/v1/session", json={"token": person["token"]}, timeout=5).ok
    assert phone.get(server.url + "/api/v1/me", timeout=5).ok
    assert phone.get(f"{server.url}/login?token={person['token']}", timeout=5).status_code < 500
    secrets["participant cookie"] = phone.cookies["collab_session"]

    audience = URLSafeSerializer("test-secret-key", salt=SALT).dumps(room.workshop["workshop_id"])
    secrets["audience token"] = audience
    assert requests.get(f"{server.url}/a/{audience}", timeout=5).ok
    assert requests.get(f"{server.url}/api/v1/audience/{audience}/live", timeout=5).ok

    with server_sessions(server)() as db:  # (what `collab create-account` makes)
        db.add(FacilitatorAccount(email="anne@example.org", name="Anne",
                                  password_hash=generate_password_hash(PASSWORD)))
        db.commit()
    console = requests.Session()  # a facilitator sign-in
    csrf = console.get(server.url + "/api/v1/facilitator/csrf", timeout=5).json()["csrf_token"]
    signed_in = console.post(server.url + "/api/v1/facilitator/login", headers={"X-CSRFToken": csrf},
                             json={"email": "anne@example.org", "password": PASSWORD}, timeout=5)
    assert signed_in.ok, signed_in.text
    secrets["facilitator cookie"] = console.cookies["collab_session"]

    peer = Peer(server, cookie=secrets["participant cookie"]).connect()
    room.peers.append(peer)
    refused = peer.op(board, "card.update", {"card_id": "00000000-0000-0000-0000-000000000000", "text": NOTE})
    assert not refused["ok"]

    def op_error_line() -> dict[str, Any] | None:
        for line in server.log().splitlines():
            if line.startswith("{") and json.loads(line).get("code") == refused["error"]["code"]:
                return json.loads(line)
        return None

    line = wait_for(op_error_line, message="the op error's line")
    assert line["logger"] == "collab.mutations" and line["level"] == "INFO"
    assert (line["op_type"], line["board_id"], line["actor_id"]) == ("card.update", board, person["participant"]["id"])
    assert {"time", "message"} <= set(line)
    wait_for(lambda: "/api/v1/facilitator/login" in server.log(), message="the sign-in's access line")

    log = server.log()
    lines = log.splitlines()
    first = next(n for n, text in enumerate(lines) if text.startswith("{"))  # (before: import-time warnings)
    records = [json.loads(text) for text in lines[first:] if text.strip()]  # every line since is JSON
    access = [r for r in records if r["logger"] == "collab.access"]
    assert {"method": "GET", "path": "/j/…", "status": "200"} in [
        {key: r[key] for key in ("method", "path", "status")} for r in access]
    assert all(isinstance(r["duration_ms"], int) for r in access)
    assert NOTE not in log
    leaked = [name for name, secret in secrets.items() if secret in log]
    assert leaked == []


def test_plain_lines_by_default(make_server: Any) -> None:
    server = make_server()
    room = Room(server, groups=1)
    peer = room.peer("Alice")
    assert not peer.op(room.boards[0], "card.move", {"card_id": "x", "text": NOTE})["ok"]
    wait_for(lambda: "collab.mutations: op_error type=card.move board=" in server.log(), message="op error")
    assert NOTE not in server.log()


def test_an_unknown_log_format_is_refused() -> None:
    from collab import config

    with pytest.raises(RuntimeError, match="COLLAB_LOG_FORMAT"):
        config._log_format("xml")
