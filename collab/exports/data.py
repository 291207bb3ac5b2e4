"""Everything the report and the CSV show about one workshop, read in one session.

Only what is live: deleted cards and themes are left out. Cards come in the board's order (zones
as the board lists them, then each card's order key), themes by their order key, visits in agenda
order. Vote counts are those of each board's latest vote, and only when everyone may see them
(SYNC-14): a hidden vote that is neither revealed nor closed shows no counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Board, Card, Comment, Group, Media, Participant, Theme, Visit, Vote, Workshop
from ..sync.votes import latest_vote, tally
from ..sync.wire import counts_visible


def report_timezone() -> tzinfo:
    """The zone report times are written in: the TIMEZONE setting (COLLAB_TIMEZONE, Paris by default)."""
    name = current_app.config["TIMEZONE"]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass
class BoardData:
    board: Board
    group: Group | None
    cards: list[Card]  # live, in display order
    themes: list[Theme]  # live, by position
    vote: Vote | None  # the latest vote
    counts: dict[str, int] | None  # dots per card id; None when there is no vote or counts are hidden

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else self.board.title

    def zone_order(self) -> list[tuple[str, str]]:
        """(zone id, title) in the board's order, then any zone a card names that the board lacks."""
        zones = [(str(z.get("id")), str(z.get("title") or z.get("id"))) for z in self.board.zones or []]
        known = {zone_id for zone_id, _ in zones}
        for card in self.cards:
            if card.zone not in known:
                zones.append((card.zone, card.zone))
                known.add(card.zone)
        return zones

    def votes_of(self, card_id: str) -> int | None:
        return None if self.counts is None else self.counts.get(card_id, 0)


@dataclass
class WorkshopData:
    workshop: Workshop
    boards: list[BoardData]  # groups' boards in group order, then boards of no group
    visits: list[Visit]  # agenda order
    media: dict[str, Media]
    comment_counts: dict[str, int] = field(default_factory=dict)  # live comments per card id
    authors: dict[str, str] = field(default_factory=dict)  # participant id -> current name

    def visit(self, visit_id: str | None) -> Visit | None:
        return next((v for v in self.visits if v.id == visit_id), None) if visit_id else None

    def dates(self) -> tuple[date, date] | None:
        """The workshop's dates as the facilitators set them, else the span of its agenda."""
        starts = getattr(self.workshop, "starts_on", None)
        ends = getattr(self.workshop, "ends_on", None)
        if starts or ends:
            return (starts or ends, ends or starts)
        if not self.visits:
            return None
        zone = report_timezone()
        return (self.visits[0].starts_at.astimezone(zone).date(),
                max(v.ends_at for v in self.visits).astimezone(zone).date())


def load(db: Session, workshop_id: str) -> WorkshopData | None:
    workshop = db.get(Workshop, workshop_id)
    if workshop is None:
        return None
    groups = {g.id: g for g in db.scalars(select(Group).where(Group.workshop_id == workshop.id))}
    boards = list(db.scalars(select(Board).where(Board.workshop_id == workshop.id)))
    boards.sort(key=lambda b: (b.group_id is None,
                               groups[b.group_id].position if b.group_id in groups else 0, b.title, b.id))
    visits = sorted(db.scalars(select(Visit).where(Visit.workshop_id == workshop.id)),
                    key=lambda v: (v.starts_at, v.title, v.id))
    media = {m.id: m for m in db.scalars(select(Media).where(Media.workshop_id == workshop.id))}
    board_ids = [b.id for b in boards]
    cards = list(db.scalars(select(Card).where(Card.board_id.in_(board_ids), Card.deleted.is_(False))))
    themes = list(db.scalars(select(Theme).where(Theme.board_id.in_(board_ids), Theme.deleted.is_(False))))
    data = WorkshopData(workshop=workshop, boards=[], visits=visits, media=media)
    for board in boards:
        data.boards.append(_board_data(db, board, groups.get(board.group_id or ""), cards, themes))
    live_ids = [c.id for c in cards]
    data.comment_counts = dict(db.execute(  # type: ignore[arg-type]
        select(Comment.card_id, func.count(Comment.id))
        .where(Comment.board_id.in_(board_ids), Comment.deleted.is_(False), Comment.card_id.in_(live_ids))
        .group_by(Comment.card_id)
    ).all()) if live_ids else {}
    data.authors = dict(db.execute(  # type: ignore[arg-type]
        select(Participant.id, Participant.name).where(Participant.workshop_id == workshop.id)
    ).all())
    return data


def _board_data(db: Session, board: Board, group: Group | None, cards: list[Card], themes: list[Theme]) -> BoardData:
    mine = [c for c in cards if c.board_id == board.id]
    zone_rank = {str(z.get("id")): index for index, z in enumerate(board.zones or [])}
    mine.sort(key=lambda c: (zone_rank.get(c.zone, len(zone_rank)), c.zone, c.position, c.created_at, c.id))
    board_themes = sorted((t for t in themes if t.board_id == board.id), key=lambda t: (t.position, t.id))
    vote = latest_vote(db, board.id)
    counts = tally(db, vote.id) if vote is not None and counts_visible(vote) else None
    return BoardData(board=board, group=group, cards=mine, themes=board_themes, vote=vote, counts=counts)
