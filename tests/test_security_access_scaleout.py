"""The one access rule across two processes on PostgreSQL + Redis (docs/sync-spec.md SYNC-15):
issue #10 hole 5, and holes 3 and 4 where a change made through one process must reach the
connections the other holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import socketio

from .support.accounts import PASSWORD, Account
from .support.peers import Peer, Room
from .support.server import LiveServer, wait_for
from .test_live_scaleout import database_url, queue_url, servers  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.live, pytest.mark.postgres]

API = "/api/v1"


@pytest.fixture
def room(servers: list[LiveServer]) -> Iterator[Room]:  # noqa: F811
    made = Room(servers[0], groups=2)
    yield made
    made.close()


def _peer(server: LiveServer, room: Room, token: str) -> Peer:
    peer = Peer(server, token).connect()
    room.peers.append(peer)
    return peer


def test_moving_a_participant_closes_their_connections_on_every_process(servers: list[LiveServer],  # noqa: F811
                                                                         room: Room) -> None:
    """Issue #10 hole 5: moving a person closed their sockets only on the process that handled the
    request; on the other, the moved person still wrote to the old board."""
    a, b = servers
    person = room.person("Léa", group=0)
    on_b = _peer(b, room, person["token"])
    assert on_b.join(room.boards[0])["ok"]
    account = Account(a, room.workshop["workshop_id"])
    moved = account.participant("PATCH", person["participant"]["id"], {"group_id": room.groups[1]})
    assert moved.status_code == 200, moved.text
    wait_for(lambda: on_b.disconnects >= 1, message="the moved person's connection on the other process closing")
    assert on_b.access == [{"reason": "moved"}]
    # Reconnecting works (they are still in the workshop), with the rights of now.
    again = _peer(b, room, person["token"])
    written = again.op(room.boards[0], "card.create", {"text": "Toujours là ?"})
    assert written["ok"] is False and written["error"]["code"] == "forbidden"
    assert again.op(room.boards[1], "card.create", {"text": "Nouveau groupe"})["ok"]


def test_removing_a_participant_ends_their_connections_on_every_process(servers: list[LiveServer],  # noqa: F811
                                                                         room: Room) -> None:
    """Issue #10 hole 5: a removed participant's socket on the other process still received events."""
    a, b = servers
    person = room.person("Noé", group=0)
    on_b = _peer(b, room, person["token"])
    assert on_b.join(room.boards[0])["ok"]
    account = Account(a, room.workshop["workshop_id"])
    removed = account.participant("DELETE", person["participant"]["id"])
    assert removed.status_code == 200, removed.text
    wait_for(lambda: on_b.disconnects >= 1, message="the removed person's connection closing")
    assert on_b.access == [{"reason": "removed"}]
    writer = _peer(a, room, room.person("Ana", group=0)["token"])
    assert writer.join(room.boards[0])["ok"]
    seq = writer.create(room.boards[0], "Après le départ")["seq"]
    assert seq not in on_b.seqs(room.boards[0])
    with pytest.raises(socketio.exceptions.ConnectionError):
        Peer(b, person["token"]).connect()  # refused: unauthorized


def test_hiding_groups_through_one_process_drops_subscribers_on_the_other(servers: list[LiveServer],  # noqa: F811
                                                                           room: Room) -> None:
    """Issue #10 hole 4 across processes: hiding removes other groups' subscribers at once, on every
    process, and nothing of their boards is delivered afterwards."""
    a, b = servers
    visitor = _peer(b, room, room.person("Visiteur", group=0)["token"])
    owner = _peer(a, room, room.person("Membre", group=1)["token"])
    neighbour = _peer(a, room, room.person("Voisin", group=0)["token"])
    for peer, board in ((visitor, room.boards[1]), (visitor, room.boards[0]), (owner, room.boards[1]),
                        (neighbour, room.boards[0])):
        assert peer.join(board)["ok"]
    hidden = requests.post(f"{a.url}{API}/live", json={"type": "groups.hide", "hidden": True},
                           headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=10)
    assert hidden.status_code == 200, hidden.text
    wait_for(lambda: (visitor.live() or {}).get("state", {}).get("groups_hidden"), message="the hide on B")
    secret = owner.create(room.boards[1], "Pendant")["seq"]
    marker = neighbour.create(room.boards[0], "Repère")["seq"]
    visitor.wait_seq(room.boards[0], marker)
    assert secret not in visitor.seqs(room.boards[1])
    requests.post(f"{a.url}{API}/live", json={"type": "groups.hide", "hidden": False},
                  headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=10)


def test_a_password_change_closes_the_other_sessions_sockets_on_every_process(servers: list[LiveServer],  # noqa: F811
                                                                              room: Room) -> None:
    """Issue #10 hole 3 on sockets and across processes: a session signed in before a password change
    kept its socket (and its board.lock and live rights) for 30 days."""
    a, b = servers
    account = Account(a, room.workshop["workshop_id"])
    entered = account.browser.get(f"{a.url}/facilitator/w/{room.workshop['workshop_id']}/enter",
                                  allow_redirects=False, timeout=10)
    assert entered.status_code == 302, entered.text
    cookie = account.browser.cookies.get("collab_session")
    old = Peer(b, cookie=cookie).connect()
    room.peers.append(old)
    assert old.join(room.boards[0])["ok"]
    locked = old.op(room.boards[0], "board.lock", {"locked": True})
    assert locked["ok"], locked
    other = account.sign_in(a)
    changed = account.call("POST", "/password", {"current": PASSWORD, "new": "another long password"}, browser=other)
    assert changed.status_code == 200, changed.text
    wait_for(lambda: old.disconnects >= 1, message="the old session's socket on the other process closing")
    assert {"reason": "signed_out"} in old.access
    with pytest.raises(socketio.exceptions.ConnectionError):
        Peer(b, cookie=cookie).connect()  # the old session is refused
