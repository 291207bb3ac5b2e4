"""A participant's own notes, to keep: `GET /api/v1/me/notes.csv` (docs/protocol.md, "Your own notes")."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Response
from flask_babel import gettext
from sqlalchemy import select

from ..exports.csv_export import guard
from ..exports.data import report_timezone
from ..exports.report import KIND_LABELS
from ..models import Board, Card, Visit
from ..services import services
from . import bp
from .errors import require_actor


def notes_csv(workshop_id: str, participant_id: str) -> str:
    """The participant's live cards in this workshop (they wrote them: author_id), oldest first, as CSV
    with a byte-order mark; cells a spreadsheet could evaluate are guarded (collab.exports.csv_export)."""
    zone = report_timezone()

    def when(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")

    with services().sessions() as db:
        rows = db.execute(
            select(Card, Board).join(Board, Board.id == Card.board_id)
            .where(Board.workshop_id == workshop_id, Card.author_id == participant_id, Card.deleted.is_(False))
            .order_by(Card.created_at, Card.id)
        ).all()
        visits = {v.id: v.title for v in db.scalars(select(Visit).where(Visit.workshop_id == workshop_id))}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([gettext("id"), gettext("group"), gettext("visit"), gettext("zone"), gettext("kind"),
                     gettext("tags"), gettext("person met"), gettext("text"), gettext("photo"),
                     gettext("created (%(zone)s)", zone=str(zone))])
    for card, board in rows:
        zones = {str(z.get("id")): str(z.get("title") or z.get("id")) for z in board.zones or []}
        cells = [board.title, visits.get(card.visit_id or "", ""), zones.get(card.zone, card.zone),
                 gettext(KIND_LABELS.get(card.kind, card.kind)), ", ".join(card.tags or []), card.actor or "",
                 card.text]
        photo = f"/api/v1/media/{card.media_id}" if card.media_id else ""
        writer.writerow([card.id, *(guard(cell) for cell in cells), photo, when(card.created_at)])
    return out.getvalue()


@bp.get("/me/notes.csv")
def my_notes() -> Response:
    actor = require_actor()
    response = Response(notes_csv(actor.workshop_id, actor.id), mimetype="text/csv")
    name = gettext("my-notes")  # the file's name, without its extension
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
