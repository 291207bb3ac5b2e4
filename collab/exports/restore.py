"""Import a workshop backup (collab.exports.backup) into this server.

Everything is checked before anything is written (collab.exports.backup_check): the format and
version, every row against its table's columns, every id (a uuid, written the app's one way), every
reference inside the file, every photo. A backup whose workshop — or any of whose rows — already
exists here is refused: import it into another server, or delete the workshop first. Its join code
is kept unless another workshop here has it (a new one is drawn then). Rows go in in one
transaction; photo files are written first, under new random names in the workshop's folder
(collab.media.workshop_media_dir), and removed again if the transaction fails.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..media import workshop_media_dir
from ..models import Workshop
from ..sync.errors import N_, OpError
from ..workshops import CODE_ALPHABET, CODE_LENGTH
from .backup import MEDIA_BYTES, TABLES, TableSpec
from .backup_check import invalid, read_json, validate

__all__ = ["Restored", "read_json", "restore", "validate"]


@dataclass
class Restored:
    workshop_id: str
    title: str
    join_code: str
    code_changed: bool  # the backup's code was taken here: a new one was drawn
    counts: dict[str, int]


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
    written = _write_media(workshop_media_dir(media_dir, workshop["id"]), tables["media"])
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
