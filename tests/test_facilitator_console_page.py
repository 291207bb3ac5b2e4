"""The live console page (/facilitator/w/<id>/console): its account's workshop only; it puts the
account's facilitator participant in the session (its socket and ops act as that facilitator) and hands
the page every group's board. Browser test: tests/browser/test_facilitator_console_browser.py."""

from __future__ import annotations

import json
import re
from typing import Any

from .test_facilitator_accounts import Console

API = "/api/v1"


def page_data(response: Any) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="console-data">(.*?)</script>', response.text, re.S)
    assert match, response.text[:300]
    return json.loads(match.group(1))


def test_the_console_acts_as_the_workshops_facilitator(app: Any) -> None:
    anne = Console(app)
    made = anne.workshop("Atelier en direct", groups=3)
    response = anne.client.get(f"/facilitator/w/{made['id']}/console")
    assert response.status_code == 200
    data = page_data(response)
    assert [g["board_id"] for g in data["groups"]] == [g["board_id"] for g in made["groups"]]
    assert [g["name"] for g in data["groups"]] == [g["name"] for g in made["groups"]]
    me = anne.client.get(f"{API}/me").json["participant"]
    assert me["id"] == data["self_id"] and me["role"] == "facilitator"
    # So its live controls are a facilitator's.
    token = anne.client.get(f"{API}/me").json["csrf_token"]
    sent = anne.client.post(
        f"{API}/live", json={"type": "announce", "text": "Pause café"}, headers={"X-CSRFToken": token}
    )
    assert sent.status_code == 200 and sent.json["live"]["state"]["announcement"]["text"] == "Pause café"
    # The workshop page links to it.
    assert f"/facilitator/w/{made['id']}/console" in anne.client.get(f"/facilitator/w/{made['id']}").text


def test_the_console_is_for_its_workshops_accounts_only(app: Any) -> None:
    anne = Console(app)
    made = anne.workshop("Atelier d'Anne", groups=1)
    url = f"/facilitator/w/{made['id']}/console"
    participant = app.test_client()
    assert participant.post(f"{API}/join", json={"code": made["code"], "name": "Camille"}).status_code == 200
    for client in (participant, app.test_client()):
        refused = client.get(url)
        assert refused.status_code == 302 and refused.location.startswith("/facilitator/login")
    bruno = Console(app, "bruno@example.org", "Bruno")
    assert bruno.client.get(url).status_code == 404
    assert bruno.client.get(f"{API}/me").status_code == 401  # Bruno did not enter Anne's workshop
