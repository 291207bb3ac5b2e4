"""Editing indicators over Socket.IO on the real server (docs/protocol.md, "board:editing" and
`editing`): volatile messages relayed to the board's other connections, never stored, only from a
connection that joined the board, and rate-limited.

python-socketio clients record what they receive under a lock; tests wait on conditions, never sleep.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from .support.peers import Peer, Room
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live


@pytest.fixture
def room(live_server: LiveServer) -> Any:
    made = Room(live_server)
    yield made
    made.close()


class Watcher:
    """Records the `editing` messages a peer receives."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self._lock = threading.Lock()
        self._seen: list[dict[str, Any]] = []
        peer.client.on("editing", self._on_editing)

    def _on_editing(self, data: Any) -> None:
        with self._lock:
            self._seen.append(data)

    def seen(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._seen)


def editing(peer: Peer, board_id: str, target: Any) -> dict[str, Any]:
    return peer.call("board:editing", {"board_id": board_id, "target": target})


def test_editing_is_relayed_to_the_others_on_the_board(room: Room) -> None:
    board = room.boards[0]
    alice, bob, carol = room.peer("Alice"), room.peer("Bob"), room.peer("Carol", group=1)
    seen_by = {name: Watcher(peer) for name, peer in [("alice", alice), ("bob", bob), ("carol", carol)]}
    for peer in (alice, bob):
        assert peer.join(board)["ok"]
    assert carol.join(room.boards[1])["ok"]  # another board: hears nothing of this one
    card_id = alice.create(board, "à reformuler")["event"]["data"]["card"]["id"]

    assert editing(alice, board, f"card:{card_id}") == {"ok": True}
    wait_for(lambda: seen_by["bob"].seen(), message="bob hears alice editing")
    message = seen_by["bob"].seen()[-1]
    assert message == {"board_id": board, "participant_id": message["participant_id"], "name": "Alice",
                       "target": f"card:{card_id}"}
    assert message["participant_id"] == room.rest(alice.token, "/me").json()["participant"]["id"]

    # Done editing: target null.
    assert editing(alice, board, None) == {"ok": True}
    wait_for(lambda: len(seen_by["bob"].seen()) == 2, message="bob hears alice stop")
    assert seen_by["bob"].seen()[-1]["target"] is None

    # A theme's synthesis too; and nothing is an event of the board's log.
    assert editing(bob, board, "theme:0b7c6f1e-3f3a-4d8e-9c55-1a2b3c4d5e6f")["ok"]
    wait_for(lambda: seen_by["alice"].seen(), message="alice hears bob")
    assert seen_by["alice"].seen()[-1]["name"] == "Bob"
    assert seen_by["bob"].seen()[-1]["name"] == "Alice"  # the sender never hears itself
    assert seen_by["carol"].seen() == []
    events = room.rest(alice.token, f"/boards/{board}/events?since=0").json()
    assert [e["type"] for e in events["events"]] == ["card.create"]


def test_only_a_connection_that_joined_the_board_may_say_it_edits(room: Room) -> None:
    board = room.boards[0]
    alice, bob = room.peer("Alice"), room.peer("Bob")
    heard = Watcher(bob)
    assert bob.join(board)["ok"]
    refused = editing(alice, board, None)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    # Joined, then left: refused again.
    assert alice.join(board)["ok"] and alice.leave(board)["ok"]
    assert editing(alice, board, "card:abc")["error"]["code"] == "forbidden"
    # An unknown board reads as not joined either.
    assert editing(alice, "no-such-board", None)["error"]["code"] == "forbidden"
    # Still usable, and bob heard nothing of it.
    assert alice.join(board)["ok"] and editing(alice, board, "card:abc") == {"ok": True}
    wait_for(lambda: heard.seen(), message="bob hears alice once joined")
    assert [m["target"] for m in heard.seen()] == ["card:abc"]


@pytest.mark.parametrize(
    "payload",
    [None, "board", [], {}, {"target": "card:x"}, {"board_id": 3, "target": None},
     {"board_id": "b", "target": "zone:inbox"}, {"board_id": "b", "target": "card:"},
     {"board_id": "b", "target": "card:" + "x" * 65}, {"board_id": "b", "target": 12},
     {"board_id": "b", "target": "card:<script>"}],
    ids=["none", "string", "list", "empty", "no board", "board not a string", "other kind", "empty id",
         "id too long", "target not a string", "bad characters"],
)
def test_malformed_editing_messages_are_refused(room: Room, payload: Any) -> None:
    alice = room.peer("Alice")
    assert alice.join(room.boards[0])["ok"]
    ack = alice.call("board:editing", payload)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert editing(alice, room.boards[0], None) == {"ok": True}  # the connection stays usable


def test_editing_messages_are_rate_limited_per_connection(room: Room) -> None:
    board = room.boards[0]
    alice, bob = room.peer("Alice"), room.peer("Bob")
    heard = Watcher(bob)
    for peer in (alice, bob):
        assert peer.join(board)["ok"]
    acks = [editing(alice, board, f"card:c{i}") for i in range(12)]
    codes = [a["error"]["code"] if not a["ok"] else "ok" for a in acks]
    assert codes[:6] == ["ok"] * 6 and "rate_limited" in codes[6:], codes
    wait_for(lambda: len(heard.seen()) == codes.count("ok"), message="bob hears the accepted ones")
    # Another connection has its own budget.
    assert editing(bob, board, "card:c0") == {"ok": True}
