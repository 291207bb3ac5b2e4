"""The field types ops are made of (SYNC-1): strict, bounded, canonical."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fractional_indexing import FIError, validate_order_key
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from .text import CONTROL, strip_controls

MAX_TEXT = 2000
MAX_SYNTHESIS = 20000
MAX_COMMENT = 1000
KINDS = ("note", "observation", "quote", "question", "idea")
COLOURS = ("yellow", "orange", "pink", "purple", "blue", "green")
# The quick reactions a card can get (a fixed set: counts stay comparable across groups).
REACTIONS = ("👍", "❤️", "💡", "❓", "⚠️")
MAX_DOTS = 20


def _clean(value: Any) -> Any:
    """Text without control characters (collab.sync.text), before any other check; not text: as is,
    for the type check to refuse."""
    return strip_controls(value) if isinstance(value, str) else value


# Every text field any client can send ends with `Clean` (SYNC-1): it runs first, so whitespace
# stripping and length limits see the cleaned text (a text of control characters only is empty).
Clean = BeforeValidator(_clean)


def _no_controls(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("control character")
    return value


# Identifiers, codes, tokens and passwords are not cleaned but refused (`invalid`) when they hold a
# control character: changing them would name something else. (Ids checked by a pattern or as a
# UUID are refused by that check already.)
NoControls = AfterValidator(_no_controls)


def _canonical_uuid(value: str) -> str:
    return str(uuid.UUID(value))


def _order_key(value: str) -> str:
    """"" (let the server place it) or a fractional-indexing key, compared byte by byte."""
    if value:
        try:
            validate_order_key(value)
        except (FIError, ValueError, IndexError):
            raise ValueError("not an order key") from None
    return value


def _distinct_tags(tags: list[str]) -> list[str]:
    """Each tag once, whatever its case; the first spelling wins."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


Id = Annotated[str, AfterValidator(_canonical_uuid)]
BoardId = Annotated[str, StringConstraints(min_length=1, max_length=64), NoControls]
OpId = Annotated[str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
CardText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT), Clean]
BaseText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT), Clean]  # SYNC-12
Zone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), Clean]
Position = Annotated[str, StringConstraints(max_length=64), NoControls, AfterValidator(_order_key)]
ActorMet = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), Clean]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Clean]
Tags = Annotated[list[Tag], Field(max_length=12), AfterValidator(_distinct_tags)]
ZoneTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), Clean]
ZoneId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ThemeTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), Clean]
Synthesis = Annotated[str, StringConstraints(max_length=MAX_SYNTHESIS), Clean]
CommentText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT), Clean]
Kind = Literal["note", "observation", "quote", "question", "idea"]
Colour = Literal["yellow", "orange", "pink", "purple", "blue", "green"]
Reaction = Literal["👍", "❤️", "💡", "❓", "⚠️"]
Dots = Annotated[int, Field(ge=1, le=MAX_DOTS)]
