"""Presentation pages and their JSON for members of the workshop (docs/protocol.md, "Presentation").

- `/present/<group_id>`: a group's slideshow; facilitators drive it (each change is the `present`
  live control), participants — and facilitators with `?preview=1` — page through it on their own
  screen (a preview, not broadcast).
- `/present`: follow the presenter (the live `presentation` state); facilitators pick a group there.
- `/present/all`: every group's themes side by side.
- `/present/w/<workshop_id>`: from the facilitator console, enter the workshop and go to `/present`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from ..api.errors import require_actor
from ..auth import current_actor
from ..models import Group, Workshop
from ..services import services
from ..sync.access import Actor
from . import bp
from .access import check_all, check_group
from .audience import audience_url
from .slides import all_groups, group_slides


def _workshop(db: Any, actor: Actor) -> dict[str, Any]:
    workshop = db.get(Workshop, actor.workshop_id)
    assert workshop is not None
    g.workshop_locale = workshop.locale
    groups = [{"id": grp.id, "name": grp.name, "colour": grp.colour} for grp in workshop.groups]
    return {"id": workshop.id, "title": workshop.title, "locale": workshop.locale, "groups": groups}


def _page_actor() -> Actor | None:
    actor, _ = current_actor()
    return actor


def _presenter_extras(actor: Actor) -> dict[str, Any]:
    """What only facilitators get on the pages: the audience link and its QR code."""
    if not actor.is_facilitator:
        return {"audience_url": None, "audience_qr": None}
    from ..facilitator.joinkit import qr_svg

    url = audience_url(actor.workshop_id)
    return {"audience_url": url, "audience_qr": qr_svg(url)}


@bp.get("/present")
def follow_page() -> BaseResponse | str:
    actor = _page_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    with services().sessions() as db:
        workshop = _workshop(db, actor)
    return render_template("present/follow.html", workshop=workshop, actor=actor, **_presenter_extras(actor))


@bp.get("/present/all")
def all_page() -> BaseResponse | str:
    actor = _page_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    with services().sessions() as db:
        workshop = _workshop(db, actor)
        check_all(db, actor)
        data = all_groups(db, actor.workshop_id)
    matches = sum(1 for column in data["groups"] for theme in column["themes"] if theme["match"])
    return render_template("present/all.html", workshop=workshop, actor=actor, data=data, matches=matches)


@bp.get("/present/w/<workshop_id>")
def enter_page(workshop_id: str) -> BaseResponse | tuple[str, int]:
    """A facilitator account enters the workshop (acts there as its facilitator), then `/present`."""
    from ..facilitator.accounts import current_account
    from ..facilitator.acting import enter
    from ..facilitator.manage import managed_workshop

    account = current_account()
    if account is None:
        return redirect(url_for("facilitator.login", next=f"/facilitator/w/{workshop_id}"))
    with services().sessions() as db:
        workshop = managed_workshop(db, account, workshop_id)
        enter(db, account, workshop)
    return redirect(url_for("present.follow_page"))


@bp.get("/present/<group_id>")
def group_page(group_id: str) -> BaseResponse | str:
    actor = _page_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    with services().sessions() as db:
        workshop = _workshop(db, actor)
        group = check_group(db, actor, group_id)
        current = {"id": group.id, "name": group.name, "colour": group.colour}
    drive = actor.is_facilitator and not request.args.get("preview")
    return render_template("present/show.html", workshop=workshop, actor=actor, group=current, drive=drive,
                           **_presenter_extras(actor))


@bp.get("/api/v1/present")
def all_json() -> Response:
    actor = require_actor()
    with services().sessions() as db:
        check_all(db, actor)
        return jsonify(all_groups(db, actor.workshop_id))


@bp.get("/api/v1/present/<group_id>")
def group_json(group_id: str) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        group: Group = check_group(db, actor, group_id)
        data = group_slides(db, actor.workshop_id, group.id)
    if data is None:
        from ..sync.errors import N_, OpError

        raise OpError("not_found", N_("This group does not exist."))
    return jsonify(data)
