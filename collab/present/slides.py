"""The slides of the closing session, built from the database (no Flask): for one group, a title
slide, one slide per theme (its synthesis, its evidence cards with their photos and vote counts),
then the group's conclusions; and, for the cross-group view, every group's themes side by side.

Conclusions rule (docs/protocol.md, "Presentation"): a theme whose title starts with "Conclusion",
"Enseignement", "Lesson" or "Takeaway" (any case, accents ignored) is the group's conclusions — it
gets the last slide instead of a theme slide; without one, the conclusions slide shows the cards
with the most dots in the board's latest vote (when its counts are visible); without votes, the
cards of the board's last zone ("Potentiels d’innovation" on the territory grid). Its title comes from
the workshop: the title its facilitators set (its settings), else the question of its latest closing
"bilan" (collab.prompts), else the group's conclusions theme's title, else none (the page then says
"Conclusions").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Board, Card, Group, Prompt, Theme, Workshop
from ..sync.votes import latest_vote, tally
from ..sync.wire import counts_visible, theme_dict

CARDS_PER_SLIDE = 6
CONCLUSION_CARDS = 5
EXCERPT = 180
_CONCLUSION = re.compile(r"^\W*(conclusion|enseignement|lesson|takeaway)", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case without accents, for comparing titles."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def is_conclusions(title: str) -> bool:
    return bool(_CONCLUSION.match(fold(title)))


def _card(card: Card, votes: dict[str, int] | None) -> dict[str, Any]:
    return {
        "id": card.id,
        "text": card.text,
        "kind": card.kind,
        "colour": card.colour,
        "author_name": card.author_name,
        "actor": card.actor,
        "media_id": card.media_id,
        "votes": None if votes is None else votes.get(card.id, 0),
    }


def _ranked(cards: list[Card], votes: dict[str, int] | None) -> list[Card]:
    """Most dots first, then the board's order (cards come in zone position order)."""
    if not votes:
        return cards
    return sorted(cards, key=lambda c: -votes.get(c.id, 0))


def _theme_slide(theme: Theme, cards: list[Card], votes: dict[str, int] | None) -> dict[str, Any]:
    data = theme_dict(theme)
    shown = _ranked(cards, votes)[:CARDS_PER_SLIDE]
    return {
        "kind": "theme",
        "id": theme.id,
        "title": theme.title,
        "colour": theme.colour,
        "synthesis_html": data["synthesis_html"],  # sanitised server-side (collab.markdown)
        "cards": [_card(c, votes) for c in shown],
        "more_cards": max(0, len(cards) - len(shown)),
    }


def _conclusions(board: Board, conclusion: Theme | None, cards: list[Card], votes: dict[str, int] | None,
                 by_theme: dict[str | None, list[Card]]) -> dict[str, Any]:
    if conclusion is not None:
        slide = _theme_slide(conclusion, by_theme.get(conclusion.id, []), votes)
        return {**slide, "kind": "conclusions", "source": "theme"}
    if votes and any(votes.get(c.id) for c in cards):
        top = [c for c in _ranked(cards, votes) if votes.get(c.id)][:CONCLUSION_CARDS]
        return {"kind": "conclusions", "source": "votes", "synthesis_html": "", "cards": [_card(c, votes) for c in top],
                "more_cards": 0}
    zones = [z["id"] for z in (board.zones or []) if z.get("id") != "inbox"]
    last = [c for c in cards if zones and c.zone == zones[-1]]
    return {"kind": "conclusions", "source": "zone", "zone": board.zones[-1]["title"] if zones else "",
            "synthesis_html": "", "cards": [_card(c, votes) for c in last[:CONCLUSION_CARDS]],
            "more_cards": max(0, len(last) - CONCLUSION_CARDS)}


def conclusions_title(session: Session, workshop_id: str, conclusion: Theme | None) -> str | None:
    """The title the facilitators set for it, else the workshop's closing question (its latest bilan's),
    else the group's conclusions theme's title."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is not None and workshop.conclusions_title:
        return workshop.conclusions_title
    question = session.scalar(
        select(Prompt.question).where(Prompt.workshop_id == workshop_id, Prompt.kind == "bilan")
        .order_by(Prompt.created_at.desc(), Prompt.id.desc()).limit(1)
    )
    if question and question.strip():
        return question.strip()
    return conclusion.title if conclusion is not None else None


def _board_content(session: Session, board: Board) -> tuple[list[Theme], list[Card], dict[str, int] | None]:
    themes = list(session.scalars(
        select(Theme).where(Theme.board_id == board.id, Theme.deleted.is_(False)).order_by(Theme.position, Theme.id)
    ))
    cards = list(session.scalars(
        select(Card).where(Card.board_id == board.id, Card.deleted.is_(False))
        .order_by(Card.position, Card.created_at, Card.id)
    ))
    vote = latest_vote(session, board.id)
    votes = tally(session, vote.id) if vote is not None and counts_visible(vote) else None
    return themes, cards, votes


def group_slides(session: Session, workshop_id: str, group_id: str) -> dict[str, Any] | None:
    """The slideshow of one group of `workshop_id` (None if there is no such group or board)."""
    group = session.get(Group, group_id)
    if group is None or group.workshop_id != workshop_id:
        return None
    board = session.scalar(select(Board).where(Board.group_id == group.id))
    workshop = session.get(Workshop, workshop_id)
    if board is None or workshop is None:
        return None
    themes, cards, votes = _board_content(session, board)
    by_theme: dict[str | None, list[Card]] = {}
    for card in cards:
        by_theme.setdefault(card.theme_id, []).append(card)
    conclusion = next((t for t in themes if is_conclusions(t.title)), None)
    shown = [t for t in themes if t is not conclusion]
    slides: list[dict[str, Any]] = [{
        "kind": "title", "title": group.name, "workshop": workshop.title, "colour": group.colour,
        "themes": len(shown), "cards": len(cards),
    }]
    slides += [_theme_slide(t, by_theme.get(t.id, []), votes) for t in shown]
    slides.append({**_conclusions(board, conclusion, cards, votes, by_theme),
                   "title": conclusions_title(session, workshop_id, conclusion)})
    return {
        "workshop": {"id": workshop.id, "title": workshop.title},
        "group": {"id": group.id, "name": group.name, "colour": group.colour},
        "board_id": board.id,
        "votes_visible": votes is not None,
        "slides": slides,
    }


def presented_board_id(session: Session, workshop_id: str, group_id: str | None) -> str | None:
    if not group_id:
        return None
    return session.scalar(
        select(Board.id).join(Group, Group.id == Board.group_id)
        .where(Group.id == group_id, Group.workshop_id == workshop_id)
    )


def media_on_board(session: Session, board_id: str, media_id: str) -> bool:
    """Whether a live card of the board shows this photo."""
    return session.scalar(
        select(Card.id).where(Card.board_id == board_id, Card.media_id == media_id, Card.deleted.is_(False)).limit(1)
    ) is not None


# ---- the cross-group view ----------------------------------------------------------------------------

_STOP = set(
    "les des une aux par pour sur dans avec sans que qui est sont ses son leur leurs ces cette entre plus "
    "moins tres et ou the and for with from into our their its are les of to in on a an".split()
)


def title_words(title: str) -> frozenset[str]:
    """A title's significant words: folded, plurals in -s/-x merged, short and common words dropped."""
    words = set()
    for word in re.findall(r"[a-z0-9]+", fold(title)):
        if len(word) < 3 or word in _STOP:
            continue
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """At least half of the shorter title's significant words are in the other."""
    if not a or not b:
        return False
    return len(a & b) * 2 >= min(len(a), len(b))


def excerpt(markdown: str, limit: int = EXCERPT) -> str:
    """A synthesis as one line of plain text, cut at a word with "…"."""
    text = re.sub(r"[#*_`\[\]]|\(https?://[^)]*\)|^\s*>\s?|^\s*[-+]\s+|^\s*\d+\.\s+", " ", markdown, flags=re.MULTILINE)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def all_groups(session: Session, workshop_id: str) -> dict[str, Any]:
    """Every group's themes side by side; themes of different groups with similar titles share a
    `match` number (1, 2, …) so the page can highlight where the groups converge."""
    columns: list[dict[str, Any]] = []
    entries: list[tuple[int, dict[str, Any], frozenset[str]]] = []
    groups = session.scalars(select(Group).where(Group.workshop_id == workshop_id).order_by(Group.position, Group.id))
    for index, group in enumerate(groups):
        board = session.scalar(select(Board).where(Board.group_id == group.id))
        themes_out: list[dict[str, Any]] = []
        if board is not None:
            themes, cards, _votes = _board_content(session, board)
            counts: dict[str | None, int] = {}
            for card in cards:
                counts[card.theme_id] = counts.get(card.theme_id, 0) + 1
            for theme in themes:
                item = {"id": theme.id, "title": theme.title, "colour": theme.colour, "cards": counts.get(theme.id, 0),
                        "excerpt": excerpt(theme.synthesis), "conclusions": is_conclusions(theme.title),
                        "match": None, "also_in": []}
                themes_out.append(item)
                entries.append((index, item, title_words(theme.title)))
        columns.append({"id": group.id, "name": group.name, "colour": group.colour, "themes": themes_out})
    _match(entries, columns)
    return {"groups": columns}


def _match(entries: list[tuple[int, dict[str, Any], frozenset[str]]], columns: list[dict[str, Any]]) -> None:
    """Union the similar themes of different groups; number each set that spans two groups or more."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (gi, _a, wa) in enumerate(entries):
        for j in range(i + 1, len(entries)):
            gj, _b, wb = entries[j]
            if gi != gj and similar(wa, wb):
                parent[root(j)] = root(i)
    sets: dict[int, list[int]] = {}
    for i in range(len(entries)):
        sets.setdefault(root(i), []).append(i)
    number = 0
    for members in sorted(sets.values()):
        groups = {entries[i][0] for i in members}
        if len(groups) < 2:
            continue
        number += 1
        for i in members:
            gi, item, _words = entries[i]
            item["match"] = number
            item["also_in"] = sorted({columns[g]["name"] for g in groups if g != gi})
