"""The ops of a whole board in the pipeline, on SQLite and PostgreSQL: rename, colour, template, delete
(docs/sync-spec.md SYNC-16)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.models import Board, Card, Event, Group, Participant
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op

from .test_sync_pipeline import World, any_world, op  # noqa: F401 (fixtures)
from .test_sync_zones import run


@pytest.fixture
def world(any_world: World) -> World:  # noqa: F811
    """On SQLite and on PostgreSQL: the deletion relies on each one's cascades."""
    return any_world


def test_rename_and_colour_change_the_board_and_its_group(world: World) -> None:
    """SYNC-16: the board's title and its group's name are one name."""
    assert run(world, world.facilitator, "board.rename", {"title": "  Morvan nord "}) == {
        "board": {"id": world.board, "title": "Morvan nord"}}
    run(world, world.facilitator, "board.colour", {"colour": "#123abc"})
    with world.sessions() as db:
        board = db.get(Board, world.board)
        group = db.get(Group, board.group_id)
        assert (board.title, group.name, group.colour, board.seq) == ("Morvan nord", "Morvan nord", "#123abc", 2)
    for type_, data in (("board.rename", {"title": " "}), ("board.colour", {"colour": "red"}),
                        ("board.template", {"template": "nope"}), ("board.delete", {"now": True})):
        with pytest.raises(OpError) as info:
            apply_op(world.sessions, world.facilitator, op(world.board, type_, data))
        assert info.value.code == "invalid", type_
    assert world.seq() == 2


def test_a_template_keeps_the_titles_of_the_zones_it_keeps_and_empties_the_others_into_the_inbox(
    world: World,
) -> None:
    """SYNC-16, SYNC-13: the cards of every zone that goes, zone after zone, at the end of the inbox."""
    run(world, world.facilitator, "zone.rename", {"id": "inbox", "title": "À trier"})
    inbox = run(world, world.alice, "card.create", {"text": "Déjà là"})["card"]
    late = run(world, world.alice, "card.create", {"text": "Ressource", "zone": "resources"})["card"]
    early = run(world, world.alice, "card.create", {"text": "Acteur", "zone": "actors"})["card"]
    data = run(world, world.facilitator, "board.template", {"template": "free"})
    assert data["zones"] == [{"id": "inbox", "title": "À trier"}, {"id": "board", "title": "Espace libre"}]
    assert data["board"] == {"id": world.board, "template": "free"}
    assert [c["id"] for c in data["cards"]] == [early["id"], late["id"]]
    ordered = sorted(world.cards(), key=lambda c: c.position)
    assert [(c.id, c.zone) for c in ordered] == [(inbox["id"], "inbox"), (early["id"], "inbox"), (late["id"], "inbox")]
    assert world.snapshot()["board"]["template"] == "free"


def test_delete_writes_its_event_then_removes_the_board_its_group_and_its_log(world: World) -> None:
    """SYNC-16: one transaction; the event is in the answer, nothing of the board stays; a retry is
    `not_found`; members stay in the workshop without a group."""
    run(world, world.alice, "card.create", {"text": "Une note"})
    with world.sessions() as db:
        group_id = db.get(Board, world.board).group_id
    deleted = apply_op(world.sessions, world.facilitator, op(world.board, "board.delete", {}, oid="delete-board-1"))
    assert deleted.fresh and (deleted.event["type"], deleted.seq) == ("board.delete", 2)
    assert deleted.event["data"] == {"board": {"id": world.board, "deleted": True}}
    with world.sessions() as db:
        assert db.get(Board, world.board) is None and db.get(Group, group_id) is None
        assert db.scalar(select(func.count(Card.id)).where(Card.board_id == world.board)) == 0
        assert db.scalar(select(func.count(Event.id)).where(Event.board_id == world.board)) == 0
        assert db.get(Participant, world.alice.id).group_id is None
        assert db.get(Board, world.other_board) is not None
    with pytest.raises(OpError) as info:
        apply_op(world.sessions, world.facilitator, op(world.board, "board.delete", {}, oid="delete-board-1"))
    assert info.value.code == "not_found"
