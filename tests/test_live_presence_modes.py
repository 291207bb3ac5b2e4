"""Presence that tells the truth (docs/sync-spec.md SYNC-11, issue #11 §4), with real Socket.IO clients
on a live server: a phone on the capture screen joins its board (`mode: "capture"`) and counts as
present there; a facilitator's console joins every board as a watcher (`mode: "watch"`), listed as
such, never as a member of each group, nor as online on each board in the console's people list."""

from __future__ import annotations

from typing import Any

import pytest

from collab.presence import Presence
from collab.sync.access import Actor

from .support.accounts import Account
from .support.peers import Peer, Room
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live


@pytest.fixture
def room(live_server: LiveServer) -> Any:
    made = Room(live_server)
    yield made
    made.close()


def modes(peer: Peer, board_id: str) -> dict[str, str] | None:
    """The last presence of the board as name -> mode."""
    mine = [p for p in peer.presence() if p["board_id"] == board_id]
    return {p["name"]: p.get("mode") for p in mine[-1]["participants"]} if mine else None


def test_a_capture_screen_counts_as_present_on_its_board(room: Room) -> None:
    board = room.boards[0]
    camille = room.peer("Camille")
    assert camille.join(board)["ok"]
    wait_for(lambda: modes(camille, board) == {"Camille": "board"}, message="Camille alone")
    phone = room.peer("Dominique")
    # As /capture joins: from the seq its page was rendered at (the missed events only), for the lock.
    ack = phone.call("board:join", {"board_id": board, "since": 0, "mode": "capture"})
    assert ack["ok"] and ack["events"] == [], ack
    wait_for(lambda: modes(camille, board) == {"Camille": "board", "Dominique": "capture"},
             message="the capture phone is present")
    # The phone is in the board's room: it hears the board's events (a lock, say).
    camille.create(board, "Vu au marché")
    wait_for(lambda: len(phone.events(board)) == 1, message="the phone hears the board")
    phone.close()
    wait_for(lambda: modes(camille, board) == {"Camille": "board"}, message="the phone leaves")


def test_a_facilitator_console_watches_every_board_without_being_a_member(room: Room) -> None:
    first, second = room.boards
    camille = room.peer("Camille", group=0)
    assert camille.join(first)["ok"]
    anne = Account(room.server, room.workshop["workshop_id"])  # a facilitator account, signed in
    entered = anne.browser.get(f"{room.server.url}/facilitator/w/{anne.workshop_id}/enter", allow_redirects=False,
                               timeout=10)
    assert entered.status_code == 302
    console = Peer(room.server, cookie=anne.browser.cookies["collab_session"]).connect()
    room.peers.append(console)
    for board in (first, second):
        joined = console.call("board:join", {"board_id": board, "mode": "watch"})
        assert joined["ok"] and "cards" in joined  # the console still gets the whole board
    wait_for(lambda: modes(camille, first) == {"Anne": "watch", "Camille": "board"}, message="Anne watches")

    # The console's people list: Camille is online on her board; Anne, watching, on none.
    listed = anne.call("GET", f"/workshops/{anne.workshop_id}/participants").json()["participants"]
    rows = {p["name"]: p for p in listed}
    assert rows["Camille"]["boards"] == [first] and rows["Camille"]["online"] is True
    assert rows["Anne"]["boards"] == []

    # Anne opening the group's board page is there for real (a person's strongest mode wins).
    page = Peer(room.server, cookie=anne.browser.cookies["collab_session"]).connect()
    room.peers.append(page)
    assert page.join(first)["ok"]
    wait_for(lambda: modes(camille, first) == {"Anne": "board", "Camille": "board"}, message="on the board page")
    page.leave(first)
    wait_for(lambda: modes(camille, first) == {"Anne": "watch", "Camille": "board"}, message="back to watching")


def test_only_facilitators_watch_and_a_mode_is_one_of_three(room: Room) -> None:
    camille = room.peer("Camille")
    refused = camille.call("board:join", {"board_id": room.boards[0], "mode": "watch"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    wrong = camille.call("board:join", {"board_id": room.boards[0], "mode": "spy"})
    assert wrong["ok"] is False and wrong["error"]["code"] == "invalid"
    assert camille.join(room.boards[0])["ok"]  # still joins as a member


def test_one_entry_per_person_with_their_strongest_mode() -> None:
    presence = Presence()
    anne = Actor("p-anne", "Anne", "facilitator", "w", None)
    bea = Actor("p-bea", "Béa", "participant", "w", "g1")
    presence.add("b", "s1", anne, "watch")
    presence.add("b", "s2", bea, "capture")
    assert [(p["name"], p["mode"]) for p in presence.participants("b")] == [("Anne", "watch"), ("Béa", "capture")]
    presence.add("b", "s3", bea, "board")
    presence.add("b", "s4", anne, "capture")
    assert [(p["name"], p["mode"]) for p in presence.participants("b")] == [("Anne", "capture"), ("Béa", "board")]
    presence.remove("b", "s3")
    assert [p["mode"] for p in presence.participants("b")] == ["capture", "capture"]
