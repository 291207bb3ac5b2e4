"""The facilitator console against the real server, over HTTP and Socket.IO: an account acts on the
boards through its facilitator participant; participants cannot do facilitators' ops; renaming,
moving and removing a participant takes effect on their open connection at once."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import socketio
from werkzeug.security import generate_password_hash

from collab.models import FacilitatorAccount

from .support.peers import Peer, server_sessions
from .support.server import LiveServer, wait_for

pytestmark = pytest.mark.live

FAC = "/api/v1/facilitator"
PASSWORD = "correct horse battery"


class Browser:
    """A cookie session on the live server, signed in to a facilitator account."""

    def __init__(self, server: LiveServer, email: str) -> None:
        self.server = server
        with server_sessions(server)() as db:
            db.add(FacilitatorAccount(email=email, name=email.split("@")[0].title(),
                                      password_hash=generate_password_hash(PASSWORD), session_epoch=0))
            db.commit()
        self.http = requests.Session()
        self.csrf = self.http.get(f"{server.url}{FAC}/csrf", timeout=5).json()["csrf_token"]
        signed_in = self.call("POST", "/login", {"email": email, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        self.csrf = signed_in.json()["csrf_token"]  # a fresh session, a fresh token

    def call(self, method: str, path: str, json: Any = None) -> requests.Response:
        return self.http.request(method, f"{self.server.url}{FAC}{path}", json=json,
                                 headers={"X-CSRFToken": self.csrf}, timeout=10)

    def enter(self, workshop_id: str) -> None:
        response = self.http.get(f"{self.server.url}/facilitator/w/{workshop_id}/enter", allow_redirects=False,
                                 timeout=5)
        assert response.status_code == 302

    @property
    def cookie(self) -> str:
        return self.http.cookies["collab_session"]


def closed(peer: Peer, times: int) -> bool:
    """Closed by the server `times` times, and the client done with it (ready to connect again)."""
    return peer.disconnects >= times and peer.client.eio.state == "disconnected"


def test_console_changes_reach_open_connections(live_server: LiveServer) -> None:
    anne = Browser(live_server, "anne@example.org")
    created = anne.call("POST", "/workshops", {"title": "Atelier live", "groups": 2})
    assert created.status_code == 201, created.text
    made = created.json()
    board, other_board = (g["board_id"] for g in made["groups"])
    camille = live_server.join(made["code"], "Camille", made["groups"][0]["id"])
    pid = camille["participant"]["id"]
    zone_op = {"board_id": board, "op_id": "op-live-zone-1", "type": "zone.add", "data": {"title": "Nouvelle"}}

    # A participant cannot change zones; the account cannot connect before entering the workshop.
    peer = Peer(live_server, camille["token"]).connect()
    assert peer.join(board)["ok"]
    refused = peer.call("op", zone_op)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    account_only = Peer(live_server, cookie=anne.cookie)
    with pytest.raises(socketio.exceptions.ConnectionError):
        account_only.connect()
    anne.enter(made["id"])
    facilitator = Peer(live_server, cookie=anne.cookie).connect()
    assert facilitator.join(board)["ok"]
    assert facilitator.call("op", {**zone_op, "op_id": "op-live-zone-2"})["ok"] is True

    # Who is online comes from presence.
    people = {p["name"]: p for p in anne.call("GET", f"/workshops/{made['id']}/participants").json()["participants"]}
    assert people["Camille"]["online"] is True and people["Anne"]["role"] == "facilitator"

    # Renamed and moved: the open connection is closed; coming back (as the page does on a server's
    # disconnect), it is the new Camille.
    assert anne.call("PATCH", f"/workshops/{made['id']}/participants/{pid}",
                     {"name": "Camille B.", "group_id": made["groups"][1]["id"]}).status_code == 200
    wait_for(lambda: closed(peer, 1), 10, message="Camille's connection closed")
    peer.connect()
    assert peer.join(other_board)["ok"]
    ack = peer.create(other_board, "Sur le nouveau tableau")
    assert ack["event"]["data"]["card"]["author_name"] == "Camille B."
    wrong_board = peer.op(board, "card.create", {"text": "Ancien groupe"})
    assert wrong_board["ok"] is False and wrong_board["error"]["code"] == "forbidden"

    # Removed: the connection is closed and not let back in.
    assert anne.call("DELETE", f"/workshops/{made['id']}/participants/{pid}").status_code == 200
    wait_for(lambda: closed(peer, 2), 10, message="Camille disconnected")
    with pytest.raises(socketio.exceptions.ConnectionError):
        peer.connect()
    assert peer.connect_errors and not peer.client.connected
    facilitator.close()
