"""Socket.IO test peers on the real server: python-socketio clients that record what they receive.

The python-socketio client runs every incoming message handler in a thread of its own: `Peer` records
what it receives under a lock; tests look at seq-sorted content and wait on conditions, never sleep.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import requests
import socketio
from sqlalchemy.orm import Session, sessionmaker

from collab.db import make_engine, make_session_factory
from collab.workshops import create_workshop, workshop_dict

from .server import LiveServer, wait_for

TIMEOUT = 10


class Peer:
    """One Socket.IO connection of one participant, recording what the server sends it."""

    def __init__(self, server: LiveServer, token: str | None = None, *, cookie: str | None = None,
                 reconnection: bool = False, transports: list[str] | None = None) -> None:
        self.server = server
        self.token = token
        self.cookie = cookie
        self.transports = transports or ["websocket"]
        self.client = socketio.Client(reconnection=reconnection, reconnection_delay=0.1,
                                      reconnection_delay_max=0.5, randomization_factor=0)
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._presence: list[dict[str, Any]] = []
        self._live: list[dict[str, Any]] = []
        self.access: list[dict[str, Any]] = []  # `access` messages: why the server ended the connection
        self.connect_errors: list[Any] = []
        self.connects = 0
        self.disconnects = 0
        self.client.on("event", self._on_event)
        self.client.on("presence", self._on_presence)
        self.client.on("live", self._on_live)
        self.client.on("access", self._on_access)
        self.client.on("connect", self._on_connect)
        self.client.on("disconnect", self._on_disconnect)
        self.client.on("connect_error", self._on_connect_error)

    # recording (called from the client's threads)
    def _on_event(self, data: Any) -> None:
        with self._lock:
            self._events.append(data)

    def _on_presence(self, data: Any) -> None:
        with self._lock:
            self._presence.append(data)

    def _on_live(self, data: Any) -> None:
        with self._lock:
            self._live.append(data)

    def _on_access(self, data: Any) -> None:
        with self._lock:
            self.access.append(data)

    def live(self) -> dict[str, Any] | None:
        """The newest workshop live state received (highest seq), or None."""
        with self._lock:
            return max(self._live, key=lambda m: m["seq"], default=None)

    def _on_connect(self) -> None:
        with self._lock:
            self.connects += 1

    def _on_disconnect(self, *_args: Any) -> None:
        with self._lock:
            self.disconnects += 1

    def _on_connect_error(self, data: Any = None) -> None:
        with self._lock:
            self.connect_errors.append(data)

    # actions
    def connect(self, auth: Any = None, headers: dict[str, str] | None = None) -> Peer:
        if auth is None and self.token is not None:
            auth = {"token": self.token}
        headers = dict(headers or {})
        if self.cookie is not None:
            headers["Cookie"] = f"collab_session={self.cookie}"
        self.client.connect(self.server.url, auth=auth, headers=headers, transports=self.transports,
                            wait_timeout=TIMEOUT)
        return self

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()

    def call(self, event: str, data: Any = None, timeout: float = TIMEOUT) -> Any:
        return self.client.call(event, data, timeout=timeout)

    def join(self, board_id: str, since: int | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {"board_id": board_id}
        if since is not None:
            payload["since"] = since
        return self.call("board:join", payload)

    def leave(self, board_id: str) -> dict[str, Any]:
        return self.call("board:leave", {"board_id": board_id})

    def op(self, board_id: str, type_: str = "card.create", data: dict[str, Any] | None = None,
           op_id: str | None = None) -> dict[str, Any]:
        return self.call("op", make_op(board_id, type_, data, op_id))

    def create(self, board_id: str, text: str = "Une note", **data: Any) -> dict[str, Any]:
        ack = self.op(board_id, "card.create", {"text": text, **data})
        assert ack["ok"], ack
        return ack

    # what was received
    def events(self, board_id: str | None = None) -> list[dict[str, Any]]:
        """Events received, sorted by (board, seq) as a client orders them (SYNC-8)."""
        with self._lock:
            events = [e for e in self._events if board_id is None or e["board_id"] == board_id]
        return sorted(events, key=lambda e: (e["board_id"], e["seq"]))

    def seqs(self, board_id: str | None = None) -> list[int]:
        return [e["seq"] for e in self.events(board_id)]

    def wait_seq(self, board_id: str, seq: int, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """Wait until an event with this seq (for this board) arrived; return the board's events."""
        wait_for(lambda: seq in self.seqs(board_id), timeout, message=f"event seq {seq} on {board_id}")
        return self.events(board_id)

    def presence(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._presence)

    def present_names(self, board_id: str) -> list[str] | None:
        """The names in the last presence message for the board (None before any)."""
        messages = [p for p in self.presence() if p["board_id"] == board_id]
        return [p["name"] for p in messages[-1]["participants"]] if messages else None


def make_op(board_id: str, type_: str = "card.create", data: dict[str, Any] | None = None,
            op_id: str | None = None) -> dict[str, Any]:
    return {"board_id": board_id, "op_id": op_id or f"op-{uuid.uuid4().hex}", "type": type_,
            "data": data if data is not None else {"text": "Une note"}}


_session_factories: dict[str, sessionmaker[Session]] = {}


def server_sessions(server: LiveServer) -> sessionmaker[Session]:
    """Sessions on the server's own database (the one its CLI would use)."""
    url = server.env.get("COLLAB_DATABASE_URL") or f"sqlite:///{server.instance_dir / 'collab.db'}"
    if url not in _session_factories:
        _session_factories[url] = make_session_factory(make_engine(url))
    return _session_factories[url]


def create_workshop_fast(server: LiveServer, title: str, groups: int) -> dict[str, Any]:
    """What `flask collab create-workshop --json` prints, made by the same code in the server's database
    without starting a CLI process (2 s each); test_cli.py covers the CLI itself."""
    with server_sessions(server)() as db:
        made = create_workshop(db, title, groups)
        data = workshop_dict(db, made.workshop)
    return {"workshop_id": data["id"], "join_code": data["code"], "facilitator_token": made.token,
            "groups": [{"id": g["id"], "name": g["name"], "board_id": g["board_id"]} for g in data["groups"]]}


class Room:
    """A fresh workshop on a server, with helpers to add people and open connections."""

    def __init__(self, server: LiveServer, groups: int = 2, *, via_cli: bool = False) -> None:
        self.server = server
        self.workshop = (server.create_workshop("Atelier live", groups) if via_cli
                         else create_workshop_fast(server, "Atelier live", groups))
        self.code = self.workshop["join_code"]
        self.boards = [g["board_id"] for g in self.workshop["groups"]]
        self.groups = [g["id"] for g in self.workshop["groups"]]
        self.facilitator_token = self.workshop["facilitator_token"]
        self.peers: list[Peer] = []

    def person(self, name: str, group: int = 0) -> dict[str, Any]:
        return self.server.join(self.code, name, self.groups[group])

    def peer(self, name: str, group: int = 0, **kwargs: Any) -> Peer:
        peer = Peer(self.server, self.person(name, group)["token"], **kwargs).connect()
        self.peers.append(peer)
        return peer

    def facilitator(self) -> Peer:
        peer = Peer(self.server, self.facilitator_token).connect()
        self.peers.append(peer)
        return peer

    def rest(self, token: str, path: str) -> requests.Response:
        return requests.get(self.server.url + "/api/v1" + path, headers={"Authorization": f"Bearer {token}"},
                            timeout=TIMEOUT)

    def close(self) -> None:
        for peer in self.peers:
            peer.close()
