"""The agenda of visits and signing in with a token (docs/protocol.md, "Visits", "POST /api/v1/session")."""

from __future__ import annotations

from typing import Any

import pytest

from .test_api import API, Workshop, assert_error, bearer, join, make_workshop

CREUSOT = {"title": "Le Creusot — métallurgie", "place": "Le Creusot",
           "starts_at": "2017-11-16T08:00:00+01:00", "ends_at": "2017-11-16T12:00:00+01:00"}
PORT = {"title": "Port-la-Nouvelle — éolien en mer", "place": "Port-la-Nouvelle",
        "starts_at": "2017-12-13T14:00:00+01:00", "ends_at": "2017-12-13T17:30:00+01:00"}


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


def test_facilitators_edit_the_agenda_and_everyone_reads_it(client: Any, ws: Workshop) -> None:
    fac = bearer(ws.facilitator_token)
    port = client.post(f"{API}/visits", json=PORT, headers=fac)
    creusot = client.post(f"{API}/visits", json=CREUSOT, headers=fac)
    assert (port.status_code, creusot.status_code) == (201, 201)
    assert creusot.json["starts_at"] == "2017-11-16T07:00:00+00:00"  # stored in UTC

    changed = client.patch(f"{API}/visits/{port.json['id']}", json={"place": "Port-la-Nouvelle (11)"}, headers=fac)
    assert changed.status_code == 200 and changed.json["place"] == "Port-la-Nouvelle (11)"

    participant = bearer(join(client, ws)["token"])
    visits = client.get(f"{API}/visits", headers=participant).json["visits"]
    assert [v["title"] for v in visits] == [CREUSOT["title"], PORT["title"]]  # in time order

    assert client.delete(f"{API}/visits/{creusot.json['id']}", headers=fac).json == {"ok": True}
    assert [v["title"] for v in client.get(f"{API}/visits", headers=participant).json["visits"]] == [PORT["title"]]


def test_participants_cannot_change_the_agenda(client: Any, ws: Workshop) -> None:
    participant = bearer(join(client, ws)["token"])
    assert_error(client.post(f"{API}/visits", json=CREUSOT, headers=participant), 403, "forbidden")
    visit = client.post(f"{API}/visits", json=CREUSOT, headers=bearer(ws.facilitator_token)).json
    assert_error(client.delete(f"{API}/visits/{visit['id']}", headers=participant), 403, "forbidden")


def test_another_workshops_visits_do_not_exist(app: Any, client: Any, ws: Workshop) -> None:
    visit = client.post(f"{API}/visits", json=CREUSOT, headers=bearer(ws.facilitator_token)).json
    other = bearer(make_workshop(app).facilitator_token)
    assert_error(client.patch(f"{API}/visits/{visit['id']}", json={"title": "x"}, headers=other), 404, "not_found")
    assert client.get(f"{API}/visits", headers=other).json == {"visits": []}


@pytest.mark.parametrize(
    "body",
    [
        {**CREUSOT, "ends_at": "2017-11-16T07:00:00+01:00"},  # ends before it starts
        {**CREUSOT, "starts_at": "2017-11-16T08:00:00"},  # no offset: ambiguous
        {**CREUSOT, "title": "  "},
        {"title": "Sans horaires"},
    ],
)
def test_invalid_visits_are_refused(client: Any, ws: Workshop, body: dict[str, Any]) -> None:
    assert_error(client.post(f"{API}/visits", json=body, headers=bearer(ws.facilitator_token)), 400, "invalid")


def test_a_token_signs_in_a_browser(app: Any, ws: Workshop) -> None:
    browser = app.test_client()
    signed_in = browser.post(f"{API}/session", json={"token": ws.facilitator_token})
    assert signed_in.status_code == 200
    assert signed_in.json["participant"]["role"] == "facilitator" and signed_in.json["csrf_token"]
    assert "HttpOnly" in signed_in.headers["Set-Cookie"]
    assert browser.get(f"{API}/me").status_code == 200  # the cookie now authenticates

    assert_error(app.test_client().post(f"{API}/session", json={"token": "not-a-token"}), 401, "unauthorized")
    assert_error(app.test_client().post(f"{API}/session", json={}), 400, "invalid")
