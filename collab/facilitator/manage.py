"""Workshops as their facilitators manage them: create, edit, archive, delete; groups and boards."""

from __future__ import annotations

import logging
import shutil
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..board_templates import zones_for
from ..media import workshop_media_dir
from ..models import Board, Card, FacilitatorAccount, Group, Participant, Workshop, WorkshopFacilitator, utcnow
from ..sync.errors import N_, OpError
from ..workshops import GROUP_COLOURS, create_workshop
from .acting import drop_connections
from .forms import MAX_GROUPS, GroupCreate, WorkshopChanges, WorkshopCreate
from .joinkit import join_url

log = logging.getLogger(__name__)


def managed_workshop(db: Session, account: FacilitatorAccount, workshop_id: str) -> Workshop:
    """The workshop, if this account manages it; anyone else gets `not_found` (it does not exist for them)."""
    workshop = db.get(Workshop, workshop_id) if len(workshop_id) <= 64 else None
    if workshop is None or db.get(WorkshopFacilitator, (workshop.id, account.id)) is None:
        raise OpError("not_found", N_("This workshop does not exist."))
    return workshop


def summary(workshop: Workshop, people: int = 0) -> dict[str, Any]:
    return {
        "id": workshop.id,
        "title": workshop.title,
        "code": workshop.join_code,
        "locale": workshop.locale,
        "starts_on": workshop.starts_on.isoformat() if workshop.starts_on else None,
        "ends_on": workshop.ends_on.isoformat() if workshop.ends_on else None,
        "archived": workshop.archived_at is not None,
        "conclusions_title": workshop.conclusions_title or "",
        "created_at": workshop.created_at.isoformat(),
        "participant_count": people,
    }


def workshops_of(db: Session, account: FacilitatorAccount) -> list[dict[str, Any]]:
    """The account's workshops, the coming and current ones first, then by newest."""
    people = (
        select(func.count(Participant.id))
        .where(Participant.workshop_id == Workshop.id, Participant.role == "participant")
        .correlate(Workshop)
        .scalar_subquery()
    )
    rows = db.execute(
        select(Workshop, people)
        .join(WorkshopFacilitator, WorkshopFacilitator.workshop_id == Workshop.id)
        .where(WorkshopFacilitator.account_id == account.id)
        .order_by(Workshop.starts_on.desc().nulls_last(), Workshop.created_at.desc())
    )
    return [summary(workshop, count) for workshop, count in rows]


def workshop_detail(db: Session, workshop: Workshop) -> dict[str, Any]:
    boards = {b.group_id: b for b in db.scalars(select(Board).where(Board.workshop_id == workshop.id))}
    cards = dict(
        db.execute(
            select(Card.board_id, func.count(Card.id))
            .join(Board, Board.id == Card.board_id)
            .where(Board.workshop_id == workshop.id, Card.deleted.is_(False))
            .group_by(Card.board_id)
        ).all()
    )
    members = dict(
        db.execute(
            select(Participant.group_id, func.count(Participant.id))
            .where(Participant.workshop_id == workshop.id, Participant.role == "participant")
            .group_by(Participant.group_id)
        ).all()
    )
    groups = []
    for group in groups_of(db, workshop):
        board = boards.get(group.id)
        groups.append(
            {
                "id": group.id,
                "name": group.name,
                "colour": group.colour,
                "position": group.position,
                "board_id": board.id if board else None,
                "template": board.template if board else None,
                "card_count": cards.get(board.id, 0) if board else 0,
                "participant_count": members.get(group.id, 0),
            }
        )
    return {**summary(workshop, sum(members.values())), "join_url": join_url(workshop.join_code), "groups": groups}


def groups_of(db: Session, workshop: Workshop) -> list[Group]:
    """The groups in order, read now (the `Workshop.groups` collection may be stale in a session)."""
    return list(db.scalars(select(Group).where(Group.workshop_id == workshop.id).order_by(Group.position, Group.name)))


def create(db: Session, account: FacilitatorAccount, form: WorkshopCreate) -> Workshop:
    made = create_workshop(db, form.title, form.groups, form.locale)
    workshop = made.workshop
    workshop.starts_on, workshop.ends_on = form.starts_on, form.ends_on
    # The facilitator the workshop was made with becomes this account's: no access key is shown.
    made.participant.name = account.name[:60]
    db.add(WorkshopFacilitator(workshop_id=workshop.id, account_id=account.id, participant_id=made.participant.id))
    if form.template != "territory":
        for board in db.scalars(select(Board).where(Board.workshop_id == workshop.id)):
            board.template, board.zones = form.template, zones_for(form.template, form.locale)
    db.commit()
    return workshop


def update(db: Session, workshop: Workshop, changes: WorkshopChanges) -> None:
    given = changes.model_fields_set
    for field in ("title", "locale"):
        value = getattr(changes, field)
        if field in given:
            if value is None:
                raise OpError("invalid", N_("Invalid field: %(field)s."), field=field)
            setattr(workshop, field, value)
    if "starts_on" in given:
        workshop.starts_on = changes.starts_on
    if "ends_on" in given:
        workshop.ends_on = changes.ends_on
    if workshop.starts_on and workshop.ends_on and workshop.ends_on < workshop.starts_on:
        raise OpError("invalid", N_("The workshop cannot end before it starts."))
    if "conclusions_title" in given:
        workshop.conclusions_title = changes.conclusions_title or None
    if "archived" in given and changes.archived is not None:
        workshop.archived_at = (workshop.archived_at or utcnow()) if changes.archived else None
    db.commit()


def delete_workshop(db: Session, workshop: Workshop) -> None:
    """Delete the workshop, everything in it (the database cascades) and its photo files."""
    workshop_id = workshop.id
    db.expunge(workshop)
    db.execute(delete(Workshop).where(Workshop.id == workshop_id))
    db.commit()
    drop_connections(workshop_id=workshop_id)
    try:
        folder = workshop_media_dir(current_app.config["MEDIA_DIR"], workshop_id)
    except ValueError:  # not an id the app made (an old import): it names no photo folder of its own
        log.warning("workshop %r has no media folder of its own: none deleted", workshop_id)
        return
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            log.warning("could not delete every photo of workshop %s in %s", workshop_id, folder)


def add_group(db: Session, workshop: Workshop, form: GroupCreate) -> Group:
    existing = groups_of(db, workshop)
    count = len(existing)
    if count >= MAX_GROUPS:
        raise OpError("invalid", N_("A workshop has %(max)s groups at most."), max=MAX_GROUPS)
    position = max((g.position for g in existing), default=-1) + 1
    group = Group(
        workshop_id=workshop.id,
        name=form.name,
        colour=form.colour or GROUP_COLOURS[count % len(GROUP_COLOURS)],
        position=position,
    )
    db.add(group)
    db.flush()
    db.add(
        Board(
            workshop_id=workshop.id,
            group_id=group.id,
            title=form.name,
            template=form.template,
            zones=zones_for(form.template, workshop.locale),
        )
    )
    db.commit()
    return group


def group_of(db: Session, workshop: Workshop, group_id: str) -> Group:
    group = db.get(Group, group_id) if len(group_id) <= 64 else None
    if group is None or group.workshop_id != workshop.id:
        raise OpError("not_found", N_("This group does not exist."))
    return group

