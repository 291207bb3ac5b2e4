"""Facilitator JSON API: a workshop's participants, co-facilitators and invitations."""

from __future__ import annotations

from flask import Response, jsonify
from flask_wtf.csrf import generate_csrf

from ..api.errors import json_body
from ..extensions import csrf
from ..models import Workshop
from ..services import services
from ..sync.errors import N_, OpError
from . import api as bp
from . import manage, people
from .accounts import account_dict, create_account, find_account, sign_in, sign_out
from .api_workshops import require_account
from .forms import InvitationAccept, InvitationToken, Invite, ParticipantChanges, parse
from .joinkit import base_url


@bp.get("/workshops/<workshop_id>/participants")
def list_participants(workshop_id: str) -> Response:
    account = require_account()
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        return jsonify({"participants": people.participants(db, workshop)})


@bp.patch("/workshops/<workshop_id>/participants/<participant_id>")
def update_participant(workshop_id: str, participant_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        changes = parse(ParticipantChanges, json_body())
        participant = people.participant_of(db, workshop, participant_id)
        people.update_participant(db, workshop, participant, changes)
        return jsonify({"participants": people.participants(db, workshop)})


@bp.delete("/workshops/<workshop_id>/participants/<participant_id>")
def remove_participant(workshop_id: str, participant_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        people.remove_participant(db, people.participant_of(db, workshop, participant_id))
        return jsonify({"participants": people.participants(db, workshop)})


@bp.get("/workshops/<workshop_id>/facilitators")
def list_facilitators(workshop_id: str) -> Response:
    account = require_account()
    with services().sessions() as db:
        return jsonify(people.facilitators(db, manage.managed_workshop(db, account, workshop_id)))


@bp.post("/workshops/<workshop_id>/facilitators")
def invite_facilitator(workshop_id: str) -> tuple[Response, int]:
    """An existing account is added at once; otherwise the answer holds a one-time invitation link."""
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        email = parse(Invite, json_body()).email
        result = people.invite(db, account, workshop, email)
        token = result.pop("token", None)
        if token:
            result["invitation"]["url"] = f"{base_url()}/facilitator/invite#token={token}"
        return jsonify({**result, **people.facilitators(db, workshop)}), 201


@bp.delete("/workshops/<workshop_id>/facilitators/<account_id>")
def remove_facilitator(workshop_id: str, account_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        people.remove_facilitator(db, workshop, account_id)
        if account_id == account.id:
            return jsonify({"facilitators": [], "invitations": [], "left": True})
        return jsonify(people.facilitators(db, workshop))


@bp.delete("/workshops/<workshop_id>/invitations/<invitation_id>")
def revoke_invitation(workshop_id: str, invitation_id: str) -> Response:
    account = require_account(writing=True)
    with services().sessions() as db:
        workshop = manage.managed_workshop(db, account, workshop_id)
        people.revoke_invitation(db, workshop, invitation_id)
        return jsonify(people.facilitators(db, workshop))


@bp.post("/invitations/inspect")
def inspect_invitation() -> Response:
    """What an invitation link is for (POST: the token stays out of URLs and logs)."""
    csrf.protect()
    token = parse(InvitationToken, json_body()).token
    with services().sessions() as db:
        invitation = people.invitation_for(db, token)
        workshop = db.get(Workshop, invitation.workshop_id)
        assert workshop is not None
        return jsonify(
            {
                "email": invitation.email,
                "workshop": {"title": workshop.title},
                "expires_at": invitation.expires_at.isoformat(),
                "account_exists": find_account(db, invitation.email) is not None,
            }
        )


@bp.post("/invitations/accept")
def accept_invitation() -> Response:
    """Create the invited account (its email is the invitation's), sign it in, add it to the workshop."""
    csrf.protect()
    form = parse(InvitationAccept, json_body())
    with services().sessions() as db:
        invitation = people.invitation_for(db, form.token)
        if find_account(db, invitation.email) is not None:
            raise OpError("conflict", N_("An account with this email already exists: sign in, then ask to be added."))
        account = create_account(db, invitation.email, form.password, form.name)
        people.accept_invitation(db, invitation, account)
    sign_out()
    sign_in(account)
    return jsonify({"account": account_dict(account), "csrf_token": generate_csrf()})
