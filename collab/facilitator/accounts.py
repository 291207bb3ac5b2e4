"""Facilitator accounts: passwords (werkzeug's scrypt), the signed-in account, login rate limits (collab.ratelimit).

An account is signed in by two keys of the Flask session: its id and its `session_epoch`, which a
password change bumps so that every other session of the account ends. The participant keys that
`collab.auth` keeps in the same session are left alone: an account acts in a workshop through a
facilitator `Participant` (collab.facilitator.entry).
"""

from __future__ import annotations

import re

from flask import g, request, session
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..auth import ACCOUNT_KEY, EPOCH_KEY
from ..models import FacilitatorAccount, WorkshopFacilitator
from ..services import services
from ..sync.errors import N_, OpError
from .acting import drop_connections

MIN_PASSWORD = 10
MAX_PASSWORD = 200
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
# Checked against when the email is unknown, so that a wrong email takes as long as a wrong password.
_DECOY_HASH = generate_password_hash("decoy password, never anyone's")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def valid_email(email: str) -> bool:
    return len(email) <= 254 and EMAIL.match(email) is not None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise OpError("invalid", N_("A password needs %(min)s characters at least."), min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise OpError("invalid", N_("A password has %(max)s characters at most."), max=MAX_PASSWORD)


def hash_password(password: str) -> str:
    """scrypt takes tens of milliseconds of CPU: run it off the event loop (services().offload)."""
    return services().offload(generate_password_hash, password)


def password_matches(stored_hash: str, password: str) -> bool:
    return bool(services().offload(check_password_hash, stored_hash, password))


def find_account(db: Session, email: str) -> FacilitatorAccount | None:
    return db.scalar(select(FacilitatorAccount).where(func.lower(FacilitatorAccount.email) == normalise_email(email)))


def create_account(db: Session, email: str, password: str, name: str = "") -> FacilitatorAccount:
    """A new account (commits); `invalid` for a malformed email or password, `conflict` if taken."""
    email = normalise_email(email)
    if not valid_email(email):
        raise OpError("invalid", N_("This email address does not look right."))
    check_password_rules(password)
    if find_account(db, email) is not None:
        raise OpError("conflict", N_("An account with this email already exists."))
    account = FacilitatorAccount(
        email=email, name=(name.strip() or email.split("@")[0])[:60], password_hash=hash_password(password)
    )
    db.add(account)
    db.commit()
    return account


def authenticate(db: Session, email: str, password: str) -> FacilitatorAccount | None:
    account = find_account(db, email) if valid_email(normalise_email(email)) else None
    if account is None:
        password_matches(_DECOY_HASH, password)
        return None
    return account if password_matches(account.password_hash, password) else None


def change_password(db: Session, account: FacilitatorAccount, current: str, new: str) -> None:
    """Check the current password, set the new one and end the account's other sessions (commits)."""
    if not password_matches(account.password_hash, current):
        raise OpError("forbidden", N_("The current password is not right."))
    check_password_rules(new)
    account.password_hash = hash_password(new)
    account.session_epoch += 1
    db.commit()
    sign_in(account)
    # Every session signed in before ends now: REST and pages check the epoch at each request; the
    # live connections of the account's participants close on every process and reconnect only with
    # a current session (SYNC-15).
    acting = db.scalars(select(WorkshopFacilitator.participant_id).where(
        WorkshopFacilitator.account_id == account.id, WorkshopFacilitator.participant_id.is_not(None)))
    drop_connections([pid for pid in acting if pid], reason="signed_out")


def sign_in(account: FacilitatorAccount) -> None:
    """Mark this browser session as the account's (keeping the language and any participant)."""
    session.permanent = True
    session[ACCOUNT_KEY] = account.id
    session[EPOCH_KEY] = account.session_epoch


def sign_out() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def current_account() -> FacilitatorAccount | None:
    """The account signed in on this request, or None (its password changed since: None)."""
    if "facilitator_account_row" in g:
        return g.facilitator_account_row
    account = None
    account_id = session.get(ACCOUNT_KEY)
    if isinstance(account_id, str):
        with services().sessions() as db:
            found = db.get(FacilitatorAccount, account_id)
        if found is not None and found.session_epoch == session.get(EPOCH_KEY):
            account = found
    g.facilitator_account_row = account
    return account


def account_dict(account: FacilitatorAccount) -> dict[str, str]:
    return {"id": account.id, "email": account.email, "name": account.name}


def check_login_limit(email: str) -> None:
    """Refuse a sign-in from an address or for an email with too many failures lately."""
    services().limits.check("login_failure", *_login_keys(email))


def login_failed(email: str) -> None:
    services().limits.failed("login_failure", *_login_keys(email))


def _login_keys(email: str) -> tuple[str, str]:
    return f"ip:{request.remote_addr or 'unknown'}", f"email:{normalise_email(email)[:254]}"
