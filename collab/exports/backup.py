"""A whole workshop as one JSON file, photos included, to keep or to move to another server
(collab.exports.restore reads it back; docs/protocol.md, "Exports and backup").

The file is `{"format": "collab-workshop-backup", "version": 1, "exported_at", "workshop_id",
"tables": {"workshop": [row], "group": [rows], …}}`: every column of every row of the workshop's
tables, in a fixed order (tables as in `TABLES`, rows by id — events by board and seq —, keys in
column order), one row per line. Times are ISO 8601 in UTC. What is left out, on purpose: the
event log's internal row numbers, the media's file names on disk (each photo's bytes are in its
row instead, base64, as `file` and `thumb`), and what is not the workshop's own (facilitator
accounts and their links to workshops, the live controls' state). Two backups of the same data
differ only in `exported_at`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.orm import Session

from ..media import media_file
from ..models import Base, Board, Vote

FORMAT = "collab-workshop-backup"
VERSION = 1
MEDIA_BYTES = ("file", "thumb")  # the extra, base64 fields of a `media` row


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _by_workshop(name: str) -> Callable[[str], ColumnElement[bool]]:
    return lambda workshop_id: _table(name).c.workshop_id == workshop_id


def _by_board(name: str) -> Callable[[str], ColumnElement[bool]]:
    return lambda workshop_id: _table(name).c.board_id.in_(select(Board.id).where(Board.workshop_id == workshop_id))


def _by_id(row: dict[str, Any]) -> tuple[Any, ...]:
    return (str(row.get("id", "")),)


@dataclass(frozen=True)
class TableSpec:
    """One table of the backup: `scope` selects the workshop's rows; `exclude` names columns left out
    (regenerated on import); `external` names foreign keys to rows outside the backup, kept as they are."""

    key: str
    scope: Callable[[str], ColumnElement[bool]]
    sort: Callable[[dict[str, Any]], tuple[Any, ...]] = _by_id
    exclude: frozenset[str] = frozenset()
    external: frozenset[str] = frozenset()

    @property
    def table(self) -> Table:
        return _table(self.key)

    def columns(self) -> list[str]:
        return [c.name for c in self.table.columns if c.name not in self.exclude]


# In insertion order: every table after those it refers to.
TABLES: list[TableSpec] = [
    TableSpec("workshop", lambda workshop_id: _table("workshop").c.id == workshop_id),
    TableSpec("group", _by_workshop("group")),
    TableSpec("visit", _by_workshop("visit")),
    TableSpec("participant", _by_workshop("participant")),
    TableSpec("media", _by_workshop("media"), exclude=frozenset({"file_name", "thumb_name"})),
    TableSpec("board", _by_workshop("board")),
    TableSpec("theme", _by_board("theme")),
    TableSpec("card", _by_board("card")),
    TableSpec("comment", _by_board("comment")),
    TableSpec("vote", _by_board("vote")),
    TableSpec(
        "vote_dot",
        lambda workshop_id: _table("vote_dot").c.vote_id.in_(
            select(Vote.id).join(Board, Board.id == Vote.board_id).where(Board.workshop_id == workshop_id)
        ),
        sort=lambda row: (row["vote_id"], row["participant_id"], row["card_id"]),
    ),
    TableSpec("event", _by_board("event"), sort=lambda row: (row["board_id"], row["seq"]),
              exclude=frozenset({"id"})),
]


def register_table(spec: TableSpec, *, after: str | None = None) -> None:
    """Add a feature's own workshop table to backups (after the tables it refers to)."""
    if any(s.key == spec.key for s in TABLES):
        return
    index = len(TABLES) if after is None else [s.key for s in TABLES].index(after) + 1
    TABLES.insert(index, spec)


def spec_for(key: str) -> TableSpec | None:
    return next((s for s in TABLES if s.key == key), None)


def plain(value: Any) -> Any:
    """A column value as JSON: times in UTC, ISO 8601."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_rows(db: Session, workshop_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows of the workshop, as JSON values, in backup order (no photo bytes yet)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec in TABLES:
        table, names = spec.table, spec.columns()
        rows = [
            {name: plain(row[name]) for name in names}
            | ({"_file_name": row["file_name"], "_thumb_name": row["thumb_name"]} if spec.key == "media" else {})
            for row in db.execute(select(table).where(spec.scope(workshop_id))).mappings()
        ]
        rows.sort(key=spec.sort)
        tables[spec.key] = rows
    return tables


def _media_bytes(media_dir: Path, workshop_id: str, name: str) -> str | None:
    try:
        return base64.b64encode(media_file(media_dir, workshop_id, name).read_bytes()).decode("ascii")
    except (OSError, ValueError):
        return None  # a photo file lost from disk: its row is kept, without the bytes


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def iter_backup(tables: dict[str, list[dict[str, Any]]], workshop_id: str, media_dir: Path,
                now: datetime) -> Iterator[str]:
    """The backup file, piece by piece (photos are read from disk one at a time)."""
    head = {"format": FORMAT, "version": VERSION, "exported_at": plain(now), "workshop_id": workshop_id}
    yield _dump(head)[:-1] + ",\n" + '"tables": {'
    for index, (key, rows) in enumerate(tables.items()):
        yield ("," if index else "") + f"\n{_dump(key)}: ["
        for number, row in enumerate(rows):
            if key == "media":
                row = {k: v for k, v in row.items() if not k.startswith("_")} | {
                    "file": _media_bytes(media_dir, row["workshop_id"], row["_file_name"]),
                    "thumb": _media_bytes(media_dir, row["workshop_id"], row["_thumb_name"]),
                }
            yield ("," if number else "") + "\n" + _dump(row)
        yield "\n]"
    yield "\n}}\n"


def write_backup(db: Session, workshop_id: str, media_dir: Path, now: datetime | None = None) -> Iterator[str]:
    """Read the workshop now (one session), then stream its backup. Raises LookupError if it does not exist."""
    tables = read_rows(db, workshop_id)
    if not tables["workshop"]:
        raise LookupError(workshop_id)
    return iter_backup(tables, workshop_id, media_dir, now or datetime.now(UTC))
