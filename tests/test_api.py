"""The REST API `/api/v1` in process (docs/protocol.md, "REST routes", "Authentication", "Errors")."""

from __future__ import annotations

import gc
import gzip
import json
import tracemalloc
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from collab import create_app
from collab.models import Board, Event, Participant
from collab.mutations import submit_op
from collab.sync.access import Actor
from collab.workshops import create_workshop, workshop_dict

API = "/api/v1"


@dataclass
class Workshop:
    code: str
    facilitator_token: str
    boards: list[str]
    groups: list[str]


def make_workshop(app: Any, groups: int = 2, locale: str = "fr") -> Workshop:
    with app.extensions["collab"].sessions() as db:
        made = create_workshop(db, "Atelier", groups, locale)
        data = workshop_dict(db, made.workshop)
        return Workshop(made.workshop.join_code, made.token, [g["board_id"] for g in data["groups"]],
                        [g["id"] for g in data["groups"]])


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


def join(client: Any, ws: Workshop, name: str = "Camille", group: int | None = 0, **headers: str) -> dict[str, Any]:
    body: dict[str, Any] = {"code": ws.code, "name": name}
    if group is not None:
        body["group"] = ws.groups[group]
    response = client.post(f"{API}/join", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_op(type_: str = "card.create", data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data or {"text": "Une note"}, **extra}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.data[:300])
    assert response.is_json, response.data[:300]
    body = response.json
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]) <= {"code", "message", "field"}, body
    assert body["error"]["code"] == code and body["error"]["message"], body
    return body["error"]


def set_board(app: Any, board_id: str, **values: Any) -> None:
    with app.extensions["collab"].sessions() as db:
        db.execute(update(Board).where(Board.id == board_id).values(**values))
        db.commit()


# --- join ---------------------------------------------------------------------------------------


def test_join_returns_participant_workshop_token_and_sets_the_cookie(client: Any, ws: Workshop) -> None:
    """Protocol, join: 200 with participant, workshop and token; an HttpOnly, SameSite=Lax cookie."""
    response = client.post(f"{API}/join", json={"code": ws.code, "name": "  Camille ", "group": ws.groups[1]})
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"participant", "workshop", "token"}
    participant = body["participant"]
    assert set(participant) == {"id", "name", "role", "group_id"}
    assert (participant["name"], participant["role"], participant["group_id"]) == ("Camille", "participant",
                                                                                   ws.groups[1])
    workshop = body["workshop"]
    assert set(workshop) == {"id", "title", "groups"} and workshop["title"] == "Atelier"
    assert workshop["groups"] == [{"id": g, "name": f"Groupe {i + 1}", "board_id": b}
                                  for i, (g, b) in enumerate(zip(ws.groups, ws.boards, strict=True))]
    assert isinstance(body["token"], str) and len(body["token"]) >= 43  # 256 bits, url-safe base64
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = [c for c in cookies if c.startswith("collab_session=")]
    assert len(session_cookie) == 1
    attributes = [part.strip().lower() for part in session_cookie[0].split(";")]
    assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes
    me = client.get(f"{API}/me")
    assert me.status_code == 200 and me.json["participant"] == participant


@pytest.mark.parametrize("typed", ["lower", "spaced", "dashed"])
def test_join_code_is_case_insensitive_and_ignores_spaces_and_dashes(client: Any, ws: Workshop, typed: str) -> None:
    """Protocol, join: `code` is case-insensitive and may contain spaces or dashes."""
    code = {"lower": ws.code.lower(), "spaced": f" {ws.code[:3]} {ws.code[3:]} ",
            "dashed": f"{ws.code[:3]}-{ws.code[3:].lower()}"}[typed]
    response = client.post(f"{API}/join", json={"code": code, "name": "Camille"})
    assert response.status_code == 200, response.json


def test_join_without_group_fills_the_least_crowded_group(app: Any, ws: Workshop) -> None:
    """Protocol, join: without `group` the participant goes to the group with the fewest members."""
    client = app.test_client()
    join(client, ws, "A", group=0)
    join(client, ws, "B", group=0)
    assert join(client, ws, "C", group=None)["participant"]["group_id"] == ws.groups[1]
    assert join(client, ws, "D", group=None)["participant"]["group_id"] == ws.groups[1]
    assert join(client, ws, "E", group=None)["participant"]["group_id"] == ws.groups[0]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Camille"},
        {"code": "ABCDEF"},
        {"code": "ABCDEF", "name": ""},
        {"code": "ABCDEF", "name": "   "},
        {"code": "ABCDEF", "name": "x" * 61},
        {"code": 123456, "name": "Camille"},
        {"code": "ABCDEF", "name": ["Camille"]},
        ["ABCDEF", "Camille"],
        "ABCDEF",
    ],
    ids=["no code", "no name", "empty name", "blank name", "name too long", "code not a string",
         "name not a string", "a list", "a string"],
)
def test_join_with_a_malformed_body_is_invalid(client: Any, body: Any) -> None:
    """Protocol, join: `400 invalid` for a malformed body."""
    assert_error(client.post(f"{API}/join", json=body), 400, "invalid")


def test_join_name_of_60_characters_is_accepted(client: Any, ws: Workshop) -> None:
    """Protocol, join: `name` is 1–60 characters."""
    assert join(client, ws, "é" * 60)["participant"]["name"] == "é" * 60


def test_join_with_a_wrong_code_is_not_found(client: Any, ws: Workshop) -> None:
    """Protocol, join: `404 not_found` when no workshop has this code; no cookie is set."""
    response = client.post(f"{API}/join", json={"code": "ZZZZZZ", "name": "Camille"})
    assert_error(response, 404, "not_found")
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("collab_session=")]
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_wrong_codes_are_throttled_but_right_codes_never(client: Any, ws: Workshop) -> None:
    """Protocol, join: the 11th wrong code within a minute is `429 rate_limited`; a right code from the
    same address still joins (a whole room joins from one Wi-Fi)."""
    for i in range(10):
        assert_error(client.post(f"{API}/join", json={"code": f"WRONG{i}", "name": "x"}), 404, "not_found")
    assert_error(client.post(f"{API}/join", json={"code": "WRONGX", "name": "x"}), 429, "rate_limited")
    assert_error(client.post(f"{API}/join", json={"code": "WRONGY", "name": "x"}), 429, "rate_limited")
    for name in ("Ana", "Ben", "Cléo"):
        assert join(client, ws, name)["participant"]["name"] == name


def test_rate_limited_join_says_when_to_retry(client: Any, ws: Workshop) -> None:
    """Protocol, errors: `429 rate_limited` comes with a `Retry-After` header on REST."""
    for i in range(11):
        response = client.post(f"{API}/join", json={"code": f"WRONG{i}", "name": "x"})
    assert response.status_code == 429
    assert response.headers.get("Retry-After", "").isdigit()


def test_join_link_with_a_right_code_is_never_throttled(client: Any, ws: Workshop) -> None:
    """Protocol, join: right codes are never throttled — the join link included."""
    for i in range(11):
        client.post(f"{API}/join", json={"code": f"WRONG{i}", "name": "x"})
    assert client.get("/j/WRONGZ").status_code == 429
    assert client.get(f"/j/{ws.code}").status_code == 200


# --- authentication -------------------------------------------------------------------------------


def test_bearer_token_authenticates_without_cookie(app: Any, ws: Workshop) -> None:
    """Protocol, authentication: scripts send `Authorization: Bearer <token>`."""
    token = join(app.test_client(), ws)["token"]
    script = app.test_client(use_cookies=False)
    me = script.get(f"{API}/me", headers=bearer(token))
    assert me.status_code == 200 and me.json["participant"]["name"] == "Camille"
    assert set(me.json) == {"participant", "workshop", "csrf_token"}
    assert me.json["workshop"]["code"] == ws.code


def test_facilitator_token_authenticates(app: Any, ws: Workshop) -> None:
    """Protocol, authentication: the facilitator token from the CLI is used the same way."""
    me = app.test_client(use_cookies=False).get(f"{API}/me", headers=bearer(ws.facilitator_token))
    assert me.status_code == 200
    assert me.json["participant"]["role"] == "facilitator" and me.json["participant"]["group_id"] is None


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Basic abc", "Bearer " + "x" * 500, "Token abc"])
def test_bad_credentials_are_unauthorized(app: Any, ws: Workshop, header: str) -> None:
    """Protocol, errors: `401 unauthorized` without a valid session cookie or bearer token."""
    client = app.test_client(use_cookies=False)
    assert_error(client.get(f"{API}/me", headers={"Authorization": header}), 401, "unauthorized")
    assert_error(client.get(f"{API}/boards/{ws.boards[0]}", headers={"Authorization": header}), 401, "unauthorized")
    response = client.post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(), headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")


def test_logout_forgets_the_cookie_but_not_the_token(app: Any, ws: Workshop) -> None:
    """Protocol, logout: forgets the session cookie; the token still works for scripts."""
    client = app.test_client()
    token = join(client, ws)["token"]
    csrf = client.get(f"{API}/me").json["csrf_token"]
    assert client.post(f"{API}/logout", headers={"X-CSRFToken": csrf}).json == {"ok": True}
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")
    assert client.get(f"{API}/me", headers=bearer(token)).status_code == 200


def test_cookie_writes_need_the_csrf_token(client: Any, ws: Workshop) -> None:
    """Protocol, authentication: a cookie-authenticated REST write without `X-CSRFToken` is
    `403 forbidden` and changes nothing; with the token from `GET /api/v1/me` it is applied."""
    join(client, ws)
    board = ws.boards[0]
    assert_error(client.post(f"{API}/boards/{board}/ops", json=new_op()), 403, "forbidden")
    bad = client.post(f"{API}/boards/{board}/ops", json=new_op(), headers={"X-CSRFToken": "forged"})
    assert_error(bad, 403, "forbidden")
    assert client.get(f"{API}/boards/{board}").json["seq"] == 0
    csrf = client.get(f"{API}/me").json["csrf_token"]
    ok = client.post(f"{API}/boards/{board}/ops", json=new_op(), headers={"X-CSRFToken": csrf})
    assert ok.status_code == 200 and ok.json["seq"] == 1


def test_csrf_token_of_another_session_is_refused(app: Any, ws: Workshop) -> None:
    """Protocol, authentication: the CSRF token is bound to its session."""
    other = app.test_client()
    join(other, ws, "Other")
    stolen = other.get(f"{API}/me").json["csrf_token"]
    client = app.test_client()
    join(client, ws)
    response = client.post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(), headers={"X-CSRFToken": stolen})
    assert_error(response, 403, "forbidden")


def test_bearer_writes_need_no_csrf_token(app: Any, ws: Workshop) -> None:
    """Protocol, authentication: scripts with a bearer token need no CSRF token."""
    token = join(app.test_client(), ws)["token"]
    response = app.test_client(use_cookies=False).post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(),
                                                       headers=bearer(token))
    assert response.status_code == 200 and response.json["ok"] is True


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2", "null"], ids=["broken", "empty", "truncated", "null"])
def test_malformed_json_is_a_json_400(app: Any, ws: Workshop, body: str) -> None:
    """Protocol, errors: a body that is not JSON is `400 invalid`, as JSON."""
    client = app.test_client(use_cookies=False)
    token = join(app.test_client(), ws)["token"]
    for path, headers in ((f"{API}/join", {}), (f"{API}/boards/{ws.boards[0]}/ops", bearer(token))):
        response = client.post(path, data=body, content_type="application/json", headers=headers)
        assert_error(response, 400, "invalid")


def test_body_too_large_is_a_json_413(app: Any, ws: Workshop) -> None:
    """Protocol, errors: a body over the server's limit (1 MB) is `413 too_large`."""
    token = join(app.test_client(), ws)["token"]
    big = '{"op_id": "abcdefgh", "type": "card.create", "data": {"text": "' + "x" * (1024 * 1024) + '"}}'
    response = app.test_client(use_cookies=False).post(
        f"{API}/boards/{ws.boards[0]}/ops", data=big, content_type="application/json", headers=bearer(token))
    assert_error(response, 413, "too_large")


def test_unknown_api_route_is_a_json_404(client: Any) -> None:
    """Protocol, errors: under /api every error is JSON, unknown routes included."""
    assert_error(client.get(f"{API}/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/v2/boards"), 404, "not_found")
    wrong_method = client.get(f"{API}/join")
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert set(wrong_method.json["error"]) == {"code", "message"}


def test_error_messages_follow_the_workshop_language(app: Any) -> None:
    """Protocol, errors: the message is in the workshop's language (or the request's Accept-Language)."""
    english = make_workshop(app, locale="en")
    token = join(app.test_client(), english)["token"]
    response = app.test_client(use_cookies=False).post(
        f"{API}/boards/{english.boards[0]}/ops", json=new_op(data={"text": " "}), headers=bearer(token))
    assert assert_error(response, 400, "invalid")["message"] == "A note cannot be empty."
    wrong = app.test_client().post(f"{API}/join", json={"code": "ZZZZZZ", "name": "x"},
                                   headers={"Accept-Language": "en"})
    assert assert_error(wrong, 404, "not_found")["message"].startswith("No workshop")


def test_unknown_route_message_follows_the_language(client: Any) -> None:
    """Protocol, errors: every message is for people, in the request's language — the JSON 404 of an
    unknown API route included."""
    english = client.get(f"{API}/nothing-here", headers={"Accept-Language": "en"}).json["error"]["message"]
    french = client.get(f"{API}/nothing-here", headers={"Accept-Language": "fr"}).json["error"]["message"]
    assert english != french


def test_french_is_the_default_language_of_messages(client: Any) -> None:
    """Protocol, errors: the message is for people (French by default); the code never changes."""
    error = assert_error(client.post(f"{API}/join", json={"code": "ZZZZZZ", "name": "x"}), 404, "not_found")
    assert error["message"].startswith("Aucun atelier")


# --- boards: snapshot, events, ops ----------------------------------------------------------------


@pytest.fixture
def alice(app: Any, ws: Workshop) -> Any:
    """A script client of a participant of group 1 (bearer token, no cookies)."""
    token = join(app.test_client(), ws, "Alice", group=0)["token"]
    client = app.test_client(use_cookies=False)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post_op(client: Any, board: str, op: dict[str, Any]) -> Any:
    return client.post(f"{API}/boards/{board}/ops", json=op)


def test_op_result_has_the_socket_ack_shape(alice: Any, ws: Workshop) -> None:
    """SYNC-3: a REST op answers the op result `{ok, seq, event}`, the same as the socket ack."""
    op = new_op(data={"text": "Le site Kodak accueille 40 entreprises.", "kind": "observation"})
    response = post_op(alice, ws.boards[0], op)
    assert response.status_code == 200
    result = response.json
    assert set(result) == {"ok", "seq", "event"} and result["ok"] is True and result["seq"] == 1
    event = result["event"]
    assert (event["board_id"], event["seq"], event["op_id"], event["type"]) == (ws.boards[0], 1, op["op_id"],
                                                                               "card.create")
    card = event["data"]["card"]
    assert (card["text"], card["kind"], card["author_name"], card["version"]) == (
        "Le site Kodak accueille 40 entreprises.", "observation", "Alice", 1)
    snap = alice.get(f"{API}/boards/{ws.boards[0]}").json
    assert snap["seq"] == 1 and snap["cards"] == [card]


def test_op_retry_over_rest_returns_the_same_result(alice: Any, ws: Workshop) -> None:
    """SYNC-4: the same op posted twice answers the same result and makes one card."""
    op = new_op()
    first = post_op(alice, ws.boards[0], op)
    second = post_op(alice, ws.boards[0], op)
    assert first.status_code == second.status_code == 200 and first.json == second.json
    assert len(alice.get(f"{API}/boards/{ws.boards[0]}").json["cards"]) == 1


def test_op_board_id_may_be_omitted_but_must_match(alice: Any, ws: Workshop) -> None:
    """Protocol, ops: the body's board_id may be omitted; if present it must match the URL."""
    assert post_op(alice, ws.boards[0], new_op(board_id=ws.boards[0])).status_code == 200
    assert_error(post_op(alice, ws.boards[0], new_op(board_id=ws.boards[1])), 400, "invalid")
    assert alice.get(f"{API}/boards/{ws.boards[1]}").json["seq"] == 0


@pytest.mark.parametrize(
    "op",
    [
        [1, 2],
        "card.create",
        {"type": "card.create", "data": {"text": "x"}},
        {"op_id": "abcdefgh", "type": "card.smash", "data": {}},
        {"op_id": "abcdefgh", "type": "card.create", "data": {"text": "x" * 2001}},
        {"op_id": "abcdefgh", "type": "card.create", "data": {"text": "x", "unknown": True}},
    ],
    ids=["list", "string", "no op_id", "unknown type", "text too long", "unknown field"],
)
def test_malformed_op_is_400_invalid_and_changes_nothing(alice: Any, ws: Workshop, op: Any) -> None:
    """SYNC-1: a malformed op over REST is `400 invalid`; the board is unchanged."""
    assert_error(post_op(alice, ws.boards[0], op), 400, "invalid")
    assert alice.get(f"{API}/boards/{ws.boards[0]}").json["seq"] == 0


def test_op_errors_use_the_documented_statuses(app: Any, alice: Any, ws: Workshop) -> None:
    """SYNC-2: another group's board is `403 forbidden`, an unknown card `404 not_found`, a locked board
    `423 locked` — for participants; the facilitator still writes."""
    assert_error(post_op(alice, ws.boards[1], new_op()), 403, "forbidden")
    missing = new_op("card.update", {"id": str(uuid.uuid4()), "text": "x"})
    assert_error(post_op(alice, ws.boards[0], missing), 404, "not_found")
    set_board(app, ws.boards[0], locked=True)
    assert_error(post_op(alice, ws.boards[0], new_op()), 423, "locked")
    facilitator = app.test_client(use_cookies=False)
    response = facilitator.post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(), headers=bearer(ws.facilitator_token))
    assert response.status_code == 200 and response.json["seq"] == 1


def test_board_of_another_workshop_is_404(app: Any, alice: Any) -> None:
    """SYNC-2: another workshop's board does not exist for you: snapshot, events and ops are `404`."""
    other = make_workshop(app)
    board = other.boards[0]
    assert_error(alice.get(f"{API}/boards/{board}"), 404, "not_found")
    assert_error(alice.get(f"{API}/boards/{board}/events?since=0"), 404, "not_found")
    assert_error(post_op(alice, board, new_op()), 404, "not_found")
    assert_error(alice.get(f"{API}/boards/{uuid.uuid4()}"), 404, "not_found")


def test_snapshot_shape_and_order(alice: Any, ws: Workshop) -> None:
    """SYNC-6: `GET /boards/<id>` is {board, cards (live, by position), themes, comments, vote, seq}."""
    b = post_op(alice, ws.boards[0], new_op(data={"text": "b", "position": "b00"})).json["event"]["data"]["card"]
    a = post_op(alice, ws.boards[0], new_op(data={"text": "a", "position": "a0"})).json["event"]["data"]["card"]
    post_op(alice, ws.boards[0], new_op("card.delete", {"id": b["id"]}))
    snap = alice.get(f"{API}/boards/{ws.boards[0]}").json
    assert set(snap) == {"board", "cards", "themes", "comments", "vote", "seq"}
    assert (snap["themes"], snap["comments"], snap["vote"]) == ([], [], None)
    assert snap["board"]["id"] == ws.boards[0] and snap["board"]["seq"] == snap["seq"] == 3
    assert set(snap["board"]) == {"id", "title", "workshop_id", "group_id", "locked", "template", "zones", "seq"}
    assert snap["board"]["zones"][0] == {"id": "inbox", "title": "Boîte de réception"}
    assert [c["id"] for c in snap["cards"]] == [a["id"]]


def test_large_snapshots_and_catch_ups_are_gzipped_when_accepted(alice: Any, ws: Workshop) -> None:
    """docs/protocol.md: on a venue's Wi-Fi a big board's snapshot is most of its first load."""
    board = ws.boards[0]
    small = alice.get(f"{API}/boards/{board}", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers and "Accept-Encoding" in small.headers["Vary"]
    for i in range(60):
        post_op(alice, board, new_op(data={"text": f"Note de terrain n° {i} : " + "les friches du port " * 20}))
    for url in (f"{API}/boards/{board}", f"{API}/boards/{board}/events?since=0"):
        plain = alice.get(url)
        assert "Content-Encoding" not in plain.headers and len(plain.data) > 16 * 1024
        packed = alice.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
        assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 5
        assert json.loads(gzip.decompress(packed.data)) == plain.json


def test_events_since(alice: Any, ws: Workshop) -> None:
    """SYNC-7: `GET …/events?since=N[&limit=L]` answers the events after N in order, with has_more."""
    board = ws.boards[0]
    ops = [new_op(data={"text": f"n{i}"}) for i in range(5)]
    for op in ops:
        post_op(alice, board, op)
    everything = alice.get(f"{API}/boards/{board}/events").json
    assert [e["seq"] for e in everything["events"]] == [1, 2, 3, 4, 5]
    assert [e["op_id"] for e in everything["events"]] == [op["op_id"] for op in ops]
    assert everything["seq"] == 5 and everything["has_more"] is False
    page = alice.get(f"{API}/boards/{board}/events?since=1&limit=2").json
    assert [e["seq"] for e in page["events"]] == [2, 3] and page["has_more"] is True and page["seq"] == 5
    assert alice.get(f"{API}/boards/{board}/events?since=5").json == {"events": [], "seq": 5, "has_more": False}


@pytest.mark.parametrize("query", ["since=-1", "since=abc", "since=1.5", "limit=-3", "limit=x"])
def test_events_with_bad_arguments_are_invalid(alice: Any, ws: Workshop, query: str) -> None:
    """SYNC-7: since and limit are non-negative integers; anything else is `400 invalid`."""
    assert_error(alice.get(f"{API}/boards/{ws.boards[0]}/events?{query}"), 400, "invalid")


def test_events_no_longer_kept_are_410_gone(app: Any, alice: Any, ws: Workshop) -> None:
    """SYNC-7: when the events after N are no longer kept the answer is `410 gone`."""
    board = ws.boards[0]
    for i in range(4):
        post_op(alice, board, new_op(data={"text": f"n{i}"}))
    with app.extensions["collab"].sessions() as db:
        db.execute(delete(Event).where(Event.board_id == board, Event.seq <= 2))
        db.commit()
    set_board(app, board, pruned_seq=2)
    assert_error(alice.get(f"{API}/boards/{board}/events?since=1"), 410, "gone")
    assert [e["seq"] for e in alice.get(f"{API}/boards/{board}/events?since=2").json["events"]] == [3, 4]


def test_ops_are_rate_limited_per_participant(tmp_path: Path) -> None:
    """Protocol, rate limits: past the op limit a participant gets `429 rate_limited`; others still
    write. (A low limit here; the default is 50/second and 600/minute.)"""
    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
                      "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "test",
                      "OP_RATE_LIMIT": "3/minute"})
    ws = make_workshop(app)
    tokens = [join(app.test_client(), ws, name)["token"] for name in ("Ana", "Ben")]
    client = app.test_client(use_cookies=False)
    statuses = [post_op(client, ws.boards[0], new_op()) for _ in range(3)]
    assert [r.status_code for r in statuses] == [401] * 3  # no credentials: refused before counting
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens[0]}"
    assert [post_op(client, ws.boards[0], new_op()).status_code for _ in range(3)] == [200] * 3
    assert_error(post_op(client, ws.boards[0], new_op()), 429, "rate_limited")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens[1]}"
    assert post_op(client, ws.boards[0], new_op()).status_code == 200
    assert client.get(f"{API}/boards/{ws.boards[0]}").json["seq"] == 4


def test_default_op_rate_limit_is_the_documented_one(app: Any) -> None:
    """Protocol, rate limits: 50 per second and 600 per minute per participant."""
    assert app.config["OP_RATE_LIMIT"] == "50/second;600/minute"
    assert app.config["JOIN_FAILURE_LIMIT"] == "10/minute"


# --- security headers ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/v1/me", "/api/v1/nothing", "/healthz"])
def test_security_headers(client: Any, path: str) -> None:
    """Every response carries a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval')
    and the usual hardening headers."""
    response = client.get(path)
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


# --- memory: made-up board ids --------------------------------------------------------------------


@pytest.fixture
def postgres_app(tmp_path: Path, postgres_url: str) -> Iterator[Any]:
    """The app on a fresh PostgreSQL database (the multi-process setup: one write lock per board)."""
    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": postgres_url, "ASYNC_MODE": "threading",
                      "TESTING": True, "SECRET_KEY": "test", "OP_RATE_LIMIT": "off"})
    try:
        yield app
    finally:
        app.extensions["collab"].engine.dispose()


def test_made_up_board_ids_leave_nothing_behind(postgres_app: Any) -> None:
    """SYNC-1/SYNC-10: ops for boards that do not exist are refused and the server keeps nothing of
    them — clients choose board ids, so anything kept per id is memory any participant can fill.
    (Through `submit_op`, the one entry point of socket and REST ops, to leave HTTP caches out.)"""
    ws = make_workshop(postgres_app)
    participant_id = join(postgres_app.test_client(), ws)["participant"]["id"]
    with postgres_app.extensions["collab"].sessions() as db:
        actor = Actor.of(db.get(Participant, participant_id))

    def send_made_up(count: int) -> None:
        for _ in range(count):
            result = submit_op(actor, new_op(board_id=f"{uuid.uuid4()}{'x' * 50_000}"))
            assert result["ok"] is False and result["error"]["code"] in ("invalid", "not_found"), result

    with postgres_app.test_request_context():
        send_made_up(5)
        gc.collect()
        tracemalloc.start()
        try:
            send_made_up(5)
            gc.collect()
            first = tracemalloc.get_traced_memory()[0]
            send_made_up(40)
            gc.collect()
            growth = tracemalloc.get_traced_memory()[0] - first
        finally:
            tracemalloc.stop()
    assert growth < 500_000, f"{growth / 1e6:.1f} MB kept for 40 made-up board ids of 50 KB"
