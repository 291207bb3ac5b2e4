"""Zones, tags and text conflicts in the op pipeline (docs/protocol.md "Ops"; SYNC-1, SYNC-2, SYNC-7)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from collab.sync.access import Actor
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op

from .test_sync_pipeline import World, _build, op


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return _build(sessions)


def run(world: World, actor: Actor, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return apply_op(world.sessions, actor, op(world.board, type_, data)).event["data"]


def refused(world: World, actor: Actor, type_: str, data: dict[str, Any]) -> OpError:
    with pytest.raises(OpError) as info:
        apply_op(world.sessions, actor, op(world.board, type_, data))
    return info.value


def zone_ids(world: World) -> list[str]:
    return [z["id"] for z in world.snapshot()["board"]["zones"]]


def test_boards_start_with_the_territory_analysis_grid(world: World) -> None:
    board = world.snapshot()["board"]
    assert board["template"] == "territory"
    assert [z["title"] for z in board["zones"]] == [
        "Boîte de réception", "Acteurs", "Ressources", "Forces motrices", "Résistances",
        "Attentes des parties prenantes", "Potentiels d’innovation",
    ]


def test_facilitators_add_rename_move_and_remove_zones(world: World) -> None:
    fac = world.facilitator
    added = run(world, fac, "zone.add", {"id": "timeline", "title": "Dynamique temporelle", "index": 1})
    assert [z["id"] for z in added["zones"]][:2] == ["inbox", "timeline"] and added["cards"] == []
    run(world, fac, "zone.rename", {"id": "timeline", "title": "Chronologie"})
    run(world, fac, "zone.move", {"id": "timeline", "index": 99})
    assert zone_ids(world)[-1] == "timeline"
    assert world.snapshot()["board"]["zones"][-1]["title"] == "Chronologie"


def test_removing_a_zone_sends_its_cards_back_to_the_inbox(world: World) -> None:
    card = run(world, world.alice, "card.create", {"text": "Le maire", "zone": "actors"})["card"]
    removed = run(world, world.facilitator, "zone.remove", {"id": "actors"})
    assert "actors" not in [z["id"] for z in removed["zones"]]
    assert [(c["id"], c["zone"], c["version"]) for c in removed["cards"]] == [(card["id"], "inbox", 2)]
    assert world.card(card["id"]).zone == "inbox"


def test_participants_cannot_change_zones(world: World) -> None:
    assert refused(world, world.alice, "zone.add", {"title": "À moi"}).code == "forbidden"
    assert refused(world, world.alice, "zone.remove", {"id": "actors"}).code == "forbidden"


@pytest.mark.parametrize(
    ("type_", "data", "code"),
    [
        ("zone.remove", {"id": "inbox"}, "invalid"),
        ("zone.move", {"id": "inbox", "index": 3}, "invalid"),
        ("zone.rename", {"id": "nowhere", "title": "x"}, "not_found"),
        ("zone.add", {"id": "actors", "title": "Encore"}, "invalid"),
        ("zone.add", {"title": "  "}, "invalid"),
    ],
)
def test_zone_mistakes_are_refused(world: World, type_: str, data: dict[str, Any], code: str) -> None:
    before = world.snapshot()["board"]
    assert refused(world, world.facilitator, type_, data).code == code
    assert world.snapshot()["board"] == before


def test_cards_only_go_to_zones_of_their_board(world: World) -> None:
    assert refused(world, world.alice, "card.create", {"text": "x", "zone": "ailleurs"}).code == "invalid"
    card = run(world, world.alice, "card.create", {"text": "x"})["card"]
    assert refused(world, world.alice, "card.move", {"id": card["id"], "zone": "ailleurs"}).code == "invalid"


def test_tags_are_kept_once_each(world: World) -> None:
    card = run(world, world.alice, "card.create", {"text": "x", "tags": ["économique", " Politique", "ÉCONOMIQUE"]})
    assert card["card"]["tags"] == ["économique", "Politique"]
    updated = run(world, world.bob, "card.update", {"id": card["card"]["id"], "tags": ["sociale"]})
    assert updated["card"]["tags"] == ["sociale"]
    assert refused(world, world.bob, "card.update", {"id": card["card"]["id"], "tags": ["x" * 41]}).code == "invalid"


def test_a_text_edit_based_on_an_outdated_text_is_a_conflict(world: World) -> None:
    card = run(world, world.alice, "card.create", {"text": "Version d'origine"})["card"]
    run(world, world.bob, "card.update", {"id": card["id"], "text": "Version de Bob", "base_text": card["text"]})
    error = refused(world, world.alice, "card.update",
                    {"id": card["id"], "text": "Version d'Alice", "base_text": "Version d'origine"})
    assert error.code == "conflict" and error.http_status == 409
    assert error.to_wire()["error"]["current"]["text"] == "Version de Bob"
    assert world.card(card["id"]).text == "Version de Bob"  # nothing was overwritten
    # Merged on top of Bob's text, the edit goes through.
    merged = run(world, world.alice, "card.update",
                 {"id": card["id"], "text": "Bob + Alice", "base_text": "Version de Bob"})
    assert merged["card"]["text"] == "Bob + Alice"


def test_other_fields_changed_meanwhile_are_no_conflict(world: World) -> None:
    card = run(world, world.alice, "card.create", {"text": "Texte"})["card"]
    run(world, world.bob, "card.move", {"id": card["id"], "zone": "actors"})
    edited = run(world, world.alice, "card.update", {"id": card["id"], "text": "Texte revu", "base_text": "Texte"})
    assert (edited["card"]["text"], edited["card"]["zone"]) == ("Texte revu", "actors")


def test_facilitators_lock_and_unlock_a_board_through_the_pipeline(world: World) -> None:
    """board.lock: participants' ops are refused with `locked` while facilitators still write."""
    assert refused(world, world.alice, "board.lock", {"locked": True}).code == "forbidden"
    locked = run(world, world.facilitator, "board.lock", {"locked": True})
    assert locked == {"board": {"id": world.board, "locked": True}}
    assert world.snapshot()["board"]["locked"] is True
    assert refused(world, world.alice, "card.create", {"text": "trop tard"}).code == "locked"
    run(world, world.facilitator, "card.create", {"text": "consigne"})
    run(world, world.facilitator, "board.lock", {"locked": False})
    run(world, world.alice, "card.create", {"text": "de nouveau"})
    assert world.snapshot()["board"]["locked"] is False
