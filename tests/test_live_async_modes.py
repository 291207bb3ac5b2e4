"""The server in its other async modes (COLLAB_ASYNC_MODE): a smoke test of the whole path — join,
connect, op, fan-out, catch-up — on the real process (docs/sync-spec.md SYNC-3, SYNC-7, SYNC-8)."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
import requests

from .support.peers import Peer, Room

pytestmark = pytest.mark.live


@pytest.mark.parametrize("transport", ["websocket", "polling"])
@pytest.mark.parametrize("mode", ["threading", "gevent"])
def test_smoke(make_server: Any, mode: str, transport: str) -> None:
    """SYNC-8: in this async mode a client joins, writes, and another client on the board gets the
    event; the REST snapshot agrees; catch-up with `since` works."""
    if mode == "gevent" and importlib.util.find_spec("gevent") is None:
        pytest.skip("gevent is not installed (it is not in requirements.txt)")
    server = make_server({"COLLAB_ASYNC_MODE": mode})
    assert f"Collab ({mode}) listening" in server.log()
    room = Room(server)
    try:
        person = room.person("Alice")
        alice = Peer(server, person["token"], transports=[transport]).connect()
        bob = Peer(server, room.person("Bob")["token"], transports=[transport]).connect()
        room.peers += [alice, bob]
        assert alice.client.transport() == transport
        assert bob.join(room.boards[0])["seq"] == 0
        ack = alice.create(room.boards[0], f"en mode {mode}")
        assert ack["seq"] == 1
        assert bob.wait_seq(room.boards[0], 1) == [ack["event"]]
        second = bob.create(room.boards[0], "réponse")
        assert alice.join(room.boards[0], since=1) == {"ok": True, "events": [second["event"]], "seq": 2}
        snap = requests.get(f"{server.url}/api/v1/boards/{room.boards[0]}",
                            headers={"Authorization": f"Bearer {person['token']}"}, timeout=10).json()
        assert [c["text"] for c in snap["cards"]] == [f"en mode {mode}", "réponse"]
    finally:
        room.close()
    assert "Traceback" not in server.log(), server.log()[-5000:]
