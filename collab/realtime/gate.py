"""The door of the socket server: how many connections a client address may hold, and how long a
connection may stay without signing in (docs/protocol.md, "Connecting").

Engine.IO accepts a transport (a WebSocket or long-polling) before any Socket.IO session exists; a
peer that answers pings and never signs in would hold its place for ever, and a few could fill the
process's connection cap. `ConnectionGate` wraps the Engine.IO `connect` and `disconnect` handlers:
past `COLLAB_MAX_CONNECTIONS_PER_ADDRESS` connections from one address (as Flask sees it, after
ProxyFix), a new one is refused (HTTP 401 `too many connections`); and a green thread closes every
connection that has had no signed-in Socket.IO session (the default namespace, accepted by
`on_connect`) for `COLLAB_SOCKET_AUTH_TIMEOUT` seconds — never signed in, refused, or left.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from .. import metrics

log = logging.getLogger(__name__)
NAMESPACE = "/"


@dataclass
class _Entry:
    address: str
    signed_in_at: float  # when it was last seen signed in (at first: when it connected)


class ConnectionGate:
    def __init__(self, server: Any, max_per_address: int, auth_timeout: float,
                 spawn: Callable[..., Any], sleep: Callable[[float], Any]) -> None:
        """`server`: the socketio.Server; `spawn`/`sleep`: the async mode's (socketio's)."""
        self.server = server
        self.max_per_address = max_per_address
        self.auth_timeout = auth_timeout
        self._spawn, self._sleep = spawn, sleep
        self._entries: dict[str, _Entry] = {}
        self._per_address: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._sweeping = False

    def install(self) -> None:
        eio = self.server.eio
        on_connect, on_disconnect = eio.handlers["connect"], eio.handlers["disconnect"]

        def connect(eio_sid: str, environ: dict[str, Any]) -> Any:
            if not self._admit(eio_sid, str(environ.get("REMOTE_ADDR") or "")):
                return {"message": "too many connections"}  # Engine.IO answers 401 with it
            try:
                accepted = on_connect(eio_sid, environ)
            except BaseException:
                self._release(eio_sid)
                raise
            if accepted is not None and accepted is not True:
                self._release(eio_sid)
            return accepted

        def disconnect(eio_sid: str, *args: Any) -> Any:
            self._release(eio_sid)
            return on_disconnect(eio_sid, *args)

        eio.on("connect", connect)
        eio.on("disconnect", disconnect)

    def connections(self, address: str) -> int:
        with self._lock:
            return self._per_address[address]

    def _admit(self, eio_sid: str, address: str) -> bool:
        with self._lock:
            if self.max_per_address and self._per_address[address] >= self.max_per_address:
                log.warning("refused a connection: %s already holds %s", address, self.max_per_address)
                return False
            self._per_address[address] += 1
            self._entries[eio_sid] = _Entry(address, time.monotonic())
            metrics.connection_opened()
            start = not self._sweeping
            self._sweeping = True
        if start:
            self._spawn(self._sweep)
        return True

    def _release(self, eio_sid: str) -> None:
        with self._lock:
            entry = self._entries.pop(eio_sid, None)
            if entry is not None:
                metrics.connection_closed()
                self._per_address[entry.address] -= 1
                if self._per_address[entry.address] <= 0:
                    del self._per_address[entry.address]

    def _signed_in(self, eio_sid: str) -> bool:
        manager = self.server.manager
        sid = manager.sid_from_eio_sid(eio_sid, NAMESPACE)
        return sid is not None and bool(manager.is_connected(sid, NAMESPACE))

    def _sweep(self) -> None:
        interval = max(0.1, min(1.0, self.auth_timeout / 4))
        while True:
            self._sleep(interval)
            try:
                self.sweep_once()
            except Exception:  # noqa: BLE001 - the door must keep working
                log.exception("connection sweep failed")

    def sweep_once(self) -> None:
        """Close the connections without a signed-in session for too long; forget vanished ones."""
        now = time.monotonic()
        with self._lock:
            entries = list(self._entries.items())
        for eio_sid, entry in entries:
            if eio_sid not in self.server.eio.sockets:
                self._release(eio_sid)  # gone without a disconnect event
            elif self._signed_in(eio_sid):
                entry.signed_in_at = now
            elif now - entry.signed_in_at >= self.auth_timeout:
                log.info("closing a connection that did not sign in within %ss", self.auth_timeout)
                self.server.eio.disconnect(eio_sid)
                self._release(eio_sid)


def init_gate(app: Flask, socketio: Any) -> ConnectionGate:
    """Install the gate on Flask-SocketIO's server (after `socketio.init_app`)."""
    gate = ConnectionGate(
        socketio.server,
        app.config["MAX_CONNECTIONS_PER_ADDRESS"],
        app.config["SOCKET_AUTH_TIMEOUT"],
        socketio.start_background_task,
        socketio.sleep,
    )
    gate.install()
    app.extensions["collab_gate"] = gate
    return gate
