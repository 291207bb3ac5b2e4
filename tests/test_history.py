"""A board's history over REST: the activity feed and the bin (docs/protocol.md, "History")."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import delete

from collab.models import Participant

from .test_api import API, Workshop, assert_error, join, make_workshop, new_op, post_op
from .test_api import postgres_app as postgres_app  # noqa: F401  (fixture)


def client_of(app: Any, token: str) -> Any:
    client = app.test_client(use_cookies=False)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def member(app: Any, ws: Workshop, name: str, group: int = 0) -> tuple[Any, str]:
    """A script client of a new participant, and their id."""
    joined = join(app.test_client(), ws, name, group=group)
    return client_of(app, joined["token"]), joined["participant"]["id"]


def create(client: Any, board: str, text: str) -> dict[str, Any]:
    response = post_op(client, board, new_op(data={"text": text}))
    assert response.status_code == 200, response.json
    return response.json["event"]["data"]["card"]


def run(client: Any, board: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    response = post_op(client, board, new_op(type_, data))
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


def test_activity_is_newest_first_with_who_did_it(app: Any, ws: Workshop) -> None:
    marie, marie_id = member(app, ws, "Marie")
    paul, paul_id = member(app, ws, "Paul")
    board = ws.boards[0]
    card = create(marie, board, "Les friches industrielles")
    run(paul, board, "card.move", {"id": card["id"], "zone": "actors"})
    run(marie, board, "card.delete", {"id": card["id"]})

    body = paul.get(f"{API}/boards/{board}/activity").json
    assert set(body) == {"events", "has_more", "seq", "pruned_seq"}
    assert body["seq"] == 3 and body["has_more"] is False and body["pruned_seq"] == 0
    lines = [(e["seq"], e["type"], e["actor_id"], e["actor_name"]) for e in body["events"]]
    assert lines == [
        (3, "card.delete", marie_id, "Marie"),
        (2, "card.move", paul_id, "Paul"),
        (1, "card.create", marie_id, "Marie"),
    ]
    moved = body["events"][1]
    assert set(moved) == {"board_id", "seq", "op_id", "type", "actor_id", "data", "ts", "actor_name"}
    assert moved["data"]["card"]["zone"] == "actors"


def test_activity_pages_back_with_before(app: Any, ws: Workshop) -> None:
    marie, _ = member(app, ws, "Marie")
    board = ws.boards[0]
    for n in range(7):
        create(marie, board, f"Note {n}")
    first = marie.get(f"{API}/boards/{board}/activity?limit=3").json
    assert [e["seq"] for e in first["events"]] == [7, 6, 5] and first["has_more"] is True
    second = marie.get(f"{API}/boards/{board}/activity?limit=3&before=5").json
    assert [e["seq"] for e in second["events"]] == [4, 3, 2] and second["has_more"] is True
    last = marie.get(f"{API}/boards/{board}/activity?limit=3&before=2").json
    assert [e["seq"] for e in last["events"]] == [1] and last["has_more"] is False
    # The limit is capped, never refused for being large.
    assert len(marie.get(f"{API}/boards/{board}/activity?limit=100000").json["events"]) == 7


def test_activity_of_an_empty_board(app: Any, ws: Workshop) -> None:
    marie, _ = member(app, ws, "Marie")
    assert marie.get(f"{API}/boards/{ws.boards[0]}/activity").json == {
        "events": [], "has_more": False, "seq": 0, "pruned_seq": 0}
    assert marie.get(f"{API}/boards/{ws.boards[0]}/bin").json == {"items": [], "seq": 0}


def test_someone_who_left_still_has_a_line(app: Any, ws: Workshop) -> None:
    marie, marie_id = member(app, ws, "Marie")
    paul, _ = member(app, ws, "Paul")
    board = ws.boards[0]
    card = create(marie, board, "Le port de Dunkerque")
    run(marie, board, "card.delete", {"id": card["id"]})
    with app.extensions["collab"].sessions() as db:
        db.execute(delete(Participant).where(Participant.id == marie_id))
        db.commit()
    events = paul.get(f"{API}/boards/{board}/activity").json["events"]
    assert [e["actor_id"] for e in events] == [None, None]
    assert events[0]["actor_name"] == events[1]["actor_name"] != ""
    assert "Marie" not in events[0]["actor_name"]
    item = paul.get(f"{API}/boards/{board}/bin").json["items"][0]
    assert item["deleted_by"] == {"id": None, "name": events[0]["actor_name"]}


def test_bin_lists_deleted_cards_last_deleted_first(app: Any, ws: Workshop) -> None:
    marie, marie_id = member(app, ws, "Marie")
    paul, paul_id = member(app, ws, "Paul")
    board = ws.boards[0]
    kept = create(marie, board, "Reste au tableau")
    first = create(marie, board, "Supprimée d'abord")
    second = create(paul, board, "Supprimée ensuite")
    deleted_first = run(paul, board, "card.delete", {"id": first["id"]})
    run(marie, board, "card.delete", {"id": second["id"]})

    body = marie.get(f"{API}/boards/{board}/bin").json
    assert set(body) == {"items", "seq"} and body["seq"] == 5
    assert [i["card"]["id"] for i in body["items"]] == [second["id"], first["id"]]
    assert kept["id"] not in {i["card"]["id"] for i in body["items"]}
    newest, oldest = body["items"]
    assert newest["deleted_by"] == {"id": marie_id, "name": "Marie"}
    assert oldest["deleted_by"] == {"id": paul_id, "name": "Paul"}
    assert oldest["deleted_at"] == deleted_first["event"]["ts"]
    assert oldest["card"]["deleted"] is True and oldest["card"]["text"] == "Supprimée d'abord"

    # Restored, the card leaves the bin; deleted again, the latest deletion is the one shown.
    run(marie, board, "card.restore", {"id": first["id"]})
    assert [i["card"]["id"] for i in marie.get(f"{API}/boards/{board}/bin").json["items"]] == [second["id"]]
    run(marie, board, "card.delete", {"id": first["id"]})
    items = paul.get(f"{API}/boards/{board}/bin").json["items"]
    assert [i["card"]["id"] for i in items] == [first["id"], second["id"]]
    assert items[0]["deleted_by"]["name"] == "Marie"


def test_history_has_the_read_permissions_of_the_board(app: Any, ws: Workshop) -> None:
    marie, _ = member(app, ws, "Marie", group=0)
    carol, _ = member(app, ws, "Carol", group=1)
    card = create(marie, ws.boards[0], "Une note")
    run(marie, ws.boards[0], "card.delete", {"id": card["id"]})
    # Another group's board is readable (not writable); a facilitator reads every board.
    for reader in (carol, client_of(app, ws.facilitator_token)):
        assert reader.get(f"{API}/boards/{ws.boards[0]}/activity").status_code == 200
        assert len(reader.get(f"{API}/boards/{ws.boards[0]}/bin").json["items"]) == 1
    # Another workshop's board does not exist; nobody reads without a session.
    other = make_workshop(app)
    for route in ("activity", "bin"):
        assert_error(marie.get(f"{API}/boards/{other.boards[0]}/{route}"), 404, "not_found")
        assert_error(marie.get(f"{API}/boards/{uuid.uuid4()}/{route}"), 404, "not_found")
        assert_error(app.test_client().get(f"{API}/boards/{ws.boards[0]}/{route}"), 401, "unauthorized")


def test_the_feed_never_tells_where_hidden_dots_went(app: Any, ws: Workshop) -> None:
    """SYNC-14 holds in the feed too: on a hidden vote only the voter sees the card of their dot."""
    marie, _ = member(app, ws, "Marie")
    paul, _ = member(app, ws, "Paul")
    board = ws.boards[0]
    card = create(marie, board, "Le tiers-lieu")
    facilitator = client_of(app, ws.facilitator_token)
    vote = run(facilitator, board, "vote.open", {"dots": 3, "hidden": True})["event"]["data"]["vote"]
    run(marie, board, "vote.dot", {"vote_id": vote["id"], "card_id": card["id"], "delta": 1})
    seen_by_paul = paul.get(f"{API}/boards/{board}/activity?limit=1").json["events"][0]
    seen_by_marie = marie.get(f"{API}/boards/{board}/activity?limit=1").json["events"][0]
    assert seen_by_paul["type"] == seen_by_marie["type"] == "vote.dot"
    assert "card_id" not in seen_by_paul["data"] and "mine" not in seen_by_paul["data"]
    assert seen_by_marie["data"]["card_id"] == card["id"]


@pytest.mark.parametrize("query", ["before=abc", "before=0", "before=-3", "limit=0", "limit=x"])
def test_bad_paging_arguments_are_invalid(app: Any, ws: Workshop, query: str) -> None:
    marie, _ = member(app, ws, "Marie")
    assert_error(marie.get(f"{API}/boards/{ws.boards[0]}/activity?{query}"), 400, "invalid")


def test_history_on_postgresql(postgres_app: Any) -> None:  # noqa: F811
    """The bin finds who deleted a card with a JSON path in the event log: PostgreSQL's flavour too."""
    ws = make_workshop(postgres_app)
    marie, marie_id = member(postgres_app, ws, "Marie")
    board = ws.boards[0]
    card = create(marie, board, "Sur PostgreSQL")
    create(marie, board, "Encore là")
    run(marie, board, "card.delete", {"id": card["id"]})
    items = marie.get(f"{API}/boards/{board}/bin").json["items"]
    assert [(i["card"]["id"], i["deleted_by"]) for i in items] == [(card["id"], {"id": marie_id, "name": "Marie"})]
    events = client_of(postgres_app, ws.facilitator_token).get(f"{API}/boards/{board}/activity?before=3").json
    assert [e["seq"] for e in events["events"]] == [2, 1]
