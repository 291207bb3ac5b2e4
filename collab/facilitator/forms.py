"""What the facilitator API accepts, validated with pydantic (like collab.sync.ops)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ..board_templates import TEMPLATES
from ..sync.errors import N_, OpError
from ..sync.fields import Clean, NoControls

Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254), Clean]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1000), NoControls]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Clean]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Clean]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200), NoControls]
Locale = Literal["fr", "en"]
Template = Literal[tuple(TEMPLATES)]  # type: ignore[valid-type]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64), NoControls]

MAX_GROUPS = 24
# The stem of the op_ids of a console request's ops (collab.facilitator.board_changes).
OpKey = Annotated[str, StringConstraints(min_length=8, max_length=48, pattern=r"^[A-Za-z0-9_-]+$")]
M = TypeVar("M", bound=BaseModel)


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Login(_Form):
    email: Email
    password: Password


class PasswordChange(_Form):
    current: Password
    new: Password


class _Dates(_Form):
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> _Dates:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("dates")
        return self


class WorkshopCreate(_Dates):
    model_config = ConfigDict(extra="forbid", strict=False)  # dates arrive as "YYYY-MM-DD"

    title: Title
    locale: Locale = "fr"
    groups: int = Field(default=4, ge=0, le=MAX_GROUPS)
    template: Template = "territory"


class WorkshopChanges(_Dates):
    model_config = ConfigDict(extra="forbid", strict=False)

    title: Title | None = None
    locale: Locale | None = None
    archived: bool | None = None
    # The conclusions slide's title in the closing presentation ("" : the bilan's question).
    conclusions_title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] | None = None


class GroupCreate(_Form):
    name: GroupName
    colour: Colour | None = None
    template: Template = "territory"


class GroupChanges(_Form):
    name: GroupName | None = None
    colour: Colour | None = None
    template: Template | None = None
    position: int | None = Field(default=None, ge=0, le=MAX_GROUPS)
    op_id: OpKey | None = None  # the ops it makes take it with a suffix: a retry changes nothing twice


class GroupDelete(_Form):
    op_id: OpKey | None = None


class ParticipantChanges(_Form):
    name: Name | None = None
    group_id: Id | None = None


class Invite(_Form):
    email: Email


class InvitationToken(_Form):
    token: Token


class InvitationAccept(_Form):
    token: Token
    name: Name
    password: Password


class ClaimWorkshop(_Form):
    token: Token


def parse(model: type[M], body: Any) -> M:
    """`body` as `model`, or `OpError("invalid")` naming the first wrong field."""
    if not isinstance(body, dict):
        raise OpError("invalid", N_("The request body must be JSON."))
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        if first["type"] == "value_error":
            raise OpError("invalid", N_("The workshop cannot end before it starts.")) from None
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=field) from None
