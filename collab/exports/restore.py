"""Import a workshop backup (collab.exports.backup) into this server.

Everything is checked before anything is written: the format and version, every row against its
table's columns (types, lengths, UTC times), every reference inside the file, every photo (a JPEG
whose size matches). A backup whose workshop — or any of whose rows — already exists here is
refused: import it into another server, or delete the workshop first. Its join code is kept unless
another workshop here has it (a new one is drawn then). Rows go in in one transaction; photo files
are written first, under new random names, and removed again if the transaction fails.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Annotated, Any

from PIL import Image, UnidentifiedImageError
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Table, TypeDecorator, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Workshop
from ..sync.errors import N_, OpError
from ..workshops import CODE_ALPHABET, CODE_LENGTH
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


@dataclass
class Restored:
    workshop_id: str
    title: str
    join_code: str
    code_changed: bool  # the backup's code was taken here: a new one was drawn
    counts: dict[str, int]


def invalid(message: str, **params: Any) -> OpError:
    return OpError("invalid", message, **params)


def _field(key: str, column: Column[Any]) -> tuple[Any, Any]:
    shape = JSON_SHAPES.get((key, column.name))
    sql_type = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    if shape is not None:
        kind: Any = shape
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
        return json.load(stream)
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
    if len(workshops) != 1 or workshops[0]["id"] != doc.get("workshop_id"):
        raise invalid(N_("This backup must hold exactly one workshop."))
    _check_references(tables)
    _check_media(tables["media"])
    return tables


def _rows(spec: TableSpec, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise invalid(N_("The backup's table “%(table)s” is not a list."), table=spec.key)
    model = row_model(spec)
    out = []
    for number, row in enumerate(rows, 1):
        try:
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
            except (binascii.Error, ValueError, OSError, UnidentifiedImageError, SyntaxError):
                raise invalid(N_("Photo %(id)s in the backup is not a valid JPEG image."), id=row["id"]) from None
        if row["file"] is not None and len(row["file"]) != row["size"]:
            raise invalid(N_("Photo %(id)s in the backup does not have its recorded size."), id=row["id"])


def _existing(db: Session, tables: dict[str, list[dict[str, Any]]]) -> str | None:
    """The first table where a row of the backup already exists on this server (by id or unique value)."""
    for spec in TABLES:
        rows = tables[spec.key]
        for column in _unique_columns(spec.table):
            if column.name in spec.exclude or (spec.key, column.name) == ("workshop", "join_code"):
                continue
            values = [row[column.name] for row in rows]
            for start in range(0, len(values), 500):
                if db.scalar(select(column).where(column.in_(values[start:start + 500])).limit(1)) is not None:
                    return spec.key
    return None


def _unique_columns(table: Table) -> list[Column[Any]]:
    primary = list(table.primary_key.columns)
    columns = primary if len(primary) == 1 else []
    return columns + [c for c in table.columns if c.unique and c not in columns]


def _join_code(db: Session, wanted: str) -> str:
    if db.scalar(select(Workshop.id).where(Workshop.join_code == wanted)) is None:
        return wanted
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(Workshop.id).where(Workshop.join_code == code)) is None:
            return code


def _parents_first(spec: TableSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (comment replies), each after the row it refers to."""
    self_refs = [fk.parent.name for fk in spec.table.foreign_keys if fk.column.table is spec.table]
    if not self_refs:
        return rows
    pk = next(iter(spec.table.primary_key.columns)).name
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    pending = rows
    while pending:
        ready = [r for r in pending if all(r[c] is None or r[c] in placed for c in self_refs)]
        if not ready:
            raise invalid(N_("The backup is inconsistent: rows of “%(table)s” refer to each other in a loop."),
                          table=spec.key)
        ordered += ready
        placed |= {r[pk] for r in ready}
        pending = [r for r in pending if r[pk] not in placed]
    return ordered


def restore(db: Session, tables: dict[str, list[dict[str, Any]]], media_dir: Path,
            on_created: Callable[[Session, str], None] | None = None) -> Restored:
    """Write the validated backup in one transaction; `on_created(db, workshop_id)` runs inside it."""
    workshop = tables["workshop"][0]
    taken = _existing(db, tables)
    if taken == "workshop":
        raise OpError("conflict", N_("This workshop is already on this server: delete it first, or import the "
                                     "backup into another server."))
    if taken is not None:
        raise OpError("conflict", N_("Some of this backup's records (%(table)s) already exist on this server: it "
                                     "was probably imported here already."), table=taken)
    code = _join_code(db, workshop["join_code"])
    written = _write_media(media_dir / workshop["id"], tables["media"])
    try:
        for spec in TABLES:
            rows = tables[spec.key]
            if spec.key == "workshop":
                rows = [{**workshop, "join_code": code}]
            if spec.key == "media":
                rows = [{k: v for k, v in r.items() if k not in MEDIA_BYTES} for r in rows]
            if rows:
                db.execute(insert(spec.table), _parents_first(spec, rows))
        if on_created is not None:
            on_created(db, workshop["id"])
        db.commit()
    except IntegrityError:
        db.rollback()
        _remove(written)
        raise OpError("conflict", N_("This backup clashes with data already on this server.")) from None
    except BaseException:
        db.rollback()
        _remove(written)
        raise
    return Restored(workshop_id=workshop["id"], title=workshop["title"], join_code=code,
                    code_changed=code != workshop["join_code"], counts={k: len(v) for k, v in tables.items()})


def _write_media(folder: Path, rows: list[dict[str, Any]]) -> list[Path]:
    written: list[Path] = []
    try:
        for row in rows:
            stem = secrets.token_urlsafe(24)
            row["file_name"], row["thumb_name"] = f"{stem}.jpg", f"{stem}.thumb.jpg"
            for name, data in ((row["file_name"], row["file"]), (row["thumb_name"], row["thumb"])):
                if data is None:
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / name
                temporary = path.with_suffix(".part")
                temporary.write_bytes(data)
                os.replace(temporary, path)
                written.append(path)
    except BaseException:
        _remove(written)
        raise
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
