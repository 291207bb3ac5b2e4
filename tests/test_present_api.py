"""Presentation routes in process: who sees which slides, and the audience link
(docs/protocol.md, "Presentation")."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from PIL import Image

from collab.present.audience import audience_token

from .test_api import API, Workshop, assert_error, bearer, join, make_workshop


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


def workshop_id(app: Any, ws: Workshop) -> str:
    me = app.test_client().get(f"{API}/me", headers=bearer(ws.facilitator_token))
    return me.json["workshop"]["id"]


def token_for(app: Any, ws: Workshop) -> str:
    with app.test_request_context():
        return audience_token(workshop_id(app, ws))


def control(app: Any, ws: Workshop, **body: Any) -> None:
    response = app.test_client().post(f"{API}/live", json=body, headers=bearer(ws.facilitator_token))
    assert response.status_code == 200, response.json


def op(app: Any, token: str, board: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    body = {"op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data}
    response = app.test_client().post(f"{API}/boards/{board}/ops", json=body, headers=bearer(token))
    assert response.status_code == 200, response.json
    return response.json


def photo(app: Any, token: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    response = app.test_client().post(f"{API}/media", data={"file": (io.BytesIO(out.getvalue()), "p.jpg")},
                                      headers=bearer(token), content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_members_read_a_groups_slides(app: Any, ws: Workshop) -> None:
    camille = join(app.test_client(), ws, "Camille", 0)["token"]
    op(app, camille, ws.boards[0], "card.create", {"text": "Le site Kodak"})
    response = app.test_client().get(f"{API}/present/{ws.groups[0]}", headers=bearer(camille))
    assert response.status_code == 200
    body = response.json
    assert body["group"]["id"] == ws.groups[0] and body["board_id"] == ws.boards[0]
    assert [s["kind"] for s in body["slides"]] == ["title", "conclusions"]
    assert body["slides"][0]["cards"] == 1
    everything = app.test_client().get(f"{API}/present", headers=bearer(camille)).json
    assert [g["id"] for g in everything["groups"]] == ws.groups


def test_another_workshop_and_strangers_get_nothing(app: Any, ws: Workshop) -> None:
    other = make_workshop(app)
    stranger = join(app.test_client(), other, "Oscar", 0)["token"]
    assert_error(app.test_client().get(f"{API}/present/{ws.groups[0]}", headers=bearer(stranger)), 404, "not_found")
    assert_error(app.test_client().get(f"{API}/present/no-such-group", headers=bearer(stranger)), 404, "not_found")
    assert_error(app.test_client().get(f"{API}/present/{ws.groups[0]}"), 401, "unauthorized")
    assert_error(app.test_client().get(f"{API}/present"), 401, "unauthorized")
    client = app.test_client()
    join(client, other, "Oscar", 0)
    assert client.get(f"/present/{ws.groups[0]}").status_code == 404
    assert client.get(f"/present/{other.groups[0]}").status_code == 200


def test_hidden_groups_show_only_the_presented_one(app: Any, ws: Workshop) -> None:
    camille = join(app.test_client(), ws, "Camille", 0)["token"]
    control(app, ws, type="groups.hide", hidden=True)
    url = f"{API}/present/{ws.groups[1]}"
    for refused in (app.test_client().get(url, headers=bearer(camille)),
                    app.test_client().get(f"{API}/present", headers=bearer(camille))):
        assert refused.status_code == 403 and refused.json["error"]["hidden"] is True
    assert app.test_client().get(f"{API}/present/{ws.groups[0]}", headers=bearer(camille)).status_code == 200
    assert app.test_client().get(url, headers=bearer(ws.facilitator_token)).status_code == 200
    control(app, ws, type="present", group_id=ws.groups[1], slide=0)  # presenting it reveals it
    assert app.test_client().get(url, headers=bearer(camille)).status_code == 200


def test_the_audience_link_follows_the_presented_group_only(app: Any, ws: Workshop) -> None:
    token = token_for(app, ws)
    client = app.test_client()
    live = client.get(f"{API}/audience/{token}/live")
    assert live.status_code == 200 and live.json["presentation"] is None
    assert set(live.json) == {"workshop_id", "presentation", "server_time"}  # no timer, announcement, prompt
    assert_error(client.get(f"{API}/audience/{token}/present/{ws.groups[0]}"), 403, "forbidden")
    control(app, ws, type="present", group_id=ws.groups[0], slide=2)
    assert client.get(f"{API}/audience/{token}/live").json["presentation"]["slide"] == 2
    slides = client.get(f"{API}/audience/{token}/present/{ws.groups[0]}")
    assert slides.status_code == 200 and slides.json["group"]["id"] == ws.groups[0]
    assert_error(client.get(f"{API}/audience/{token}/present/{ws.groups[1]}"), 403, "forbidden")
    page = client.get(f"/a/{token}")
    assert page.status_code == 200 and b"present-follow.js" in page.data


def test_audience_photos_are_those_of_the_presented_board(app: Any, ws: Workshop) -> None:
    camille = join(app.test_client(), ws, "Camille", 0)["token"]
    dominique = join(app.test_client(), ws, "Dominique", 1)["token"]
    shown, other, loose = photo(app, camille), photo(app, dominique), photo(app, camille)
    op(app, camille, ws.boards[0], "card.create", {"text": "Photo", "media_id": shown})
    op(app, dominique, ws.boards[1], "card.create", {"text": "Autre", "media_id": other})
    token = token_for(app, ws)
    client = app.test_client()
    assert_error(client.get(f"{API}/audience/{token}/media/{shown}/thumb"), 404, "not_found")
    control(app, ws, type="present", group_id=ws.groups[0], slide=0)
    thumb = client.get(f"{API}/audience/{token}/media/{shown}/thumb")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    for media in (other, loose, "no-such-photo"):
        assert_error(client.get(f"{API}/audience/{token}/media/{media}/thumb"), 404, "not_found")


@pytest.mark.parametrize("bad", ["nope", "x" * 300, "InN0aGluZyI.abc"])
def test_a_bad_audience_token_is_not_found(app: Any, ws: Workshop, bad: str) -> None:
    client = app.test_client()
    for path in ("live", f"present/{ws.groups[0]}", "media/abc/thumb"):
        assert_error(client.get(f"{API}/audience/{bad}/{path}"), 404, "not_found")
    assert client.get(f"/a/{bad}").status_code == 404


def test_a_token_signed_otherwise_is_not_found(app: Any, ws: Workshop) -> None:
    wid = workshop_id(app, ws)
    for forged in (URLSafeSerializer("another-key", salt="audience").dumps(wid),
                   URLSafeSerializer(app.config["SECRET_KEY"], salt="other").dumps(wid),
                   URLSafeSerializer(app.config["SECRET_KEY"], salt="audience").dumps("no-such-workshop")):
        assert_error(app.test_client().get(f"{API}/audience/{forged}/live"), 404, "not_found")


def test_only_facilitators_get_the_audience_link_on_the_pages(app: Any, ws: Workshop) -> None:
    participant = app.test_client()
    join(participant, ws, "Camille", 0)
    page = participant.get(f"/present/{ws.groups[0]}")
    assert page.status_code == 200 and b'"mode": "preview"' in page.data and b"/a/" not in page.data
    facilitator = app.test_client()
    assert facilitator.post(f"{API}/session", json={"token": ws.facilitator_token}).status_code == 200
    page = facilitator.get(f"/present/{ws.groups[0]}")
    assert page.status_code == 200 and b'"mode": "drive"' in page.data
    assert f"/a/{token_for(app, ws)}".encode() in page.data and b'class="qr"' in page.data
    assert facilitator.get("/present").status_code == 200
    assert facilitator.get("/present/all").status_code == 200
    assert app.test_client().get("/present").status_code == 302  # not signed in


def test_a_facilitator_account_enters_from_the_console_and_may_preview(app: Any) -> None:
    from .test_facilitator_accounts import Console

    console = Console(app)
    made = console.workshop("Atelier de clôture", groups=2)
    entered = console.client.get(f"/present/w/{made['id']}")
    assert entered.status_code == 302 and entered.headers["Location"].endswith("/present")
    group = made["groups"][0]["id"]
    assert b'"mode": "drive"' in console.client.get(f"/present/{group}").data
    preview = console.client.get(f"/present/{group}?preview=1").data
    assert b'"mode": "preview"' in preview and b'id="present-start"' in preview
    assert b"?preview=1" in console.client.get("/present/all").data
    other = Console(app, "bruno@example.org", "Bruno")
    assert other.client.get(f"/present/w/{made['id']}").status_code == 404
    assert app.test_client().get(f"/present/w/{made['id']}").status_code == 302  # to the sign-in page
