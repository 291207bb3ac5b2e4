"""Every live card of a workshop as CSV, one row per card.

The file is UTF-8 with a byte-order mark, comma-separated, every field quoted as needed by RFC 4180
(a field holding a comma, a quote or a line break is in double quotes, quotes doubled): Excel in
French, LibreOffice and scripts all open it as it is. Headings are in the workshop's language.
A cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, so that a
spreadsheet never runs a note as a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask_babel import gettext

from .data import WorkshopData, report_timezone
from .report import KIND_LABELS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def headings() -> list[str]:
    zone = str(report_timezone())
    return [gettext("id"), gettext("group"), gettext("visit"), gettext("zone"), gettext("theme"), gettext("kind"),
            gettext("tags"), gettext("author"), gettext("person met"), gettext("text"), gettext("photo"),
            gettext("dots"), gettext("comments"),
            gettext("created (%(zone)s)", zone=zone), gettext("updated (%(zone)s)", zone=zone)]


def to_csv(data: WorkshopData, media_url: str = "/api/v1/media/") -> str:
    """The CSV text, byte-order mark included. `dots`: the card's dots in its board's latest vote
    (empty when there is no vote or its counts are still hidden)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings())
    zone = report_timezone()

    def when(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")

    for board in data.boards:
        zones = dict(board.zone_order())
        themes = {t.id: t.title for t in board.themes}
        for card in board.cards:
            visit = data.visit(card.visit_id)
            votes = board.votes_of(card.id)
            text_cells = [
                board.name, visit.title if visit else "", zones.get(card.zone, card.zone),
                themes.get(card.theme_id or "", ""), gettext(KIND_LABELS.get(card.kind, card.kind)),
                ", ".join(card.tags or []),
                data.authors.get(card.author_id or "", card.author_name) or card.author_name,
                card.actor or "", card.text,
            ]
            photo = f"{media_url}{card.media_id}" if card.media_id in data.media else ""
            writer.writerow([card.id, *(guard(cell) for cell in text_cells), photo,
                             "" if votes is None else votes, data.comment_counts.get(card.id, 0),
                             when(card.created_at), when(card.updated_at)])
    return out.getvalue()
