"""Participant tokens and who is making the current request (cookie or bearer token).

A browser session (Flask's signed cookie) holds a participant id, and — for a facilitator account —
the account id and its `session_epoch` (collab.facilitator.accounts). An account acts in a workshop
through a facilitator participant of its own (collab.facilitator.acting): that participant acts only
while the session's account is the participant's and its epoch is current, so changing the password
(which bumps the epoch) ends the acting rights of every other session, on every process
(docs/sync-spec.md SYNC-15)."""

from __future__ import annotations

import hashlib
import secrets

from flask import g, request, session
from sqlalchemy import ColumnElement, select

from .models import FacilitatorAccount, Participant, Workshop, WorkshopFacilitator
from .services import services
from .sync.access import Actor

SESSION_KEY = "participant_id"
ACCOUNT_KEY = "facilitator_account"
EPOCH_KEY = "facilitator_epoch"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def participant_for_token(token: str) -> Participant | None:
    """The participant of an access key; never an account's acting participant (it has no key)."""
    if not token or len(token) > 200:
        return None
    found = _participant(Participant.token_hash == hash_token(token))
    return found[0] if found is not None and found[1] is None else None


def actor_for_token(token: str) -> Actor | None:
    participant = participant_for_token(token)
    return Actor.of(participant) if participant is not None else None


def session_actor() -> Actor | None:
    """The actor of this browser session (cookie), or None: no participant, or an account's
    participant whose account session is not this one's or ended."""
    participant_id = session.get(SESSION_KEY)
    if not isinstance(participant_id, str):
        return None
    found = _participant(Participant.id == participant_id)
    if found is None:
        return None
    participant, account = found
    if account is None:
        return Actor.of(participant)
    if session.get(ACCOUNT_KEY) != account[0] or session.get(EPOCH_KEY) != account[1]:
        return None
    return Actor.of(participant, account_id=account[0], session_epoch=account[1])


def _participant(condition: ColumnElement[bool]) -> tuple[Participant, tuple[str, int] | None] | None:
    """The participant and, for an account's acting participant, (account id, session epoch); their
    workshop's language is noted for this request's messages."""
    with services().sessions() as db:
        row = db.execute(
            select(Participant, Workshop.locale, WorkshopFacilitator.account_id, FacilitatorAccount.session_epoch)
            .join(Workshop, Workshop.id == Participant.workshop_id)
            .outerjoin(WorkshopFacilitator, WorkshopFacilitator.participant_id == Participant.id)
            .outerjoin(FacilitatorAccount, FacilitatorAccount.id == WorkshopFacilitator.account_id)
            .where(condition)
        ).first()
    if row is None:
        return None
    g.workshop_locale = row.locale
    account = (row.account_id, row.session_epoch) if row.account_id is not None else None
    return row.Participant, account


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_actor() -> tuple[Actor | None, bool]:
    """The actor of this request and whether it came from the session cookie (which needs CSRF)."""
    token = bearer_token()
    if token is not None:
        return actor_for_token(token), False
    actor = session_actor()
    return actor, actor is not None


def log_in(participant: Participant) -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session.permanent = True
    session[SESSION_KEY] = participant.id
