"""Facilitator JSON API: signing in, the account, workshops and their groups."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_wtf.csrf import CSRFError, generate_csrf

from ..api.errors import error_response, json_body
from ..auth import participant_for_token
from ..extensions import csrf
from ..models import FacilitatorAccount, Workshop, WorkshopFacilitator
from ..services import services
from ..sync.errors import N_, OpError
from . import api as bp
from . import board_changes, manage
from .accounts import (
    account_dict,
    authenticate,
    change_password,
    check_login_limit,
    current_account,
    login_failed,
    sign_in,
    sign_out,
)
from .forms import (
    ClaimWorkshop,
    GroupChanges,
    GroupCreate,
    GroupDelete,
    Login,
    PasswordChange,
    WorkshopChanges,
    WorkshopCreate,
    parse,
)


@bp.errorhandler(OpError)
def _op_error(err: OpError) -> tuple[Response, int]:
    return error_response(err)


@bp.errorhandler(CSRFError)
def _csrf_error(_err: CSRFError) -> tuple[Response, int]:
    return error_response(OpError("forbidden", N_("Your page is out of date: reload it and try again.")))


def require_account(*, writing: bool = False) -> FacilitatorAccount:
    """The signed-in account; participants and strangers get `unauthorized`. Writes need CSRF."""
    if writing:
        csrf.protect()
    account = current_account()
    if account is None:
        raise OpError("unauthorized", N_("Sign in with your facilitator account first."))
    return account


# ---- account ------------------------------------------------------------------------------------


@bp.post("/login")
def login() -> Response:
    csrf.protect()
    form = parse(Login, json_body())
    check_login_limit(form.email)
    with services().sessions() as db:
        account = authenticate(db, form.email, form.password)
    if account is None:
        login_failed(form.email)
        raise OpError("unauthorized", N_("Wrong email or password."))
    sign_out()  # a fresh session: nothing of whoever used this browser before
    sign_in(account)
    return jsonify({"account": account_dict(account), "csrf_token": generate_csrf()})


@bp.post("/logout")
def logout() -> Response:
    csrf.protect()
    sign_out()
    return jsonify({"ok": True})


@bp.get("/csrf")
def csrf_token() -> Response:
    """A CSRF token for this browser session, before signing in (scripts; pages carry it already)."""
    return jsonify({"csrf_token": generate_csrf()})


@bp.get("/me")
def me() -> Response:
    return jsonify({"account": account_dict(require_account()), "csrf_token": generate_csrf()})


@bp.post("/password")
def password() -> Response:
    account = require_account(writing=True)
    form = parse(PasswordChange, json_body())
    with services().sessions() as db:
        row = db.get(FacilitatorAccount, account.id)
        assert row is not None
        change_password(db, row, form.current, form.new)
    return jsonify({"ok": True, "csrf_token": generate_csrf()})


# ---- workshops ----------------------------------------------------------------------------------


@bp.get("/workshops")
def list_workshops() -> Response:
    account = require_account()
    with services().sessions() as db:
        return jsonify({"workshops": manage.workshops_of(db, account)})


@bp.post("/workshops")
def create_workshop() -> tuple[Response, int]:
    account = require_account(writing=True)
    form = parse(WorkshopCreate, json_body())
    with services().sessions() as db:
        workshop = manage.create(db, account, form)
        return jsonify(manage.workshop_detail(db, workshop)), 201


@bp.post("/workshops/claim")
def claim_workshop() -> Response:
    """Manage a workshop made by the command line, with its facilitator access key."""
    account = require_account(writing=True)
    token = parse(ClaimWorkshop, json_body()).token
    participant = participant_for_token(token.strip())
    if participant is None or not participant.is_facilitator:
        raise OpError("not_found", N_("This is not a facilitator access key of this server."))
    with services().sessions() as db:
        workshop = db.get(Workshop, participant.workshop_id)
        assert workshop is not None
        if db.get(WorkshopFacilitator, (workshop.id, account.id)) is None:
            db.add(WorkshopFacilitator(workshop_id=workshop.id, account_id=account.id))
            db.commit()
        return jsonify(manage.workshop_detail(db, workshop))


@bp.get("/workshops/<workshop_id>")
def get_workshop(workshop_id: str) -> Response:
    account = require_account()
    with services().sessions() as db:
        return jsonify(manage.workshop_detail(db, manage.managed_workshop(db, account, workshop_id)))


@bp.patch("/workshops/<workshop_id>")
def update_workshop(workshop_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        changes = parse(WorkshopChanges, json_body())
        manage.update(db, workshop, changes)
        return jsonify(manage.workshop_detail(db, workshop))


@bp.delete("/workshops/<workshop_id>")
def delete_workshop(workshop_id: str) -> Response:
    """Needs `{"confirm": "<join code>"}`: deleting cannot be undone."""
    account = require_account(writing=True)
    body = json_body()
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        confirm = body.get("confirm") if isinstance(body, dict) else None
        if not isinstance(confirm, str) or confirm.strip().upper() != workshop.join_code:
            raise OpError("invalid", N_("To delete the workshop, type its join code to confirm."))
        manage.delete_workshop(db, workshop)
    return jsonify({"ok": True})


# ---- groups -------------------------------------------------------------------------------------


@bp.post("/workshops/<workshop_id>/groups")
def add_group(workshop_id: str) -> tuple[Response, int]:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        form = parse(GroupCreate, json_body())
        group = manage.add_group(db, workshop, form)
        detail = manage.workshop_detail(db, workshop)
        return jsonify({"group": next(g for g in detail["groups"] if g["id"] == group.id), "workshop": detail}), 201


@bp.patch("/workshops/<workshop_id>/groups/<group_id>")
def update_group(workshop_id: str, group_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        changes = parse(GroupChanges, json_body())
        board_changes.update_group(db, account, workshop, manage.group_of(db, workshop, group_id), changes)
        db.expire_all()
        return jsonify(manage.workshop_detail(db, manage.managed_workshop(db, account, workshop_id)))


@bp.delete("/workshops/<workshop_id>/groups/<group_id>")
def delete_group(workshop_id: str, group_id: str) -> Response:
    """The body is optional: `{"op_id"}` (collab.facilitator.board_changes)."""
    account = require_account(writing=True)
    body = request.get_json(silent=True)
    op_id = parse(GroupDelete, {} if body is None else body).op_id
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        board_changes.delete_group(db, account, workshop, manage.group_of(db, workshop, group_id), op_id)
        return jsonify(manage.workshop_detail(db, manage.managed_workshop(db, account, workshop_id)))
