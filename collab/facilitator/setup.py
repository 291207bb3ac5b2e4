"""The first run: the instance's first facilitator account, made in the browser, and who owns the
workshops the command line makes (docs/protocol.md, "First run").

While no facilitator account exists, `/facilitator/setup` lets someone create the first one — only
with the **setup key**, which the command line prints (`collab demo`, `create-workshop`,
`setup-link`): HMAC-SHA256 of the instance's secret key, so every process of a scale-out agrees
without storing anything, and nobody who has not read the server's own output or secret can take
over a fresh instance that is already reachable from the network. Once an account exists the page
is gone (it redirects to the sign-in page) and the API answers `404`: the key opens nothing any
more. The first account takes over every workshop that has no managing account (the demo one,
those made by `create-workshop` before it), and the command line gives the workshops it makes to
the one account when there is exactly one (or to `--owner`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..api.errors import json_body
from ..extensions import csrf
from ..models import FacilitatorAccount, Workshop, WorkshopFacilitator
from ..services import services
from ..sync.errors import N_, OpError
from . import api
from . import pages as bp
from .accounts import MIN_PASSWORD, account_dict, create_account, current_account, sign_in, sign_out
from .forms import Email, Name, Password, Token, _Form, parse
from .views import safe_next

_SALT = b"collab first-run setup key v1"


class Setup(_Form):
    key: Token
    email: Email
    password: Password
    name: Name | None = None
    next: Token | None = None


def setup_key() -> str:
    """The instance's setup key: 24 URL-safe characters derived from its secret key."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return base64.urlsafe_b64encode(hmac.new(secret, _SALT, hashlib.sha256).digest()[:18]).decode()


def setup_open(db: Session) -> bool:
    """True while the instance has no facilitator account."""
    return db.scalar(select(func.count(FacilitatorAccount.id))) == 0


def sole_account(db: Session) -> FacilitatorAccount | None:
    """The instance's account when it has exactly one."""
    accounts = db.scalars(select(FacilitatorAccount).limit(2)).all()
    return accounts[0] if len(accounts) == 1 else None


def managed(db: Session, workshop_id: str) -> bool:
    return db.scalar(select(exists().where(WorkshopFacilitator.workshop_id == workshop_id))) or False


def give(db: Session, workshop_id: str, account: FacilitatorAccount) -> None:
    """Let `account` manage the workshop (commits; nothing if it already does)."""
    if db.get(WorkshopFacilitator, (workshop_id, account.id)) is None:
        db.add(WorkshopFacilitator(workshop_id=workshop_id, account_id=account.id))
        db.commit()


def adopt_unmanaged(db: Session, account: FacilitatorAccount) -> list[str]:
    """Give `account` every workshop that no account manages; their ids (commits)."""
    orphans = list(db.scalars(
        select(Workshop.id).where(~exists().where(WorkshopFacilitator.workshop_id == Workshop.id))
    ))
    for workshop_id in orphans:
        db.add(WorkshopFacilitator(workshop_id=workshop_id, account_id=account.id))
    db.commit()
    return orphans


def facilitator_link(db: Session, base: str, workshop_id: str, token: str) -> tuple[str, str]:
    """What the command line prints for a facilitator: (`setup` | `console` | `claim`, URL).

    No account yet: the setup page, with the setup key in the fragment (never sent to a server).
    The workshop has an account: its console (the sign-in page comes first if needed). Otherwise
    (several accounts, none chosen): the page that adds it to the signed-in account in one click.
    """
    if setup_open(db):
        return "setup", f"{base}/facilitator/setup#key={setup_key()}"
    if managed(db, workshop_id):
        return "console", f"{base}/facilitator/w/{workshop_id}/console"
    return "claim", f"{base}/facilitator/claim#token={token}"


def first_account_made(db: Session, account: FacilitatorAccount) -> list[str]:
    """After an account is made: if it is the instance's first, it takes the unmanaged workshops."""
    first = find_first(db)
    return adopt_unmanaged(db, account) if first is not None and first.id == account.id else []


# ---- the page and its API -----------------------------------------------------------------------


@bp.get("/setup")
def setup_page() -> Response | str:
    target = request.args.get("next")
    with services().sessions() as db:
        if not setup_open(db):
            return redirect(url_for("facilitator.login", next=target) if target else url_for("facilitator.login"))
    return render_template(
        "facilitator/setup.html", min_password=MIN_PASSWORD, next=safe_next(target) if target else ""
    )


@api.post("/setup")
def setup() -> Response:
    """Create the first account with the setup key; it is signed in and takes the unmanaged workshops."""
    csrf.protect()
    with services().sessions() as db:
        if not setup_open(db):  # whatever the body: the route is gone
            raise OpError("not_found", N_("This Collab already has a facilitator account: sign in."))
    form = parse(Setup, json_body())
    # Per client address only: 144 bits are not guessed, and a count shared by everyone would let a
    # stranger keep the operator out.
    limits, keys = services().limits, (f"ip:{request.remote_addr or 'unknown'}",)
    limits.check("login_failure", *keys)
    with services().sessions() as db:
        if not hmac.compare_digest(form.key.strip().encode(), setup_key().encode()):
            limits.failed("login_failure", *keys)
            raise OpError("invalid", N_("This setup key is not right: copy it again from the server's output."),
                          details={"field": "key"})
        account = create_account(db, form.email, form.password, form.name or "")
        # Two first accounts at once: the later one goes, setup stays one account.
        if (first := find_first(db)) is not None and first.id != account.id:
            db.delete(account)
            db.commit()
            raise OpError("not_found", N_("This Collab already has a facilitator account: sign in."))
        workshops = adopt_unmanaged(db, account)
    sign_out()
    sign_in(account)
    if form.next:
        target = safe_next(form.next)
    elif len(workshops) == 1:
        target = url_for("facilitator.live_console", workshop_id=workshops[0])
    else:
        target = url_for("facilitator.home")
    return jsonify({"account": account_dict(account), "csrf_token": generate_csrf(), "next": target})


def find_first(db: Session) -> FacilitatorAccount | None:
    return db.scalar(
        select(FacilitatorAccount).order_by(FacilitatorAccount.created_at, FacilitatorAccount.id).limit(1)
    )


@bp.get("/claim")
def claim_page() -> Response | str:
    """Opened from a printed `/facilitator/claim#token=…` link: one click adds the workshop."""
    account = current_account()
    if account is None:
        return redirect(url_for("facilitator.login", next="/facilitator/claim"))
    return render_template("facilitator/claim.html", account=account_dict(account))


def owner_email(db: Session, workshop_id: str) -> str | None:
    """The email of the (first) account that manages the workshop, or None."""
    return db.scalar(
        select(FacilitatorAccount.email)
        .join(WorkshopFacilitator, WorkshopFacilitator.account_id == FacilitatorAccount.id)
        .where(WorkshopFacilitator.workshop_id == workshop_id)
        .order_by(WorkshopFacilitator.added_at)
        .limit(1)
    )
