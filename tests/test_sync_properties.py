"""Property test of the sync rules with hypothesis: several simulated clients write through the real
pipeline (SQLite), receive each other's events late, out of order, twice or never, drop off and come
back through `join_payload`; at the end every client shows exactly the server's board
(docs/sync-spec.md SYNC-4, SYNC-5, SYNC-6, SYNC-7, SYNC-8)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from collab.db import make_engine, make_session_factory
from collab.migrate import upgrade
from collab.models import Board, Card, Event
from collab.sync.access import Actor
from collab.sync.catchup import join_payload, snapshot
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op
from collab.workshops import create_workshop, join, workshop_dict

CLIENTS = 3
TEXTS = st.text(alphabet="abcdé xyz", min_size=1, max_size=12).filter(lambda t: t.strip())
ZONES = st.sampled_from(["inbox", "themes", "done"])
COLOURS = st.sampled_from(["yellow", "blue", "green"])


class Client:
    """What a browser keeps (static/js/sync.js): cards by id, the last applied seq, and events that
    arrived ahead of a gap. Events are applied strictly in seq order (SYNC-8)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.connected = False
        self.cards: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.ahead: dict[int, dict[str, Any]] = {}
        self.inbox: list[dict[str, Any]] = []  # sent by the server, not yet received
        self.last_op: dict[str, Any] | None = None

    def receive(self, event: dict[str, Any]) -> None:
        if event["seq"] <= self.seq:
            return  # already applied (e.g. both in a join payload and as `event`)
        self.ahead[event["seq"]] = event
        while self.seq + 1 in self.ahead:
            applied = self.ahead.pop(self.seq + 1)
            card = applied["data"]["card"]
            self.cards[card["id"]] = card
            self.seq = applied["seq"]

    def load_snapshot(self, payload: dict[str, Any]) -> None:
        self.cards = {c["id"]: c for c in payload["cards"]}
        self.seq = payload["seq"]
        self.ahead = {s: e for s, e in self.ahead.items() if s > self.seq}
        for event in sorted(self.ahead.values(), key=lambda e: e["seq"]):
            self.receive(event)

    def live(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.cards.items() if not v["deleted"]}


class SyncMachine(RuleBasedStateMachine):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__()
        self.sessions = sessions
        with sessions() as db:
            made = create_workshop(db, "Propriétés", 1)
            group = workshop_dict(db, made.workshop)["groups"][0]
            self.board = group["board_id"]
            people = [join(db, made.workshop, f"P{i}", group["id"]).participant for i in range(CLIENTS - 1)]
            self.clients = [Client(Actor.of(p)) for p in [*people, made.participant]]
        for client in self.clients:
            self._connect(client)
        self.acked: dict[str, dict[str, Any]] = {}  # op_id -> event, as acknowledged

    # --- helpers ---------------------------------------------------------------------------------

    def _connect(self, client: Client) -> None:
        """board:join: enter the room, then read; `since` when the client has state (SYNC-7)."""
        client.connected = True
        client.inbox = []
        with self.sessions() as db:
            payload = join_payload(db, client.actor, self.board, client.seq if client.cards or client.seq else None)
        if "events" in payload:
            for event in payload["events"]:
                client.receive(event)
        else:
            client.load_snapshot(payload)

    def _submit(self, client: Client, raw: dict[str, Any]) -> None:
        client.last_op = raw
        try:
            result = apply_op(self.sessions, client.actor, raw)
        except OpError as err:
            assert err.code in ("not_found", "invalid"), err.code
            return
        ack = result.ack()
        if result.fresh:
            assert raw["op_id"] not in self.acked
            for other in self.clients:
                if other is not client and other.connected:
                    other.inbox.append(result.event)
        else:
            assert self.acked[raw["op_id"]] == result.event  # SYNC-4: the original result
        self.acked[raw["op_id"]] = result.event
        client.receive(ack["event"])  # acks go through the same seq rule

    def _op(self, client: Client, type_: str, data: dict[str, Any]) -> None:
        self._submit(client, {"board_id": self.board, "op_id": f"op-{uuid.uuid4().hex}", "type": type_,
                              "data": data})

    def _kept(self, op_id: str) -> bool:
        """Whether the op's event is still in the log. Pruning (simulated below) deletes events, and with
        them the memory of their op_id: a retry of a pruned op would apply again. Retries are only
        tried for kept ops until pruning keeps op_ids (see the report on SYNC-4 and pruning)."""
        with self.sessions() as db:
            return db.scalar(select(Event.id).where(Event.op_id == op_id)) is not None or op_id not in self.acked

    def _server_cards(self) -> list[str]:
        """Every card of the board, deleted ones included (so that restores happen)."""
        with self.sessions() as db:
            return list(db.scalars(select(Card.id).where(Card.board_id == self.board).order_by(Card.id)))

    # --- rules -----------------------------------------------------------------------------------

    @rule(who=st.integers(0, CLIENTS - 1), text=TEXTS, colour=COLOURS, own_id=st.booleans())
    def create(self, who: int, text: str, colour: str, own_id: bool) -> None:
        client = self.clients[who]
        data: dict[str, Any] = {"text": text, "colour": colour}
        if own_id:
            data["id"] = str(uuid.uuid4())
        self._op(client, "card.create", data)

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), text=TEXTS | st.none(), colour=COLOURS)
    def edit(self, who: int, pick: int, text: str | None, colour: str) -> None:
        cards = self._server_cards()
        if cards:
            data = {"id": cards[pick % len(cards)], "colour": colour} | ({"text": text} if text else {})
            self._op(self.clients[who], "card.update", data)

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), zone=ZONES, position=st.text("abc", max_size=3))
    def move(self, who: int, pick: int, zone: str, position: str) -> None:
        cards = self._server_cards()
        if cards:
            self._op(self.clients[who], "card.move", {"id": cards[pick % len(cards)], "zone": zone,
                                                      "position": position})

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), restore=st.booleans())
    def delete_or_restore(self, who: int, pick: int, restore: bool) -> None:
        cards = self._server_cards()
        if cards:
            self._op(self.clients[who], "card.restore" if restore else "card.delete", {"id": cards[pick % len(cards)]})

    @rule(who=st.integers(0, CLIENTS - 1))
    def retry(self, who: int) -> None:
        """A lost ack: the client sends its last op again (SYNC-4)."""
        client = self.clients[who]
        if client.last_op is not None and self._kept(client.last_op["op_id"]):
            before = self._log()
            self._submit(client, dict(client.last_op))
            assert self._log() == before

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6))
    def deliver(self, who: int, pick: int) -> None:
        """One pending event reaches the client — any of them, so out of order (SYNC-8)."""
        client = self.clients[who]
        if client.connected and client.inbox:
            client.receive(client.inbox.pop(pick % len(client.inbox)))

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6))
    def deliver_twice(self, who: int, pick: int) -> None:
        """An event arrives both ways (join payload and `event`): the second copy changes nothing."""
        client = self.clients[who]
        if client.connected and client.inbox:
            event = client.inbox[pick % len(client.inbox)]
            client.receive(event)
            state = (dict(client.cards), client.seq)
            client.receive(event)
            assert (client.cards, client.seq) == state

    @precondition(lambda self: any(c.connected for c in self.clients))
    @rule(who=st.integers(0, CLIENTS - 1))
    def disconnect(self, who: int) -> None:
        """The network drops: whatever was in flight is lost."""
        client = self.clients[who]
        client.connected = False
        client.inbox = []

    @rule(who=st.integers(0, CLIENTS - 1))
    def reconnect(self, who: int) -> None:
        client = self.clients[who]
        if not client.connected:
            self._connect(client)

    @rule(keep=st.integers(0, 5))
    def prune(self, keep: int) -> None:
        """The server forgets old events (all but the last `keep`): late joiners get snapshots."""
        with self.sessions() as db:
            board = db.get(Board, self.board)
            upto = max(board.pruned_seq, board.seq - keep)
            db.execute(delete(Event).where(Event.board_id == self.board, Event.seq <= upto))
            db.execute(update(Board).where(Board.id == self.board).values(pruned_seq=upto))
            db.commit()

    @rule(who=st.integers(0, CLIENTS - 1), writes=st.integers(1, 4), keep=st.integers(0, 4))
    def away_while_pruned(self, who: int, writes: int, keep: int) -> None:
        """A client is away while others write and the server prunes, then rejoins with its old
        `since`: events if they are all kept, else a snapshot (SYNC-7)."""
        client = self.clients[who]
        self.disconnect(who)
        writer = self.clients[(who + 1) % CLIENTS]
        for i in range(writes):
            self._op(writer, "card.create", {"text": f"pendant {i}"})
        self.prune(keep)
        self._connect(client)

    # --- invariants ------------------------------------------------------------------------------

    def _log(self) -> tuple[int, list[int]]:
        with self.sessions() as db:
            board = db.get(Board, self.board)
            seqs = list(db.scalars(select(Event.seq).where(Event.board_id == self.board).order_by(Event.seq)))
            return board.seq, seqs

    @invariant()
    def log_is_gap_free(self) -> None:
        """SYNC-5: the kept events are exactly pruned_seq+1 … seq."""
        with self.sessions() as db:
            board = db.get(Board, self.board)
            seqs = list(db.scalars(select(Event.seq).where(Event.board_id == self.board).order_by(Event.seq)))
            assert seqs == list(range(board.pruned_seq + 1, board.seq + 1))

    @invariant()
    def clients_never_run_ahead(self) -> None:
        with self.sessions() as db:
            seq = db.get(Board, self.board).seq
        assert all(c.seq <= seq for c in self.clients)

    def teardown(self) -> None:
        """Everyone settles: pending events arrive, the disconnected come back; then every client's
        board is exactly the server's snapshot (SYNC-6/SYNC-7)."""
        for client in self.clients:
            if client.connected:
                for event in client.inbox:
                    client.receive(event)
                client.inbox = []
                if client.ahead:  # a gap that stayed open: catch up (SYNC-8)
                    self._connect(client)
            else:
                self._connect(client)
        with self.sessions() as db:
            snap = snapshot(db, self.clients[-1].actor, self.board)
        expected = {c["id"]: c for c in snap["cards"]}
        for client in self.clients:
            assert client.seq == snap["seq"]
            assert client.live() == expected
            assert not client.ahead


@pytest.fixture(scope="module")
def shared_sessions(tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    path: Path = tmp_path_factory.mktemp("properties") / "sync.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return make_session_factory(engine)


def test_every_client_converges_to_the_server(shared_sessions: sessionmaker[Session]) -> None:
    """SYNC-4/5/6/7/8: random interleavings of ops, late, reordered, duplicated and lost deliveries,
    disconnects, pruning and catch-ups: every client ends with exactly the server's board."""
    run_state_machine_as_test(
        lambda: SyncMachine(shared_sessions),
        settings=settings(max_examples=40, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
