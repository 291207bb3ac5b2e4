"""The workshop's agenda of visits: everyone reads it, facilitators edit it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from flask import Response, jsonify
from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator
from sqlalchemy import select

from ..models import Visit
from ..services import services
from ..sync.access import Actor
from ..sync.errors import N_, OpError
from ..sync.fields import Clean
from . import bp
from .errors import json_body, require_actor

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]


class VisitFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    place: Place = ""
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _in_order(self) -> VisitFields:
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at")
        return self


class VisitChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    place: Place | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


def visit_dict(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.id,
        "title": visit.title,
        "place": visit.place,
        "starts_at": visit.starts_at.isoformat(),
        "ends_at": visit.ends_at.isoformat(),
    }


def list_visits(workshop_id: str) -> list[dict[str, Any]]:
    with services().sessions() as db:
        visits = db.scalars(
            select(Visit).where(Visit.workshop_id == workshop_id).order_by(Visit.starts_at, Visit.title)
        )
        return [visit_dict(v) for v in visits]


@bp.get("/visits")
def get_visits() -> Response:
    return jsonify({"visits": list_visits(require_actor().workshop_id)})


@bp.post("/visits")
def create_visit() -> tuple[Response, int]:
    actor = _facilitator()
    fields = _parse(VisitFields, json_body())
    with services().sessions() as db:
        visit = Visit(workshop_id=actor.workshop_id, **_utc(fields.model_dump()))
        db.add(visit)
        db.commit()
        return jsonify(visit_dict(visit)), 201


@bp.patch("/visits/<visit_id>")
def update_visit(visit_id: str) -> Response:
    actor = _facilitator()
    changes = _parse(VisitChanges, json_body())
    with services().sessions() as db:
        visit = _visit(db, actor, visit_id)
        for field, value in _utc(changes.model_dump(exclude_unset=True)).items():
            if value is None:
                raise OpError("invalid", N_("Invalid field: %(field)s."), field=field)
            setattr(visit, field, value)
        if visit.ends_at < visit.starts_at:
            raise OpError("invalid", N_("A visit cannot end before it starts."))
        db.commit()
        return jsonify(visit_dict(visit))


@bp.delete("/visits/<visit_id>")
def delete_visit(visit_id: str) -> Response:
    actor = _facilitator()
    with services().sessions() as db:
        db.delete(_visit(db, actor, visit_id))  # its notes keep their text; they lose the visit
        db.commit()
    return jsonify({"ok": True})


def _facilitator() -> Actor:
    actor = require_actor(writing=True)
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can change the agenda."))
    return actor


def _visit(db: Any, actor: Actor, visit_id: str) -> Visit:
    visit = db.get(Visit, visit_id)
    if visit is None or visit.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This visit does not exist."))
    return visit


def _parse(model: type[BaseModel], body: Any) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        if any(e["type"] == "value_error" for e in exc.errors()):
            raise OpError("invalid", N_("A visit cannot end before it starts.")) from None
        field = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "body"
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=field) from None


def _utc(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in values.items()}
