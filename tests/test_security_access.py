"""The one access rule (docs/sync-spec.md SYNC-15): issue #10 holes 3 and 4, on one process.

Two processes on PostgreSQL + Redis (hole 5, and holes 3 and 4 across processes) are in
tests/test_security_access_scaleout.py."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from collab.models import Participant
from collab.sync.access import Actor
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op

from .support.peers import Peer, Room, make_op
from .support.server import wait_for
from .test_facilitator_accounts import PASSWORD, Console, csrf, login

API = "/api/v1"


def _enter(client: Any, workshop_id: str) -> None:
    response = client.get(f"/facilitator/w/{workshop_id}/enter")
    assert response.status_code == 302, response.data[:300]


def _lock(client: Any, board_id: str, token: str) -> Any:
    op = {"op_id": uuid.uuid4().hex, "type": "board.lock", "data": {"locked": True}}
    return client.post(f"{API}/boards/{board_id}/ops", json=op, headers={"X-CSRFToken": token})


def test_password_change_ends_the_other_sessions_acting_rights(app: Any) -> None:
    """Issue #10 hole 3: a session signed in before a password change kept 200 on backups, board.lock
    ops and live controls for the cookie's 30 days. Now every acting right ends with the session."""
    changer = Console(app)
    workshop = changer.workshop("Atelier", groups=2)
    board_id = workshop["groups"][0]["board_id"]
    other = app.test_client()
    assert login(other).status_code == 200
    other_token = csrf(other)
    _enter(other, workshop["id"])
    assert _lock(other, board_id, other_token).status_code == 200  # acting, before the change

    done = changer.call("POST", "/password", {"current": PASSWORD, "new": "another long password"})
    assert done.status_code == 200, done.json

    assert other.get(f"{API}/facilitator/me").status_code == 401
    assert other.get(f"{API}/workshops/{workshop['id']}/backup.json").status_code == 401
    assert _lock(other, board_id, other_token).status_code == 401
    live = other.post(f"{API}/live", json={"type": "announce", "text": "Pause"}, headers={"X-CSRFToken": other_token})
    assert live.status_code == 401
    assert other.get(f"{API}/boards/{board_id}").status_code == 401
    assert other.get(f"/b/{board_id}").status_code == 302  # the page sends them to sign in again
    # The session that changed the password goes on.
    _enter(changer.client, workshop["id"])
    assert changer.client.get(f"{API}/boards/{board_id}").status_code == 200


def test_a_moved_participant_writes_with_the_rights_of_now(app: Any) -> None:
    """Issue #10 hole 5 (rights re-checked, not cached): a connection keeps the actor it authenticated
    with; the pipeline re-reads them, so a person moved to another group no longer writes to the old
    board, and a removed one writes nowhere, whatever their connection remembers."""
    console = Console(app)
    workshop = console.workshop("Atelier", groups=2)
    first, second = (g["id"] for g in workshop["groups"])
    old_board = workshop["groups"][0]["board_id"]
    joined = app.test_client().post(f"{API}/join", json={"code": workshop["code"], "name": "Léa",
                                                          "group": first}).json
    services = app.extensions["collab"]
    with services.sessions() as db:
        participant = db.get(Participant, joined["participant"]["id"])
        stale = Actor.of(participant)
        participant.group_id = second  # moved (by another process, say)
        db.commit()
    with pytest.raises(OpError) as refused:
        apply_op(services.sessions, stale, make_op(old_board, "card.create", {"text": "Encore là ?"}))
    assert refused.value.code == "forbidden"
    with services.sessions() as db:
        db.delete(db.get(Participant, stale.id))
        db.commit()
    with pytest.raises(OpError) as ended:
        apply_op(services.sessions, stale, make_op(workshop["groups"][1]["board_id"], "card.create",
                                                   {"text": "Et là ?"}))
    assert ended.value.code == "unauthorized"


# ---- hidden groups, live server ----------------------------------------------------------------------


@pytest.fixture
def room(live_server: Any) -> Any:
    made = Room(live_server, groups=2)
    yield made
    made.close()


def _hide(room: Room, hidden: bool) -> None:
    response = requests.post(f"{room.server.url}{API}/live", json={"type": "groups.hide", "hidden": hidden},
                             headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=10)
    assert response.status_code == 200, response.text


def test_hiding_groups_stops_live_delivery_of_other_groups_boards(room: Room) -> None:
    """Issue #10 hole 4: a participant who had joined another group's board kept receiving its
    events live after the facilitator hid the groups."""
    visitor = room.peer("Visiteur", group=0)
    owner = room.peer("Membre", group=1)
    assert visitor.join(room.boards[1])["ok"] and owner.join(room.boards[1])["ok"]
    first = owner.create(room.boards[1], "Avant")
    visitor.wait_seq(room.boards[1], first["seq"])  # reading other groups' boards is allowed …

    _hide(room, True)
    wait_for(lambda: (visitor.live() or {}).get("state", {}).get("groups_hidden"), message="the hide")
    hidden_seq = owner.create(room.boards[1], "Pendant")["seq"]
    # A later event on the visitor's own board, sent after: when it arrived, the other had been sent.
    mine = room.peer("Voisin", group=0)
    assert mine.join(room.boards[0])["ok"] and visitor.join(room.boards[0])["ok"]
    marker = mine.create(room.boards[0], "Repère")
    visitor.wait_seq(room.boards[0], marker["seq"])
    assert hidden_seq not in visitor.seqs(room.boards[1])
    # … and revealing again does not put them back in the room they were taken out of.
    _hide(room, False)
    wait_for(lambda: not (visitor.live() or {}).get("state", {}).get("groups_hidden"), message="the reveal")
    after = owner.create(room.boards[1], "Après")["seq"]
    marker = mine.create(room.boards[0], "Repère 2")
    visitor.wait_seq(room.boards[0], marker["seq"])
    assert after not in visitor.seqs(room.boards[1])


def test_a_refused_join_leaves_no_subscription(room: Room) -> None:
    """Issue #10 hole 4: a refused `board:join` (groups hidden) left the connection in the board's
    room: once the groups were revealed, it received the board's events without having joined."""
    _hide(room, True)
    try:
        visitor = room.peer("Curieux", group=0)
        refused = visitor.join(room.boards[1])
        assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    finally:
        _hide(room, False)
    wait_for(lambda: not (visitor.live() or {}).get("state", {}).get("groups_hidden"), message="the reveal")
    owner = room.peer("Membre", group=1)
    assert owner.join(room.boards[1])["ok"]
    leaked = owner.create(room.boards[1], "Après")["seq"]
    mine = room.peer("Voisin", group=0)
    assert mine.join(room.boards[0])["ok"] and visitor.join(room.boards[0])["ok"]
    marker = mine.create(room.boards[0], "Repère")
    visitor.wait_seq(room.boards[0], marker["seq"])
    assert leaked not in visitor.seqs(room.boards[1])


def test_another_groups_board_page_is_hidden(room: Room) -> None:
    """Issue #10 hole 4: `/b/<other board>` still rendered while the groups were hidden."""
    person = room.person("Léa", group=0)
    browser = requests.Session()
    assert browser.post(f"{room.server.url}{API}/session", json={"token": person["token"]}, timeout=10).ok
    _hide(room, True)
    try:
        page = browser.get(f"{room.server.url}/b/{room.boards[1]}", timeout=10)
        assert page.status_code == 403
        assert room.boards[1] not in page.text and f"/b/{room.boards[0]}" in page.text
        assert browser.get(f"{room.server.url}/b/{room.boards[0]}", timeout=10).status_code == 200
        assert browser.get(f"{room.server.url}{API}/boards/{room.boards[1]}", timeout=10).status_code == 403
    finally:
        _hide(room, False)
    assert browser.get(f"{room.server.url}/b/{room.boards[1]}", timeout=10).status_code == 200


def test_a_hidden_vote_dot_reaches_the_voters_other_tabs_whole(room: Room) -> None:
    """SYNC-14 with SYNC-15: events are filtered per reader at send time, so the voter's other tabs get
    their own dot whole (they got it redacted before), and the others still never see where it went."""
    facilitator = room.facilitator()
    assert facilitator.join(room.boards[0])["ok"]
    card = facilitator.create(room.boards[0], "À voter")["event"]["data"]["card"]
    vote_id = str(uuid.uuid4())
    opened = facilitator.op(room.boards[0], "vote.open", {"id": vote_id, "dots": 3, "hidden": True})
    assert opened["ok"], opened
    person = room.person("Votant", group=0)
    tab_one = Peer(room.server, person["token"]).connect()
    tab_two = Peer(room.server, person["token"]).connect()
    other = room.peer("Autre", group=0)
    room.peers += [tab_one, tab_two]
    for peer in (tab_one, tab_two, other):
        assert peer.join(room.boards[0])["ok"]
    dot = tab_one.op(room.boards[0], "vote.dot", {"vote_id": vote_id, "card_id": card["id"], "delta": 1})
    assert dot["ok"], dot
    seen = tab_two.wait_seq(room.boards[0], dot["seq"])
    assert [e for e in seen if e["seq"] == dot["seq"]][0]["data"]["card_id"] == card["id"]
    redacted = [e for e in other.wait_seq(room.boards[0], dot["seq"]) if e["seq"] == dot["seq"]][0]
    assert "card_id" not in redacted["data"]

