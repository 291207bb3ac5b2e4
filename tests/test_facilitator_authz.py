"""Who reaches the facilitator console (docs/protocol.md, "Facilitator console"): every route of it,
REST and pages, refused to participants (joined by code, or signed in with an old facilitator access
key) and to strangers; another account's workshop does not exist for an account (404). Sockets:
tests/test_facilitator_live.py."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from collab.workshops import create_workshop

from .test_facilitator_accounts import FAC, Console

API = "/api/v1"
PUBLIC = {  # reachable signed out: signing in, CSRF token, accepting an invitation
    f"{FAC}/login", f"{FAC}/logout", f"{FAC}/csrf", f"{FAC}/invitations/inspect", f"{FAC}/invitations/accept",
    "/facilitator/login", "/facilitator/invite",
}


def console_routes(app: Any) -> list[tuple[str, str]]:
    """(method, rule) of every console route, from the app's own URL map: a new route is checked too."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("facilitator", "facilitator_api"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.rule))
    assert len(routes) > 25
    return routes


def url_for_rule(rule: str, ids: dict[str, str]) -> str:
    """The rule with real ids of the target workshop; variables of routes added later get a random id."""
    for name, value in ids.items():
        rule = rule.replace(f"<{name}>", value)
    return re.sub(r"<(?:\w+:)?\w+>", lambda _: str(uuid.uuid4()), rule)


@pytest.fixture
def console(app: Any) -> Console:
    return Console(app)


@pytest.fixture
def target(app: Any, console: Console) -> dict[str, Any]:
    """Anne's workshop with a participant in it, and ids for every route variable."""
    made = console.workshop("Atelier d'Anne", groups=2)
    participants = console.call("GET", f"/workshops/{made['id']}/participants").json["participants"]
    invited = console.call("POST", f"/workshops/{made['id']}/facilitators", {"email": "x@example.org"}).json
    return {
        "workshop": made,
        "ids": {
            "workshop_id": made["id"],
            "group_id": made["groups"][0]["id"],
            "participant_id": participants[0]["id"],
            "account_id": console.account_id,
            "invitation_id": invited["invitation"]["id"],
        },
    }


def call(client: Any, method: str, url: str, csrf: str) -> Any:
    body = {} if method != "GET" else None
    return client.open(url, method=method, json=body, headers={"X-CSRFToken": csrf})


def assert_refused(response: Any, method: str, url: str, who: str) -> None:
    if url.startswith("/api/"):
        assert response.status_code in (401, 403, 404), (who, method, url, response.status_code)
        assert response.is_json and response.json["error"]["code"] in ("unauthorized", "forbidden", "not_found")
    else:
        assert response.status_code == 302, (who, method, url, response.status_code)
        assert response.location.startswith("/facilitator/login"), (who, url, response.location)


def test_participants_and_strangers_reach_no_console_route(app: Any, target: dict[str, Any]) -> None:
    workshop = target["workshop"]
    participant = app.test_client()
    assert participant.post(f"{API}/join", json={"code": workshop["code"], "name": "Camille"}).status_code == 200
    participant_csrf = participant.get(f"{API}/me").json["csrf_token"]
    with app.extensions["collab"].sessions() as db:
        legacy_token = create_workshop(db, "Atelier CLI", 1, "fr").token
    legacy = app.test_client()  # a facilitator of another workshop, by the old access key
    assert legacy.post(f"{API}/session", json={"token": legacy_token}).json["participant"]["role"] == "facilitator"
    legacy_csrf = legacy.get(f"{API}/me").json["csrf_token"]
    stranger = app.test_client()
    stranger_csrf = stranger.get(f"{FAC}/csrf").json["csrf_token"]

    checked = 0
    for method, rule in console_routes(app):
        if rule in PUBLIC:
            continue
        url = url_for_rule(rule, target["ids"])
        for who, client, csrf in (("participant", participant, participant_csrf), ("legacy", legacy, legacy_csrf),
                                  ("stranger", stranger, stranger_csrf)):
            assert_refused(call(client, method, url, csrf), method, url, who)
            checked += 1
    assert checked > 60
    # Nothing was changed or deleted by all that.
    assert participant.get(f"{API}/me").status_code == 200


def test_another_account_cannot_see_this_workshop(app: Any, console: Console, target: dict[str, Any]) -> None:
    bruno = Console(app, "bruno@example.org", "Bruno")
    bruno.workshop("Atelier de Bruno", groups=1)
    for method, rule in console_routes(app):
        if "<workshop_id>" not in rule:
            continue
        url = url_for_rule(rule, target["ids"])
        if url.startswith("/api/"):
            response = bruno.client.open(url, method=method, json={} if method != "GET" else None,
                                         headers={"X-CSRFToken": bruno.token})
            assert response.status_code == 404 and response.json["error"]["code"] == "not_found", (method, url)
        else:
            assert bruno.client.open(url, method=method).status_code == 404, url
    listed = bruno.call("GET", "/workshops").json["workshops"]
    assert [w["title"] for w in listed] == ["Atelier de Bruno"]
    # An invitation's id, a group's or a participant's from Anne's workshop, under Bruno's: 404 too.
    own = listed[0]["id"]
    for path in (f"/workshops/{own}/groups/{target['ids']['group_id']}",
                 f"/workshops/{own}/participants/{target['ids']['participant_id']}",
                 f"/workshops/{own}/invitations/{target['ids']['invitation_id']}",
                 f"/workshops/{own}/facilitators/{console.account_id}"):
        assert bruno.call("DELETE", path).status_code == 404, path
    assert console.call("GET", f"/workshops/{target['ids']['workshop_id']}").status_code == 200


def test_console_writes_need_the_csrf_token(console: Console, target: dict[str, Any]) -> None:
    url = f"{FAC}/workshops/{target['ids']['workshop_id']}"
    refused = console.client.patch(url, json={"title": "Piraté"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert console.call("GET", f"/workshops/{target['ids']['workshop_id']}").json["title"] == "Atelier d'Anne"
