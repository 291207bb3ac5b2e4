"""Page views: thin, they load what the template shows; the live work happens over Socket.IO."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..api.join import client_address
from ..api.visits import list_visits
from ..auth import current_actor
from ..models import Board, Group, Participant, Workshop
from ..services import services
from ..sync.access import Actor, readable, write_rights
from ..sync.errors import OpError
from ..sync.wire import board_dict
from ..workshops import find_by_code, normalise_code, participant_dict, workshop_dict
from . import bp


def home_board_id(actor: Actor) -> str | None:
    """The board a person works on: their group's; a facilitator's, the workshop's first."""
    with services().sessions() as db:
        if actor.group_id:
            return db.scalar(select(Board.id).where(Board.group_id == actor.group_id))
        return db.scalar(
            select(Board.id)
            .join(Group, Group.id == Board.group_id)
            .where(Board.workshop_id == actor.workshop_id)
            .order_by(Group.position)
            .limit(1)
        )


@bp.get("/")
def index() -> Response | str:
    actor, _ = current_actor()
    board_id = home_board_id(actor) if actor is not None else None
    if board_id:
        return redirect(url_for("web.board", board_id=board_id))
    return render_template("join.html", code=None, workshop=None, error=None)


@bp.get("/login")
def login() -> str:
    """Sign in with an access key (a facilitator's token); the page posts it to /api/v1/session."""
    return render_template("login.html")


@bp.get("/join")
def join_form() -> Response | str:
    code = normalise_code(request.args.get("code", ""))
    if not code:
        return render_template("join.html", code=None, workshop=None, error=None)
    return redirect(url_for("web.join_code", code=code))


@bp.get("/j/<code>")
def join_code(code: str) -> tuple[str, int] | str:
    svc = services()
    with svc.sessions() as db:
        workshop = find_by_code(db, code)
        if workshop is None:
            try:
                svc.limits.check("join_failure", client_address())
            except OpError as err:
                return render_template("join.html", code=code, workshop=None, error=gettext(err.message)), 429
            svc.limits.failed("join_failure", client_address())
            error = gettext("No workshop has this code. Check it and try again.")
            return render_template("join.html", code=code, workshop=None, error=error), 404
        g.workshop_locale = workshop.locale
        data = workshop_dict(db, workshop)
    return render_template("join.html", code=data["code"], workshop=data, error=None)


@bp.get("/b/<board_id>")
def board(board_id: str) -> Response | tuple[str, int] | str:
    actor, _ = current_actor()
    if actor is None:
        return redirect(url_for("web.index"))
    # The visits come with the page: a card's visit is drawn in the first render, not in a second
    # pass over every card once /api/v1/visits answers.
    return board_page("board.html", actor, board_id, visits=list_visits(actor.workshop_id))


def board_page(template: str, actor: Actor, board_id: str | None, **extra: Any) -> tuple[str, int] | str:
    """Render a page about one board: the board, its workshop, the person, whether they may write."""
    with services().sessions() as db:
        try:
            board = readable(db, actor, board_id or "")  # the one read rule (SYNC-15)
        except OpError as err:
            if err.code == "forbidden":  # another group's board while the groups are hidden
                g.workshop_locale = db.get(Workshop, actor.workshop_id).locale  # type: ignore[union-attr]
                return render_template("hidden.html", home_board_id=home_board_id(actor)), 403
            return render_template("not_found.html"), 404
        workshop = db.get(Workshop, actor.workshop_id)
        participant = db.get(Participant, actor.id)
        assert workshop is not None and participant is not None
        g.workshop_locale = workshop.locale
        return render_template(
            template,
            board=board_dict(board),
            workshop=workshop_dict(db, workshop),
            participant=participant_dict(participant),
            rights=write_rights(actor, board),
            **extra,
        )
