"""Themes, comments, reactions, dot votes and order keys in the op pipeline (docs/sync-spec.md
SYNC-12 … SYNC-14; docs/protocol.md "Ops")."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from collab.markdown import render
from collab.sync.catchup import events_since
from collab.sync.pipeline import apply_op

from .test_sync_pipeline import World, _build, op
from .test_sync_zones import refused, run


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return _build(sessions)


def note(world: World, text: str = "Une note", **data: Any) -> dict[str, Any]:
    return run(world, world.alice, "card.create", {"text": text, **data})["card"]


# --- order keys (SYNC-13) -----------------------------------------------------------------------------


def test_server_places_new_cards_at_the_end_of_their_zone(world: World) -> None:
    """SYNC-13: a card created without a position gets a key after every card of its zone."""
    first, second = note(world, "un"), note(world, "deux")
    elsewhere = note(world, "ailleurs", zone="actors")
    assert first["position"] < second["position"]
    assert elsewhere["position"] == "a0"
    assert [c["id"] for c in world.snapshot()["cards"] if c["zone"] == "inbox"] == [first["id"], second["id"]]


def test_positions_must_be_order_keys(world: World) -> None:
    """SYNC-13: a position is "" or a fractional-indexing key; anything else is refused."""
    err = refused(world, world.alice, "card.create", {"text": "x", "position": "zz top"})
    assert err.code == "invalid" and err.details["field"] == "data.position"


def test_removed_zone_cards_keep_their_order_after_the_inbox(world: World) -> None:
    inbox = note(world, "boîte")
    a, b = note(world, "a", zone="actors"), note(world, "b", zone="actors")
    moved = run(world, world.facilitator, "zone.remove", {"id": "actors"})["cards"]
    assert [c["id"] for c in moved] == [a["id"], b["id"]]
    assert inbox["position"] < moved[0]["position"] < moved[1]["position"]


# --- themes (SYNC-12) ---------------------------------------------------------------------------------


def test_a_theme_gathers_cards_and_carries_a_safe_synthesis(world: World) -> None:
    theme = run(world, world.alice, "theme.create", {"title": "  Reconversion des friches "})["theme"]
    assert (theme["title"], theme["synthesis"], theme["synthesis_html"], theme["version"]) == (
        "Reconversion des friches", "", "", 1)
    card = note(world, zone="actors")
    card = run(world, world.bob, "card.update", {"id": card["id"], "theme_id": theme["id"]})["card"]
    assert (card["theme_id"], card["zone"]) == (theme["id"], "actors")  # in a theme and in a zone
    text = "## Constat\n- **friches** [plan](https://exemple.fr)\n<script>alert(1)</script>"
    theme = run(world, world.bob, "theme.update", {"id": theme["id"], "synthesis": text, "base_synthesis": ""})["theme"]
    assert theme["synthesis"] == text and theme["version"] == 2
    assert "<h2>Constat</h2>" in theme["synthesis_html"] and "<strong>friches</strong>" in theme["synthesis_html"]
    assert "<script" not in theme["synthesis_html"] and "&lt;script&gt;" in theme["synthesis_html"]
    snap = world.snapshot()
    assert [t["id"] for t in snap["themes"]] == [theme["id"]]


def test_synthesis_edit_from_an_old_version_is_a_conflict(world: World) -> None:
    """SYNC-12: an edit based on a synthesis someone else changed meanwhile is refused with the current one."""
    theme = run(world, world.alice, "theme.create", {"title": "Emploi"})["theme"]
    run(world, world.alice, "theme.update", {"id": theme["id"], "synthesis": "Version d'Alice", "base_synthesis": ""})
    err = refused(world, world.bob, "theme.update",
                  {"id": theme["id"], "synthesis": "Version de Bob", "base_synthesis": ""})
    assert err.code == "conflict" and err.details["current"]["synthesis"] == "Version d'Alice"
    same = run(world, world.bob, "theme.update",
               {"id": theme["id"], "synthesis": "Version d'Alice", "base_synthesis": ""})["theme"]
    assert same["synthesis"] == "Version d'Alice"  # the same text is no conflict


def test_deleting_a_theme_hides_it_and_restoring_brings_its_cards_back(world: World) -> None:
    theme = run(world, world.alice, "theme.create", {"title": "Mobilités"})["theme"]
    card = note(world)
    run(world, world.alice, "card.update", {"id": card["id"], "theme_id": theme["id"]})
    run(world, world.alice, "theme.delete", {"id": theme["id"]})
    assert world.snapshot()["themes"] == []
    late = note(world)
    assert refused(world, world.alice, "card.update", {"id": late["id"], "theme_id": theme["id"]}).code == "invalid"
    run(world, world.alice, "theme.restore", {"id": theme["id"]})
    snap = world.snapshot()
    assert [t["id"] for t in snap["themes"]] == [theme["id"]]
    assert next(c for c in snap["cards"] if c["id"] == card["id"])["theme_id"] == theme["id"]


def test_a_card_cannot_join_another_boards_theme(world: World) -> None:
    theme = apply_op(world.sessions, world.carol,
                     op(world.other_board, "theme.create", {"title": "Autre groupe"})).event["data"]["theme"]
    err = refused(world, world.alice, "card.update", {"id": note(world)["id"], "theme_id": theme["id"]})
    assert err.code == "invalid" and err.details["field"] == "theme_id"


# --- comments and reactions ---------------------------------------------------------------------------


def test_comments_thread_one_level_and_only_author_or_facilitator_deletes(world: World) -> None:
    card = note(world)
    first = run(world, world.alice, "comment.add", {"card_id": card["id"], "text": "Source ?"})["comment"]
    reply = run(world, world.bob, "comment.add",
                {"card_id": card["id"], "parent_id": first["id"], "text": "Le maire"})["comment"]
    assert reply["parent_id"] == first["id"] and reply["author_name"] == world.bob.name
    deep = refused(world, world.alice, "comment.add", {"card_id": card["id"], "parent_id": reply["id"], "text": "x"})
    assert deep.code == "invalid" and deep.details["field"] == "parent_id"
    assert refused(world, world.alice, "comment.delete", {"id": reply["id"]}).code == "forbidden"
    gone = run(world, world.facilitator, "comment.delete", {"id": reply["id"]})["comment"]
    assert gone["deleted"] is True and gone["text"] == ""
    listed = [(c["id"], c["deleted"]) for c in world.snapshot()["comments"]]
    assert listed == [(first["id"], False), (reply["id"], True)]
    empty = refused(world, world.alice, "comment.add", {"card_id": card["id"], "text": "  "})
    assert empty.code == "invalid" and empty.message == "A comment cannot be empty."


def test_reactions_are_per_person_and_toggle(world: World) -> None:
    card = note(world)
    run(world, world.alice, "card.react", {"id": card["id"], "reaction": "👍", "on": True})
    run(world, world.alice, "card.react", {"id": card["id"], "reaction": "👍", "on": True})  # idempotent
    after = run(world, world.bob, "card.react", {"id": card["id"], "reaction": "👍", "on": True})["card"]
    assert after["reactions"] == {"👍": [world.alice.id, world.bob.id]}
    after = run(world, world.alice, "card.react", {"id": card["id"], "reaction": "👍", "on": False})["card"]
    assert after["reactions"] == {"👍": [world.bob.id]} and after["updated_at"] == card["updated_at"]
    assert refused(world, world.alice, "card.react", {"id": card["id"], "reaction": "🍕", "on": True}).code == "invalid"


# --- dot votes (SYNC-14) ------------------------------------------------------------------------------


def test_live_vote_counts_dots_and_limits_each_participant(world: World) -> None:
    a, b = note(world, "a"), note(world, "b")
    assert refused(world, world.alice, "vote.open", {"dots": 3}).code == "forbidden"
    vote = run(world, world.facilitator, "vote.open", {"dots": 3})["vote"]
    assert (vote["dots"], vote["hidden"], vote["status"]) == (3, False, "open")
    assert refused(world, world.facilitator, "vote.open", {"dots": 3}).code == "invalid"  # one at a time
    dot = {"vote_id": vote["id"], "card_id": a["id"], "delta": 1}
    run(world, world.alice, "vote.dot", dot)
    second = run(world, world.alice, "vote.dot", dot)  # several dots on one card
    assert (second["mine"], second["used"], second["count"]) == (2, 2, 2)
    run(world, world.alice, "vote.dot", {**dot, "card_id": b["id"]})
    err = refused(world, world.alice, "vote.dot", dot)
    assert err.code == "invalid" and err.details["field"] == "dots"
    back = run(world, world.alice, "vote.dot", {**dot, "delta": -1})
    assert (back["mine"], back["used"], back["count"]) == (1, 2, 1)
    run(world, world.bob, "vote.dot", dot)
    state = world.snapshot(world.alice)["vote"]
    assert state["tally"] == {a["id"]: 2, b["id"]: 1} and state["mine"] == {a["id"]: 1, b["id"]: 1}
    assert state["used_by"] == {world.alice.id: 2, world.bob.id: 1}
    closed = run(world, world.facilitator, "vote.close", {"id": vote["id"]})
    assert closed["vote"]["status"] == "closed" and closed["tally"] == {a["id"]: 2, b["id"]: 1}
    assert refused(world, world.bob, "vote.dot", dot).code == "invalid"  # frozen


def test_hidden_vote_shows_each_voter_only_their_own_dots_until_revealed(world: World) -> None:
    card = note(world)
    vote = run(world, world.facilitator, "vote.open", {"dots": 2, "hidden": True})["vote"]
    mine = run(world, world.alice, "vote.dot", {"vote_id": vote["id"], "card_id": card["id"], "delta": 1})
    assert mine["card_id"] == card["id"] and mine["hidden"] is True and "count" not in mine
    assert world.snapshot(world.bob)["vote"]["tally"] == {}
    assert world.snapshot(world.alice)["vote"]["mine"] == {card["id"]: 1}
    with world.sessions() as db:
        seen_by_bob = events_since(db, world.bob, world.board, 0)["events"][-1]
        seen_by_alice = events_since(db, world.alice, world.board, 0)["events"][-1]
    assert "card_id" not in seen_by_bob["data"] and seen_by_bob["data"]["used"] == 1
    assert seen_by_alice["data"]["card_id"] == card["id"]
    revealed = run(world, world.facilitator, "vote.reveal", {"id": vote["id"]})
    assert revealed["tally"] == {card["id"]: 1}
    after = run(world, world.bob, "vote.dot", {"vote_id": vote["id"], "card_id": card["id"], "delta": 1})
    assert after["hidden"] is False and after["count"] == 2


def test_deleted_card_cannot_get_dots_or_comments_but_gives_dots_back(world: World) -> None:
    card, kept = note(world), note(world)
    vote = run(world, world.facilitator, "vote.open", {"dots": 1})["vote"]
    run(world, world.alice, "vote.dot", {"vote_id": vote["id"], "card_id": card["id"], "delta": 1})
    run(world, world.alice, "card.delete", {"id": card["id"]})
    dot = {"vote_id": vote["id"], "card_id": card["id"], "delta": 1}
    assert refused(world, world.alice, "vote.dot", dot).code == "not_found"
    assert run(world, world.alice, "vote.dot", {**dot, "delta": -1})["used"] == 0  # the dot comes back
    run(world, world.alice, "vote.dot", {**dot, "card_id": kept["id"]})
    assert refused(world, world.alice, "comment.add", {"card_id": card["id"], "text": "x"}).code == "not_found"
    assert refused(world, world.alice, "vote.close", {"id": str(uuid.uuid4())}).code == "forbidden"


# --- Markdown -------------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


@pytest.mark.parametrize(
    "source",
    [
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<a href=\"https://x\" onclick=\"alert(1)\">x</a>",
        "![image](https://tracker.example/p.png)",
        "<iframe src=https://x></iframe>",
        "# Titre\n\n- **gras** *italique* [lien](https://exemple.fr)\n1. un",
    ],
)
def test_synthesis_markdown_only_produces_the_allowed_tags(source: str) -> None:
    parser = _Tags()
    parser.feed(render(source))
    for tag, attrs in parser.seen:
        assert tag in {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote"}, tag
        for name, value in attrs:
            assert name in {"href", "title", "rel", "start"}, name
            if name == "href":
                assert (value or "").startswith(("https://", "http://", "mailto:")), value
