"""Who may see which group's slides: members of the workshop; while the facilitators hide the groups'
boards from each other (collab.live), a participant sees their own group's and the group being
presented (presenting it is the reveal), facilitators all."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import live
from ..models import Group
from ..sync.access import Actor
from ..sync.errors import N_, OpError

HIDDEN = N_("The other groups' boards are hidden for now: the facilitators will reveal them.")


def presentation(session: Session, workshop_id: str) -> dict[str, Any] | None:
    state = live.current(session, workshop_id)["state"]
    value = state.get("presentation")
    return value if isinstance(value, dict) else None


def check_group(session: Session, actor: Actor, group_id: str) -> Group:
    group = session.get(Group, group_id) if len(group_id) <= 64 else None
    if group is None or group.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This group does not exist."))
    if actor.is_facilitator or group.id == actor.group_id or not live.groups_hidden(session, actor.workshop_id):
        return group
    shown = presentation(session, actor.workshop_id)
    if shown and shown.get("group_id") == group.id:
        return group
    raise OpError("forbidden", HIDDEN, details={"hidden": True})


def check_all(session: Session, actor: Actor) -> None:
    if not actor.is_facilitator and live.groups_hidden(session, actor.workshop_id):
        raise OpError("forbidden", HIDDEN, details={"hidden": True})
