"""The console's changes to a group's board are ops (docs/sync-spec.md SYNC-16): renaming, recolouring,
changing the template of and deleting a group reach the board's open connections as events with a seq,
are in the board's log, and a retry with the same op_id changes nothing twice."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from .support.peers import Peer
from .support.server import LiveServer, wait_for
from .test_facilitator_live import Browser

pytestmark = pytest.mark.live


def setup(server: LiveServer, email: str, **workshop: Any) -> tuple[Browser, dict[str, Any], dict[str, Any], Peer]:
    """An account's workshop, and a participant of its first group with a connection on the board."""
    anne = Browser(server, email)
    created = anne.call("POST", "/workshops", {"title": "Atelier", "groups": 2, **workshop})
    assert created.status_code == 201, created.text
    made = created.json()
    camille = server.join(made["code"], "Camille", made["groups"][0]["id"])
    peer = Peer(server, camille["token"]).connect()
    assert peer.join(made["groups"][0]["board_id"])["ok"]
    return anne, made, camille, peer


def events(server: LiveServer, token: str, board_id: str) -> requests.Response:
    return requests.get(f"{server.url}/api/v1/boards/{board_id}/events", timeout=5,
                        headers={"Authorization": f"Bearer {token}"})


def test_a_rename_on_the_console_reaches_the_open_board_once(live_server: LiveServer) -> None:
    """SYNC-16: the rename is a `board.rename` event, live with its seq and in the log; a retry with
    the same op_id answers the same and adds nothing."""
    anne, made, camille, peer = setup(live_server, "rename@example.org")
    group, board = made["groups"][0]["id"], made["groups"][0]["board_id"]
    path = f"/workshops/{made['id']}/groups/{group}"

    renamed = anne.call("PATCH", path, {"name": "Morvan nord", "op_id": "console-rename-1"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["groups"][0]["name"] == "Morvan nord"
    live = peer.wait_seq(board, 1)
    assert [(e["type"], e["seq"], e["data"]) for e in live] == [
        ("board.rename", 1, {"board": {"id": board, "title": "Morvan nord"}})
    ]
    logged = events(live_server, camille["token"], board).json()
    assert [(e["type"], e["seq"], e["op_id"]) for e in logged["events"]] == [
        ("board.rename", 1, "console-rename-1-rename")
    ]
    assert logged["seq"] == 1

    assert anne.call("PATCH", path, {"name": "Morvan", "colour": "#123abc", "op_id": "console-rename-2"}).ok
    live = peer.wait_seq(board, 3)
    assert [(e["type"], e["seq"]) for e in live] == [("board.rename", 1), ("board.rename", 2), ("board.colour", 3)]
    assert live[-1]["data"] == {"board": {"id": board, "colour": "#123abc"}}
    # The first request again, late (its answer was lost): its op_id was applied, so nothing changes
    # and nothing is broadcast — the name stays the newer one.
    again = anne.call("PATCH", path, {"name": "Morvan nord", "op_id": "console-rename-1"})
    assert again.status_code == 200
    assert again.json()["groups"][0]["name"] == "Morvan"
    assert events(live_server, camille["token"], board).json()["seq"] == 3
    snapshot = requests.get(f"{live_server.url}/api/v1/boards/{board}", timeout=5,
                            headers={"Authorization": f"Bearer {camille['token']}"}).json()
    assert (snapshot["board"]["title"], snapshot["seq"]) == ("Morvan", 3)
    # An op_id that is not one is refused before anything changes.
    assert anne.call("PATCH", path, {"name": "X", "op_id": "a b"}).status_code == 400
    peer.close()


def test_a_template_change_is_one_event_with_the_zones_and_the_cards_it_moved(live_server: LiveServer) -> None:
    """SYNC-16: one `board.template` event, one seq: the new zones, and the cards of the zones that
    went, back in the inbox in their order."""
    anne, made, _camille, peer = setup(live_server, "template@example.org")
    group, board = made["groups"][0]["id"], made["groups"][0]["board_id"]
    first = peer.create(board, "Le maire", zone="actors")["event"]["data"]["card"]
    second = peer.create(board, "La forêt", zone="resources")["event"]["data"]["card"]

    changed = anne.call("PATCH", f"/workshops/{made['id']}/groups/{group}", {"template": "swot"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["groups"][0]["template"] == "swot"
    event = peer.wait_seq(board, 3)[-1]
    assert (event["type"], event["seq"]) == ("board.template", 3)
    assert event["data"]["board"] == {"id": board, "template": "swot"}
    assert [z["id"] for z in event["data"]["zones"]] == ["inbox", "strengths", "weaknesses", "opportunities",
                                                          "threats"]
    moved = event["data"]["cards"]
    assert [(c["id"], c["zone"]) for c in moved] == [(first["id"], "inbox"), (second["id"], "inbox")]
    assert moved[0]["position"] < moved[1]["position"]
    # The same template again sends nothing.
    assert anne.call("PATCH", f"/workshops/{made['id']}/groups/{group}", {"template": "swot"}).ok
    assert peer.join(board, since=3)["events"] == []
    peer.close()


def test_deleting_a_group_tells_its_open_board_then_the_board_is_gone(live_server: LiveServer) -> None:
    """SYNC-16: a `board.delete` event with the board's next seq reaches its connections; the board,
    its group and its log are deleted in the same transaction."""
    anne, made, camille, peer = setup(live_server, "delete@example.org")
    group, board = made["groups"][0]["id"], made["groups"][0]["board_id"]
    peer.create(board, "Une note")

    deleted = anne.call("DELETE", f"/workshops/{made['id']}/groups/{group}", {"op_id": "console-delete-1"})
    assert deleted.status_code == 200, deleted.text
    assert [g["id"] for g in deleted.json()["groups"]] == [made["groups"][1]["id"]]
    event = peer.wait_seq(board, 2)[-1]
    assert (event["type"], event["seq"]) == ("board.delete", 2)
    assert event["data"] == {"board": {"id": board, "deleted": True}}
    assert events(live_server, camille["token"], board).status_code == 404
    # Its member stays in the workshop, without a group; the retry finds nothing to delete.
    wait_for(lambda: requests.get(f"{live_server.url}/api/v1/me", timeout=5, headers={
        "Authorization": f"Bearer {camille['token']}"}).json()["participant"]["group_id"] is None)
    again = anne.call("DELETE", f"/workshops/{made['id']}/groups/{group}", {"op_id": "console-delete-1"})
    assert again.status_code == 404
    peer.close()


def test_participants_cannot_send_the_board_ops(live_server: LiveServer) -> None:
    """SYNC-2: only facilitators rename, recolour, change the template of or delete a board."""
    _anne, made, _camille, peer = setup(live_server, "refused@example.org")
    board = made["groups"][0]["board_id"]
    for type_, data in (("board.rename", {"title": "À nous"}), ("board.colour", {"colour": "#000000"}),
                        ("board.template", {"template": "free"}), ("board.delete", {})):
        ack = peer.op(board, type_, data)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (type_, ack)
    assert peer.join(board, since=0)["events"] == []
    peer.close()
