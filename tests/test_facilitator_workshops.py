"""The facilitator console's workshops (docs/protocol.md, "Facilitator console"): create, edit,
archive, delete with its data and photo files; groups and board templates; participants and who is
online; co-facilitators and invitations; the join kit's QR code."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from collab import models
from collab.models import Board, Participant, WorkshopFacilitator
from collab.sync.access import Actor

from .test_facilitator_accounts import FAC, PASSWORD, Console

API = "/api/v1"


@pytest.fixture
def console(app: Any) -> Console:
    return Console(app)


def join(app: Any, code: str, name: str, group: str | None = None) -> tuple[Any, dict[str, Any]]:
    client = app.test_client()
    body = {"code": code, "name": name, **({"group": group} if group else {})}
    response = client.post(f"{API}/join", json=body)
    assert response.status_code == 200, response.json
    return client, response.json


def count(app: Any, model: Any, **where: Any) -> int:
    with app.extensions["collab"].sessions() as db:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return db.scalar(query) or 0


def test_create_list_and_edit_a_workshop(console: Console) -> None:
    made = console.workshop("Forces innovantes", groups=3, locale="en", starts_on="2030-11-13",
                            ends_on="2030-11-17", template="swot")
    assert made["title"] == "Forces innovantes" and made["locale"] == "en"
    assert (made["starts_on"], made["ends_on"]) == ("2030-11-13", "2030-11-17")
    assert made["join_url"] == f"http://localhost/j/{made['code']}"
    assert [g["name"] for g in made["groups"]] == ["Group 1", "Group 2", "Group 3"]
    assert {g["template"] for g in made["groups"]} == {"swot"}
    listed = console.call("GET", "/workshops").json["workshops"]
    assert [w["id"] for w in listed] == [made["id"]] and listed[0]["archived"] is False

    changed = console.call("PATCH", f"/workshops/{made['id']}", {"title": "Nouveau titre", "locale": "fr",
                                                                   "ends_on": None})
    assert changed.status_code == 200
    assert (changed.json["title"], changed.json["locale"], changed.json["ends_on"]) == ("Nouveau titre", "fr", None)
    backwards = console.call("PATCH", f"/workshops/{made['id']}", {"starts_on": "2030-11-20", "ends_on": "2030-11-10"})
    assert backwards.status_code == 400
    assert console.call("PATCH", f"/workshops/{made['id']}", {"title": ""}).status_code == 400
    assert console.call("PATCH", f"/workshops/{made['id']}", {"colour": "red"}).status_code == 400
    assert console.call("POST", "/workshops", {"title": " "}).status_code == 400

    archived = console.call("PATCH", f"/workshops/{made['id']}", {"archived": True}).json
    assert archived["archived"] is True
    assert console.call("GET", "/workshops").json["workshops"][0]["archived"] is True
    page = console.client.get("/facilitator/").get_data(as_text=True)
    assert "archived-list" in page and "Nouveau titre" in page
    assert console.call("PATCH", f"/workshops/{made['id']}", {"archived": False}).json["archived"] is False


def test_the_account_acts_through_its_facilitator_participant(app: Any, console: Console) -> None:
    made = console.workshop(groups=2)
    with app.extensions["collab"].sessions() as db:
        link = db.get(WorkshopFacilitator, (made["id"], console.account_id))
        participant = db.get(Participant, link.participant_id)
        assert participant.role == "facilitator" and participant.name == "Anne"
    entered = console.client.get(f"/facilitator/w/{made['id']}/enter")
    assert entered.status_code == 302 and entered.location.endswith(f"/b/{made['groups'][0]['board_id']}")
    me = console.client.get(f"{API}/me").json
    assert me["participant"]["id"] == participant.id and me["participant"]["role"] == "facilitator"
    assert console.client.get(f"/facilitator/w/{made['id']}/enter?to=agenda").location.endswith("/agenda")
    second = made["groups"][1]["board_id"]
    assert console.client.get(f"/facilitator/w/{made['id']}/enter?board={second}").location.endswith(f"/b/{second}")
    # The visits API (the agenda page) now works as this facilitator, with the CSRF token.
    visit = {"title": "Le Creusot", "starts_at": "2030-11-14T08:00:00+00:00", "ends_at": "2030-11-14T12:00:00+00:00"}
    added = console.client.post(f"{API}/visits", json=visit, headers={"X-CSRFToken": me["csrf_token"]})
    assert added.status_code == 201
    assert "Le Creusot" in console.client.get(f"/facilitator/w/{made['id']}").get_data(as_text=True)
    # Still the account: the console keeps working after entering.
    assert console.call("GET", "/workshops").status_code == 200


def test_groups_add_rename_recolour_reorder_template_and_delete(app: Any, console: Console) -> None:
    made = console.workshop(groups=2)
    base = f"/workshops/{made['id']}/groups"
    added = console.call("POST", base, {"name": "Morvan", "colour": "#123abc", "template": "free"})
    assert added.status_code == 201
    group = added.json["group"]
    assert (group["name"], group["colour"], group["template"], group["position"]) == ("Morvan", "#123abc", "free", 2)
    assert console.call("POST", base, {"name": "X", "colour": "blue"}).status_code == 400
    assert console.call("POST", base, {"name": "X", "template": "nope"}).status_code == 400

    renamed = console.call("PATCH", f"{base}/{group['id']}", {"name": "Morvan nord", "colour": "#00ff00",
                                                                "position": 0})
    assert renamed.status_code == 200
    assert [g["name"] for g in renamed.json["groups"]] == ["Morvan nord", "Groupe 1", "Groupe 2"]
    assert [g["position"] for g in renamed.json["groups"]] == [0, 1, 2]
    with app.extensions["collab"].sessions() as db:
        board = db.get(Board, group["board_id"])
        assert board.title == "Morvan nord"
        assert [z["id"] for z in board.zones] == ["inbox", "board"]

    # A card in a zone that the new template does not have goes back to the inbox, by a board.template op.
    participant, _ = join(app, made["code"], "Camille", group["id"])
    csrf = participant.get(f"{API}/me").json["csrf_token"]
    op = {"op_id": "op-template-test-1", "type": "card.create", "data": {"text": "Une note", "zone": "board"}}
    assert participant.post(f"{API}/boards/{group['board_id']}/ops", json=op, headers={"X-CSRFToken": csrf}).json["ok"]
    swot = console.call("PATCH", f"{base}/{group['id']}", {"template": "swot"})
    assert swot.status_code == 200
    assert next(g for g in swot.json["groups"] if g["id"] == group["id"])["template"] == "swot"
    with app.extensions["collab"].sessions() as db:
        board = db.get(Board, group["board_id"])
        assert [z["id"] for z in board.zones] == ["inbox", "strengths", "weaknesses", "opportunities", "threats"]
        assert db.scalar(select(models.Card.zone).where(models.Card.board_id == board.id)) == "inbox"
    events = participant.get(f"{API}/boards/{group['board_id']}/events").json["events"]
    assert [e["type"] for e in events] == ["board.rename", "board.colour", "card.create", "board.template"]
    assert events[0]["data"] == {"board": {"id": group["board_id"], "title": "Morvan nord"}}
    assert [(c["zone"], c["text"]) for c in events[-1]["data"]["cards"]] == [("inbox", "Une note")]

    deleted = console.call("DELETE", f"{base}/{group['id']}")
    assert deleted.status_code == 200 and len(deleted.json["groups"]) == 2
    assert count(app, Board, id=group["board_id"]) == 0
    assert count(app, models.Card) == 0
    me = participant.get(f"{API}/me").json["participant"]
    assert me["group_id"] is None  # still in the workshop, without a group
    assert console.call("DELETE", f"{base}/{group['id']}").status_code == 404


def test_participants_online_rename_move_and_remove(app: Any, console: Console) -> None:
    made = console.workshop(groups=2)
    g1, g2 = made["groups"]
    camille, joined = join(app, made["code"], "Camille", g1["id"])
    join(app, made["code"], "Dominique", g2["id"])
    pid = joined["participant"]["id"]
    # Camille has the board open (presence is per board and per connection).
    with app.app_context():
        app.extensions["collab"].presence.add(g1["board_id"], "sid-1", Actor(pid, "Camille", "participant",
                                                                              made["id"], g1["id"]))
    base = f"/workshops/{made['id']}/participants"
    people = console.call("GET", base).json["participants"]
    by_name = {p["name"]: p for p in people}
    assert {"Camille", "Dominique", "Anne"} <= set(by_name)
    assert by_name["Camille"]["online"] is True and by_name["Camille"]["boards"] == [g1["board_id"]]
    assert by_name["Dominique"]["online"] is False and by_name["Anne"]["role"] == "facilitator"

    renamed = console.call("PATCH", f"{base}/{pid}", {"name": "Camille B."})
    assert renamed.status_code == 200
    moved = console.call("PATCH", f"{base}/{pid}", {"group_id": g2["id"]}).json["participants"]
    assert next(p for p in moved if p["id"] == pid)["group_id"] == g2["id"]
    me = camille.get(f"{API}/me").json["participant"]
    assert (me["name"], me["group_id"]) == ("Camille B.", g2["id"])
    assert console.call("PATCH", f"{base}/{pid}", {"group_id": "no-such-group"}).status_code == 404
    assert console.call("PATCH", f"{base}/{pid}", {"name": ""}).status_code == 400
    facilitator = by_name["Anne"]["id"]
    assert console.call("DELETE", f"{base}/{facilitator}").status_code == 403

    assert console.call("DELETE", f"{base}/{pid}").status_code == 200
    assert camille.get(f"{API}/me").status_code == 401  # removed: the session ends
    assert console.call("DELETE", f"{base}/{pid}").status_code == 404


def test_delete_removes_the_data_and_the_photos(app: Any, console: Console, tmp_path: Path) -> None:
    keep = console.workshop("Garder", groups=1)
    made = console.workshop("Supprimer", groups=2)
    participant, _ = join(app, made["code"], "Camille", made["groups"][0]["id"])
    csrf = participant.get(f"{API}/me").json["csrf_token"]
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, "JPEG")
    uploaded = participant.post(f"{API}/media", data={"file": (io.BytesIO(image.getvalue()), "p.jpg")},
                                headers={"X-CSRFToken": csrf}, content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.json
    folder = Path(app.config["MEDIA_DIR"]) / made["id"]
    assert len(list(folder.iterdir())) == 2
    board = made["groups"][0]["board_id"]
    op = {"op_id": "op-delete-test-1", "type": "card.create",
          "data": {"text": "Photo", "media_id": uploaded.json["id"]}}
    assert participant.post(f"{API}/boards/{board}/ops", json=op, headers={"X-CSRFToken": csrf}).json["ok"]

    wrong = console.call("DELETE", f"/workshops/{made['id']}", {"confirm": "NOPE"})
    assert wrong.status_code == 400 and count(app, models.Workshop, id=made["id"]) == 1
    gone = console.call("DELETE", f"/workshops/{made['id']}", {"confirm": made["code"].lower()})
    assert gone.status_code == 200
    assert not folder.exists()
    for model in (models.Group, models.Board, models.Participant, models.Visit, models.Media, WorkshopFacilitator):
        assert count(app, model, workshop_id=made["id"]) == 0, model
    assert count(app, models.Card, board_id=board) == 0 and count(app, models.Event, board_id=board) == 0
    assert participant.get(f"{API}/me").status_code == 401
    assert console.call("GET", f"/workshops/{made['id']}").status_code == 404
    assert [w["id"] for w in console.call("GET", "/workshops").json["workshops"]] == [keep["id"]]
    assert count(app, models.Board, workshop_id=keep["id"]) == 1


def test_join_kit_qr_code_and_pages(app: Any, console: Console) -> None:
    made = console.workshop("Atelier QR", groups=1)
    qr = console.client.get(f"/facilitator/w/{made['id']}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    svg = qr.get_data(as_text=True)
    assert svg.startswith("<svg") and "viewBox" in svg and f"http://localhost/j/{made['code']}" in svg
    kit = console.client.get(f"/facilitator/w/{made['id']}/kit").get_data(as_text=True)
    assert made["code"] in kit and "qr.svg" in kit and "kit-warning" in kit  # localhost: phones cannot reach it
    sheet = console.client.get(f"/facilitator/w/{made['id']}/kit/print").get_data(as_text=True)
    assert made["code"] in sheet and f"/j/{made['code']}" in sheet
    app.config["PUBLIC_URL"] = "https://collab.example.org/"
    svg = console.client.get(f"/facilitator/w/{made['id']}/qr.svg").get_data(as_text=True)
    assert f"https://collab.example.org/j/{made['code']}" in svg
    assert "kit-warning" not in console.client.get(f"/facilitator/w/{made['id']}/kit").get_data(as_text=True)
    assert console.call("GET", f"/workshops/{made['id']}").json["join_url"] == f"https://collab.example.org/j/{made['code']}"


def test_qr_code_decodes_to_the_join_url() -> None:
    """Read the SVG's modules back and check them against segno's own matrix of the URL."""
    import segno

    from collab.facilitator.joinkit import qr_svg

    url = "http://192.168.1.23:5000/j/K7M4QX"
    svg = qr_svg(url)
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    dark = set()
    path = re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmhv])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        elif op == "h":
            for i in range(int(float(a))):
                dark.add((int(x) + i, int(y - 0.5)))
            x += float(a)
    expected = segno.make(url, error="m", micro=False)
    matrix = {(c + 4, r + 4) for r, row in enumerate(expected.matrix) for c, v in enumerate(row) if v}
    assert size == expected.symbol_size(border=4)[0] and dark == matrix


def test_co_facilitators_existing_accounts_and_invitation_links(app: Any, console: Console) -> None:
    made = console.workshop(groups=1)
    base = f"/workshops/{made['id']}"
    bruno = Console(app, "bruno@example.org", "Bruno")
    assert bruno.call("GET", base).status_code == 404
    added = console.call("POST", f"{base}/facilitators", {"email": "Bruno@example.org"})
    assert added.status_code == 201 and added.json["added"]["name"] == "Bruno"
    assert bruno.call("GET", base).status_code == 200
    assert console.call("POST", f"{base}/facilitators", {"email": "bruno@example.org"}).status_code == 409
    assert console.call("POST", f"{base}/facilitators", {"email": "nope"}).status_code == 400

    invited = console.call("POST", f"{base}/facilitators", {"email": "chloe@example.org"})
    assert invited.status_code == 201
    url = invited.json["invitation"]["url"]
    assert url.startswith("http://localhost/facilitator/invite#token=")
    token = url.split("#token=")[1]
    pending = console.call("GET", f"{base}/facilitators").json["invitations"]
    assert [i["email"] for i in pending] == ["chloe@example.org"]
    stranger = app.test_client()
    csrf = stranger.get(f"{FAC}/csrf").json["csrf_token"]
    seen = stranger.post(f"{FAC}/invitations/inspect", json={"token": token}, headers={"X-CSRFToken": csrf})
    assert seen.json["email"] == "chloe@example.org" and seen.json["account_exists"] is False
    bad = stranger.post(f"{FAC}/invitations/inspect", json={"token": "x" * 40}, headers={"X-CSRFToken": csrf})
    assert bad.status_code == 404
    short = stranger.post(f"{FAC}/invitations/accept", json={"token": token, "name": "Chloé", "password": "short"},
                          headers={"X-CSRFToken": csrf})
    assert short.status_code == 400
    accepted = stranger.post(f"{FAC}/invitations/accept",
                             json={"token": token, "name": "Chloé", "password": PASSWORD},
                             headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200 and accepted.json["account"]["email"] == "chloe@example.org"
    assert [w["id"] for w in stranger.get(f"{FAC}/workshops").json["workshops"]] == [made["id"]]
    again = stranger.post(f"{FAC}/invitations/accept", json={"token": token, "name": "C", "password": PASSWORD},
                          headers={"X-CSRFToken": accepted.json["csrf_token"]})
    assert again.status_code == 404  # one use only

    revoke = console.call("POST", f"{base}/facilitators", {"email": "dan@example.org"}).json["invitation"]["id"]
    assert console.call("DELETE", f"{base}/invitations/{revoke}").json["invitations"] == []

    listed = console.call("GET", f"{base}/facilitators").json["facilitators"]
    assert [f["name"] for f in listed] == ["Anne", "Bruno", "Chloé"]
    bruno.client.get(f"/facilitator/w/{made['id']}/enter")
    assert bruno.client.get(f"{API}/me").status_code == 200
    assert console.call("DELETE", f"{base}/facilitators/{bruno.account_id}").status_code == 200
    assert bruno.call("GET", base).status_code == 404
    assert bruno.client.get(f"{API}/me").status_code == 401  # its facilitator participant went too
    chloe = accepted.json["account"]["id"]
    assert console.call("DELETE", f"{base}/facilitators/{chloe}").status_code == 200
    last = console.call("DELETE", f"{base}/facilitators/{console.account_id}")
    assert last.status_code == 400  # a workshop keeps one facilitator


def test_claim_a_workshop_made_on_the_command_line(app: Any, console: Console) -> None:
    from collab.workshops import create_workshop

    with app.extensions["collab"].sessions() as db:
        made = create_workshop(db, "Atelier CLI", 2, "fr")
        token, workshop_id = made.token, made.workshop.id
    assert console.call("GET", f"/workshops/{workshop_id}").status_code == 404
    assert console.call("POST", "/workshops/claim", {"token": "not-a-token"}).status_code == 404
    claimed = console.call("POST", "/workshops/claim", {"token": token})
    assert claimed.status_code == 200 and claimed.json["id"] == workshop_id
    assert console.call("GET", f"/workshops/{workshop_id}").status_code == 200
    # The old access key still signs in (collab.auth is unchanged).
    client = app.test_client()
    assert client.post(f"{API}/session", json={"token": token}).status_code == 200
