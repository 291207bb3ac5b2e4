"""Workshop-wide live controls (docs/protocol.md, "Live controls"): a countdown timer, an
announcement banner, and hiding the groups' boards from each other until a reveal moment.

Plain rules with no Flask: facilitators send a control; it is validated, authorised, applied to the
workshop's live state in one transaction that takes the next `seq`, and only then broadcast whole
(`live` message), so applying it twice or late changes nothing (a client keeps the highest seq).
Not board changes: board ops (lock, votes) go through collab.sync.pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .models import WorkshopLive, utcnow
from .sync.access import Actor, refresh_actor
from .sync.errors import N_, OpError
from .sync.fields import Clean, NoControls

MAX_TIMER = 10 * 3600
EMPTY: dict[str, Any] = {
    "timer": None, "announcement": None, "groups_hidden": False, "prompt": None, "presentation": None,
}


class _Control(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TimerStart(_Control):
    type: Literal["timer.start"]
    seconds: int = Field(ge=1, le=MAX_TIMER)
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80), Clean] = ""


class TimerAdd(_Control):
    type: Literal["timer.add"]
    seconds: int = Field(ge=-3600, le=3600)


class Bare(_Control):
    type: Literal["timer.pause", "timer.resume", "timer.stop", "announce.clear"]


class Announce(_Control):
    type: Literal["announce"]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]


class Present(_Control):
    """Follow-me: which group's slides are shown and which slide (null group: presentation over)."""

    type: Literal["present"]
    group_id: Annotated[str, StringConstraints(max_length=64), NoControls] | None
    slide: int = Field(default=0, ge=0, le=500)


class HideGroups(_Control):
    type: Literal["groups.hide"]
    hidden: bool


_controls: TypeAdapter[Any] = TypeAdapter(
    Annotated[Union[TimerStart, TimerAdd, Bare, Announce, HideGroups, Present], Field(discriminator="type")]
)


def parse_control(raw: Any) -> Any:
    try:
        return _controls.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(p) for p in first["loc"][1:]) or "type"
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=field, details={"field": field}) from None


def _remaining(timer: dict[str, Any], now: datetime) -> int:
    if not timer["running"]:
        return int(timer["remaining"])
    return max(0, round((datetime.fromisoformat(timer["ends_at"]) - now).total_seconds()))


def _timer(seconds: int, label: str, duration: int, now: datetime, running: bool = True) -> dict[str, Any]:
    return {
        "label": label,
        "duration": duration,
        "running": running,
        "ends_at": (now + timedelta(seconds=seconds)).isoformat() if running else None,
        "remaining": seconds,
    }


def _next_state(state: dict[str, Any], control: Any, now: datetime) -> dict[str, Any]:
    state = dict(state)
    timer = state["timer"]
    match control.type:
        case "timer.start":
            state["timer"] = _timer(control.seconds, control.label, control.seconds, now)
        case "timer.pause" | "timer.resume" | "timer.add" | "timer.stop" if timer is None:
            raise OpError("invalid", N_("No timer is running."))
        case "timer.pause":
            state["timer"] = _timer(_remaining(timer, now), timer["label"], timer["duration"], now, running=False)
        case "timer.resume":
            state["timer"] = _timer(_remaining(timer, now), timer["label"], timer["duration"], now)
        case "timer.add":
            left = max(0, min(MAX_TIMER, _remaining(timer, now) + control.seconds))
            duration = max(1, timer["duration"] + control.seconds)
            state["timer"] = _timer(left, timer["label"], duration, now, running=timer["running"])
        case "timer.stop":
            state["timer"] = None
        case "announce":
            state["announcement"] = {"text": control.text, "at": now.isoformat()}
        case "announce.clear":
            state["announcement"] = None
        case "groups.hide":
            state["groups_hidden"] = control.hidden
        case "present":
            state["presentation"] = None if control.group_id is None else {
                "group_id": control.group_id, "slide": control.slide, "at": now.isoformat()}
    return state


def message(workshop_id: str, row: WorkshopLive | None, now: datetime) -> dict[str, Any]:
    """The `live` message: the whole state, its seq, and the server's clock (phones' clocks drift)."""
    state = {**EMPTY, **(row.state if row else {})}
    return {"workshop_id": workshop_id, "seq": row.seq if row else 0, "state": state, "server_time": now.isoformat()}


def current(session: Session, workshop_id: str, now: Callable[[], datetime] = utcnow) -> dict[str, Any]:
    return message(workshop_id, session.get(WorkshopLive, workshop_id), now())


def groups_hidden(session: Session, workshop_id: str) -> bool:
    row = session.get(WorkshopLive, workshop_id)
    return bool(row and row.state.get("groups_hidden"))


def apply_control(
    session_factory: sessionmaker[Session], actor: Actor, raw: Any, *, now: Callable[[], datetime] = utcnow
) -> dict[str, Any]:
    """Apply one control for `actor` (a facilitator); returns the `live` message, after commit."""
    control = parse_control(raw)
    at = now()
    with session_factory() as session:
        actor = refresh_actor(session, actor)  # the rights of now (SYNC-15)
        if not actor.is_facilitator:
            raise OpError("forbidden", N_("Only facilitators can do this."))
        result = change(session, actor.workshop_id, lambda state: _next_state(state, control, at), at)
        session.commit()
        return result


def change(
    session: Session, workshop_id: str, update: Callable[[dict[str, Any]], dict[str, Any]], at: datetime
) -> dict[str, Any]:
    """Change the workshop's live state in `session`'s transaction (the caller commits); returns the
    `live` message to broadcast after commit. Writers of one workshop run one after the other."""
    row = session.get(WorkshopLive, workshop_id, with_for_update=True)
    if row is None:
        try:
            with session.begin_nested():  # another writer may make the row at the same moment
                session.add(WorkshopLive(workshop_id=workshop_id, seq=0, state=dict(EMPTY), updated_at=at))
        except IntegrityError:
            pass
        row = session.get(WorkshopLive, workshop_id, with_for_update=True, populate_existing=True)
        assert row is not None
    row.state = update({**EMPTY, **row.state})
    row.seq += 1
    row.updated_at = at
    session.flush()
    return message(workshop_id, row, at)
