"""Who may see which group's slides: the one read rule (collab.sync.access), where presenting a group
is its reveal — while the facilitators hide the groups' boards from each other (collab.live), a
participant sees their own group's slides and those of the group being presented."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import live
from ..models import Group
from ..sync.access import HIDDEN, Actor, read_refusal
from ..sync.errors import N_, OpError


def presentation(session: Session, workshop_id: str) -> dict[str, Any] | None:
    state = live.current(session, workshop_id)["state"]
    value = state.get("presentation")
    return value if isinstance(value, dict) else None


def check_group(session: Session, actor: Actor, group_id: str) -> Group:
    group = session.get(Group, group_id) if len(group_id) <= 64 else None
    if group is None or group.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This group does not exist."))
    shown = presentation(session, actor.workshop_id) or {}
    refusal = read_refusal(actor, group.workshop_id, group.id,
                           groups_hidden=live.groups_hidden(session, actor.workshop_id),
                           shown_group=shown.get("group_id"))
    if refusal is not None:
        raise refusal
    return group


def check_all(session: Session, actor: Actor) -> None:
    """The cross-group view shows every group at once: not while they are hidden (participants)."""
    if not actor.is_facilitator and live.groups_hidden(session, actor.workshop_id):
        raise OpError("forbidden", HIDDEN, details={"hidden": True})
