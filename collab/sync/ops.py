"""The op schemas (SYNC-1): what a client may ask to change, validated with pydantic."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .errors import N_, OpError

MAX_TEXT = 2000
KINDS = ("note", "observation", "quote", "question", "idea")
COLOURS = ("yellow", "orange", "pink", "purple", "blue", "green")

def _canonical_uuid(value: str) -> str:
    return str(uuid.UUID(value))


CardId = Annotated[str, AfterValidator(_canonical_uuid)]
BoardId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
OpId = Annotated[str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
CardText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Zone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Position = Annotated[str, StringConstraints(max_length=64)]
ActorMet = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
ZoneTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
ZoneId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _distinct_tags(tags: list[str]) -> list[str]:
    """Each tag once, whatever its case; the first spelling wins."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


Tags = Annotated[list[Tag], Field(max_length=12), AfterValidator(_distinct_tags)]
Kind = Literal["note", "observation", "quote", "question", "idea"]
Colour = Literal["yellow", "orange", "pink", "purple", "blue", "green"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CardRef(_Strict):
    id: CardId


class CardCreate(_Strict):
    id: CardId | None = None
    text: CardText
    kind: Kind = "note"
    colour: Colour = "yellow"
    zone: Zone = "inbox"
    position: Position = ""
    visit_id: CardId | None = None
    actor: ActorMet = ""
    media_id: CardId | None = None
    tags: Tags = []


class CardUpdate(CardRef):
    text: CardText | None = None
    kind: Kind | None = None
    colour: Colour | None = None
    visit_id: CardId | None = None  # null takes the card off its visit
    actor: ActorMet | None = None
    media_id: CardId | None = None  # null removes the photo
    tags: Tags | None = None
    # The text this edit started from: when someone else has changed the text since, the edit is
    # refused as a `conflict` (with the current card) instead of silently overwriting theirs.
    base_text: str | None = Field(default=None, max_length=MAX_TEXT)

    @model_validator(mode="after")
    def _no_null_text(self) -> CardUpdate:
        for field in ("text", "kind", "colour", "actor", "tags", "base_text"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client gave, and only those."""
        return {field: getattr(self, field) for field in self.model_fields_set if field not in ("id", "base_text")}


class CardMove(CardRef):
    zone: Zone
    position: Position | None = None


class ZoneAdd(_Strict):
    id: ZoneId | None = None
    title: ZoneTitle
    index: int | None = Field(default=None, ge=0)


class ZoneRename(_Strict):
    id: ZoneId
    title: ZoneTitle


class ZoneMove(_Strict):
    id: ZoneId
    index: int = Field(ge=0)


class ZoneRemove(_Strict):
    id: ZoneId


class _Op(_Strict):
    board_id: BoardId
    op_id: OpId


class CreateOp(_Op):
    type: Literal["card.create"]
    data: CardCreate


class UpdateOp(_Op):
    type: Literal["card.update"]
    data: CardUpdate


class MoveOp(_Op):
    type: Literal["card.move"]
    data: CardMove


class DeleteOp(_Op):
    type: Literal["card.delete"]
    data: CardRef


class RestoreOp(_Op):
    type: Literal["card.restore"]
    data: CardRef


class ZoneAddOp(_Op):
    type: Literal["zone.add"]
    data: ZoneAdd


class ZoneRenameOp(_Op):
    type: Literal["zone.rename"]
    data: ZoneRename


class ZoneMoveOp(_Op):
    type: Literal["zone.move"]
    data: ZoneMove


class ZoneRemoveOp(_Op):
    type: Literal["zone.remove"]
    data: ZoneRemove


Op = Annotated[
    Union[CreateOp, UpdateOp, MoveOp, DeleteOp, RestoreOp, ZoneAddOp, ZoneRenameOp, ZoneMoveOp, ZoneRemoveOp],
    Field(discriminator="type"),
]
OP_TYPES = (
    "card.create",
    "card.update",
    "card.move",
    "card.delete",
    "card.restore",
    "zone.add",
    "zone.rename",
    "zone.move",
    "zone.remove",
)
_adapter: TypeAdapter[Any] = TypeAdapter(Op)


def parse_op(raw: Any) -> Any:
    """Validate a raw op (SYNC-1); raise `OpError("invalid")` with a message a person can read."""
    if not isinstance(raw, dict):
        raise OpError("invalid", N_("An op must be a JSON object."))
    if raw.get("type") not in OP_TYPES:
        raise OpError("invalid", N_("Unknown op type."))
    try:
        op = _adapter.validate_python(raw)
    except ValidationError as exc:
        raise _invalid(exc) from None
    if op.type == "card.update" and not op.data.changes():
        raise OpError("invalid", N_("Nothing to change: give text, kind, colour, visit, actor, photo or tags."))
    return op


def _invalid(exc: ValidationError) -> OpError:
    first = exc.errors(include_url=False, include_input=False)[0]
    field = ".".join(str(part) for part in first["loc"] if not str(part).startswith("card."))
    if field.endswith("text") and first["type"] == "string_too_long":
        return OpError("invalid", N_("A note holds at most %(max)s characters."), max=MAX_TEXT)
    if field.endswith("text") and first["type"] == "string_too_short":
        return OpError("invalid", N_("A note cannot be empty."))
    return OpError("invalid", N_("Invalid field: %(field)s."), field=field or "op")
