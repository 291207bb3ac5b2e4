"""SYNC-8 with SYNC-4: a retried op's event is broadcast again. The process that applied an op may die
between its commit and its broadcast (a rolling restart, kill -9): the client, unacknowledged, sends the
op again through another process, and that retry is then the only way the event reaches the others."""

from __future__ import annotations

from typing import Any

from collab.models import Participant
from collab.sync.access import Actor
from collab.sync.pipeline import apply_op

from .support.peers import Peer, Room, make_op, server_sessions


def test_a_retry_sends_again_the_event_whose_broadcast_died(live_server: Any) -> None:
    room = Room(live_server)
    writer = room.person("Alice")
    reader = room.peer("Bruno")
    board = room.boards[0]
    assert reader.join(board)["ok"]
    op = make_op(board, data={"text": "Commis, jamais diffusé"})
    sessions = server_sessions(live_server)
    with sessions() as db:  # committed as by a process that died before broadcasting it
        actor = Actor.of(db.get(Participant, writer["participant"]["id"]))
    applied = apply_op(sessions, actor, op)
    assert applied.fresh and reader.events(board) == []

    again = Peer(live_server, writer["token"]).connect()  # Alice's outbox, unacknowledged, sends it again
    room.peers.append(again)
    ack = again.call("op", op)
    assert ack["ok"] and ack["seq"] == applied.seq  # the same op: no second card (SYNC-4)
    reader.wait_seq(board, applied.seq)
    assert [e["op_id"] for e in reader.events(board)] == [op["op_id"]]
    room.close()
