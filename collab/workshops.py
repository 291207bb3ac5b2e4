"""Creating workshops and joining them with a short code."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth import hash_token, new_token
from .board_templates import DEFAULT_TEMPLATE, zones_for
from .models import Board, Group, Participant, Workshop

# No 0/O, 1/I/L: codes are read aloud, projected and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
GROUP_COLOURS = ("#e76f51", "#2a9d8f", "#e9c46a", "#457b9d", "#8e7dbe", "#f4a261", "#6a994e", "#d62828")
GROUP_NAME = {"fr": "Groupe %d", "en": "Group %d"}
FACILITATOR_NAME = {"fr": "Animation", "en": "Facilitator"}


@dataclass
class Joined:
    participant: Participant
    workshop: Workshop
    token: str


def normalise_code(code: str) -> str:
    return re.sub(r"[\s\-_.]", "", code or "").upper()


def find_by_code(db: Session, code: str) -> Workshop | None:
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    return db.scalar(select(Workshop).where(Workshop.join_code == code))


def _unique_code(db: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(Workshop.id).where(Workshop.join_code == code)) is None:
            return code


def create_workshop(db: Session, title: str, groups: int, locale: str = "fr") -> Joined:
    """A workshop with `groups` groups, a board each, and its first facilitator. Commits."""
    workshop = Workshop(title=title.strip(), join_code=_unique_code(db), locale=locale)
    db.add(workshop)
    db.flush()
    for index in range(groups):
        name = GROUP_NAME.get(locale, GROUP_NAME["en"]) % (index + 1)
        group = Group(
            workshop_id=workshop.id, name=name, colour=GROUP_COLOURS[index % len(GROUP_COLOURS)], position=index
        )
        db.add(group)
        db.flush()
        db.add(
            Board(
                workshop_id=workshop.id,
                group_id=group.id,
                title=name,
                template=DEFAULT_TEMPLATE,
                zones=zones_for(DEFAULT_TEMPLATE, locale),
            )
        )
    token = new_token()
    facilitator = Participant(
        workshop_id=workshop.id,
        name=FACILITATOR_NAME.get(locale, FACILITATOR_NAME["en"]),
        role="facilitator",
        token_hash=hash_token(token),
    )
    db.add(facilitator)
    db.commit()
    return Joined(participant=facilitator, workshop=workshop, token=token)


def join(db: Session, workshop: Workshop, name: str, group_id: str | None) -> Joined:
    """A new participant in `workshop`: in `group_id`, or in the group with the fewest members."""
    group = _group(db, workshop, group_id) if group_id else _least_crowded(db, workshop)
    token = new_token()
    participant = Participant(
        workshop_id=workshop.id,
        group_id=group.id if group else None,
        name=name.strip(),
        role="participant",
        token_hash=hash_token(token),
    )
    db.add(participant)
    db.commit()
    return Joined(participant=participant, workshop=workshop, token=token)


def _group(db: Session, workshop: Workshop, group_id: str) -> Group | None:
    group = db.get(Group, group_id)
    return group if group is not None and group.workshop_id == workshop.id else None


def _least_crowded(db: Session, workshop: Workshop) -> Group | None:
    members = (
        select(func.count(Participant.id))
        .where(Participant.group_id == Group.id)
        .correlate(Group)
        .scalar_subquery()
    )
    return db.scalar(
        select(Group).where(Group.workshop_id == workshop.id).order_by(members, Group.position).limit(1)
    )


def boards_by_group(db: Session, workshop: Workshop) -> dict[str, str]:
    rows = db.execute(select(Board.group_id, Board.id).where(Board.workshop_id == workshop.id))
    return {group_id: board_id for group_id, board_id in rows if group_id}


def workshop_dict(db: Session, workshop: Workshop) -> dict[str, Any]:
    boards = boards_by_group(db, workshop)
    return {
        "id": workshop.id,
        "title": workshop.title,
        "code": workshop.join_code,
        "locale": workshop.locale,
        "groups": [
            {"id": g.id, "name": g.name, "colour": g.colour, "board_id": boards.get(g.id)} for g in workshop.groups
        ],
    }


def participant_dict(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "role": participant.role,
        "group_id": participant.group_id,
    }
