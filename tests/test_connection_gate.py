"""The socket server's door (docs/protocol.md, "Connecting"): a connection that never signs in is
closed after COLLAB_SOCKET_AUTH_TIMEOUT; one client address holds at most
COLLAB_MAX_CONNECTIONS_PER_ADDRESS connections; signed-in clients are untouched."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import websocket

from .support.peers import Room
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live


class RawSocket:
    """An Engine.IO WebSocket by hand: the handshake, pongs to pings, and nothing else unless told."""

    def __init__(self, server: LiveServer, headers: list[str] | None = None) -> None:
        url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, timeout=5, header=headers or [])
        opened = self.ws.recv()
        assert opened.startswith("0") and "sid" in json.loads(opened[1:])
        self.received: list[str] = []

    def send(self, frame: str) -> None:
        self.ws.send(frame)

    def open_for(self, seconds: float) -> float:
        """Answer pings until the server closes the connection or `seconds` pass; how long it stayed."""
        started = time.monotonic()
        self.ws.settimeout(0.2)
        while time.monotonic() - started < seconds:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                break
            if frame == "":  # closed
                break
            self.received.append(frame)
            if frame == "2":
                self.ws.send("3")
            elif frame == "1":  # Engine.IO close
                break
        return time.monotonic() - started

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def gated(make_server: Any) -> LiveServer:
    return make_server({"COLLAB_SOCKET_AUTH_TIMEOUT": "1.5", "COLLAB_MAX_CONNECTIONS_PER_ADDRESS": "200"})


def test_a_connection_that_never_signs_in_is_closed(gated: LiveServer) -> None:
    silent = RawSocket(gated)
    stayed = silent.open_for(8)
    assert 1.0 < stayed < 5, stayed


def test_a_refused_sign_in_does_not_keep_the_connection(gated: LiveServer) -> None:
    refused = RawSocket(gated)
    refused.send('40{"token": "not a token"}')  # Socket.IO CONNECT to "/", refused
    stayed = refused.open_for(8)
    assert any(frame.startswith("44") for frame in refused.received), refused.received  # CONNECT_ERROR
    assert 1.0 < stayed < 5, stayed


def test_signed_in_clients_are_untouched(gated: LiveServer) -> None:
    room = Room(gated)
    peer = room.peer("Alice")
    silent = RawSocket(gated)
    assert silent.open_for(8) < 5  # the gate has swept at least once since the peer connected
    assert peer.client.connected and peer.disconnects == 0
    assert peer.join(room.boards[0])["ok"] and peer.create(room.boards[0], "toujours là")["ok"]
    room.close()


def test_connections_per_address_are_capped(make_server: Any) -> None:
    server = make_server({"COLLAB_MAX_CONNECTIONS_PER_ADDRESS": "3", "COLLAB_SOCKET_AUTH_TIMEOUT": "60",
                          "COLLAB_TRUSTED_PROXIES": "1"})
    room = Room(server)
    peer = room.peer("Alice")  # a signed-in connection counts too
    held = [RawSocket(server) for _ in range(2)]
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        RawSocket(server)
    assert refused.value.status_code == 401
    # Another address (behind the trusted proxy) still gets in; so does this one once a place is free.
    other = RawSocket(server, headers=["X-Forwarded-For: 203.0.113.7"])
    held[0].close()
    again = wait_for(lambda: _try_connect(server), 5, interval=0.1, message="a free place")
    assert peer.client.connected and peer.create(room.boards[0])["ok"]
    for raw in [*held[1:], other, again]:
        raw.close()
    room.close()


def _try_connect(server: LiveServer) -> RawSocket | None:
    try:
        return RawSocket(server)
    except websocket.WebSocketBadStatusException:
        return None
