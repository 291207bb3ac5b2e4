"""The real server over Socket.IO with python-socketio clients (docs/protocol.md, "Socket.IO";
docs/sync-spec.md SYNC-2, SYNC-3, SYNC-4, SYNC-7, SYNC-8, SYNC-11).

The python-socketio client runs every incoming message handler in a thread of its own: `Peer` records
what it receives under a lock, tests look at seq-sorted content and wait on conditions, never sleep.
"""

from __future__ import annotations

import socket
import threading
import uuid
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import update

from collab.models import Board

from .support.peers import TIMEOUT, Peer, Room, make_op, server_sessions
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live


@pytest.fixture
def room(live_server: LiveServer) -> Any:
    made = Room(live_server)
    yield made
    made.close()


# --- connecting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, {}, {"token": "not-a-token"}, {"token": ""}, {"token": 42}, {"token": "x" * 5000}, "token", ["t"]],
    ids=["none", "empty", "bad token", "empty token", "token not a string", "huge token", "a string", "a list"],
)
def test_connect_without_valid_credentials_is_refused(live_server: LiveServer, auth: Any) -> None:
    """Protocol, connecting: anything but a valid token or session cookie is refused at connect with
    the message `unauthorized`."""
    peer = Peer(live_server)
    with pytest.raises(socketio.exceptions.ConnectionError):
        peer.connect(auth=auth)
    assert not peer.client.connected
    peer.close()


def test_refusal_says_unauthorized(live_server: LiveServer) -> None:
    """Protocol, connecting: the refusal is a `connect_error` with the message `unauthorized` (the
    browser shows "join again" on it)."""
    peer = Peer(live_server)
    with pytest.raises(socketio.exceptions.ConnectionError):
        peer.connect(auth={"token": "not-a-token"})
    wait_for(lambda: peer.connect_errors, message="connect_error")
    peer.close()
    assert peer.connect_errors[-1] == {"message": "unauthorized"}


def test_connect_with_a_token_and_join_a_board(room: Room) -> None:
    """Protocol, board:join: without `since` the ack is a snapshot {ok, board, cards, seq}."""
    alice = room.peer("Alice")
    alice.create(room.boards[0], "première")
    bob = room.peer("Bob")
    ack = bob.join(room.boards[0])
    assert ack["ok"] is True and set(ack) == {"ok", "board", "cards", "themes", "comments", "vote", "seq"}
    assert ack["seq"] == ack["board"]["seq"] == 1 and [c["text"] for c in ack["cards"]] == ["première"]


def test_cookie_authenticates_the_socket(room: Room) -> None:
    """Protocol, connecting: browsers connect with the session cookie set by POST /api/v1/join."""
    session = requests.Session()
    response = session.post(room.server.url + "/api/v1/join",
                            json={"code": room.code, "name": "Navigatrice", "group": room.groups[0]}, timeout=TIMEOUT)
    assert response.status_code == 200
    peer = Peer(room.server, cookie=session.cookies["collab_session"]).connect()
    room.peers.append(peer)
    assert peer.join(room.boards[0])["ok"] is True
    ack = peer.create(room.boards[0], "par cookie")
    assert ack["event"]["actor_id"] == response.json()["participant"]["id"]


def test_forged_cookie_is_refused(room: Room) -> None:
    """Protocol, connecting: a session cookie the server did not sign is refused."""
    peer = Peer(room.server, cookie="eyJwYXJ0aWNpcGFudF9pZCI6IngifQ.forged.signature")
    with pytest.raises(socketio.exceptions.ConnectionError):
        peer.connect()
    peer.close()


def test_cross_origin_connections_are_refused(room: Room) -> None:
    """Protocol, connecting: cross-origin connections are refused (same-origin default)."""
    token = room.person("Alice")["token"]
    evil = Peer(room.server, token, transports=["polling"])
    with pytest.raises(socketio.exceptions.ConnectionError):
        evil.connect(headers={"Origin": "http://evil.example"})
    evil.close()
    same = Peer(room.server, token, transports=["polling"]).connect(headers={"Origin": room.server.url})
    room.peers.append(same)
    assert same.join(room.boards[0])["ok"] is True


# --- fan-out, acks and retries --------------------------------------------------------------------


def test_op_fans_out_to_the_others_but_not_the_sender(room: Room) -> None:
    """SYNC-8: the event goes to every other connection on the board; the sender gets it in its ack
    only (never as `event`)."""
    alice, bob, carol = room.peer("Alice"), room.peer("Bob"), room.peer("Carol", group=1)
    for peer in (alice, bob, carol):
        peer.join(room.boards[0])  # Carol, of group 2, reads group 1's board
    ack = alice.create(room.boards[0], "pour tous")
    for peer in (bob, carol):
        events = peer.wait_seq(room.boards[0], 1)
        assert events == [ack["event"]]
    # A later event from Bob reaches Alice: had her own op been echoed, it would have come first.
    bob_ack = bob.create(room.boards[0], "réponse")
    assert alice.wait_seq(room.boards[0], bob_ack["seq"]) == [bob_ack["event"]]
    assert bob.events() == [ack["event"]]


def test_connection_that_did_not_join_gets_no_events(room: Room) -> None:
    """Protocol, board:join: only connections that joined the board receive its events."""
    alice, lurker, other_board = room.peer("Alice"), room.peer("Lurker"), room.peer("Gaspard", group=1)
    watcher = room.peer("Watcher")
    other_board.join(room.boards[1])
    watcher.join(room.boards[0])
    alice.create(room.boards[0], "un")
    seq = other_board.create(room.boards[1], "autre tableau")["seq"]
    watcher.wait_seq(room.boards[0], 1)
    # The lurker never joined: nothing. The other board's member saw none of board 1's events.
    sentinel = alice.create(room.boards[0], "deux")["seq"]
    watcher.wait_seq(room.boards[0], sentinel)
    assert lurker.events() == [] and other_board.events() == [] and seq == 1


def test_ack_comes_after_commit(room: Room) -> None:
    """SYNC-3: once acknowledged, the op is committed: a fresh snapshot shows it."""
    person = room.person("Alice")
    alice = Peer(room.server, person["token"]).connect()
    room.peers.append(alice)
    for i in range(5):
        ack = alice.create(room.boards[0], f"n{i}")
        snap = room.rest(person["token"], f"/boards/{room.boards[0]}").json()
        assert snap["seq"] >= ack["seq"]
        assert ack["event"]["data"]["card"] in snap["cards"]


def test_event_is_sent_after_commit(room: Room) -> None:
    """SYNC-3/SYNC-8: the event is broadcast after the commit: a client that reads the board the
    moment an event arrives already sees the change."""
    reader = room.person("Rémi")
    bob = Peer(room.server, reader["token"]).connect()
    room.peers.append(bob)
    seen: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def on_event(event: dict[str, Any]) -> None:
        snap = room.rest(reader["token"], f"/boards/{event['board_id']}").json()
        with lock:
            seen.append((event["seq"], event["data"]["card"] in snap["cards"] and snap["seq"] >= event["seq"]))

    bob.client.on("event", on_event)
    bob.join(room.boards[0])
    alice = room.peer("Alice")
    for i in range(10):
        alice.create(room.boards[0], f"n{i}")
    wait_for(lambda: len(seen) == 10, message="ten events")
    assert sorted(seen) == [(seq, True) for seq in range(1, 11)]


def test_locked_board_over_the_socket(room: Room) -> None:
    """SYNC-2: on a locked board a participant's op is `locked` and nothing is broadcast; the
    facilitator still writes. (Locked in the database: no route locks a board yet.)"""
    with server_sessions(room.server)() as db:
        db.execute(update(Board).where(Board.id == room.boards[0]).values(locked=True))
        db.commit()
    alice, watcher, facilitator = room.peer("Alice"), room.peer("Watcher"), room.facilitator()
    assert watcher.join(room.boards[0])["board"]["locked"] is True
    ack = alice.op(room.boards[0])
    assert ack["ok"] is False and ack["error"]["code"] == "locked"
    allowed = facilitator.create(room.boards[0], "synthèse")
    assert allowed["seq"] == 1 and watcher.wait_seq(room.boards[0], 1) == [allowed["event"]]


def test_op_without_joining_the_board_first(room: Room) -> None:
    """Protocol, op: a connection does not need to have joined the board to write on it."""
    alice, bob = room.peer("Alice"), room.peer("Bob")
    bob.join(room.boards[0])
    ack = alice.create(room.boards[0], "sans rejoindre")
    assert ack["seq"] == 1 and bob.wait_seq(room.boards[0], 1) == [ack["event"]]


def test_retry_with_the_same_op_id_is_applied_once(room: Room) -> None:
    """SYNC-4: the same op sent twice gets two equal acks, makes one card and one event (one seq) for the
    others — who may hear it again (SYNC-8: a retry is broadcast again) and drop it by its seq."""
    person = room.person("Alice")
    alice = Peer(room.server, person["token"]).connect()
    room.peers.append(alice)
    bob = room.peer("Bob")
    bob.join(room.boards[0])
    op = make_op(room.boards[0], data={"text": "une fois"})
    first = alice.call("op", op)
    second = alice.call("op", dict(op))
    assert first["ok"] and first == second
    sentinel = alice.create(room.boards[0], "témoin")
    events = bob.wait_seq(room.boards[0], sentinel["seq"])
    assert sorted({e["seq"]: e["op_id"] for e in events}.items()) == [(1, op["op_id"]), (2, sentinel["event"]["op_id"])]
    assert sentinel["seq"] == 2
    snap = room.rest(person["token"], f"/boards/{room.boards[0]}").json()
    assert [c["text"] for c in snap["cards"]].count("une fois") == 1


def test_retry_over_rest_after_a_socket_op_returns_the_same_result(room: Room) -> None:
    """SYNC-3/SYNC-4: socket and REST share one pipeline: the same op answers the same result."""
    person = room.person("Alice")
    alice = Peer(room.server, person["token"]).connect()
    room.peers.append(alice)
    op = make_op(room.boards[0], data={"text": "deux chemins"})
    ack = alice.call("op", op)
    response = requests.post(f"{room.server.url}/api/v1/boards/{room.boards[0]}/ops", json=op,
                             headers={"Authorization": f"Bearer {person['token']}"}, timeout=TIMEOUT)
    assert response.status_code == 200 and response.json() == ack


def test_sequential_ops_on_a_connection_get_consecutive_seqs(room: Room) -> None:
    """SYNC-5: seq 1, 2, 3 … on the board, each ack carrying its seq."""
    alice = room.peer("Alice")
    acks = [alice.create(room.boards[0], f"n{i}") for i in range(10)]
    assert [a["seq"] for a in acks] == list(range(1, 11))


def test_concurrent_writers_are_seen_complete_and_gap_free(room: Room) -> None:
    """SYNC-5/SYNC-8: several writers at once; an observer ends with every event exactly once, seqs
    1…N without gaps, each the event its writer was acknowledged with."""
    writers = [room.peer(f"W{i}") for i in range(4)]
    observer = room.peer("Observer", group=1)
    observer.join(room.boards[0])
    acks: list[dict[str, Any]] = []
    lock = threading.Lock()

    def write(peer: Peer) -> None:
        for n in range(15):
            ack = peer.create(room.boards[0], f"{n}")
            with lock:
                acks.append(ack)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a["seq"] for a in acks) == list(range(1, 61))
    events = observer.wait_seq(room.boards[0], 60)
    wait_for(lambda: len(observer.events(room.boards[0])) >= 60)
    assert [e["seq"] for e in observer.events(room.boards[0])] == list(range(1, 61))
    assert observer.events(room.boards[0]) == sorted((a["event"] for a in acks), key=lambda e: e["seq"])
    assert len(events) == 60


def test_facilitator_watches_several_boards(room: Room) -> None:
    """Protocol, board:join: a connection may join several boards and gets each one's events."""
    facilitator = room.facilitator()
    for board in room.boards:
        assert facilitator.join(board)["ok"] is True
    one = room.peer("Alice", group=0).create(room.boards[0], "g1")
    two = room.peer("Gaspard", group=1).create(room.boards[1], "g2")
    assert facilitator.wait_seq(room.boards[0], 1) == [one["event"]]
    assert facilitator.wait_seq(room.boards[1], 1) == [two["event"]]
    ack = facilitator.create(room.boards[1], "consigne")  # a facilitator writes on every board
    assert ack["seq"] == 2


def test_leave_stops_the_events(room: Room) -> None:
    """Protocol, board:leave: after leaving, a connection gets no more events of the board."""
    alice, bob, carol = room.peer("Alice"), room.peer("Bob"), room.peer("Carol")
    bob.join(room.boards[0])
    carol.join(room.boards[0])
    alice.create(room.boards[0], "avant")
    bob.wait_seq(room.boards[0], 1)
    assert bob.leave(room.boards[0]) == {"ok": True}
    alice.create(room.boards[0], "après")
    carol.wait_seq(room.boards[0], 2)
    sentinel = alice.create(room.boards[0], "témoin")["seq"]
    carol.wait_seq(room.boards[0], sentinel)
    assert bob.seqs() == [1]


def test_ops_are_rate_limited_and_the_connection_stays_usable(make_server: Any) -> None:
    """Protocol, rate limits: past the limit a participant's ops are `rate_limited` (nothing applied);
    the connection stays open and, once the window has passed, writes again; others are not affected.
    (A server with a small limit, 8 per 2 seconds, so that the count does not depend on the machine's
    speed; test_api.py checks the documented default.)"""
    room = Room(make_server({"COLLAB_OP_RATE_LIMIT": "8 per 2 seconds"}))
    try:
        hasty, other = room.peer("Pressé"), room.peer("Calme")
        acks = [hasty.call("op", make_op(room.boards[0], data={"text": f"n{i}"})) for i in range(10)]
        assert [a["ok"] for a in acks] == [True] * 8 + [False] * 2
        assert all(a["error"]["code"] == "rate_limited" and a["error"]["message"] for a in acks[8:])
        assert [a["seq"] for a in acks[:8]] == list(range(1, 9))
        assert other.create(room.boards[0], "pas concerné")["seq"] == 9
        later = wait_for(lambda: (a := hasty.call("op", make_op(room.boards[0])))["ok"] and a, timeout=5,
                         interval=0.25, message="the limit to lift")
        assert later["seq"] == 10 and hasty.client.connected
    finally:
        room.close()


# --- permissions over the socket ------------------------------------------------------------------


def test_participant_cannot_write_on_another_groups_board(room: Room) -> None:
    """SYNC-2: over the socket too, another group's board is `forbidden`, and its members see nothing."""
    alice, gaspard = room.peer("Alice", group=0), room.peer("Gaspard", group=1)
    gaspard.join(room.boards[1])
    ack = alice.op(room.boards[1], "card.create", {"text": "intrus"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden" and ack["error"]["message"]
    sentinel = room.facilitator().create(room.boards[1], "témoin")
    assert sentinel["seq"] == 1
    assert gaspard.wait_seq(room.boards[1], 1) == [sentinel["event"]]


def test_another_workshops_board_is_not_found(room: Room, live_server: LiveServer) -> None:
    """SYNC-2: another workshop's board does not exist for you: join and op are `not_found`."""
    other = Room(live_server, groups=1)
    alice = room.peer("Alice")
    for ack in (alice.join(other.boards[0]), alice.op(other.boards[0]), alice.join(str(uuid.uuid4()))):
        assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    assert alice.create(room.boards[0])["ok"] is True  # the connection is still fine


# --- reconnect and catch-up -----------------------------------------------------------------------


def test_reconnect_with_since_catches_up_on_what_was_missed(room: Room) -> None:
    """SYNC-7: a client that was away rejoins with `since` = its last seq and gets exactly the
    events it missed, in order; applied on top of what it had, it matches the server's snapshot."""
    person = room.person("Bob")
    alice = room.peer("Alice")
    bob = Peer(room.server, person["token"]).connect()
    first = bob.join(room.boards[0])
    card = alice.create(room.boards[0], "vue")["event"]["data"]["card"]
    bob.wait_seq(room.boards[0], 1)
    known = {c["id"]: c for c in first["cards"]}
    for event in bob.events(room.boards[0]):
        known[event["data"]["card"]["id"]] = event["data"]["card"]
    bob.close()

    missed = [
        alice.op(room.boards[0], "card.update", {"id": card["id"], "text": "modifiée"}),
        alice.create(room.boards[0], "nouvelle"),
        alice.op(room.boards[0], "card.delete", {"id": card["id"]}),
    ]
    back = Peer(room.server, person["token"]).connect()
    room.peers.append(back)
    ack = back.join(room.boards[0], since=1)
    assert set(ack) == {"ok", "events", "seq"} and ack["seq"] == 4
    assert ack["events"] == [m["event"] for m in missed]
    for event in ack["events"]:
        known[event["data"]["card"]["id"]] = event["data"]["card"]
    live = {k: v for k, v in known.items() if not v["deleted"]}
    snap = room.rest(person["token"], f"/boards/{room.boards[0]}").json()
    assert live == {c["id"]: c for c in snap["cards"]}
    # and it is live again
    later = alice.create(room.boards[0], "en direct")
    assert back.wait_seq(room.boards[0], later["seq"])[-1] == later["event"]


def test_rejoin_with_since_ahead_or_without_since_is_a_snapshot(room: Room) -> None:
    """SYNC-7: `since` ahead of the board (a restored database) gets a snapshot, as does no `since`."""
    alice = room.peer("Alice")
    alice.create(room.boards[0], "a")
    ahead = alice.join(room.boards[0], since=99)
    assert "events" not in ahead and ahead["seq"] == 1 and len(ahead["cards"]) == 1
    up_to_date = alice.join(room.boards[0], since=1)
    assert up_to_date == {"ok": True, "events": [], "seq": 1}


def test_client_reconnecting_by_itself_catches_up(room: Room, live_server: LiveServer) -> None:
    """SYNC-7: a client whose connection drops reconnects on its own and catches up with `since`."""
    person = room.person("Bob")
    bob = Peer(room.server, person["token"], reconnection=True).connect()
    room.peers.append(bob)
    bob.join(room.boards[0])
    alice = room.peer("Alice")
    alice.create(room.boards[0], "un")
    bob.wait_seq(room.boards[0], 1)
    bob.client.eio.ws.sock.shutdown(socket.SHUT_RDWR)  # the network drops under the client
    wait_for(lambda: bob.disconnects >= 1, message="disconnect")
    alice.create(room.boards[0], "deux")
    wait_for(lambda: bob.client.connected and bob.connects >= 2, message="reconnect")
    ack = bob.join(room.boards[0], since=bob.seqs(room.boards[0])[-1])
    assert [e["seq"] for e in ack["events"]] == [2]


# --- presence -------------------------------------------------------------------------------------


def test_presence_on_join_and_leave(room: Room) -> None:
    """SYNC-11: everyone on the board gets `presence` whenever someone joins or leaves it, one entry
    per person however many connections they have."""
    board = room.boards[0]
    alice = room.peer("Alice")
    alice.join(board)
    wait_for(lambda: alice.present_names(board) == ["Alice"], message="Alice alone")
    person = room.person("Bob")
    bob = Peer(room.server, person["token"]).connect()
    bob_tab = Peer(room.server, person["token"]).connect()
    room.peers += [bob, bob_tab]
    bob.join(board)
    wait_for(lambda: alice.present_names(board) == ["Alice", "Bob"], message="Bob arrives")
    wait_for(lambda: bob.present_names(board) == ["Alice", "Bob"], message="Bob sees Alice")
    seen = len([p for p in alice.presence() if p["board_id"] == board])
    bob_tab.join(board)
    bob.leave(board)  # still there in another tab (changes within 0.2 s may come as one message)
    wait_for(lambda: len([p for p in alice.presence() if p["board_id"] == board]) > seen, message="updates")
    assert alice.present_names(board) == ["Alice", "Bob"]
    bob_tab.close()  # disconnecting leaves every board
    wait_for(lambda: alice.present_names(board) == ["Alice"], message="Bob leaves")
    entry = [p for p in alice.presence() if p["board_id"] == board][-1]["participants"][0]
    assert set(entry) == {"id", "name", "role", "group_id", "mode"} and entry["role"] == "participant"
    assert entry["mode"] == "board"  # a board page (SYNC-11: "capture" and "watch" are the other modes)


def test_server_logged_no_traceback(live_server: LiveServer) -> None:
    """SYNC-10: nothing above made the server log a traceback (runs last in this module)."""
    assert "Traceback" not in live_server.log(), live_server.log()[-5000:]
