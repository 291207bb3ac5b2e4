"""Reading a board without Flask: snapshots, events since N, and what a (re)joining client gets
(docs/sync-spec.md SYNC-6, SYNC-7)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from collab.db import make_engine, make_session_factory
from collab.migrate import upgrade
from collab.models import Board, Card, Event, utcnow
from collab.sync import catchup
from collab.sync.access import Actor
from collab.sync.catchup import MAX_EVENTS, events_since, join_payload, snapshot
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op
from collab.sync.wire import card_dict
from collab.workshops import create_workshop, join, workshop_dict


@dataclass
class Board1:
    sessions: sessionmaker[Session]
    board: str
    alice: Actor
    reader: Actor  # a participant of another group: reads, does not write
    outsider: Actor  # another workshop

    def apply(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        raw = {"board_id": self.board, "op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data}
        return apply_op(self.sessions, self.alice, raw).event

    def create(self, text: str) -> dict[str, Any]:
        return self.apply("card.create", {"text": text})["data"]["card"]

    def since(self, since: int, limit: int = MAX_EVENTS, actor: Actor | None = None) -> dict[str, Any]:
        with self.sessions() as db:
            return events_since(db, actor or self.reader, self.board, since, limit)

    def join(self, since: int | None, actor: Actor | None = None) -> dict[str, Any]:
        with self.sessions() as db:
            return join_payload(db, actor or self.reader, self.board, since)

    def snapshot(self) -> dict[str, Any]:
        with self.sessions() as db:
            return snapshot(db, self.reader, self.board)

    def prune(self, upto: int) -> None:
        """What pruning does: forget the events up to `upto` and remember that it did."""
        with self.sessions() as db:
            db.execute(delete(Event).where(Event.board_id == self.board, Event.seq <= upto))
            db.execute(update(Board).where(Board.id == self.board).values(pruned_seq=upto))
            db.commit()


def build(sessions: sessionmaker[Session]) -> Board1:
    with sessions() as db:
        made = create_workshop(db, "Atelier", 2)
        groups = workshop_dict(db, made.workshop)["groups"]
        alice = join(db, made.workshop, "Alice", groups[0]["id"]).participant
        reader = join(db, made.workshop, "Rémi", groups[1]["id"]).participant
        other = create_workshop(db, "Autre", 1)
        outsider = join(db, other.workshop, "Oscar", None).participant
        return Board1(sessions, groups[0]["board_id"], Actor.of(alice), Actor.of(reader), Actor.of(outsider))


@pytest.fixture
def b(sessions: sessionmaker[Session]) -> Board1:
    return build(sessions)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Board1:
    """A board with MAX_EVENTS + 5 events, built once (read-only for the tests using it)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.db'}")
    upgrade(engine)
    board = build(make_session_factory(engine))
    board.create("note 0")  # the real pipeline…
    bulk_create(board, MAX_EVENTS + 3)  # …and a thousand more written at once (one by one: ~10 s)
    board.create(f"note {MAX_EVENTS + 4}")
    return board


def bulk_create(board: Board1, count: int) -> None:
    """What `count` card.create ops leave behind — card rows, events carrying the card, board.seq —
    written in one transaction."""
    with board.sessions() as db:
        now = utcnow()
        row = db.get(Board, board.board)
        cards = [Card(id=str(uuid.uuid4()), board_id=row.id, author_id=board.alice.id, author_name=board.alice.name,
                      text=f"note {row.seq + i}", created_at=now, updated_at=now) for i in range(count)]
        db.add_all(cards)
        db.flush()
        db.add_all([Event(board_id=row.id, seq=row.seq + i + 1, op_id=f"bulk-{uuid.uuid4().hex}", type="card.create",
                          actor_id=board.alice.id, data={"card": card_dict(card)}, ts=now)
                     for i, card in enumerate(cards)])
        row.seq += count
        db.commit()


def seqs(payload: dict[str, Any]) -> list[int]:
    return [e["seq"] for e in payload["events"]]


# --- events_since ---------------------------------------------------------------------------------


def test_events_since_returns_later_events_in_order(b: Board1) -> None:
    """SYNC-7: the events with seq > N, in seq order, each carrying the whole card after the op."""
    card = b.create("un")
    b.apply("card.update", {"id": card["id"], "text": "deux"})
    b.apply("card.move", {"id": card["id"], "zone": "actors"})
    b.apply("card.delete", {"id": card["id"]})
    payload = b.since(0)
    assert seqs(payload) == [1, 2, 3, 4] and payload["seq"] == 4 and payload["has_more"] is False
    assert [e["type"] for e in payload["events"]] == ["card.create", "card.update", "card.move", "card.delete"]
    assert [e["data"]["card"]["version"] for e in payload["events"]] == [1, 2, 3, 4]
    assert payload["events"][1]["data"]["card"]["text"] == "deux"
    assert payload["events"][3]["data"]["card"]["deleted"] is True
    assert seqs(b.since(2)) == [3, 4]
    assert seqs(b.since(4)) == [] and b.since(4)["seq"] == 4


def test_events_since_on_an_empty_board(b: Board1) -> None:
    """SYNC-7: a board without events answers no events and seq 0."""
    assert b.since(0) == {"events": [], "seq": 0, "has_more": False}


def test_events_since_honours_limit_and_has_more(b: Board1) -> None:
    """SYNC-7: at most `limit` events; has_more tells the client to ask again from the last seq."""
    for i in range(7):
        b.create(f"n{i}")
    first = b.since(0, limit=3)
    assert seqs(first) == [1, 2, 3] and first["has_more"] is True and first["seq"] == 7
    second = b.since(3, limit=3)
    assert seqs(second) == [4, 5, 6] and second["has_more"] is True
    third = b.since(6, limit=3)
    assert seqs(third) == [7] and third["has_more"] is False
    exact = b.since(4, limit=3)
    assert seqs(exact) == [5, 6, 7] and exact["has_more"] is False


def test_limit_below_one_still_returns_one_event(b: Board1) -> None:
    """SYNC-7: a silly limit is clamped, never an empty page that would loop forever."""
    b.create("a")
    b.create("b")
    payload = b.since(0, limit=0)
    assert seqs(payload) == [1] and payload["has_more"] is True


def test_events_are_readable_by_every_member_but_not_by_another_workshop(b: Board1) -> None:
    """SYNC-2: catch-up follows the read rule: members of the workshop, nobody else (`not_found`)."""
    b.create("a")
    assert seqs(b.since(0, actor=b.alice)) == seqs(b.since(0, actor=b.reader)) == [1]
    for call in (lambda: b.since(0, actor=b.outsider), lambda: b.join(None, actor=b.outsider),
                 lambda: b.join(0, actor=b.outsider)):
        with pytest.raises(OpError) as info:
            call()
        assert info.value.code == "not_found"
    with b.sessions() as db, pytest.raises(OpError) as info:
        events_since(db, b.reader, str(uuid.uuid4()), 0)
    assert info.value.code == "not_found"


def test_events_since_before_the_pruned_seq_is_gone(b: Board1) -> None:
    """SYNC-7: when the events after N are no longer kept, the answer is `gone`; from the pruned seq
    on, catch-up still works."""
    for i in range(6):
        b.create(f"n{i}")
    b.prune(3)
    for since in (0, 1, 2):
        with pytest.raises(OpError) as info:
            b.since(since)
        assert info.value.code == "gone" and info.value.http_status == 410
    assert seqs(b.since(3)) == [4, 5, 6]
    assert seqs(b.since(5)) == [6]


def test_events_since_ahead_of_the_board_is_gone(b: Board1) -> None:
    """SYNC-7: a client ahead of the board (the database was restored from a backup) is told `gone`, so
    that it reloads a snapshot instead of ignoring the board's next events as already seen."""
    b.create("a")
    try:
        payload = b.since(5)
    except OpError as err:
        assert err.code == "gone"
    else:
        raise AssertionError(f"since=5 on a board at seq 1 answered {payload}")


def test_paging_through_more_than_max_events(big: Board1) -> None:
    """SYNC-7: the limit is capped at MAX_EVENTS (1,000); paging with has_more reaches the end."""
    first = big.since(0, limit=10**6)
    assert seqs(first) == list(range(1, MAX_EVENTS + 1)) and first["has_more"] is True
    rest = big.since(seqs(first)[-1])
    assert seqs(rest) == list(range(MAX_EVENTS + 1, MAX_EVENTS + 6)) and rest["has_more"] is False
    assert first["seq"] == rest["seq"] == MAX_EVENTS + 5


# --- join_payload: events or snapshot -------------------------------------------------------------


def test_join_without_since_is_a_snapshot(b: Board1) -> None:
    """SYNC-7: joining without `since` gets a snapshot {ok, board, cards, themes, comments, vote, seq}."""
    kept = b.create("gardée")
    gone = b.create("effacée")
    b.apply("card.delete", {"id": gone["id"]})
    payload = b.join(None)
    assert set(payload) == {"ok", "board", "cards", "themes", "comments", "vote", "seq"} and payload["ok"] is True
    assert payload["seq"] == payload["board"]["seq"] == 3
    assert [c["id"] for c in payload["cards"]] == [kept["id"]]
    assert payload["board"]["id"] == b.board


def test_join_with_since_gets_the_missed_events(b: Board1) -> None:
    """SYNC-7: joining with a kept `since` gets {ok, events, seq}: the events after it, in order."""
    for i in range(4):
        b.create(f"n{i}")
    payload = b.join(1)
    assert set(payload) == {"ok", "events", "seq"}
    assert seqs(payload) == [2, 3, 4] and payload["seq"] == 4
    up_to_date = b.join(4)
    assert up_to_date == {"ok": True, "events": [], "seq": 4}


def test_join_with_since_zero_on_a_fresh_board_gets_events(b: Board1) -> None:
    """SYNC-7: since=0 is a valid position (a client that saw the empty board)."""
    assert b.join(0) == {"ok": True, "events": [], "seq": 0}
    b.create("a")
    assert seqs(b.join(0)) == [1]


def test_join_with_since_ahead_of_the_board_is_a_snapshot(b: Board1) -> None:
    """SYNC-7: `since` ahead of the board (a restored database) gets a snapshot."""
    b.create("a")
    payload = b.join(9)
    assert "events" not in payload and payload["seq"] == 1 and len(payload["cards"]) == 1


def test_join_with_since_too_old_is_a_snapshot(b: Board1) -> None:
    """SYNC-7: `since` before the pruned seq gets a snapshot, which reflects every op."""
    cards = [b.create(f"n{i}") for i in range(5)]
    b.apply("card.delete", {"id": cards[0]["id"]})
    b.prune(4)
    payload = b.join(2)
    assert "events" not in payload and payload["seq"] == 6
    assert [c["text"] for c in payload["cards"]] == ["n1", "n2", "n3", "n4"]
    assert seqs(b.join(4)) == [5, 6]


def test_join_more_than_max_events_behind_is_a_snapshot(big: Board1) -> None:
    """SYNC-7: more than MAX_EVENTS events behind gets a snapshot; exactly MAX_EVENTS gets events."""
    latest = MAX_EVENTS + 5
    far = big.join(4)
    assert "events" not in far and far["seq"] == latest and len(far["cards"]) == latest
    near = big.join(5)
    assert seqs(near) == list(range(6, latest + 1))


def test_join_snapshot_threshold_follows_max_events(b: Board1, monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNC-7: the events-or-snapshot threshold is the catch-up page size (checked on a small board)."""
    monkeypatch.setattr(catchup, "MAX_EVENTS", 3)
    for i in range(5):
        b.create(f"n{i}")
    assert seqs(b.join(2)) == [3, 4, 5]
    assert "cards" in b.join(1)


def test_replaying_events_after_a_snapshot_converges(b: Board1) -> None:
    """SYNC-6/SYNC-7: a snapshot at seq S, plus the events after S applied in order, equals a fresh
    snapshot — events carry whole cards, so replay needs no earlier state."""
    first = b.create("a")
    b.create("b")
    old = b.snapshot()
    b.apply("card.update", {"id": first["id"], "colour": "blue"})
    third = b.create("c")
    b.apply("card.delete", {"id": third["id"]})
    b.apply("card.restore", {"id": third["id"]})
    b.apply("card.delete", {"id": first["id"]})
    cards = {c["id"]: c for c in old["cards"]}
    for event in b.since(old["seq"])["events"]:
        card = event["data"]["card"]
        if card["deleted"]:
            cards.pop(card["id"], None)
        else:
            cards[card["id"]] = card
    fresh = b.snapshot()
    assert cards == {c["id"]: c for c in fresh["cards"]}
