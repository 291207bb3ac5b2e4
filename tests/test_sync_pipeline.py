"""The one mutation pipeline, without Flask: validation, authorisation, de-duplication, seq, card
semantics (docs/sync-spec.md SYNC-1 … SYNC-6)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from collab.db import make_engine, make_session_factory
from collab.migrate import upgrade
from collab.models import Board, Card, Event
from collab.sync import pipeline
from collab.sync.access import Actor
from collab.sync.catchup import snapshot
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op
from collab.workshops import create_workshop, join, workshop_dict


@dataclass
class World:
    sessions: sessionmaker[Session]
    board: str  # group 1's board
    other_board: str  # group 2's board, same workshop
    foreign_board: str  # a board of another workshop
    alice: Actor  # participant, group 1
    bob: Actor  # participant, group 1
    carol: Actor  # participant, group 2
    facilitator: Actor
    outsider: Actor  # participant of the other workshop

    def seq(self, board_id: str | None = None) -> int:
        with self.sessions() as db:
            return db.get(Board, board_id or self.board).seq

    def cards(self, board_id: str | None = None) -> list[Card]:
        with self.sessions() as db:
            return list(db.scalars(select(Card).where(Card.board_id == (board_id or self.board))))

    def card(self, card_id: str) -> Card:
        with self.sessions() as db:
            card = db.get(Card, card_id)
            assert card is not None
            return card

    def event_count(self) -> int:
        with self.sessions() as db:
            boards = (self.board, self.other_board, self.foreign_board)
            return db.scalar(select(func.count(Event.id)).where(Event.board_id.in_(boards)))

    def set_locked(self, board_id: str, locked: bool = True) -> None:
        with self.sessions() as db:
            db.execute(update(Board).where(Board.id == board_id).values(locked=locked))
            db.commit()

    def snapshot(self, actor: Actor | None = None, board_id: str | None = None) -> dict[str, Any]:
        with self.sessions() as db:
            return snapshot(db, actor or self.alice, board_id or self.board)


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return _build(sessions)


def _build(sessions: sessionmaker[Session]) -> World:
    with sessions() as db:
        made = create_workshop(db, "Atelier", 2)
        data = workshop_dict(db, made.workshop)
        g1, g2 = data["groups"]
        alice = join(db, made.workshop, "Alice", g1["id"]).participant
        bob = join(db, made.workshop, "Bob", g1["id"]).participant
        carol = join(db, made.workshop, "Carol", g2["id"]).participant
        other = create_workshop(db, "Autre atelier", 1)
        other_data = workshop_dict(db, other.workshop)
        outsider = join(db, other.workshop, "Oscar", other_data["groups"][0]["id"]).participant
        return World(
            sessions=sessions,
            board=g1["board_id"],
            other_board=g2["board_id"],
            foreign_board=other_data["groups"][0]["board_id"],
            alice=Actor.of(alice),
            bob=Actor.of(bob),
            carol=Actor.of(carol),
            facilitator=Actor.of(made.participant),
            outsider=Actor.of(outsider),
        )


_counter = iter(range(10**9))


def op_id() -> str:
    return f"op-{next(_counter):06d}-{uuid.uuid4().hex[:8]}"


def op(board_id: str, type_: str, data: dict[str, Any], oid: str | None = None) -> dict[str, Any]:
    return {"board_id": board_id, "op_id": oid or op_id(), "type": type_, "data": data}


def create(world: World, text: str = "Une note", actor: Actor | None = None, **data: Any) -> dict[str, Any]:
    result = apply_op(world.sessions, actor or world.alice, op(world.board, "card.create", {"text": text, **data}))
    return result.event["data"]["card"]


def refused(world: World, actor: Actor, raw: Any) -> OpError:
    with pytest.raises(OpError) as info:
        apply_op(world.sessions, actor, raw)
    return info.value


# --- SYNC-1: validation ---------------------------------------------------------------------------

CARD = "6f1c2b9e-1d7a-4c3e-9a55-0d6a2f1e8b11"
TOO_LONG = "x" * 2001

MALFORMED: list[tuple[str, Any]] = [
    ("None", None),
    ("a list", [{"type": "card.create"}]),
    ("a string", "card.create"),
    ("a number", 42),
    ("an empty object", {}),
    ("no type", {"board_id": "B", "op_id": "abcdefgh", "data": {"text": "x"}}),
    ("unknown type", {"board_id": "B", "op_id": "abcdefgh", "type": "card.explode", "data": {"text": "x"}}),
    ("type not a string", {"board_id": "B", "op_id": "abcdefgh", "type": ["card.create"], "data": {"text": "x"}}),
    ("no op_id", {"board_id": "B", "type": "card.create", "data": {"text": "x"}}),
    ("op_id too short", {"board_id": "B", "op_id": "abc", "type": "card.create", "data": {"text": "x"}}),
    ("op_id too long", {"board_id": "B", "op_id": "a" * 65, "type": "card.create", "data": {"text": "x"}}),
    ("op_id bad chars", {"board_id": "B", "op_id": "abc def/ghi", "type": "card.create", "data": {"text": "x"}}),
    ("op_id not a string", {"board_id": "B", "op_id": 12345678, "type": "card.create", "data": {"text": "x"}}),
    ("no board_id", {"op_id": "abcdefgh", "type": "card.create", "data": {"text": "x"}}),
    ("board_id not a string", {"board_id": 7, "op_id": "abcdefgh", "type": "card.create", "data": {"text": "x"}}),
    ("no data", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create"}),
    ("data not an object", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": "x"}),
    ("unknown top-level field", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": "x"},
                                 "extra": 1}),
    ("create without text", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {}}),
    ("empty text", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": ""}}),
    ("blank text", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": "   \n\t "}}),
    ("text too long", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": TOO_LONG}}),
    ("200 KB of text", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                        "data": {"text": "é" * 200_000}}),
    ("text not a string", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": 12}}),
    ("unknown kind", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                      "data": {"text": "x", "kind": "rant"}}),
    ("unknown colour", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                        "data": {"text": "x", "colour": "red"}}),
    ("empty zone", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create", "data": {"text": "x", "zone": ""}}),
    ("zone too long", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                       "data": {"text": "x", "zone": "z" * 65}}),
    ("position too long", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                           "data": {"text": "x", "position": "p" * 65}}),
    ("unknown data field", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                            "data": {"text": "x", "votes": 3}}),
    ("card id not a uuid", {"board_id": "B", "op_id": "abcdefgh", "type": "card.create",
                            "data": {"text": "x", "id": "card-1"}}),
    ("update without id", {"board_id": "B", "op_id": "abcdefgh", "type": "card.update", "data": {"text": "x"}}),
    ("update with nothing to change", {"board_id": "B", "op_id": "abcdefgh", "type": "card.update",
                                       "data": {"id": CARD}}),
    ("update of zone", {"board_id": "B", "op_id": "abcdefgh", "type": "card.update",
                        "data": {"id": CARD, "zone": "done"}}),
    ("move without zone", {"board_id": "B", "op_id": "abcdefgh", "type": "card.move", "data": {"id": CARD}}),
    ("delete without id", {"board_id": "B", "op_id": "abcdefgh", "type": "card.delete", "data": {}}),
    ("delete with bad id", {"board_id": "B", "op_id": "abcdefgh", "type": "card.delete", "data": {"id": "nope"}}),
    ("restore with id not a string", {"board_id": "B", "op_id": "abcdefgh", "type": "card.restore",
                                      "data": {"id": 5}}),
]


@pytest.mark.parametrize("raw", [raw for _, raw in MALFORMED], ids=[name for name, _ in MALFORMED])
def test_malformed_op_is_invalid_and_writes_nothing(world: World, raw: Any) -> None:
    """SYNC-1: a malformed op is refused with `invalid`; nothing is written and no seq is used."""
    if isinstance(raw, dict) and raw.get("board_id") == "B":
        raw = {**raw, "board_id": world.board}
    before = world.seq()
    err = refused(world, world.alice, raw)
    assert err.code == "invalid"
    assert world.seq() == before == 0
    assert world.cards() == []
    assert world.event_count() == 0


@pytest.mark.parametrize("board_id", ["", "b" * 65, "b" * 100_000], ids=["empty", "65 chars", "100 KB"])
def test_malformed_board_id_is_invalid(world: World, board_id: str) -> None:
    """SYNC-1: a malformed board id (empty, or longer than the 64 characters board:join accepts) is
    refused `invalid` before anything is read."""
    err = refused(world, world.alice, op(board_id, "card.create", {"text": "x"}))
    assert err.code == "invalid"


def test_invalid_messages_are_readable(world: World) -> None:
    """SYNC-1: the refusal says what is wrong, in words a person understands."""
    long_text = refused(world, world.alice, op(world.board, "card.create", {"text": TOO_LONG}))
    assert "2000" in long_text.to_wire()["error"]["message"]
    empty = refused(world, world.alice, op(world.board, "card.create", {"text": "  "}))
    assert "empty" in empty.to_wire()["error"]["message"]
    kind = refused(world, world.alice, op(world.board, "card.create", {"text": "x", "kind": "rant"}))
    assert "kind" in kind.to_wire()["error"]["message"]


def test_valid_create_uses_defaults_and_trims_text(world: World) -> None:
    """SYNC-1: a valid create gets the documented defaults; surrounding white space is trimmed."""
    card = create(world, "  Le site Kodak accueille 40 entreprises.\n")
    assert card["text"] == "Le site Kodak accueille 40 entreprises."
    assert (card["kind"], card["colour"], card["zone"], card["position"]) == ("note", "yellow", "inbox", "a0")
    assert card["version"] == 1 and card["deleted"] is False
    assert card["author_id"] == world.alice.id and card["author_name"] == "Alice"
    assert card["board_id"] == world.board


def test_text_of_exactly_2000_characters_is_accepted(world: World) -> None:
    """SYNC-1: the limit is 2,000 characters, inclusive."""
    assert len(create(world, "é" * 2000)["text"]) == 2000


def test_client_chosen_card_id_is_kept(world: World) -> None:
    """SYNC-1: a client may choose its card's id (a UUID); a second card with that id is invalid."""
    card_id = str(uuid.uuid4())
    assert create(world, "mine", id=card_id)["id"] == card_id
    err = refused(world, world.alice, op(world.board, "card.create", {"text": "again", "id": card_id}))
    assert err.code == "invalid"
    assert world.seq() == 1 and len(world.cards()) == 1


# --- SYNC-2: authorisation ------------------------------------------------------------------------


def test_participant_cannot_write_on_another_groups_board(world: World) -> None:
    """SYNC-2: a participant writes only on their own group's board (`forbidden`)."""
    err = refused(world, world.alice, op(world.other_board, "card.create", {"text": "intrus"}))
    assert err.code == "forbidden"
    assert world.seq(world.other_board) == 0 and world.cards(world.other_board) == []


def test_participant_can_read_another_groups_board(world: World) -> None:
    """SYNC-2: everybody in a workshop reads every board of it."""
    create(world, "visible", actor=world.alice)
    snap = world.snapshot(actor=world.carol)
    assert [c["text"] for c in snap["cards"]] == ["visible"]


def test_another_workshops_board_does_not_exist(world: World) -> None:
    """SYNC-2: a board of another workshop is `not_found`, for participants and facilitators alike,
    for reading and writing."""
    for actor in (world.alice, world.facilitator):
        err = refused(world, actor, op(world.foreign_board, "card.create", {"text": "x"}))
        assert err.code == "not_found"
        with pytest.raises(OpError) as info:
            world.snapshot(actor=actor, board_id=world.foreign_board)
        assert info.value.code == "not_found"
    assert world.seq(world.foreign_board) == 0


def test_unknown_board_is_not_found(world: World) -> None:
    """SYNC-2: an op on a board that does not exist is `not_found`."""
    err = refused(world, world.alice, op(str(uuid.uuid4()), "card.create", {"text": "x"}))
    assert err.code == "not_found"


def test_facilitator_writes_on_every_board_of_the_workshop(world: World) -> None:
    """SYNC-2: a facilitator writes on every board of their workshop."""
    for board in (world.board, world.other_board):
        apply_op(world.sessions, world.facilitator, op(board, "card.create", {"text": "consigne"}))
        assert world.seq(board) == 1


def test_locked_board_refuses_participants_but_not_facilitators(world: World) -> None:
    """SYNC-2: a locked board refuses participants (`locked`), facilitators still write."""
    card = create(world)
    world.set_locked(world.board)
    for raw in (
        op(world.board, "card.create", {"text": "late"}),
        op(world.board, "card.update", {"id": card["id"], "text": "changed"}),
        op(world.board, "card.delete", {"id": card["id"]}),
    ):
        assert refused(world, world.alice, raw).code == "locked"
    assert world.seq() == 1
    result = apply_op(world.sessions, world.facilitator, op(world.board, "card.update",
                                                            {"id": card["id"], "text": "synthèse"}))
    assert result.seq == 2 and world.card(card["id"]).text == "synthèse"
    world.set_locked(world.board, False)
    assert create(world, "reopened")["text"] == "reopened"


def test_forbidden_is_checked_before_locked(world: World) -> None:
    """SYNC-2: on another group's locked board a participant is told `forbidden` (locking is not the
    reason they cannot write there)."""
    world.set_locked(world.other_board)
    assert refused(world, world.alice, op(world.other_board, "card.create", {"text": "x"})).code == "forbidden"


def test_card_of_another_board_is_not_found(world: World) -> None:
    """SYNC-2: an op cannot reach a card through another board, even for a facilitator."""
    card = create(world)
    for type_, data in (("card.update", {"id": card["id"], "text": "hijack"}), ("card.delete", {"id": card["id"]})):
        err = refused(world, world.facilitator, op(world.other_board, type_, data))
        assert err.code == "not_found"
    assert world.card(card["id"]).text == "Une note" and world.seq(world.other_board) == 0


# --- SYNC-4: de-duplication -----------------------------------------------------------------------


def test_same_op_twice_is_applied_once(world: World) -> None:
    """SYNC-4: the same op_id sent twice returns the same event; one card; seq advanced once."""
    raw = op(world.board, "card.create", {"text": "une seule fois"})
    first = apply_op(world.sessions, world.alice, raw)
    second = apply_op(world.sessions, world.alice, dict(raw))
    assert first.fresh is True and second.fresh is False
    assert second.event == first.event and second.ack() == first.ack()
    assert world.seq() == 1 and len(world.cards()) == 1 and world.event_count() == 1


def test_retry_of_update_does_not_bump_version_again(world: World) -> None:
    """SYNC-4: retrying an update changes nothing: the version grew once."""
    card = create(world)
    raw = op(world.board, "card.update", {"id": card["id"], "text": "v2"})
    first = apply_op(world.sessions, world.alice, raw)
    apply_op(world.sessions, world.alice, raw)
    apply_op(world.sessions, world.alice, raw)
    assert first.event["data"]["card"]["version"] == 2
    assert world.card(card["id"]).version == 2 and world.seq() == 2


def test_retry_returns_the_original_result_even_after_later_changes(world: World) -> None:
    """SYNC-4: the retried op answers with the stored event, not the card's current state."""
    raw = op(world.board, "card.create", {"text": "premier"})
    first = apply_op(world.sessions, world.alice, raw)
    card_id = first.event["data"]["card"]["id"]
    apply_op(world.sessions, world.bob, op(world.board, "card.update", {"id": card_id, "text": "second"}))
    again = apply_op(world.sessions, world.alice, raw)
    assert again.event == first.event and again.event["data"]["card"]["text"] == "premier"
    assert world.seq() == 2


@pytest.mark.parametrize(
    "change",
    ["another type", "another board", "another actor"],
)
def test_op_id_reused_for_another_op_is_invalid(world: World, change: str) -> None:
    """SYNC-4: an op_id reused for a different op (type, board or actor) is refused `invalid`."""
    card = create(world)
    oid = op_id()
    apply_op(world.sessions, world.alice, op(world.board, "card.update", {"id": card["id"], "text": "a"}, oid))
    actor, raw = world.alice, op(world.board, "card.delete", {"id": card["id"]}, oid)
    if change == "another board":
        raw = op(world.other_board, "card.update", {"id": card["id"], "text": "a"}, oid)
    elif change == "another actor":
        actor, raw = world.bob, op(world.board, "card.update", {"id": card["id"], "text": "a"}, oid)
    before = (world.seq(), world.seq(world.other_board), world.event_count())
    assert refused(world, actor, raw).code == "invalid"
    assert (world.seq(), world.seq(world.other_board), world.event_count()) == before
    assert world.card(card["id"]).deleted is False and world.card(card["id"]).text == "a"


def test_retry_after_the_board_got_locked_returns_the_original_result(world: World) -> None:
    """SYNC-4: a retry of an op applied before the board was locked still gets its original result."""
    raw = op(world.board, "card.create", {"text": "juste avant"})
    first = apply_op(world.sessions, world.alice, raw)
    world.set_locked(world.board)
    again = apply_op(world.sessions, world.alice, raw)
    assert again.event == first.event and again.fresh is False
    assert refused(world, world.alice, op(world.board, "card.create", {"text": "trop tard"})).code == "locked"
    assert world.seq() == 1


def test_retry_with_changed_data_still_returns_the_original(world: World) -> None:
    """SYNC-4: the op_id identifies the op: a retry is answered from the log, its data is not reapplied."""
    raw = op(world.board, "card.create", {"text": "original"})
    first = apply_op(world.sessions, world.alice, raw)
    again = apply_op(world.sessions, world.alice, {**raw, "data": {"text": "altered"}})
    assert again.event == first.event
    assert [c.text for c in world.cards()] == ["original"]


# --- SYNC-5: seq allocation -----------------------------------------------------------------------


def test_seq_is_1_2_3_without_gaps_and_failed_ops_use_none(world: World) -> None:
    """SYNC-5: seq values are 1, 2, 3 …; refused ops (invalid, forbidden, not_found, locked) take none."""
    seqs = []
    card = create(world)
    seqs.append(world.seq())
    for i in range(3):
        refused(world, world.alice, op(world.board, "card.create", {"text": ""}))  # invalid
        refused(world, world.carol, op(world.board, "card.create", {"text": "x"}))  # forbidden
        refused(world, world.alice, op(world.board, "card.update", {"id": str(uuid.uuid4()), "text": "x"}))
        result = apply_op(world.sessions, world.bob, op(world.board, "card.update",
                                                        {"id": card["id"], "text": f"v{i}"}))
        seqs.append(result.seq)
    world.set_locked(world.board)
    refused(world, world.alice, op(world.board, "card.create", {"text": "x"}))  # locked
    seqs.append(apply_op(world.sessions, world.facilitator, op(world.board, "card.create", {"text": "f"})).seq)
    assert seqs == [1, 2, 3, 4, 5]
    with world.sessions() as db:
        logged = list(db.scalars(select(Event.seq).where(Event.board_id == world.board).order_by(Event.seq)))
    assert logged == [1, 2, 3, 4, 5] and world.seq() == 5


def test_each_board_has_its_own_sequence(world: World) -> None:
    """SYNC-5: seq is per board."""
    create(world)
    create(world)
    result = apply_op(world.sessions, world.carol, op(world.other_board, "card.create", {"text": "g2"}))
    assert result.seq == 1 and world.seq() == 2


def test_event_shape_matches_the_protocol(world: World) -> None:
    """SYNC-3: the ack is {ok, seq, event} and the event carries the whole card after the op."""
    result = apply_op(world.sessions, world.alice, op(world.board, "card.create", {"text": "x"}, "shape-op-1"))
    ack = result.ack()
    assert set(ack) == {"ok", "seq", "event"} and ack["ok"] is True and ack["seq"] == 1
    event = ack["event"]
    assert set(event) == {"board_id", "seq", "op_id", "type", "actor_id", "data", "ts"}
    assert (event["board_id"], event["seq"], event["op_id"], event["type"], event["actor_id"]) == (
        world.board, 1, "shape-op-1", "card.create", world.alice.id)
    assert set(event["data"]) == {"card"}
    # The documented card fields (later protocol versions may add fields; clients ignore unknown ones).
    assert set(event["data"]["card"]) >= {
        "id", "board_id", "author_id", "author_name", "text", "kind", "colour", "zone", "position", "version",
        "deleted", "created_at", "updated_at"}
    assert event["ts"].endswith("+00:00")


# --- card semantics: update, move, delete, restore ------------------------------------------------


def test_update_changes_only_the_given_fields_and_bumps_version(world: World) -> None:
    """SYNC-3: an update changes the fields it names, and nothing else; version grows by one."""
    card = create(world, "texte", kind="idea", colour="blue", zone="actors", position="a5")
    after = apply_op(world.sessions, world.bob, op(world.board, "card.update", {"id": card["id"], "colour": "green"}))
    updated = after.event["data"]["card"]
    assert updated["colour"] == "green" and updated["version"] == 2
    for field in ("text", "kind", "zone", "position", "author_id", "author_name", "created_at"):
        assert updated[field] == card[field], field
    assert updated["updated_at"] >= card["updated_at"]
    after = apply_op(world.sessions, world.bob, op(world.board, "card.update",
                                                   {"id": card["id"], "text": " neuf ", "kind": "quote"}))
    updated = after.event["data"]["card"]
    assert (updated["text"], updated["kind"], updated["colour"], updated["version"]) == ("neuf", "quote", "green", 3)
    stored = world.card(card["id"])
    assert (stored.text, stored.kind, stored.colour, stored.version) == ("neuf", "quote", "green", 3)


def test_move_sets_zone_and_keeps_position_unless_given(world: World) -> None:
    """SYNC-3, SYNC-13: a move sets the zone and the given position; without one, a card moved to another
    zone goes to its end."""
    card = create(world, position="a0")
    moved = apply_op(world.sessions, world.alice, op(world.board, "card.move", {"id": card["id"], "zone": "actors"}))
    assert moved.event["data"]["card"]["zone"] == "actors" and moved.event["data"]["card"]["position"] == "a0"
    moved = apply_op(world.sessions, world.alice, op(world.board, "card.move",
                                                     {"id": card["id"], "zone": "resources", "position": "a5"}))
    card_after = moved.event["data"]["card"]
    assert (card_after["zone"], card_after["position"], card_after["version"]) == ("resources", "a5", 3)
    other = create(world, position="a0")
    to_end = op(world.board, "card.move", {"id": other["id"], "zone": "resources"})
    moved = apply_op(world.sessions, world.alice, to_end)
    assert moved.event["data"]["card"]["position"] > "a5"
    assert card_after["text"] == card["text"]


def test_delete_is_soft_and_restore_brings_the_card_back(world: World) -> None:
    """SYNC-6: a deleted card stays in the database flagged deleted, the snapshot hides it, and a
    restore brings it back with its content."""
    keep = create(world, "garde")
    card = create(world, "à effacer", colour="pink", zone="actors")
    deleted = apply_op(world.sessions, world.bob, op(world.board, "card.delete", {"id": card["id"]}))
    assert deleted.event["type"] == "card.delete"
    assert deleted.event["data"]["card"]["deleted"] is True and deleted.event["data"]["card"]["version"] == 2
    stored = world.card(card["id"])
    assert stored.deleted is True and stored.text == "à effacer"
    snap = world.snapshot()
    assert [c["id"] for c in snap["cards"]] == [keep["id"]] and snap["seq"] == 3
    restored = apply_op(world.sessions, world.alice, op(world.board, "card.restore", {"id": card["id"]}))
    back = restored.event["data"]["card"]
    assert back["deleted"] is False and back["version"] == 3
    assert (back["text"], back["colour"], back["zone"]) == ("à effacer", "pink", "actors")
    snap = world.snapshot()
    assert {c["id"] for c in snap["cards"]} == {keep["id"], card["id"]} and snap["seq"] == 4


def test_unknown_card_is_not_found_and_uses_no_seq(world: World) -> None:
    """SYNC-2: an op on a card that does not exist is `not_found`; nothing is written."""
    create(world)
    for type_, data in (
        ("card.update", {"id": CARD, "text": "x"}),
        ("card.move", {"id": CARD, "zone": "z"}),
        ("card.delete", {"id": CARD}),
        ("card.restore", {"id": CARD}),
    ):
        assert refused(world, world.alice, op(world.board, type_, data)).code == "not_found"
    assert world.seq() == 1 and world.event_count() == 1


def test_snapshot_orders_cards_by_position_then_creation(world: World) -> None:
    """SYNC-6: the snapshot lists live cards by position, then creation time; seq matches the board."""
    c = create(world, "c", position="b00")
    a = create(world, "a", position="a0")
    b1 = create(world, "b1", position="b00")
    snap = world.snapshot()
    assert [x["id"] for x in snap["cards"]] == [a["id"], c["id"], b1["id"]]
    assert snap["seq"] == snap["board"]["seq"] == 3
    assert snap["board"] == {"id": world.board, "title": "Groupe 1", "workshop_id": snap["board"]["workshop_id"],
                             "group_id": snap["board"]["group_id"], "locked": False, "seq": 3,
                             "template": "territory", "zones": snap["board"]["zones"]}


# --- concurrency (several threads; SQLite, and PostgreSQL where it runs) ----------------------------




@pytest.fixture(params=["sqlite", "postgresql"])
def any_world(request: pytest.FixtureRequest, sessions: sessionmaker[Session]) -> Iterator[World]:
    """The same world on SQLite and on PostgreSQL (the scale-out database)."""
    if request.param == "sqlite":
        yield _build(sessions)
        return
    engine = make_engine(request.getfixturevalue("module_postgres_url"))
    upgrade(engine)
    yield _build(make_session_factory(engine))
    engine.dispose()


def _in_threads(count: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _errors(results: list[Any]) -> list[str]:
    return [repr(r) for r in results if isinstance(r, BaseException)]


def test_concurrent_duplicates_apply_once(any_world: World) -> None:
    """SYNC-4: several concurrent requests with one op_id apply it once and all get its result."""
    world = any_world
    raw = op(world.board, "card.create", {"text": "en même temps"})
    results = _in_threads(6, lambda _: apply_op(world.sessions, world.alice, dict(raw)))
    assert _errors(results) == []
    assert {r.seq for r in results} == {1}
    assert all(r.event == results[0].event for r in results)
    assert sum(r.fresh for r in results) == 1
    assert world.seq() == 1 and len(world.cards()) == 1 and world.event_count() == 1


def test_racing_duplicates_with_a_client_card_id_apply_once(any_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNC-4: two requests with one op_id and a client-chosen card id (what browsers send), forced
    into the worst interleaving: both have looked for the op_id before either commits, and the second
    creates its card only after the first committed. Both must get the first one's result.

    With the board row locked at the start of the transaction (SYNC-3), the second waits for the
    first's commit before looking for the op_id, and replays it."""
    world = any_world
    real_create = pipeline.HANDLERS["card.create"]
    arrivals: list[str] = []
    guard = threading.Lock()
    both_in = threading.Event()
    first_done = threading.Event()

    def create_in_step(session: Session, *args: Any) -> dict[str, Any]:
        with guard:
            arrivals.append(threading.current_thread().name)
            second = len(arrivals) == 2
        if second:
            both_in.set()
            first_done.wait(5)
        else:
            both_in.wait(2)  # times out when the other one waits for the board lock: correct
        return real_create(session, *args)

    monkeypatch.setitem(pipeline.HANDLERS, "card.create", create_in_step)
    raw = op(world.board, "card.create", {"text": "course", "id": str(uuid.uuid4())})

    def work(_: int) -> Any:
        try:
            return apply_op(world.sessions, world.alice, dict(raw))
        finally:
            first_done.set()

    results = _in_threads(2, work)
    assert _errors(results) == []
    assert results[0].event == results[1].event
    assert world.seq() == 1 and len(world.cards()) == 1 and world.event_count() == 1


def test_concurrent_writers_get_unique_gap_free_seqs(any_world: World) -> None:
    """SYNC-5: concurrent writers on one board get distinct seqs 1…N, one card per op."""
    world = any_world
    actors = [world.alice, world.bob, world.facilitator]

    def work(i: int) -> list[int]:
        return [
            apply_op(world.sessions, actors[i % 3], op(world.board, "card.create", {"text": f"{i}-{n}"})).seq
            for n in range(10)
        ]

    results = _in_threads(6, work)
    assert _errors(results) == []
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, 61))
    assert world.seq() == 60 and len(world.cards()) == 60
    with world.sessions() as db:
        logged = list(db.scalars(select(Event.seq).where(Event.board_id == world.board).order_by(Event.seq)))
    assert logged == list(range(1, 61))
