"""The demo workshop of the README's run command: the 2017 IHEST programme, moved to this week."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from .models import Visit, Workshop

# (day offset, start, end, title, place) — times in Paris; the demo's first day is today.
PROGRAMME = (
    (0, "08:30", "12:00", "Chalon-sur-Saône — Nicéphore Cité, ancien site Kodak", "Chalon-sur-Saône"),
    (0, "14:00", "18:00", "Le Creusot — métallurgie et Industeel", "Le Creusot"),
    (1, "09:00", "12:30", "Montceau-les-Mines — reconversion du bassin minier", "Montceau-les-Mines"),
    (1, "14:00", "17:30", "Travail en groupes — analyse des territoires", "Le Creusot"),
    (2, "09:00", "12:00", "Sète — port et économie maritime", "Sète"),
    (2, "14:00", "17:30", "Port-la-Nouvelle — éolien en mer", "Port-la-Nouvelle"),
    (3, "09:00", "12:00", "Séance de clôture — restitution des groupes", "Sète"),
)
PARIS_WINTER = timezone(timedelta(hours=1))


def add_programme(db: Session, workshop: Workshop, first_day: datetime | None = None) -> None:
    day = (first_day or datetime.now(PARIS_WINTER)).date()
    for offset, start, end, title, place in PROGRAMME:
        date = day + timedelta(days=offset)
        db.add(
            Visit(
                workshop_id=workshop.id,
                title=title,
                place=place,
                starts_at=_at(date, start),
                ends_at=_at(date, end),
            )
        )
    db.commit()


def _at(date: object, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(date, time(hours, minutes), PARIS_WINTER).astimezone(UTC)  # type: ignore[arg-type]
