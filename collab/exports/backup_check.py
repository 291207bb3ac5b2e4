"""Checking a workshop backup before it is imported (collab.exports.restore writes it).

Every row is checked against its table's columns (types, lengths, UTC times); every id and every
reference to one must be a uuid and is rewritten the one way the app writes it (lower case, with
dashes: another spelling of an existing id would name that row's photo folder, issue #10 holes 1
and 2); text loses its control characters, inside JSON values too (older SQLite data may hold NUL,
which PostgreSQL refuses); every reference inside the file must resolve; every photo must be a JPEG
whose size matches.
"""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from datetime import UTC, date, datetime
from typing import IO, Annotated, Any

from PIL import Image, UnidentifiedImageError
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, TypeDecorator

from .. import safejson
from ..media import MAX_SIDE, THUMB_SIDE
from ..sync.errors import N_, OpError
from ..sync.text import strip_controls
from .backup import FORMAT, MEDIA_BYTES, TABLES, VERSION, TableSpec, spec_for


class Zone(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    title: Annotated[str, StringConstraints(max_length=200)] = ""


# JSON columns whose shape the app relies on; other JSON columns take any JSON value.
JSON_SHAPES: dict[tuple[str, str], Any] = {
    ("board", "zones"): list[Zone],
    ("card", "tags"): list[Annotated[str, Field(strict=True)]],
    ("card", "reactions"): dict[str, list[Annotated[str, Field(strict=True)]]],
    ("event", "data"): dict[str, Any],
}


def invalid(message: str, **params: Any) -> OpError:
    return OpError("invalid", message, **params)


def _canonical_id(value: str) -> str:
    return str(uuid.UUID(value))  # ValueError (a validation error) for anything but a uuid


# A row's id, or a reference to one: a uuid, in the one spelling the app uses (issue #10, hole 1).
RowId = Annotated[str, Field(strict=True), StringConstraints(max_length=64), AfterValidator(_canonical_id)]


def _is_uuid_key(column: Column[Any]) -> bool:
    return column.primary_key and isinstance(column.type, String) and column.type.length == 36


def is_id_column(column: Column[Any]) -> bool:
    """The table's uuid key, or a reference to another table's."""
    return _is_uuid_key(column) or any(_is_uuid_key(fk.column) for fk in column.foreign_keys)


def _field(key: str, column: Column[Any]) -> tuple[Any, Any]:
    shape = JSON_SHAPES.get((key, column.name))
    sql_type = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    if is_id_column(column):
        kind: Any = RowId
    elif shape is not None:
        kind = shape
    elif isinstance(sql_type, JSON):
        kind = Any
    elif isinstance(sql_type, Boolean):
        kind = Annotated[bool, Field(strict=True)]
    elif isinstance(sql_type, Integer):
        kind = Annotated[int, Field(strict=True)]
    elif isinstance(sql_type, DateTime):
        kind = AwareDatetime
    elif isinstance(sql_type, Date):
        kind = date
    elif isinstance(sql_type, String):
        kind = Annotated[str, Field(strict=True), StringConstraints(max_length=sql_type.length)]
    else:
        kind = Any
    if column.nullable and not column.primary_key:
        return (kind | None, None)
    return (kind, ...)


_MODELS: dict[str, type[BaseModel]] = {}


def row_model(spec: TableSpec) -> type[BaseModel]:
    """A pydantic model of one backup row of `spec`'s table, made from the table's columns."""
    model = _MODELS.get(spec.key)
    if model is None:
        fields = {c.name: _field(spec.key, c) for c in spec.table.columns if c.name not in spec.exclude}
        if spec.key == "media":
            fields |= {name: (str | None, None) for name in MEDIA_BYTES}
        model = create_model(f"Backup_{spec.key}", __config__=ConfigDict(extra="forbid"), **fields)
        _MODELS[spec.key] = model
    return model


def read_json(stream: IO[bytes]) -> Any:
    try:
        return safejson.loads(stream.read())  # too deep (issue #10 hole 9) is a ValueError too
    except (ValueError, UnicodeDecodeError):
        raise invalid(N_("This file is not a Collab backup: it is not valid JSON.")) from None


def validate(doc: Any) -> dict[str, list[dict[str, Any]]]:
    """The backup's rows as Python values, in insertion order; OpError("invalid") says what is wrong."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise invalid(N_("This file is not a Collab workshop backup."))
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise invalid(N_("This backup has no valid format version."))
    if version > VERSION:
        raise invalid(N_("This backup was made by a newer version of Collab (format %(version)s); this server "
                         "reads format %(supported)s. Update Collab, then import it again."),
                      version=version, supported=VERSION)
    if version != VERSION:
        raise invalid(N_("This backup's format version (%(version)s) is not supported."), version=version)
    raw = doc.get("tables")
    if not isinstance(raw, dict):
        raise invalid(N_("This backup has no tables."))
    unknown = sorted(set(raw) - {s.key for s in TABLES})
    if unknown:
        raise invalid(N_("This backup holds data this server does not know (%(tables)s): update Collab."),
                      tables=", ".join(unknown))
    tables = {spec.key: _rows(spec, raw.get(spec.key, [])) for spec in TABLES}
    workshops = tables["workshop"]
    if len(workshops) != 1 or workshops[0]["id"] != _canonical_or_none(doc.get("workshop_id")):
        raise invalid(N_("This backup must hold exactly one workshop."))
    _check_references(tables)
    _check_media(tables["media"])
    return tables


def _canonical_or_none(value: Any) -> str | None:
    try:
        return _canonical_id(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _clean(value: Any) -> Any:
    """Text without control characters, inside JSON values too: older data (SQLite stores NUL) must
    still import, and PostgreSQL refuses NUL (collab.sync.text, issue #10 hole 8)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _rows(spec: TableSpec, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise invalid(N_("The backup's table “%(table)s” is not a list."), table=spec.key)
    model = row_model(spec)
    out = []
    for number, row in enumerate(rows, 1):
        try:
            if isinstance(row, dict):
                row = {k: v if k in MEDIA_BYTES else _clean(v) for k, v in row.items()}
            values = model.model_validate(row).model_dump()
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "?"
            raise invalid(N_("Row %(row)s of the backup's table “%(table)s” is not valid (%(field)s: %(problem)s)."),
                          row=number, table=spec.key, field=where, problem=first["msg"]) from None
        out.append({k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in values.items()})
    return out


def _check_references(tables: dict[str, list[dict[str, Any]]]) -> None:
    for spec in TABLES:
        for foreign_key in spec.table.foreign_keys:
            column, target = foreign_key.parent.name, foreign_key.column
            if column in spec.external or column in spec.exclude:
                continue
            target_spec = spec_for(target.table.name)
            known = {row[target.name] for row in tables[target_spec.key]} if target_spec else set()
            for row in tables[spec.key]:
                if row[column] is not None and row[column] not in known:
                    raise invalid(N_("The backup is inconsistent: a row of “%(table)s” refers to a missing "
                                     "“%(target)s” (%(value)s)."), table=spec.key, target=target.table.name,
                                  value=row[column])


def _check_media(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for name in MEDIA_BYTES:
            if row[name] is None:
                continue
            try:
                row[name] = base64.b64decode(row[name], validate=True)
                with Image.open(io.BytesIO(row[name])) as image:
                    if image.format != "JPEG":
                        raise ValueError(image.format)
                    image.verify()
                    size = image.size
            except (binascii.Error, ValueError, OSError, UnidentifiedImageError, SyntaxError):
                raise invalid(N_("Photo %(id)s in the backup is not a valid JPEG image."), id=row["id"]) from None
            # As Collab keeps them (collab.media): a larger one would cost the PDF report its memory.
            if max(size) > (THUMB_SIDE if name == "thumb" else MAX_SIDE):
                raise invalid(N_("Photo %(id)s in the backup is larger than the photos Collab keeps."), id=row["id"])
        if row["file"] is not None and len(row["file"]) != row["size"]:
            raise invalid(N_("Photo %(id)s in the backup does not have its recorded size."), id=row["id"])
