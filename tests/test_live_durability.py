"""An acknowledged op survives kill -9 of the server (docs/sync-spec.md SYNC-9, SYNC-3, SYNC-5)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from .support.peers import Peer, Room, make_op
from .support.server import LiveServer

pytestmark = pytest.mark.live


def snapshot(server: LiveServer, token: str, board: str) -> dict[str, Any]:
    response = requests.get(f"{server.url}/api/v1/boards/{board}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def all_events(server: LiveServer, token: str, board: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    since = 0
    while True:
        page = requests.get(f"{server.url}/api/v1/boards/{board}/events", params={"since": since},
                            headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        events += page["events"]
        if not page["has_more"]:
            return events
        since = page["events"][-1]["seq"]


def test_acknowledged_ops_survive_kill_9(make_server: Any, tmp_path: Path) -> None:
    """SYNC-9: every acknowledged op is still there after kill -9 and a restart on the same instance
    folder; seq continues without reuse; retries of old ops are still recognised (SYNC-4)."""
    instance = tmp_path / "instance"
    server = make_server(instance_dir=instance)
    room = Room(server, groups=1)
    person = room.person("Alice")
    board = room.boards[0]
    alice = Peer(server, person["token"]).connect()
    acks = [alice.create(board, f"note {i}") for i in range(30)]
    card = acks[0]["event"]["data"]["card"]
    acks.append(alice.op(board, "card.update", {"id": card["id"], "text": "modifiée"}))
    acks.append(alice.op(board, "card.delete", {"id": acks[1]["event"]["data"]["card"]["id"]}))
    rest_op = make_op(board, data={"text": "par REST"})
    rest = requests.post(f"{server.url}/api/v1/boards/{board}/ops", json=rest_op,
                         headers={"Authorization": f"Bearer {person['token']}"}, timeout=10).json()
    acks.append(rest)
    assert [a["seq"] for a in acks] == list(range(1, 34))
    before = snapshot(server, person["token"], board)

    server.kill()  # kill -9 right after the last ack: no chance to flush anything
    alice.close()
    again = make_server(instance_dir=instance)

    after = snapshot(again, person["token"], board)
    assert after == before
    assert after["seq"] == 33
    texts = {c["text"] for c in after["cards"]}
    assert "modifiée" in texts and "note 1" not in texts and "par REST" in texts and len(after["cards"]) == 30
    assert all_events(again, person["token"], board) == [a["event"] for a in acks]
    back = Peer(again, person["token"]).connect()
    try:
        assert back.call("op", rest_op) == rest  # an old op's retry still answers its original result
        assert back.create(board, "après le crash")["seq"] == 34  # no seq reused
    finally:
        back.close()


def test_ops_acknowledged_while_the_server_is_killed_are_kept(make_server: Any, tmp_path: Path) -> None:
    """SYNC-9/SYNC-5: writers keep sending while the server is killed with -9: every op that was
    acknowledged is in the restarted server's log with the same event, the seqs are gap-free, and an
    op that was not acknowledged is either wholly there or wholly absent."""
    instance = tmp_path / "instance"
    server = make_server(instance_dir=instance)
    room = Room(server, groups=1)
    board = room.boards[0]
    people = [room.person(f"W{i}") for i in range(4)]
    acked: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    lock = threading.Lock()
    enough = threading.Event()

    errors: list[BaseException] = []

    def write(token: str) -> None:
        try:
            write_until_killed(token)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def write_until_killed(token: str) -> None:
        peer = Peer(server, token).connect()
        try:
            for n in range(400):
                op = make_op(board, data={"text": f"{token[:6]}-{n}"})
                with lock:
                    sent.append(op)
                try:
                    ack = peer.call("op", op, timeout=3)
                except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                        socketio.exceptions.DisconnectedError):
                    return
                assert ack["ok"], ack
                with lock:
                    acked.append(ack)
                    if len(acked) >= 60:
                        enough.set()
        finally:
            peer.close()

    threads = [threading.Thread(target=write, args=(p["token"],)) for p in people]
    for thread in threads:
        thread.start()
    assert enough.wait(30), "writers did not get going"
    server.kill()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    print(f"{len(acked)} acknowledged, {len(sent)} sent when the server was killed")

    again = make_server(instance_dir=instance)
    token = people[0]["token"]
    events = all_events(again, token, board)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    by_op = {e["op_id"]: e for e in events}
    for ack in acked:
        assert by_op.get(ack["event"]["op_id"]) == ack["event"]
    sent_ids = {op["op_id"] for op in sent}
    assert set(by_op) <= sent_ids and len(events) >= len(acked)
    snap = snapshot(again, token, board)
    assert snap["seq"] == len(events)
    assert {c["id"] for c in snap["cards"]} == {e["data"]["card"]["id"] for e in events}
    # everyone continues where the log ends
    peer = Peer(again, token).connect()
    try:
        assert peer.create(board, "reprise")["seq"] == len(events) + 1
    finally:
        peer.close()
