"""How an account acts inside a workshop: through a facilitator `Participant` of its own there.

Boards, ops and presence only know participants (collab.sync.access.Actor), so an account that
manages a workshop gets one facilitator participant in it, made the first time it is needed and
remembered on its `WorkshopFacilitator` row. Entering a workshop puts that participant in the
browser session next to the account.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import session
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import SESSION_KEY, hash_token, new_token
from ..extensions import socketio
from ..models import FacilitatorAccount, Participant, Workshop, WorkshopFacilitator
from ..sync.access import Actor

log = logging.getLogger(__name__)


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


def drop_connections(participant_ids: Iterable[str] = (), workshop_id: str | None = None) -> None:
    """Close this process's live connections of these participants (or of a whole workshop): their
    clients reconnect at once with what changed (name, group), or are refused if they were removed.

    Connections held by other processes (scale-out) keep their old view until they reconnect."""
    from ..realtime import handlers  # the connections this process authenticated

    wanted = set(participant_ids)
    for sid, (actor, _locale) in list(handlers._actors.items()):
        if actor.id in wanted or (workshop_id is not None and actor.workshop_id == workshop_id):
            try:
                socketio.server.disconnect(sid, namespace="/")
            except Exception:  # already gone: nothing to close
                log.debug("connection %s was already closed", sid, exc_info=True)
