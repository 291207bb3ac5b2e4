"""Participant tokens and who is making the current request (cookie or bearer token)."""

from __future__ import annotations

import hashlib
import secrets

from flask import g, request, session
from sqlalchemy import ColumnElement, select

from .models import Participant, Workshop
from .services import services
from .sync.access import Actor

SESSION_KEY = "participant_id"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def participant_for_token(token: str) -> Participant | None:
    if not token or len(token) > 200:
        return None
    return _participant(Participant.token_hash == hash_token(token))


def participant_by_id(participant_id: str) -> Participant | None:
    return _participant(Participant.id == participant_id)


def _participant(condition: ColumnElement[bool]) -> Participant | None:
    """The participant, with their workshop's language noted for this request's messages."""
    with services().sessions() as db:
        row = db.execute(
            select(Participant, Workshop.locale).join(Workshop, Workshop.id == Participant.workshop_id).where(condition)
        ).first()
    if row is None:
        return None
    g.workshop_locale = row.locale
    return row.Participant


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_actor() -> tuple[Actor | None, bool]:
    """The actor of this request and whether it came from the session cookie (which needs CSRF)."""
    token = bearer_token()
    if token is not None:
        participant = participant_for_token(token)
        return (Actor.of(participant) if participant else None), False
    participant_id = session.get(SESSION_KEY)
    if participant_id:
        participant = participant_by_id(participant_id)
        if participant is not None:
            return Actor.of(participant), True
    return None, False


def log_in(participant: Participant) -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session.permanent = True
    session[SESSION_KEY] = participant.id
