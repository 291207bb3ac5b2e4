"""How an account acts inside a workshop: through a facilitator `Participant` of its own there.

Boards, ops and presence only know participants (collab.sync.access.Actor), so an account that
manages a workshop gets one facilitator participant in it, made the first time it is needed and
remembered on its `WorkshopFacilitator` row. Entering a workshop puts that participant in the
browser session next to the account.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import session
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import SESSION_KEY, hash_token, new_token
from ..models import FacilitatorAccount, Participant, Workshop, WorkshopFacilitator
from ..mutations import end_access
from ..sync.access import Actor


def acting_participant(db: Session, account: FacilitatorAccount, workshop: Workshop) -> Participant:
    """The account's facilitator participant in `workshop` (made now if it has none). Commits."""
    link = db.get(WorkshopFacilitator, (workshop.id, account.id))
    assert link is not None, "only for a workshop the account manages"
    participant = db.get(Participant, link.participant_id) if link.participant_id else None
    if participant is None or participant.workshop_id != workshop.id:
        # The token is never shown: this participant signs in through the account only.
        participant = Participant(
            workshop_id=workshop.id, name=account.name[:60], role="facilitator", token_hash=hash_token(new_token())
        )
        db.add(participant)
        db.flush()
        link.participant_id = participant.id
        db.commit()
    return participant


def acting_actor(db: Session, account: FacilitatorAccount, workshop: Workshop) -> Actor:
    return Actor.of(acting_participant(db, account, workshop))


def enter(db: Session, account: FacilitatorAccount, workshop: Workshop) -> Participant:
    """Act in `workshop` from this browser: its boards and agenda then open as this facilitator."""
    participant = acting_participant(db, account, workshop)
    session.permanent = True
    session[SESSION_KEY] = participant.id
    return participant


def managed_ids(db: Session, account: FacilitatorAccount) -> list[str]:
    return list(db.scalars(select(WorkshopFacilitator.workshop_id).where(WorkshopFacilitator.account_id == account.id)))


def drop_connections(participant_ids: Iterable[str] = (), workshop_id: str | None = None, *,
                     reason: str | None = None) -> None:
    """Close the live connections of these participants (or of a whole workshop) on every process
    (collab.mutations.end_access): their clients reconnect at once with what changed (name, group),
    or are refused if they were removed."""
    ids = list(participant_ids)
    if ids:
        end_access(ids, reason=reason or "moved")
    if workshop_id is not None:
        end_access(workshop_id=workshop_id, reason=reason or "workshop_deleted")
