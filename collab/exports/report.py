"""The workshop report: one structure, built once, then written as Markdown (here) or HTML (the
template `exports/report.html`, also the source of the PDF).

Order: the title page (workshop, dates, groups), then each group — its themes (title, synthesis,
evidence cards with photos and the dots of the latest vote), its zones with their cards —, then the
sections other features add (`report_section`), then the appendix: every observation by visit, in
agenda order. Build it inside `flask_babel.force_locale(workshop.locale)`: headings are translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date, format_time
from flask import render_template
from flask_babel import gettext, ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from ..markdown import render
from ..models import Card, Workshop
from ..sync.errors import N_
from .data import BoardData, WorkshopData, report_timezone

KIND_LABELS = {"note": N_("Note"), "observation": N_("Observation"), "quote": N_("Quote"),
               "question": N_("Question"), "idea": N_("Idea")}


@dataclass
class ReportSection:
    """A section another feature adds to the report (the closing "bilan", say), placed after the
    groups and before the appendix. `markdown` is the body; `html`, if given, must be safe HTML
    already (else the body's Markdown is rendered through collab.markdown, sanitised)."""

    key: str
    title: str
    markdown: str
    html: Markup | None = None

    def body_html(self) -> Markup:
        return self.html if self.html is not None else Markup(render(self.markdown))  # sanitised by collab.markdown


def count_notes(num: int) -> str:
    return ngettext("%(num)s note", "%(num)s notes", num)


def count_themes(num: int) -> str:
    return ngettext("%(num)s theme", "%(num)s themes", num)


def count_groups(num: int) -> str:
    return ngettext("%(num)s group", "%(num)s groups", num)


def evidence_title(num: int) -> str:
    return ngettext("Evidence (%(num)s note)", "Evidence (%(num)s notes)", num)


SectionProvider = Callable[[Session, Workshop], Iterable[ReportSection]]
_PROVIDERS: list[SectionProvider] = []


def report_section(provider: SectionProvider) -> SectionProvider:
    """Register a provider of report sections (usable as a decorator). It is called with the
    database session and the workshop, under the workshop's language, each time a report is built."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def section_providers() -> list[SectionProvider]:
    return list(_PROVIDERS)


@dataclass
class CardLine:
    id: str
    text: str
    kind: str
    author: str
    group: str
    zone: str
    visit: str | None
    actor: str  # the person or body met
    tags: list[str]
    votes: int | None  # dots in the latest vote; None when there is none to show
    media_id: str | None
    comments: int

    @property
    def kind_label(self) -> str:
        return gettext(KIND_LABELS.get(self.kind, N_("Note")))


@dataclass
class ThemeBlock:
    title: str
    synthesis: str  # Markdown source
    synthesis_html: Markup  # sanitised
    cards: list[CardLine]
    votes: int | None


@dataclass
class ZoneBlock:
    id: str
    title: str
    cards: list[CardLine]


@dataclass
class GroupBlock:
    id: str
    name: str
    colour: str
    card_count: int
    vote_note: str | None
    themes: list[ThemeBlock]
    zones: list[ZoneBlock]


@dataclass
class VisitBlock:
    title: str
    when: str
    place: str
    cards: list[CardLine]


@dataclass
class Report:
    title: str
    locale: str
    dates: str | None
    generated: str
    timezone: str
    card_count: int
    groups: list[GroupBlock]
    appendix: list[VisitBlock]
    sections: list[ReportSection] = field(default_factory=list)


def build(db: Session, data: WorkshopData, now: datetime) -> Report:
    locale = data.workshop.locale
    zone = report_timezone()
    lines: dict[str, CardLine] = {}
    groups = [_group(data, board, lines) for board in data.boards]
    sections = [section for provider in _PROVIDERS for section in provider(db, data.workshop)]
    return Report(
        title=data.workshop.title,
        locale=locale,
        dates=_dates(data.dates(), locale),
        generated=format_date(now.astimezone(zone).date(), "long", locale=locale),
        timezone=str(zone),
        card_count=len(lines),
        groups=groups,
        appendix=_appendix(data, lines, locale),
        sections=sections,
    )


def _dates(span: tuple[date, date] | None, locale: str) -> str | None:
    if span is None:
        return None
    start, end = span
    if start == end:
        return format_date(start, "full", locale=locale)
    return f"{format_date(start, 'long', locale=locale)} – {format_date(end, 'long', locale=locale)}"


def _group(data: WorkshopData, board: BoardData, lines: dict[str, CardLine]) -> GroupBlock:
    zones = board.zone_order()
    zone_titles = dict(zones)
    for card in board.cards:
        lines[card.id] = _line(data, board, card, zone_titles.get(card.zone, card.zone))
    themes = []
    for theme in board.themes:
        cards = [lines[c.id] for c in board.cards if c.theme_id == theme.id]
        cards.sort(key=lambda line: -(line.votes or 0))  # stable: board order among equals
        votes = None if board.counts is None else sum(line.votes or 0 for line in cards)
        themes.append(ThemeBlock(title=theme.title, synthesis=theme.synthesis,
                                 synthesis_html=Markup(render(theme.synthesis)),  # sanitised by collab.markdown
                                 cards=cards, votes=votes))
    zone_blocks = [ZoneBlock(id=zone_id, title=title, cards=[lines[c.id] for c in board.cards if c.zone == zone_id])
                   for zone_id, title in zones]
    group = board.group
    return GroupBlock(id=group.id if group else board.board.id, name=board.name,
                      colour=group.colour if group else "#8a8f98", card_count=len(board.cards),
                      vote_note=_vote_note(board), themes=themes, zones=zone_blocks)


def _vote_note(board: BoardData) -> str | None:
    vote = board.vote
    if vote is None:
        return None
    if board.counts is None:
        return gettext("A hidden dot vote is under way: its counts are not shown until the facilitators reveal them.")
    if vote.status == "closed":
        return ngettext("Dot vote (%(num)s dot each), closed.", "Dot vote (%(num)s dots each), closed.",
                        vote.dots)
    return ngettext("Dot vote (%(num)s dot each), still open: counts may change.",
                    "Dot vote (%(num)s dots each), still open: counts may change.", vote.dots)


def _line(data: WorkshopData, board: BoardData, card: Card, zone: str) -> CardLine:
    visit = data.visit(card.visit_id)
    return CardLine(
        id=card.id, text=card.text, kind=card.kind,
        author=data.authors.get(card.author_id or "", card.author_name) or card.author_name,
        group=board.name, zone=zone, visit=visit.title if visit else None, actor=card.actor or "",
        tags=list(card.tags or []), votes=board.votes_of(card.id),
        media_id=card.media_id if card.media_id in data.media else None,
        comments=data.comment_counts.get(card.id, 0),
    )


def _appendix(data: WorkshopData, lines: dict[str, CardLine], locale: str) -> list[VisitBlock]:
    zone = report_timezone()
    by_visit: dict[str | None, list[CardLine]] = {}
    for board in data.boards:
        for card in sorted(board.cards, key=lambda c: (c.created_at, c.id)):
            key = card.visit_id if data.visit(card.visit_id) else None
            by_visit.setdefault(key, []).append(lines[card.id])
    blocks = []
    for visit in data.visits:
        start, end = visit.starts_at.astimezone(zone), visit.ends_at.astimezone(zone)
        when = (f"{format_date(start, 'full', locale=locale)}, "
                f"{format_time(start, 'short', locale=locale)}–{format_time(end, 'short', locale=locale)}")
        blocks.append(VisitBlock(title=visit.title, when=when, place=visit.place, cards=by_visit.get(visit.id, [])))
    if by_visit.get(None):
        blocks.append(VisitBlock(title=gettext("Notes not linked to a visit"), when="", place="",
                                 cards=by_visit[None]))
    return blocks


def dots(count: int | None) -> str | None:
    """"3 dots", or None when there are no counts to show."""
    return None if count is None else ngettext("%(num)s dot", "%(num)s dots", count)


def card_meta(line: CardLine, *, group: bool = False, zone: bool = False, visit: bool = True) -> list[str]:
    """The facts printed under a card, in the report's language (shared with the HTML template)."""
    parts = [f"{line.author} ({line.group})" if group else line.author, line.kind_label]
    if zone:
        parts.append(line.zone)
    if visit and line.visit:
        parts.append(line.visit)
    if line.actor:
        parts.append(gettext("Met: %(actor)s", actor=line.actor))
    if line.tags:
        parts.append(", ".join(f"#{tag}" for tag in line.tags))
    votes = dots(line.votes)
    if votes and line.votes:
        parts.append(votes)
    if line.comments:
        parts.append(ngettext("%(num)s comment", "%(num)s comments", line.comments))
    return parts


def render_html(report: Report, *, for_pdf: bool = False) -> str:
    """The report as a standalone printable page (`for_pdf`: without the on-screen links)."""
    return render_template("exports/report.html", report=report, for_pdf=for_pdf, card_meta=card_meta, dots=dots,
                           count_notes=count_notes, count_themes=count_themes, count_groups=count_groups,
                           evidence_title=evidence_title)
