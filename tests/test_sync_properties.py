"""Property test of the sync rules with hypothesis: several simulated clients write through the real
pipeline (SQLite) — cards, themes, comments, reactions and dot votes, live or hidden — receive each
other's events late, out of order, twice or never, drop off and come back through `join_payload`; at
the end every client shows exactly the server's board as that client may see it
(docs/sync-spec.md SYNC-4 … SYNC-8, SYNC-12 … SYNC-14)."""

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
from collab.models import Board, Card, Comment, Event, Theme, Vote
from collab.sync.access import Actor
from collab.sync.catchup import join_payload, snapshot
from collab.sync.errors import OpError
from collab.sync.pipeline import apply_op
from collab.sync.wire import as_seen_by
from collab.workshops import create_workshop, join, workshop_dict

CLIENTS = 3
TEXTS = st.text(alphabet="abcdé xyz", min_size=1, max_size=12).filter(lambda t: t.strip())
ZONES = st.sampled_from(["inbox", "actors", "resources"])
COLOURS = st.sampled_from(["yellow", "blue", "green"])
POSITIONS = st.sampled_from(["", "a0", "a1", "a0V", "Zz", "b00"])  # order keys (SYNC-13)
REACTIONS = st.sampled_from(["👍", "💡"])


def _no_zeros(counts: dict[str, int]) -> dict[str, int]:
    return {key: n for key, n in counts.items() if n}


class Client:
    """What a browser keeps (static/js/sync.js): cards by id, the last applied seq, and events that
    arrived ahead of a gap. Events are applied strictly in seq order (SYNC-8)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.connected = False
        self.cards: dict[str, dict[str, Any]] = {}
        self.themes: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.vote: dict[str, Any] | None = None  # as static/js/analysis-state.js keeps it
        self.seq = 0
        self.ahead: dict[int, dict[str, Any]] = {}
        self.inbox: list[dict[str, Any]] = []  # sent by the server, not yet received
        self.last_op: dict[str, Any] | None = None
        self.last_may_refuse: tuple[str, ...] = ()

    def receive(self, event: dict[str, Any]) -> None:
        if event["seq"] <= self.seq:
            return  # already applied (e.g. both in a join payload and as `event`)
        self.ahead[event["seq"]] = event
        while self.seq + 1 in self.ahead:
            applied = self.ahead.pop(self.seq + 1)
            self._apply(applied["type"], applied["data"])
            self.seq = applied["seq"]

    def _apply(self, type_: str, data: dict[str, Any]) -> None:
        for card in [data["card"]] if "card" in data else data.get("cards", []):
            self.cards[card["id"]] = card
        if "theme" in data:
            self.themes[data["theme"]["id"]] = data["theme"]
        if "comment" in data:
            self.comments[data["comment"]["id"]] = data["comment"]
        if "vote" in data:
            same = self.vote is not None and self.vote["vote"]["id"] == data["vote"]["id"]
            self.vote = {"vote": data["vote"], "tally": data["tally"],
                         "mine": self.vote["mine"] if same else {}, "used_by": self.vote["used_by"] if same else {}}
        if type_ == "vote.dot" and self.vote is not None and self.vote["vote"]["id"] == data["vote_id"]:
            self.vote["used_by"][data["voter_id"]] = data["used"]
            if "count" in data:
                self.vote["tally"][data["card_id"]] = data["count"]
            if data["voter_id"] == self.actor.id:
                self.vote["mine"][data["card_id"]] = data["mine"]

    def load_snapshot(self, payload: dict[str, Any]) -> None:
        self.cards = {c["id"]: c for c in payload["cards"]}
        self.themes = {t["id"]: t for t in payload["themes"]}
        self.comments = {c["id"]: c for c in payload["comments"]}
        self.vote = None if payload["vote"] is None else {
            "vote": payload["vote"]["vote"], "tally": dict(payload["vote"]["tally"]),
            "mine": dict(payload["vote"]["mine"]), "used_by": dict(payload["vote"]["used_by"])}
        self.seq = payload["seq"]
        self.ahead = {s: e for s, e in self.ahead.items() if s > self.seq}
        for event in sorted(self.ahead.values(), key=lambda e: e["seq"]):
            self.receive(event)

    def live(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.cards.items() if not v["deleted"]}

    def view(self) -> dict[str, Any]:
        """What the client shows, in the snapshot's terms (SYNC-6)."""
        live = self.live()
        vote = None if self.vote is None else {
            "vote": self.vote["vote"], "tally": _no_zeros(self.vote["tally"]), "mine": _no_zeros(self.vote["mine"]),
            "used_by": _no_zeros(self.vote["used_by"])}
        return {
            "cards": live,
            "themes": {k: v for k, v in self.themes.items() if not v["deleted"]},
            "comments": {k: v for k, v in self.comments.items() if v["card_id"] in live},
            "vote": vote,
        }


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

    def _submit(self, client: Client, raw: dict[str, Any], may_refuse: tuple[str, ...] = ()) -> None:
        client.last_op, client.last_may_refuse = raw, may_refuse
        try:
            result = apply_op(self.sessions, client.actor, raw)
        except OpError as err:
            assert err.code in ("not_found", "invalid", *may_refuse), err.code
            return
        ack = result.ack()
        if result.fresh:
            assert raw["op_id"] not in self.acked
            for other in self.clients:
                if other is not client and other.connected:
                    other.inbox.append(as_seen_by(result.event, None))  # the broadcast (SYNC-14)
        else:
            assert self.acked[raw["op_id"]] == result.event  # SYNC-4: the original result
        self.acked[raw["op_id"]] = result.event
        client.receive(ack["event"])  # acks go through the same seq rule

    def _op(self, client: Client, type_: str, data: dict[str, Any], may_refuse: tuple[str, ...] = ()) -> None:
        self._submit(client, {"board_id": self.board, "op_id": f"op-{uuid.uuid4().hex}", "type": type_,
                              "data": data}, may_refuse)

    def _latest_vote(self) -> str | None:
        with self.sessions() as db:
            return db.scalars(
                select(Vote.id).where(Vote.board_id == self.board).order_by(Vote.opened_at.desc(), Vote.id)
            ).first()

    def _ids(self, model: Any) -> list[str]:
        with self.sessions() as db:
            return list(db.scalars(select(model.id).where(model.board_id == self.board).order_by(model.id)))

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

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), zone=ZONES, position=POSITIONS)
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

    @rule(who=st.integers(0, CLIENTS - 1), title=TEXTS)
    def create_theme(self, who: int, title: str) -> None:
        self._op(self.clients[who], "theme.create", {"title": title})

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), text=TEXTS, from_old=st.booleans())
    def write_synthesis(self, who: int, pick: int, text: str, from_old: bool) -> None:
        """Synthesis edits, some from a stale base: those are refused as conflicts (SYNC-12)."""
        themes = self._ids(Theme)
        if themes:
            data = {"id": themes[pick % len(themes)], "synthesis": text}
            if from_old:
                data["base_synthesis"] = "old"
            self._op(self.clients[who], "theme.update", data, may_refuse=("conflict",))

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), restore=st.booleans())
    def delete_or_restore_theme(self, who: int, pick: int, restore: bool) -> None:
        themes = self._ids(Theme)
        if themes:
            type_ = "theme.restore" if restore else "theme.delete"
            self._op(self.clients[who], type_, {"id": themes[pick % len(themes)]})

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), out=st.booleans())
    def sort_into_theme(self, who: int, pick: int, out: bool) -> None:
        cards, themes = self._server_cards(), self._ids(Theme)
        if cards and themes:
            theme_id = None if out else themes[pick % len(themes)]
            self._op(self.clients[who], "card.update", {"id": cards[pick % len(cards)], "theme_id": theme_id})

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), text=TEXTS, reply=st.booleans())
    def comment(self, who: int, pick: int, text: str, reply: bool) -> None:
        cards, comments = self._server_cards(), self._ids(Comment)
        if cards:
            data = {"card_id": cards[pick % len(cards)], "text": text}
            if reply and comments:
                data["parent_id"] = comments[pick % len(comments)]
            self._op(self.clients[who], "comment.add", data)

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6))
    def delete_comment(self, who: int, pick: int) -> None:
        comments = self._ids(Comment)
        if comments:
            self._op(self.clients[who], "comment.delete", {"id": comments[pick % len(comments)]}, ("forbidden",))

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), reaction=REACTIONS, on=st.booleans())
    def react(self, who: int, pick: int, reaction: str, on: bool) -> None:
        cards = self._server_cards()
        if cards:
            self._op(self.clients[who], "card.react", {"id": cards[pick % len(cards)], "reaction": reaction, "on": on})

    @rule(action=st.sampled_from(["open", "open hidden", "reveal", "close"]), dots=st.integers(1, 3))
    def run_vote(self, action: str, dots: int) -> None:
        """The facilitator (the last client) runs votes."""
        facilitator = self.clients[-1]
        if action.startswith("open"):
            self._op(facilitator, "vote.open", {"dots": dots, "hidden": action == "open hidden"})
        elif latest := self._latest_vote():
            self._op(facilitator, f"vote.{action}", {"id": latest})

    @rule(who=st.integers(0, CLIENTS - 1), pick=st.integers(0, 10**6), delta=st.sampled_from([1, 1, -1]))
    def dot(self, who: int, pick: int, delta: int) -> None:
        cards, latest = self._server_cards(), self._latest_vote()
        if cards and latest:
            self._op(self.clients[who], "vote.dot", {"vote_id": latest, "card_id": cards[pick % len(cards)],
                                                     "delta": delta})

    @rule(who=st.integers(0, CLIENTS - 1))
    def retry(self, who: int) -> None:
        """A lost ack: the client sends its last op again (SYNC-4)."""
        client = self.clients[who]
        if client.last_op is not None and self._kept(client.last_op["op_id"]):
            before = self._log()
            self._submit(client, dict(client.last_op), client.last_may_refuse)
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
            state = (client.view(), client.seq)
            client.receive(event)
            assert (client.view(), client.seq) == state

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
        for client in self.clients:
            with self.sessions() as db:
                snap = snapshot(db, client.actor, self.board)  # as this client may see it (SYNC-14)
            assert client.seq == snap["seq"]
            assert client.view() == {
                "cards": {c["id"]: c for c in snap["cards"]},
                "themes": {t["id"]: t for t in snap["themes"]},
                "comments": {c["id"]: c for c in snap["comments"]},
                "vote": snap["vote"],
            }
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
