"""Issue #10, holes 8 and 9 (and two smaller items): what clients send is cleaned or refused, never a 500.

Hole 8: control characters (NUL first: PostgreSQL refuses it in text) in any text a client sends.
Hole 9: deeply nested JSON, huge numbers in the address, a `next` with a line break.
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from typing import Annotated, Any

import pytest
import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

import collab
from collab.sync.text import CONTROL

from .support.peers import Peer, Room, make_op
from .support.server import LiveServer, wait_for

# --- hole 8: control characters ------------------------------------------------------------------

_UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
# Values that pass the usual checks of our fields (free text, ids, colours, keys…) once the control
# characters are taken out: a field that lets them through keeps them.
_PROBES = ["Une\x00 note\x07", "\x00x", "x\x1b", "a0\x00", "op-123456\x00", f"{_UUID}\x00", f"\x00{_UUID}",
           "#aabbcc\x00", "card:abc\x00", "ana@example.org\x00", "motdepasse\x00\x7f", "inbox\x00"]


def _app_models() -> list[type[BaseModel]]:
    """Every pydantic model defined in the collab package (all its modules imported)."""
    for module in pkgutil.walk_packages(collab.__path__, "collab."):
        importlib.import_module(module.name)
    found: list[type[BaseModel]] = []
    todo = list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if model.__module__.startswith("collab.") and model not in found:
            found.append(model)
    return found


def _controls_in(value: Any) -> bool:
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_controls_in(k) or _controls_in(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(_controls_in(v) for v in value)
    if isinstance(value, BaseModel):
        return _controls_in(value.model_dump())
    return False


def test_every_text_field_cleans_or_refuses_control_characters(app: Any) -> None:
    """Issue #10 hole 8: no field of any pydantic model of the app (ops, live controls, prompts, forms,
    join, visits, socket requests…) lets a control character through — text is cleaned (collab.sync.fields
    `Clean`), ids and secrets are refused (`NoControls`) — so a new field cannot forget the rule."""
    models = _app_models()
    names = {m.__name__ for m in models}
    assert {"CardCreate", "JoinRequest", "Announce", "OpenPrompt", "Login", "VisitFields", "BoardRequest"} <= names
    checked = 0
    leaks: list[str] = []
    for model in models:
        if model.__module__ in ("collab.exports.restore", "collab.exports.backup_check"):
            continue  # a backup import: it strips old data itself (its own tests)
        for name, info in model.model_fields.items():
            adapter: TypeAdapter[Any] = TypeAdapter(Annotated[info.annotation, info])  # type: ignore[name-defined]
            for probe in _PROBES:
                for value in (probe, [probe], {"k": probe}):
                    try:
                        result = adapter.validate_python(value)
                    except ValidationError:
                        continue
                    checked += 1
                    if _controls_in(result):
                        leaks.append(f"{model.__module__}.{model.__name__}.{name} <- {value!r}")
    assert not leaks, "fields keeping control characters:\n" + "\n".join(sorted(set(leaks)))
    assert checked > 100  # the probes do reach the fields


def test_text_of_control_characters_only_is_empty() -> None:
    """Issue #10 hole 8: cleaning comes before the other checks: a text of control characters (and
    spaces) is refused as empty, and the length limit counts the cleaned text."""
    from collab.sync.ops import parse_op

    def op(text: str) -> dict[str, Any]:
        return {"board_id": "b", "op_id": "op-12345678", "type": "card.create", "data": {"text": text}}

    with pytest.raises(Exception) as refused:
        parse_op(op(" \x00\x01 \x7f"))
    assert getattr(refused.value, "code", None) == "invalid"
    assert parse_op(op("é" * 2000 + "\x00" * 50)).data.text == "é" * 2000
    assert parse_op(op(" Une\x00 note\t\n ")).data.text == "Une note"




@pytest.mark.postgres
def test_nul_in_text_is_stripped_on_postgresql(make_server: Any, postgres_url: str) -> None:
    """Issue #10 hole 8: a NUL in the name of someone joining (no sign-in needed), in a REST op's text
    and in a socket op's text was a 500 on PostgreSQL: it is stripped; in an id it is `400 invalid`."""
    server: LiveServer = make_server({"COLLAB_DATABASE_URL": postgres_url})
    room = Room(server)
    board = room.boards[0]
    try:
        joined = requests.post(server.url + "/api/v1/join", json={"code": room.code, "name": "Ali\x00ce\x01"},
                               timeout=10)
        assert joined.status_code == 200, joined.text
        assert joined.json()["participant"]["name"] == "Alice"
        empty = requests.post(server.url + "/api/v1/join", json={"code": room.code, "name": " \x00 "}, timeout=10)
        assert empty.status_code == 400 and empty.json()["error"]["code"] == "invalid"
        bad_code = requests.post(server.url + "/api/v1/join", json={"code": "AB\x00CD", "name": "Bob"}, timeout=10)
        assert bad_code.status_code == 400 and bad_code.json()["error"]["code"] == "invalid"

        token = joined.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        rest = requests.post(f"{server.url}/api/v1/boards/{board}/ops", headers=auth, timeout=10,
                             json=make_op(board, data={"text": "Une\x00 note", "tags": ["a\x00b"]}))
        assert rest.status_code == 200, rest.text

        peer = Peer(server, token).connect()
        room.peers.append(peer)
        assert peer.join(board)["ok"]
        ack = peer.op(board, data={"text": "Par\x00 la socket"})
        assert ack["ok"], ack
        refused = peer.call("board:join", {"board_id": board + "\x00"})
        assert refused["ok"] is False and refused["error"]["code"] == "invalid", refused

        cards = requests.get(f"{server.url}/api/v1/boards/{board}", headers=auth, timeout=10).json()["cards"]
        assert sorted(c["text"] for c in cards) == ["Par la socket", "Une note"]
        assert [c["tags"] for c in cards if c["text"] == "Une note"] == [["ab"]]

        for path in (f"/api/v1/boards/{board}%00/activity", f"/api/v1/boards/{board}/events?since=1%00",
                     "/api/v1/media/%00x"):
            answer = requests.get(server.url + path, headers=auth, timeout=10)
            assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid", (path, answer.text)
        assert "Traceback" not in server.log()
    finally:
        room.close()


# --- hole 9: deep JSON, huge numbers, line breaks in `next` --------------------------------------

DEEP = "[" * 50_000 + "]" * 50_000
DEEPISH = '{"a":' * 100 + "1" + "}" * 100  # under Python's recursion limit, over the depth bound


def test_deep_json_is_invalid_on_every_json_route(app: Any) -> None:
    """Issue #10 hole 9: 50,000 nested brackets were a 500 with a traceback on every JSON route,
    unauthenticated ones included, and on a backup import; 100 levels reached pydantic. Every route
    that reads a JSON body answers a 4xx (`400 invalid` where the body is read), whatever the nesting."""
    from collab.workshops import create_workshop

    with app.app_context(), app.extensions["collab"].sessions() as db:
        made = create_workshop(db, "Atelier", 2)
        token = made.token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    some_id = str(uuid.uuid4())
    routes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"})
        if rule.rule.startswith("/api/")
    ]
    assert len(routes) > 20
    for rule, method in routes:
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", some_id).replace(f"<string:{arg}>", some_id)
        for body in (DEEP, DEEPISH):
            answer = client.open(path, method=method, data=body, headers=headers)
            assert answer.status_code < 500, (method, path, answer.data[:300])
    for path in ("/api/v1/join", "/api/v1/session"):
        for body in (DEEP, DEEPISH):
            answer = client.post(path, data=body, content_type="application/json")
            assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid", answer.data[:300]


def test_json_depth_bound() -> None:
    """Issue #10 hole 9: the bound itself — protocol messages pass, deeper structures do not."""
    from collab.safejson import MAX_DEPTH, SocketJSON, TooDeep, loads, within_depth

    assert loads('{"type": "card.create", "data": {"tags": ["a"]}}')["data"]["tags"] == ["a"]
    assert within_depth(eval("[" * MAX_DEPTH + "]" * MAX_DEPTH)) and not within_depth(
        eval("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)))
    for text in (DEEP, DEEPISH):
        with pytest.raises(TooDeep):
            loads(text)
    assert SocketJSON.loads('["op",' + DEEP + "]") == ["op", None]
    assert SocketJSON.loads('{"token":' + DEEP + "}") == {}
    assert SocketJSON.loads('["op", {"board_id": "b"}]') == ["op", {"board_id": "b"}]


@pytest.mark.live
def test_deep_json_over_the_socket_gets_an_invalid_ack(make_server: Any) -> None:
    """Issue #10 hole 9: a deeply nested `op` over the socket gets an `invalid` ack, without a
    traceback and without harm to the connection or the server; a deep `auth` is no auth."""
    server: LiveServer = make_server()
    room = Room(server)
    try:
        peer = room.peer("Camille")
        board = room.boards[0]
        assert peer.join(board)["ok"]
        acks: list[Any] = []
        for raw in ('["op",' + DEEP + "]", '["op",' + DEEPISH + "]", '["board:join",' + DEEPISH + "]"):
            ack_id = peer.client._generate_ack_id("/", lambda *data: acks.append(data))
            peer.client.eio.send(f"2{ack_id}{raw}")
        wait_for(lambda: len(acks) == 3, message="three acks")
        for (ack,) in acks:
            assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
        assert peer.create(board, "Toujours là")["ok"]

        raw_auth = Peer(server)
        raw_auth.client.eio.connect(server.url, transports=["websocket"], engineio_path="socket.io")
        raw_auth.client.eio.send('0{"token":' + DEEP + "}")
        raw_auth.client.eio.disconnect()
        assert peer.create(board, "Encore là")["ok"]
        assert "Traceback" not in server.log(), server.log()[-3000:]
    finally:
        room.close()


def test_huge_numbers_in_the_address_are_invalid(app: Any) -> None:
    """Issue #10 hole 9: `activity?before=` (and `events?since=`) with a number too large for the
    database was an OverflowError, a 500: it is `400 invalid`."""
    from collab.workshops import create_workshop, workshop_dict

    with app.app_context(), app.extensions["collab"].sessions() as db:
        made = create_workshop(db, "Atelier", 1)
        board = workshop_dict(db, made.workshop)["groups"][0]["board_id"]
        token = made.token
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    huge = "9" * 30
    for query in (f"activity?before={huge}", f"activity?limit={huge}", f"events?since={huge}",
                  f"activity?before={2**63}"):
        answer = client.get(f"/api/v1/boards/{board}/{query}", headers=auth)
        assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid", (query, answer.data)
    assert client.get(f"/api/v1/boards/{board}/activity?before={2**63 - 1}", headers=auth).status_code == 200


@pytest.mark.parametrize("target", ["/facilitator/%0d%0aSet-Cookie:x=1", "%0d%0a", "/facilitator/%00",
                                    "/facilitator/\\\\evil.example", "//evil.example/facilitator/"])
def test_a_next_with_a_line_break_goes_home(app: Any, target: str) -> None:
    """Issue #10 hole 9: a `next` carrying `%0d%0a` on the facilitator sign-in page was a 500 (a line
    break in the Location header): it sends a signed-in account to the console's home instead."""
    from .test_facilitator_accounts import login, make_account

    make_account(app)
    client = app.test_client()
    assert login(client).status_code == 200
    answer = client.get(f"/facilitator/login?next={target}")
    assert answer.status_code in (302, 400), answer.data[:300]
    if answer.status_code == 302:
        assert answer.headers["Location"] == "/facilitator/", answer.headers["Location"]
    signed_out = app.test_client().get(f"/facilitator/login?next={target}")
    assert signed_out.status_code in (200, 400)


# --- smaller: headers on Socket.IO's answers, CSRF on logout --------------------------------------


@pytest.mark.live
def test_socketio_polling_answers_carry_the_security_headers(make_server: Any) -> None:
    """Issue #10 (smaller): Socket.IO's long-polling answers lacked the Content-Security-Policy and
    nosniff headers (Engine.IO answers them, not Flask): every answer of the server carries them."""
    server: LiveServer = make_server()
    opened = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    assert opened.status_code == 200 and opened.text.startswith("0{"), opened.text[:200]
    bad = requests.get(server.url + "/socket.io/?EIO=4&transport=polling&sid=nope", timeout=10)
    assert bad.status_code == 400
    for answer in (opened, bad, requests.get(server.url + "/healthz", timeout=10)):
        assert answer.headers.get("Content-Security-Policy", "").startswith("default-src 'self'"), answer.headers
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"


def test_participant_logout_needs_the_csrf_token(app: Any) -> None:
    """Issue #10 (smaller): `POST /api/v1/logout` took no CSRF token, so any site could sign a
    participant out: with the session cookie it needs `X-CSRFToken`, as other cookie writes do."""
    from collab.workshops import create_workshop

    with app.app_context(), app.extensions["collab"].sessions() as db:
        code = create_workshop(db, "Atelier", 1).workshop.join_code
    client = app.test_client()
    assert client.post("/api/v1/join", json={"code": code, "name": "Camille"}).status_code == 200
    forged = client.post("/api/v1/logout")
    assert forged.status_code == 403 and forged.json["error"]["code"] == "forbidden"
    assert client.get("/api/v1/me").status_code == 200  # still signed in
    token = client.get("/api/v1/me").json["csrf_token"]
    assert client.post("/api/v1/logout", headers={"X-CSRFToken": token}).json == {"ok": True}
    assert client.get("/api/v1/me").status_code == 401
    assert app.test_client().post("/api/v1/logout").json == {"ok": True}  # no session: nothing to forget


def test_sync12_bases_are_cleaned_like_the_text(sessions: Any) -> None:
    """Issue #10 hole 8 / SYNC-12: the text an edit started from is cleaned as the text was, so a
    client that sent a control character (and spaces around the text) and edits from its own copy
    is not told someone else changed the text meanwhile."""
    from .test_sync_zones import _build, refused, run

    world = _build(sessions)
    card = run(world, world.alice, "card.create", {"text": " Une\x00 note "})["card"]
    assert card["text"] == "Une note"
    edited = run(world, world.alice, "card.update", {"id": card["id"], "text": "Une note revue",
                                                     "base_text": " Une\x00 note "})
    assert edited["card"]["text"] == "Une note revue"
    error = refused(world, world.alice, "card.update", {"id": card["id"], "text": "Autre", "base_text": "Une note"})
    assert error.code == "conflict"  # a base that really differs is still a conflict

    theme = run(world, world.alice, "theme.create", {"title": "Thème"})["theme"]
    run(world, world.alice, "theme.update", {"id": theme["id"], "synthesis": "Syn\x07thèse"})
    done = run(world, world.alice, "theme.update", {"id": theme["id"], "synthesis": "Synthèse revue",
                                                    "base_synthesis": "Syn\x07thèse"})
    assert done["theme"]["synthesis"] == "Synthèse revue"
