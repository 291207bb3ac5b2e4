"""The slides of the closing session (collab/present/slides.py), built through the real op pipeline
(docs/protocol.md, "Presentation")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from collab.models import Board
from collab.present.slides import all_groups, excerpt, group_slides, is_conclusions, similar, title_words
from collab.sync.access import Actor
from collab.sync.pipeline import apply_op

from .test_sync_pipeline import World, _build, op


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return _build(sessions)


def run(world: World, actor: Actor, type_: str, data: dict[str, Any], board: str | None = None) -> dict[str, Any]:
    return apply_op(world.sessions, actor, op(board or world.board, type_, data)).event["data"]


def group_of(world: World, board_id: str) -> str:
    with world.sessions() as db:
        board = db.get(Board, board_id)
        assert board is not None and board.group_id
        return board.group_id


def slides(world: World, board_id: str | None = None) -> dict[str, Any]:
    with world.sessions() as db:
        data = group_slides(db, world.alice.workshop_id, group_of(world, board_id or world.board))
    assert data is not None
    return data


def theme(world: World, title: str, synthesis: str = "", board: str | None = None, actor: Actor | None = None) -> str:
    who = actor or world.alice
    made = run(world, who, "theme.create", {"title": title}, board)["theme"]
    if synthesis:
        run(world, who, "theme.update", {"id": made["id"], "synthesis": synthesis, "base_synthesis": ""}, board)
    return made["id"]


def card(world: World, text: str, theme_id: str | None = None, **data: Any) -> str:
    made = run(world, world.alice, "card.create", {"text": text, **data})["card"]
    if theme_id:
        run(world, world.alice, "card.update", {"id": made["id"], "theme_id": theme_id})
    return made["id"]


def vote(world: World, dots: dict[str, int], hidden: bool = False) -> str:
    vote_id = run(world, world.facilitator, "vote.open", {"dots": 5, "hidden": hidden})["vote"]["id"]
    for card_id, count in dots.items():
        for _ in range(count):
            run(world, world.alice, "vote.dot", {"vote_id": vote_id, "card_id": card_id, "delta": 1})
    return vote_id


def test_a_group_gets_a_title_slide_a_slide_per_theme_and_its_conclusions(world: World) -> None:
    synthesis = "Les **friches** deviennent des ateliers.\n\n<script>alert(1)</script>"
    friches = theme(world, "Reconversion des friches", synthesis)
    mobilite = theme(world, "Mobilité rurale")
    conclusions = theme(world, "Conclusions", "Partir des *ressources* locales.")
    kodak = card(world, "Le site Kodak accueille 40 entreprises", friches)
    card(world, "Une friche textile rachetée par la commune", friches)
    card(world, "Le bus passe deux fois par jour", mobilite)
    card(world, "Coopérer avant d'investir", conclusions)
    card(world, "Une note sans thème")
    vote(world, {kodak: 3})

    data = slides(world)
    kinds = [s["kind"] for s in data["slides"]]
    assert kinds == ["title", "theme", "theme", "conclusions"]
    title, first, second, last = data["slides"]
    assert title["themes"] == 2 and title["cards"] == 5 and title["title"] == data["group"]["name"]
    assert first["title"] == "Reconversion des friches" and second["title"] == "Mobilité rurale"
    assert "<strong>friches</strong>" in first["synthesis_html"]
    assert "<script>" not in first["synthesis_html"] and "&lt;script&gt;" in first["synthesis_html"]
    assert [c["text"] for c in first["cards"]][0] == "Le site Kodak accueille 40 entreprises"
    assert first["cards"][0]["votes"] == 3 and first["cards"][1]["votes"] == 0
    assert second["cards"][0]["votes"] == 0 and second["synthesis_html"] == ""
    # The "Conclusions" theme is the last slide, not a theme slide.
    assert last["source"] == "theme" and "<em>ressources</em>" in last["synthesis_html"]
    assert [c["text"] for c in last["cards"]] == ["Coopérer avant d'investir"]
    assert data["votes_visible"] is True


@pytest.mark.parametrize("title", ["Conclusions", "conclusion", "Enseignements", " Enseignements du groupe", "Lessons"])
def test_conclusions_themes_are_recognised(title: str) -> None:
    assert is_conclusions(title)


@pytest.mark.parametrize("title", ["Friches", "Quelles conclusions ?", "Mobilité"])
def test_other_titles_are_not_conclusions(title: str) -> None:
    assert not is_conclusions(title)


def test_without_a_conclusions_theme_the_most_voted_notes_conclude(world: World) -> None:
    a, b, c = card(world, "Un"), card(world, "Deux"), card(world, "Trois")
    vote(world, {b: 2, c: 1})
    last = slides(world)["slides"][-1]
    assert last["source"] == "votes"
    assert [(x["text"], x["votes"]) for x in last["cards"]] == [("Deux", 2), ("Trois", 1)]
    assert a  # a note with no dot is not a conclusion


def test_without_votes_the_last_zone_concludes(world: World) -> None:
    card(world, "Une idée de tiers-lieu", zone="innovation")
    card(world, "Un acteur", zone="actors")
    last = slides(world)["slides"][-1]
    assert last["source"] == "zone" and last["zone"] == "Potentiels d’innovation"
    assert [x["text"] for x in last["cards"]] == ["Une idée de tiers-lieu"]
    assert last["cards"][0]["votes"] is None  # no vote on this board


def test_hidden_vote_counts_stay_hidden_until_revealed(world: World) -> None:
    friches = theme(world, "Friches")
    kodak = card(world, "Kodak", friches)
    vote_id = vote(world, {kodak: 2}, hidden=True)
    data = slides(world)
    assert data["votes_visible"] is False and data["slides"][1]["cards"][0]["votes"] is None
    run(world, world.facilitator, "vote.reveal", {"id": vote_id})
    assert slides(world)["slides"][1]["cards"][0]["votes"] == 2


def test_a_theme_slide_shows_six_notes_at_most(world: World) -> None:
    friches = theme(world, "Friches")
    for n in range(8):
        card(world, f"Note {n}", friches)
    slide = slides(world)["slides"][1]
    assert len(slide["cards"]) == 6 and slide["more_cards"] == 2


def test_deleted_themes_and_notes_are_left_out(world: World) -> None:
    gone = theme(world, "Supprimé")
    kept = theme(world, "Gardé")
    note = card(world, "Effacée", kept)
    run(world, world.alice, "theme.delete", {"id": gone})
    run(world, world.alice, "card.delete", {"id": note})
    data = slides(world)
    assert [s.get("title") for s in data["slides"][1:-1]] == ["Gardé"]
    assert data["slides"][1]["cards"] == []


def test_another_workshops_group_has_no_slides(world: World) -> None:
    with world.sessions() as db:
        assert group_slides(db, world.outsider.workshop_id, group_of(world, world.board)) is None
        assert group_slides(db, world.alice.workshop_id, "no-such-group") is None


def test_all_groups_side_by_side_with_similar_themes_matched(world: World) -> None:
    theme(world, "Reconversion des friches industrielles", "Des **ateliers** dans les friches.")
    theme(world, "Mobilité")
    theme(world, "Les friches industrielles", board=world.other_board, actor=world.carol)
    theme(world, "Tourisme vert", board=world.other_board, actor=world.carol)
    card(world, "Kodak")
    with world.sessions() as db:
        data = all_groups(db, world.alice.workshop_id)
    one, two = data["groups"]
    assert [t["title"] for t in one["themes"]] == ["Reconversion des friches industrielles", "Mobilité"]
    assert one["themes"][0]["match"] == two["themes"][0]["match"] == 1
    assert one["themes"][0]["also_in"] == [two["name"]] and two["themes"][0]["also_in"] == [one["name"]]
    assert one["themes"][1]["match"] is None and two["themes"][1]["match"] is None
    assert one["themes"][0]["excerpt"] == "Des ateliers dans les friches."


def test_title_words_fold_case_accents_and_plurals() -> None:
    assert title_words("Les Friches industrielles") == title_words("friche industrielle")
    assert title_words("Mobilité rurale") == {"mobilite", "rurale"}
    assert similar(title_words("Friches"), title_words("Reconversion des friches"))
    assert not similar(title_words("Tourisme vert"), title_words("Mobilité rurale"))
    assert not similar(title_words("Les"), title_words("Les"))  # nothing significant


def test_excerpt_is_plain_text_cut_at_a_word() -> None:
    assert excerpt("# Titre\n\n- un *point*\n- [lien](https://example.org)") == "Titre un point lien"
    assert excerpt("> cité\n\n<script>x</script>") == "cité <script>x</script>"
    long = excerpt("mot " * 100, limit=30)
    assert long.endswith("…") and len(long) <= 31 and not long.startswith(" ")


def test_the_conclusions_slide_is_titled_by_the_workshop(world: World) -> None:
    """Issue #11 §3: the title is the workshop's latest bilan question, else the group's conclusions
    theme's title, else none (the page says "Conclusions"): never a fixed sentence."""
    from collab.models import Prompt

    assert slides(world)["slides"][-1]["title"] is None
    theme(world, "Conclusions du groupe", "Ce que nous retenons.")
    assert slides(world)["slides"][-1]["title"] == "Conclusions du groupe"
    with world.sessions() as db:
        asked = ((9, "Quels enseignements pour votre territoire ?"), (10, "Qu’emportez-vous chez vous ?"))
        for hour, question in asked:
            db.add(Prompt(workshop_id=world.alice.workshop_id, kind="bilan", question=question,
                          config={"ratings": ["Utilité"], "open_question": ""},
                          created_at=datetime(2026, 6, 5, hour, tzinfo=UTC)))
        db.add(Prompt(workshop_id=world.alice.workshop_id, kind="words", question="Un mot ?", config={}))
        db.commit()
    last = slides(world)["slides"][-1]
    assert last["title"] == "Qu’emportez-vous chez vous ?" and last["source"] == "theme"
