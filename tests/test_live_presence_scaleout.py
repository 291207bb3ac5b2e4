"""Presence across server processes (docs/sync-spec.md SYNC-11): everyone on a board is listed,
whichever process holds their connection."""

from __future__ import annotations

import pytest

from .support.peers import Room
from .support.server import LiveServer, wait_for
from .test_live_scaleout import database_url, peer_on, queue_url, room, servers  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def test_presence_lists_people_connected_to_either_server(servers: list[LiveServer], room: Room) -> None:  # noqa: F811
    """SYNC-11: Alice on server A and Bruno on server B both see both names; when Bruno leaves, Alice
    sees him go."""
    a, b = servers
    board = room.boards[0]
    alice, bruno = peer_on(a, room, "Alice"), peer_on(b, room, "Bruno")
    alice.join(board)
    bruno.join(board)
    wait_for(lambda: alice.present_names(board) == ["Alice", "Bruno"], message="both names on A")
    wait_for(lambda: bruno.present_names(board) == ["Alice", "Bruno"], message="both names on B")
    bruno.leave(board)
    wait_for(lambda: alice.present_names(board) == ["Alice"], message="Bruno gone on A")


def test_a_crashed_process_drops_out_of_presence(queue_url: str) -> None:  # noqa: F811
    """SYNC-11: when a process dies, its heartbeat key expires and its people leave the list."""
    from collab.presence import SharedPresence
    from collab.sync.access import Actor

    def person(name: str) -> Actor:
        return Actor(id=name, name=name, role="participant", workshop_id="w", group_id="g")

    prefix = "collab:test-presence"
    alive = SharedPresence(queue_url, spawn=lambda task: None, sleep=lambda s: None, prefix=prefix)
    crashed = SharedPresence(queue_url, spawn=lambda task: None, sleep=lambda s: None, prefix=prefix)
    alive.add("board", "sid-a", person("Alice"))
    crashed.add("board", "sid-b", person("Bruno"))
    assert [p["name"] for p in alive.participants("board")] == ["Alice", "Bruno"]
    crashed._redis.delete(crashed._process_key(crashed._process.encode()))  # its heartbeat expired
    assert [p["name"] for p in alive.participants("board")] == ["Alice"]
