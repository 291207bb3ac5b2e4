"""Issue #10, holes 8 and 9 (and two smaller items): what clients send is cleaned or refused, never a 500.

Hole 8: control characters (NUL first: PostgreSQL refuses it in text) in any text a client sends.
Hole 9: deeply nested JSON, huge numbers in the address, a `next` with a line break.
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
import requests
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.engine import make_url

import collab
from collab.sync.text import CONTROL

from .conftest import POSTGRES_URL, need
from .support.peers import Peer, Room, make_op
from .support.server import LiveServer

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
        if model.__module__ == "collab.exports.restore":
            continue  # a backup import: old data is cleaned by the import itself (collab.exports.restore)
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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    try:
        import psycopg2

        admin = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except Exception:  # noqa: BLE001 - any failure means "not available"
        admin = None
    need(admin is not None, f"PostgreSQL at {POSTGRES_URL}")
    admin.autocommit = True
    name = f"collab_input_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


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
