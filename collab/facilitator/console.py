"""The live console: every group's board as a live tile, and the controls facilitators broadcast
(timer, announcement, locks, hidden groups, votes). The page acts in the workshop as the account's
facilitator participant (acting.enter), so its socket and ops are that facilitator's; the data comes
from the public API (docs/protocol.md, "Live controls", "Ops", Socket.IO)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from ..models import Workshop
from . import manage
from . import pages as bp
from .accounts import account_dict
from .acting import enter
from .views import workshop_page


@bp.get("/w/<workshop_id>/console")
@workshop_page
def live_console(account: Any, db: Any, workshop: Workshop) -> str:
    participant = enter(db, account, workshop)
    detail = manage.workshop_detail(db, workshop)
    groups = [
        {"id": g["id"], "name": g["name"], "colour": g["colour"], "board_id": g["board_id"]}
        for g in detail["groups"]
        if g["board_id"]
    ]
    return render_template(
        "facilitator/console.html",
        account=account_dict(account),
        detail=detail,
        console={"workshop_id": workshop.id, "self_id": participant.id, "groups": groups},
    )
