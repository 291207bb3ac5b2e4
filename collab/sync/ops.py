"""The op schemas (SYNC-1): what a client may ask to change, validated with pydantic."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    create_model,
    model_validator,
)

from ..board_templates import TEMPLATES
from .errors import N_, OpError
from .fields import (
    MAX_COMMENT,
    MAX_SYNTHESIS,
    MAX_TEXT,
    ActorMet,
    BaseText,
    BoardId,
    CardText,
    Clean,
    Colour,
    CommentText,
    Dots,
    Kind,
    OpId,
    Position,
    Reaction,
    Synthesis,
    Tags,
    ThemeTitle,
    Zone,
    ZoneId,
    ZoneTitle,
)
from .fields import Id as CardId


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
    theme_id: CardId | None = None  # null takes the card out of its theme
    # The text this edit started from: when someone else has changed the text since, the edit is
    # refused as a `conflict` (with the current card) instead of silently overwriting theirs.
    # Cleaned as the text is (SYNC-1: whitespace around it and control characters go), so that it
    # compares with the stored text.
    base_text: BaseText | None = None

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


class ThemeCreate(_Strict):
    id: CardId | None = None
    title: ThemeTitle
    colour: Colour = "blue"
    position: Position = ""


class ThemeUpdate(CardRef):
    title: ThemeTitle | None = None
    synthesis: Synthesis | None = None
    colour: Colour | None = None
    position: Position | None = None
    # As for a card's text (SYNC-12): the synthesis this edit started from.
    base_synthesis: Synthesis | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> ThemeUpdate:
        if any(getattr(self, field) is None for field in self.model_fields_set):
            raise ValueError("fields cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.model_fields_set if f not in ("id", "base_synthesis")}


class CardReact(CardRef):
    reaction: Reaction
    on: bool


class CommentAdd(_Strict):
    id: CardId | None = None
    card_id: CardId
    parent_id: CardId | None = None
    text: CommentText


class VoteOpen(_Strict):
    id: CardId | None = None
    dots: Dots = 5
    hidden: bool = False


class BoardLock(_Strict):
    locked: bool


class VoteDot(_Strict):
    vote_id: CardId
    card_id: CardId
    delta: Literal[1, -1]


# The facilitators' changes of a whole board (collab.sync.boards): its group's name and colour, its
# template, its deletion. The console's REST routes send them too (SYNC-16).
BoardTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Clean]
GroupColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class BoardRename(_Strict):
    title: BoardTitle


class BoardColour(_Strict):
    colour: GroupColour


class BoardTemplate(_Strict):
    template: Literal[tuple(TEMPLATES)]  # type: ignore[valid-type]


class BoardDelete(_Strict):
    pass


# Every op type and the schema of its `data` (docs/protocol.md, "Ops").
SCHEMAS: dict[str, type[BaseModel]] = {
    "card.create": CardCreate,
    "card.update": CardUpdate,
    "card.move": CardMove,
    "card.delete": CardRef,
    "card.restore": CardRef,
    "card.react": CardReact,
    "zone.add": ZoneAdd,
    "zone.rename": ZoneRename,
    "zone.move": ZoneMove,
    "zone.remove": ZoneRemove,
    "theme.create": ThemeCreate,
    "theme.update": ThemeUpdate,
    "theme.delete": CardRef,
    "theme.restore": CardRef,
    "comment.add": CommentAdd,
    "comment.delete": CardRef,
    "vote.open": VoteOpen,
    "vote.reveal": CardRef,
    "vote.close": CardRef,
    "vote.dot": VoteDot,
    "board.lock": BoardLock,
    "board.rename": BoardRename,
    "board.colour": BoardColour,
    "board.template": BoardTemplate,
    "board.delete": BoardDelete,
}
OP_TYPES = tuple(SCHEMAS)


class _Op(_Strict):
    board_id: BoardId
    op_id: OpId


def _op_model(op_type: str, schema: type[BaseModel]) -> type[BaseModel]:
    name = "".join(part.title() for part in op_type.split(".")) + "Op"
    return create_model(name, __base__=_Op, type=(Literal[op_type], ...), data=(schema, ...))  # type: ignore[call-overload, no-any-return]


_adapter: TypeAdapter[Any] = TypeAdapter(
    Annotated[Union[tuple(_op_model(t, s) for t, s in SCHEMAS.items())], Field(discriminator="type")]  # type: ignore[valid-type]
)


def parse_op(raw: Any) -> Any:
    """Validate a raw op (SYNC-1); raise `OpError("invalid")` with a message a person can read."""
    if not isinstance(raw, dict):
        raise OpError("invalid", N_("An op must be a JSON object."))
    if raw.get("type") not in OP_TYPES:
        raise OpError("invalid", N_("Unknown op type."))
    try:
        op = _adapter.validate_python(raw)
    except ValidationError as exc:
        raise _invalid(exc, raw["type"]) from None
    if op.type in ("card.update", "theme.update") and not op.data.changes():
        raise OpError("invalid", N_("Nothing to change."))
    return op


def _invalid(exc: ValidationError, op_type: str) -> OpError:
    first = exc.errors(include_url=False, include_input=False)[0]
    field = ".".join(str(part) for part in first["loc"] if str(part) != op_type)
    too_long, too_short = first["type"] == "string_too_long", first["type"] == "string_too_short"
    if field == "data.text" and op_type == "comment.add":
        if too_long:
            return OpError("invalid", N_("A comment holds at most %(max)s characters."), max=MAX_COMMENT)
        if too_short:
            return OpError("invalid", N_("A comment cannot be empty."))
    elif field.endswith("text") and too_long:
        return OpError("invalid", N_("A note holds at most %(max)s characters."), max=MAX_TEXT)
    elif field.endswith("text") and too_short:
        return OpError("invalid", N_("A note cannot be empty."))
    elif field == "data.synthesis" and too_long:
        return OpError("invalid", N_("A synthesis holds at most %(max)s characters."), max=MAX_SYNTHESIS)
    elif field == "data.title" and too_short:
        return OpError("invalid", N_("A title cannot be empty."))
    return OpError("invalid", N_("Invalid field: %(field)s."), field=field or "op", details={"field": field or "op"})
