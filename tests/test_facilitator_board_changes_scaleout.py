"""The console's board changes across two processes on PostgreSQL + Redis (docs/sync-spec.md SYNC-16,
SYNC-8): made through one process, they reach a board's connection on the other — the deletion too,
although its board is gone by the time the event is delivered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support.accounts import Account
from .support.peers import Peer, Room
from .support.server import LiveServer
from .test_live_scaleout import database_url, queue_url, servers  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.live, pytest.mark.postgres]


@pytest.fixture
def room(servers: list[LiveServer]) -> Iterator[Room]:  # noqa: F811
    made = Room(servers[0], groups=2)
    yield made
    made.close()


def test_console_changes_reach_the_other_process(servers: list[LiveServer], room: Room) -> None:  # noqa: F811
    a, b = servers
    account = Account(a, room.workshop["workshop_id"])
    board, group = room.boards[0], room.groups[0]
    peer = Peer(b, room.person("Camille")["token"]).connect()
    room.peers.append(peer)
    assert peer.join(board)["ok"]
    path = f"/workshops/{room.workshop['workshop_id']}/groups/{group}"

    assert account.call("PATCH", path, {"name": "Morvan nord", "template": "free"}).status_code == 200
    assert account.call("DELETE", path).status_code == 200
    received = peer.wait_seq(board, 3)
    assert [(e["type"], e["seq"]) for e in received] == [("board.rename", 1), ("board.template", 2),
                                                         ("board.delete", 3)]
    assert received[0]["data"]["board"]["title"] == "Morvan nord"
    assert received[-1]["data"] == {"board": {"id": board, "deleted": True}}
