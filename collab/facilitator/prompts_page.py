"""The facilitators' pages for the workshop's questions (docs/protocol.md, "Prompts"): ask the opening
words or the closing bilan, close it, see the past ones; and the projector view of one question (the
live word cloud, or the bilan's bars and lists). The pages act in the workshop as the account's
facilitator participant (acting.enter); the data comes from the public API and the socket."""

from __future__ import annotations

from typing import Any

from flask import render_template

from ..models import Prompt, Workshop
from . import pages as bp
from .accounts import account_dict
from .acting import enter
from .views import workshop_page


def _workshop(workshop: Workshop) -> dict[str, Any]:
    return {"id": workshop.id, "title": workshop.title, "code": workshop.join_code, "locale": workshop.locale}


@bp.get("/w/<workshop_id>/prompts")
@workshop_page
def prompts(account: Any, db: Any, workshop: Workshop) -> str:
    enter(db, account, workshop)
    return render_template("facilitator/prompts.html", account=account_dict(account), w=_workshop(workshop))


@bp.get("/w/<workshop_id>/prompts/<prompt_id>/screen")
@workshop_page
def prompt_screen(account: Any, db: Any, workshop: Workshop, prompt_id: str) -> Any:
    prompt = db.get(Prompt, prompt_id)
    if prompt is None or prompt.workshop_id != workshop.id:
        return render_template("not_found.html"), 404
    enter(db, account, workshop)
    return render_template(
        "facilitator/prompt_screen.html",
        account=account_dict(account),
        w=_workshop(workshop),
        prompt={"id": prompt.id, "kind": prompt.kind, "question": prompt.question},
    )
