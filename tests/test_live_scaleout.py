"""Two server processes sharing PostgreSQL and a Redis message queue (docs/sync-spec.md SYNC-4,
SYNC-5, SYNC-8; protocol.md "Rate limits")."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from .conftest import REDIS_URL, need
from .support.peers import Peer, Room, make_op
from .support.server import LiveServer, wait_for

pytestmark = [pytest.mark.live, pytest.mark.postgres]


def _redis() -> Any:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None
    return client


@pytest.fixture(scope="module")
def database_url(module_postgres_url: str) -> str:
    """A fresh database for this module, as a plain `postgresql://` URL."""
    return module_postgres_url


@pytest.fixture(scope="module")
def queue_url() -> str:
    client = _redis()
    need(client is not None, f"Redis at {REDIS_URL}")
    client.flushdb()
    return REDIS_URL


@pytest.fixture(scope="module")
def servers(database_url: str, queue_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[LiveServer]]:
    """Servers A and B, started at the same time on the fresh database (both run the migrations at
    start: the advisory lock lets one do it while the other waits)."""
    env = {"COLLAB_DATABASE_URL": database_url, "COLLAB_MESSAGE_QUEUE": queue_url}
    started = [LiveServer(tmp_path_factory.mktemp(f"scale{i}"), env) for i in range(2)]
    errors: list[BaseException] = []

    def start(server: LiveServer) -> None:
        try:
            server.start(timeout=40)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in started]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert errors == [], errors
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def room(servers: list[LiveServer]) -> Iterator[Room]:
    made = Room(servers[0])
    yield made
    made.close()


def peer_on(server: LiveServer, room: Room, name: str, group: int = 0) -> Peer:
    peer = Peer(server, room.person(name, group)["token"]).connect()
    room.peers.append(peer)
    return peer


def test_both_servers_use_the_shared_database(servers: list[LiveServer], room: Room) -> None:
    """A workshop made through one server is joinable through the other."""
    a, b = servers
    joined = b.join(room.code, "Sur B", room.groups[0])
    assert joined["workshop"]["id"] == room.workshop["workshop_id"]
    assert "postgresql" in a.env["COLLAB_DATABASE_URL"]


def test_event_crosses_servers(servers: list[LiveServer], room: Room) -> None:
    """SYNC-8: an op applied on server A reaches a client connected to server B, and the other way;
    the sender is never echoed, even across the queue."""
    a, b = servers
    on_a, on_b = peer_on(a, room, "Alice"), peer_on(b, room, "Bruno")
    on_a.join(room.boards[0])
    on_b.join(room.boards[0])
    from_a = on_a.create(room.boards[0], "depuis A")
    assert on_b.wait_seq(room.boards[0], 1) == [from_a["event"]]
    from_b = on_b.create(room.boards[0], "depuis B")
    assert on_a.wait_seq(room.boards[0], 2) == [from_b["event"]]
    assert on_b.seqs() == [1] and on_a.seqs() == [2]


def test_many_writers_on_both_servers_get_unique_gap_free_seqs(servers: list[LiveServer], room: Room) -> None:
    """SYNC-5/SYNC-8: 2 servers × 5 writers × 20 ops at once: the acks carry seqs 1…200 exactly once;
    every card exists once; observers on each server end with all 200 events, equal to the acks."""
    board = room.boards[0]
    writers = [peer_on(server, room, f"W{s}{i}") for s, server in enumerate(servers) for i in range(5)]
    observers = [peer_on(server, room, f"Obs{s}", group=1) for s, server in enumerate(servers)]
    for observer in observers:
        observer.join(board)
    acks: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    go = threading.Barrier(len(writers))

    def write(peer: Peer) -> None:
        try:
            go.wait()
            for n in range(20):
                ack = peer.create(board, f"{n}")
                with lock:
                    acks.append(ack)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(a["seq"] for a in acks) == list(range(1, 201))
    expected = sorted((a["event"] for a in acks), key=lambda e: e["seq"])
    for observer in observers:
        wait_for(lambda o=observer: len(o.events(board)) >= 200, timeout=20, message="all events")
        assert observer.events(board) == expected
    token = room.person("Lecteur")["token"]
    for server in servers:
        snap = requests.get(f"{server.url}/api/v1/boards/{board}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10).json()
        assert snap["seq"] == 200 and len(snap["cards"]) == 200
        assert {c["id"] for c in snap["cards"]} == {e["data"]["card"]["id"] for e in expected}


def test_same_op_on_both_servers_at_once_is_applied_once(servers: list[LiveServer], room: Room) -> None:
    """SYNC-4: one op sent at the same moment to both servers (a client that retried on another
    server) is applied once; both answers are the same result."""
    person = room.person("Alice")
    peers = [Peer(server, person["token"]).connect() for server in servers]
    room.peers += peers
    results: list[Any] = [None, None]
    for round_ in range(10):
        op = make_op(room.boards[0], data={"text": f"une fois {round_}", "id": str(uuid.uuid4())})
        go = threading.Barrier(2)

        def send(i: int, op: dict[str, Any] = op, go: threading.Barrier = go) -> None:
            go.wait()
            results[i] = peers[i].call("op", op)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert results[0]["ok"] and results[0] == results[1], results
        assert results[0]["seq"] == round_ + 1
    snap = room.rest(person["token"], f"/boards/{room.boards[0]}").json()
    assert snap["seq"] == 10 and len(snap["cards"]) == 10


def test_client_moving_to_the_other_server_catches_up(servers: list[LiveServer], room: Room) -> None:
    """SYNC-7: a client that leaves server A and comes back through server B (a load balancer moved
    it) rejoins with `since` and gets what it missed."""
    a, b = servers
    person = room.person("Nomade")
    writer = peer_on(a, room, "Alice")
    nomad = Peer(a, person["token"]).connect()
    nomad.join(room.boards[0])
    writer.create(room.boards[0], "un")
    nomad.wait_seq(room.boards[0], 1)
    nomad.close()
    missed = [writer.create(room.boards[0], f"manqué {i}") for i in range(3)]
    back = Peer(b, person["token"]).connect()
    room.peers.append(back)
    ack = back.join(room.boards[0], since=1)
    assert ack["events"] == [m["event"] for m in missed]
    later = writer.create(room.boards[0], "en direct")
    assert back.wait_seq(room.boards[0], later["seq"])[-1] == later["event"]


def test_wrong_join_codes_are_counted_across_servers(servers: list[LiveServer]) -> None:
    """Protocol, rate limits: with a shared queue the wrong-code counter is shared: 10 wrong codes
    spread over both servers, then the 11th is `429 rate_limited` on either; a right code still joins."""
    a, b = servers
    room = Room(a)
    for i in range(10):
        server = servers[i % 2]
        response = requests.post(f"{server.url}/api/v1/join", json={"code": f"WRONG{i}", "name": "x"}, timeout=10)
        assert response.status_code == 404
    for server in servers:
        response = requests.post(f"{server.url}/api/v1/join", json={"code": "WRONGX", "name": "x"}, timeout=10)
        assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
    assert b.join(room.code, "Juste")["participant"]["name"] == "Juste"


def test_no_traceback_on_either_server(servers: list[LiveServer]) -> None:
    """SYNC-10: nothing above made a server log a traceback (runs last in this module)."""
    for server in servers:
        assert "Traceback" not in server.log(), server.log()[-5000:]

