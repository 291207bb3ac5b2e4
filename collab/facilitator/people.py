"""The people of a workshop, for its facilitators: participants (who is online, rename, move,
remove) and co-facilitators (add an existing account, or invite with a one-time link)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..auth import hash_token, new_token
from ..models import (
    Board,
    Card,
    FacilitatorAccount,
    FacilitatorInvitation,
    Group,
    Participant,
    Workshop,
    WorkshopFacilitator,
    utcnow,
)
from ..services import services
from ..sync.errors import N_, OpError
from .accounts import find_account, normalise_email, valid_email
from .acting import drop_connections
from .forms import ParticipantChanges

INVITATION_DAYS = 7
MAX_PENDING_INVITATIONS = 20


# ---- participants -------------------------------------------------------------------------------


def online_ids(db: Session, workshop: Workshop) -> dict[str, list[str]]:
    """Who is on which of the workshop's boards now (a page or the capture screen, SYNC-11): participant
    id -> board ids."""
    presence = services().presence
    online: dict[str, list[str]] = {}
    for board_id in db.scalars(select(Board.id).where(Board.workshop_id == workshop.id)):
        for person in presence.participants(board_id):
            if person.get("mode") != "watch":  # a facilitator's console watches every board: not on them
                online.setdefault(person["id"], []).append(board_id)
    return online


def participants(db: Session, workshop: Workshop) -> list[dict[str, Any]]:
    cards = dict(
        db.execute(
            select(Card.author_id, func.count(Card.id))
            .join(Board, Board.id == Card.board_id)
            .where(Board.workshop_id == workshop.id, Card.deleted.is_(False))
            .group_by(Card.author_id)
        ).all()
    )
    online = online_ids(db, workshop)
    rows = db.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id).order_by(Participant.created_at)
    )
    return [
        {
            "id": p.id,
            "name": p.name,
            "role": p.role,
            "group_id": p.group_id,
            "joined_at": p.created_at.isoformat(),
            "card_count": cards.get(p.id, 0),
            "online": p.id in online,
            "boards": online.get(p.id, []),
        }
        for p in rows
    ]


def participant_of(db: Session, workshop: Workshop, participant_id: str) -> Participant:
    participant = db.get(Participant, participant_id) if len(participant_id) <= 64 else None
    if participant is None or participant.workshop_id != workshop.id:
        raise OpError("not_found", N_("This participant does not exist."))
    if participant.role != "participant":
        raise OpError("forbidden", N_("Facilitators are managed under co-facilitators."))
    return participant


def update_participant(db: Session, workshop: Workshop, participant: Participant, changes: ParticipantChanges) -> None:
    given = changes.model_fields_set
    moved = "group_id" in given and changes.group_id != participant.group_id
    if "name" in given:
        if not changes.name:
            raise OpError("invalid", N_("Invalid field: %(field)s."), field="name")
        participant.name = changes.name
    if "group_id" in given:
        if changes.group_id is not None:
            group = db.get(Group, changes.group_id)
            if group is None or group.workshop_id != workshop.id:
                raise OpError("not_found", N_("This group does not exist."))
        participant.group_id = changes.group_id
    db.commit()
    # Their connections, on every process, reconnect with the new name or group (SYNC-15).
    drop_connections([participant.id], reason="moved" if moved else "renamed")


def remove_participant(db: Session, participant: Participant) -> None:
    """Remove them: their notes stay (with their name); their session and access key end."""
    participant_id = participant.id
    db.delete(participant)
    db.commit()
    drop_connections([participant_id], reason="removed")


# ---- co-facilitators ----------------------------------------------------------------------------


def facilitators(db: Session, workshop: Workshop) -> dict[str, Any]:
    accounts = db.execute(
        select(FacilitatorAccount, WorkshopFacilitator.added_at)
        .join(WorkshopFacilitator, WorkshopFacilitator.account_id == FacilitatorAccount.id)
        .where(WorkshopFacilitator.workshop_id == workshop.id)
        .order_by(WorkshopFacilitator.added_at)
    )
    invitations = db.scalars(
        select(FacilitatorInvitation)
        .where(FacilitatorInvitation.workshop_id == workshop.id, FacilitatorInvitation.expires_at > utcnow())
        .order_by(FacilitatorInvitation.created_at)
    )
    return {
        "facilitators": [
            {"id": a.id, "name": a.name, "email": a.email, "added_at": added.isoformat()} for a, added in accounts
        ],
        "invitations": [
            {"id": i.id, "email": i.email, "expires_at": i.expires_at.isoformat()} for i in invitations
        ],
    }


def invite(db: Session, inviter: FacilitatorAccount, workshop: Workshop, email: str) -> dict[str, Any]:
    """Add an existing account at once; otherwise make a one-time link (its token shown only now)."""
    email = normalise_email(email)
    if not valid_email(email):
        raise OpError("invalid", N_("This email address does not look right."))
    account = find_account(db, email)
    if account is not None:
        if db.get(WorkshopFacilitator, (workshop.id, account.id)) is not None:
            raise OpError("conflict", N_("This person already facilitates the workshop."))
        db.add(WorkshopFacilitator(workshop_id=workshop.id, account_id=account.id))
        db.commit()
        return {"added": {"id": account.id, "name": account.name, "email": account.email}}
    now = utcnow()
    db.execute(delete(FacilitatorInvitation).where(FacilitatorInvitation.expires_at <= now))
    db.execute(
        delete(FacilitatorInvitation).where(
            FacilitatorInvitation.workshop_id == workshop.id, FacilitatorInvitation.email == email
        )
    )
    pending = db.scalar(
        select(func.count(FacilitatorInvitation.id)).where(FacilitatorInvitation.workshop_id == workshop.id)
    )
    if (pending or 0) >= MAX_PENDING_INVITATIONS:
        raise OpError("invalid", N_("Too many pending invitations: revoke some first."))
    token = new_token()
    invitation = FacilitatorInvitation(
        workshop_id=workshop.id,
        email=email,
        token_hash=hash_token(token),
        invited_by=inviter.id,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.add(invitation)
    db.commit()
    return {"invitation": {"id": invitation.id, "email": email, "expires_at": invitation.expires_at.isoformat()},
            "token": token}


def remove_facilitator(db: Session, workshop: Workshop, account_id: str) -> None:
    """Take an account off the workshop (never the last one); its facilitator participant goes too."""
    link = db.get(WorkshopFacilitator, (workshop.id, account_id)) if len(account_id) <= 64 else None
    if link is None:
        raise OpError("not_found", N_("This facilitator does not exist."))
    count = db.scalar(select(func.count()).where(WorkshopFacilitator.workshop_id == workshop.id)) or 0
    if count <= 1:
        raise OpError("invalid", N_("A workshop keeps at least one facilitator."))
    participant_id = link.participant_id
    db.delete(link)
    if participant_id:
        db.execute(delete(Participant).where(Participant.id == participant_id))
    db.commit()
    if participant_id:
        drop_connections([participant_id], reason="removed")


def revoke_invitation(db: Session, workshop: Workshop, invitation_id: str) -> None:
    invitation = db.get(FacilitatorInvitation, invitation_id) if len(invitation_id) <= 64 else None
    if invitation is None or invitation.workshop_id != workshop.id:
        raise OpError("not_found", N_("This invitation does not exist."))
    db.delete(invitation)
    db.commit()


def invitation_for(db: Session, token: str) -> FacilitatorInvitation:
    invitation = db.scalar(select(FacilitatorInvitation).where(FacilitatorInvitation.token_hash == hash_token(token)))
    if invitation is None or invitation.expires_at <= utcnow():
        raise OpError("not_found", N_("This invitation is not valid (any more): ask for a new one."))
    return invitation


def accept_invitation(db: Session, invitation: FacilitatorInvitation, account: FacilitatorAccount) -> None:
    """The new account facilitates the invitation's workshop; the invitation is used up."""
    if db.get(WorkshopFacilitator, (invitation.workshop_id, account.id)) is None:
        db.add(WorkshopFacilitator(workshop_id=invitation.workshop_id, account_id=account.id))
    db.delete(invitation)
    db.commit()
