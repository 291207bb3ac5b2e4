"""A Redis outage between two processes (docs/protocol.md, "Outages"; SYNC-7, SYNC-8): writes go on
while the queue is down (rate limits and presence count per process), and once it is back every
client catches up with what the other process acknowledged meanwhile — nothing lost, nothing twice.

The test runs a Redis of its own, to kill and restart without disturbing the shared one."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from .conftest import need
from .support.peers import TIMEOUT, Peer, Room
from .support.proxy import BlackHoleProxy
from .support.server import LiveServer, free_port, wait_for

pytestmark = [pytest.mark.live, pytest.mark.postgres]


class OwnRedis:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_for(lambda: _answers(client), 10, interval=0.05, message="redis-server")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    need(shutil.which("redis-server") is not None, "redis-server")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


class FollowingPeer(Peer):
    """A peer that keeps one board as a client does: events applied once each, in seq order; on
    `sync:check` it joins again with `since` and applies what the answer brings."""

    def __init__(self, *args: Any, board_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.board_id = board_id
        self.applied: list[dict[str, Any]] = []
        self.checks = 0
        self._apply_lock = threading.Lock()
        self.client.on("sync:check", self._on_check)

    @property
    def seq(self) -> int:
        with self._apply_lock:
            return self.applied[-1]["seq"] if self.applied else 0

    def apply(self, events: list[dict[str, Any]]) -> None:
        with self._apply_lock:
            for event in sorted(events, key=lambda e: e["seq"]):
                last = self.applied[-1]["seq"] if self.applied else 0
                if event["board_id"] == self.board_id and event["seq"] == last + 1:
                    self.applied.append(event)

    def _on_event(self, data: Any) -> None:
        super()._on_event(data)
        self.apply([data])

    def _on_check(self, _data: Any = None) -> None:
        self.checks += 1
        result = self.client.call("board:join", {"board_id": self.board_id, "since": self.seq}, timeout=TIMEOUT)
        assert result["ok"] and "events" in result, result
        self.apply(result["events"])


def test_clients_catch_up_after_a_redis_outage(database_url: str, own_redis: OwnRedis, tmp_path: Path) -> None:
    env = {"COLLAB_DATABASE_URL": database_url, "COLLAB_MESSAGE_QUEUE": own_redis.url}
    a = LiveServer(tmp_path / "a", env).start(timeout=40)
    b = LiveServer(tmp_path / "b", env).start(timeout=40)
    try:
        room = Room(a)
        board = room.boards[0]
        on_a = FollowingPeer(a, room.person("Alice")["token"], board_id=board).connect()
        on_b = FollowingPeer(b, room.person("Bruno")["token"], board_id=board).connect()
        room.peers += [on_a, on_b]
        assert on_a.join(board)["ok"] and on_b.join(board)["ok"]
        acks = [on_a.create(board, "avant la panne")]
        wait_for(lambda: on_b.seq == 1, TIMEOUT, message="the first event on B")

        own_redis.kill()
        acks += [on_a.create(board, f"pendant la panne {i}") for i in range(5)]  # rate limits: per process
        late = FollowingPeer(a, room.person("Chloé")["token"], board_id=board).connect()
        room.peers.append(late)
        assert late.join(board)["ok"]  # presence: this process's connections only
        assert on_b.seq == 1  # B's clients cannot know yet
        ready = requests.get(a.url + "/readyz", timeout=TIMEOUT)
        assert ready.elapsed.total_seconds() < 3, ready.elapsed
        assert ready.status_code == 503 and ready.json()["database"] == "ok", ready.text
        assert ready.json()["ok"] is False and ready.json()["queue"] != "ok"

        own_redis.start()
        wait_for(lambda: on_b.seq == len(acks), 6, interval=0.05, message="B caught up after the outage")
        acks.append(on_a.create(board, "après la panne"))
        assert requests.get(a.url + "/readyz", timeout=TIMEOUT).json() == {"ok": True, "database": "ok", "queue": "ok"}
        wait_for(lambda: on_b.seq == len(acks), TIMEOUT, message="live again across processes")
        assert [e["seq"] for e in on_b.applied] == [ack["seq"] for ack in acks] == list(range(1, len(acks) + 1))
        assert on_b.applied == [ack["event"] for ack in acks]
        assert on_b.checks >= 1
        room.close()
    finally:
        a.stop()
        b.stop()


def test_a_silent_queue_costs_writes_a_second_at_most(database_url: str, own_redis: OwnRedis, tmp_path: Path) -> None:
    """Redis stops answering (packets dropped, connections kept): rate limits, broadcasts and
    presence wait about a second, then go on without it; when it answers again, clients catch up
    though no process's listener noticed anything."""
    proxy = BlackHoleProxy(("127.0.0.1", own_redis.port))
    env = {"COLLAB_DATABASE_URL": database_url, "COLLAB_MESSAGE_QUEUE": f"redis://127.0.0.1:{proxy.port}/0"}
    a = LiveServer(tmp_path / "a", env).start(timeout=40)
    b = LiveServer(tmp_path / "b", env).start(timeout=40)
    try:
        room = Room(a)
        board = room.boards[0]
        on_a = FollowingPeer(a, room.person("Alice")["token"], board_id=board).connect()
        on_b = FollowingPeer(b, room.person("Bruno")["token"], board_id=board).connect()
        late = FollowingPeer(a, room.person("Chloé")["token"], board_id=board).connect()
        room.peers += [on_a, on_b, late]
        assert on_a.join(board)["ok"] and on_b.join(board)["ok"]
        acks = [on_a.create(board, "avant la panne")]
        wait_for(lambda: on_b.seq == 1, TIMEOUT, message="the first event on B")

        proxy.hold()
        for i in range(4):
            started = time.monotonic()
            acks.append(on_a.create(board, f"pendant la panne {i}"))
            assert time.monotonic() - started < 3.5
        started = time.monotonic()
        assert late.join(board)["ok"] and time.monotonic() - started < 3.5

        proxy.release()
        wait_for(lambda: on_b.seq == len(acks), 10, interval=0.05, message="B caught up after the outage")
        acks.append(on_a.create(board, "après la panne"))
        wait_for(lambda: on_b.seq == len(acks), TIMEOUT, message="live again across processes")
        assert on_b.applied == [ack["event"] for ack in acks]
        room.close()
    finally:
        a.stop()
        b.stop()
        proxy.close()



def test_access_changes_made_during_a_redis_outage_reach_the_other_process_after_it(
    database_url: str, own_redis: OwnRedis, tmp_path: Path
) -> None:
    """SYNC-15 after an outage: the `access` and `live` messages sent while Redis was down never reached
    the other process; once the queue is back, every process re-reads its connections' access from the
    database — the person moved meanwhile is told and closed there, and a board of another group that
    was hidden meanwhile is left and gets nothing more."""
    from .support.accounts import Account

    env = {"COLLAB_DATABASE_URL": database_url, "COLLAB_MESSAGE_QUEUE": own_redis.url}
    a = LiveServer(tmp_path / "a", env).start(timeout=40)
    b = LiveServer(tmp_path / "b", env).start(timeout=40)
    try:
        room = Room(a)
        moved = room.person("Léa", group=0)
        on_b = Peer(b, moved["token"]).connect()
        visitor = Peer(b, room.person("Visiteur", group=0)["token"]).connect()
        owner = Peer(a, room.person("Membre", group=1)["token"]).connect()
        room.peers += [on_b, visitor, owner]
        for peer, board in ((on_b, room.boards[0]), (visitor, room.boards[1]), (visitor, room.boards[0]),
                            (owner, room.boards[1])):
            assert peer.join(board)["ok"]
        account = Account(a, room.workshop["workshop_id"])

        own_redis.kill()
        assert account.participant("PATCH", moved["participant"]["id"], {"group_id": room.groups[1]}).ok
        hidden = requests.post(f"{a.url}/api/v1/live", json={"type": "groups.hide", "hidden": True},
                               headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=TIMEOUT)
        assert hidden.ok, hidden.text
        assert on_b.access == [] and on_b.client.connected  # B could not hear of it

        own_redis.start()
        wait_for(lambda: on_b.disconnects >= 1, 10, message="the moved person's connection on B closing")
        assert on_b.access == [{"reason": "moved"}]
        wait_for(lambda: (visitor.live() or {}).get("state", {}).get("groups_hidden"), 10, message="the hide on B")
        secret = owner.create(room.boards[1], "Pendant")["seq"]
        neighbour = Peer(a, room.person("Voisin", group=0)["token"]).connect()
        room.peers.append(neighbour)
        assert neighbour.join(room.boards[0])["ok"]
        marker = neighbour.create(room.boards[0], "Repère")["seq"]
        visitor.wait_seq(room.boards[0], marker)
        assert secret not in visitor.seqs(room.boards[1])
        room.close()
    finally:
        a.stop()
        b.stop()
