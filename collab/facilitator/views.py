"""Facilitator pages: sign-in, the workshop list, one workshop, the join kit, invitations."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Response, redirect, render_template, request, url_for
from sqlalchemy import select

from ..api.visits import list_visits
from ..board_templates import TEMPLATES
from ..models import Board, Group, Workshop
from ..services import services
from ..sync.errors import OpError
from ..workshops import GROUP_COLOURS
from . import manage
from . import pages as bp
from .accounts import MIN_PASSWORD, account_dict, current_account
from .acting import enter
from .joinkit import join_url, only_local, qr_svg

View = Callable[..., Any]


def safe_next(target: str | None) -> str:
    """Only a path of the console itself: never an open redirect, nor a line break (or any control
    character, space or backslash) in the Location header."""
    if not target or any(c.isspace() or not c.isprintable() or c == "\\" for c in target):
        return url_for("facilitator.home")
    if target.startswith("/facilitator/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("facilitator.home")


def account_page(view: View) -> View:
    """Pages for a signed-in account; everyone else is sent to the sign-in page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        account = current_account()
        if account is None:
            return redirect(url_for("facilitator.login", next=request.full_path.rstrip("?")))
        return view(account, *args, **kwargs)

    return wrapper


def workshop_page(view: View) -> View:
    """Pages about one workshop: a workshop the account does not manage does not exist (404)."""

    @account_page
    @functools.wraps(view)
    def wrapper(account: Any, workshop_id: str, **kwargs: Any) -> Any:
        with services().sessions() as db:
            try:
                workshop = manage.managed_workshop(db, account, workshop_id)
            except OpError:
                return render_template("not_found.html"), 404
            return view(account, db, workshop, **kwargs)

    return wrapper


@bp.get("/login")
def login() -> Response | str:
    if current_account() is not None:
        return redirect(safe_next(request.args.get("next")))
    from .setup import setup_open  # (setup imports this module)

    target = safe_next(request.args.get("next"))
    with services().sessions() as db:
        first_run = setup_open(db)  # no account at all yet: the page points to the first-run page
    setup_url = url_for("facilitator.setup_page", next=target if request.args.get("next") else None)
    return render_template("facilitator/login.html", next=target, first_run=first_run, setup_url=setup_url)


@bp.get("/invite")
def invitation() -> str:
    """Accept an invitation: the token is in the link's fragment, read by the page's script."""
    return render_template("facilitator/invite.html", min_password=MIN_PASSWORD)


@bp.get("/")
@account_page
def home(account: Any) -> str:
    with services().sessions() as db:
        workshops = manage.workshops_of(db, account)
    return render_template(
        "facilitator/home.html",
        account=account_dict(account),
        workshops=workshops,
        templates=list(TEMPLATES),
    )


@bp.get("/account")
@account_page
def account_settings(account: Any) -> str:
    return render_template("facilitator/account.html", account=account_dict(account), min_password=MIN_PASSWORD)


@bp.get("/w/<workshop_id>")
@workshop_page
def workshop(account: Any, db: Any, workshop: Workshop) -> str:
    visits = list_visits(workshop.id)
    return render_template(
        "facilitator/workshop.html",
        account=account_dict(account),
        detail=manage.workshop_detail(db, workshop),
        visits=visits,
        templates=list(TEMPLATES),
        colours=GROUP_COLOURS,
    )


@bp.get("/w/<workshop_id>/kit")
@workshop_page
def join_kit(account: Any, db: Any, workshop: Workshop) -> str:
    url = join_url(workshop.join_code)
    return render_template(
        "facilitator/kit.html", detail=manage.summary(workshop), join_url=url, local_only=only_local(url)
    )


@bp.get("/w/<workshop_id>/kit/print")
@workshop_page
def join_sheet(account: Any, db: Any, workshop: Workshop) -> str:
    url = join_url(workshop.join_code)
    return render_template(
        "facilitator/sheet.html", detail=manage.summary(workshop), join_url=url, local_only=only_local(url)
    )


@bp.get("/w/<workshop_id>/qr.svg")
@workshop_page
def qr_code(account: Any, db: Any, workshop: Workshop) -> Response:
    url = join_url(workshop.join_code)
    response = Response(qr_svg(url, title=url), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/w/<workshop_id>/enter")
@workshop_page
def enter_workshop(account: Any, db: Any, workshop: Workshop) -> Response:
    """Act in the workshop as its facilitator: `?to=agenda`, `?to=capture`, or a board (`?board=`)."""
    enter(db, account, workshop)
    target = request.args.get("to")
    if target == "agenda":
        return redirect("/agenda")
    board_id = request.args.get("board")
    board = db.get(Board, board_id) if board_id else None
    if board is None or board.workshop_id != workshop.id:
        board = db.scalar(
            select(Board)
            .join(Group, Group.id == Board.group_id)
            .where(Board.workshop_id == workshop.id)
            .order_by(Group.position)
            .limit(1)
        )
    if board is None:
        return redirect("/agenda")
    if target == "capture":
        return redirect(f"/capture?board={board.id}")
    return redirect(f"/b/{board.id}")
