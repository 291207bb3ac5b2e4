"""A whole instance in one tar archive, and back (`flask --app wsgi collab backup|restore FILE.tar`).

The archive holds `manifest.json` (format, version, database kind, date, counts), the database — SQLite
through its online backup API (`database.sqlite`, safe while the server runs) or PostgreSQL through
`pg_dump --format=custom` (`database.dump`) — and the photos folder under `media/`. Restoring refuses a
database that already holds workshops or accounts unless forced, and unpacks the photos with tarfile's
"data" filter: no member may leave the media folder. One workshop alone: collab/exports/backup.py."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL, Engine

from .config import child_environment
from .models import Card, Event, FacilitatorAccount, Participant, Workshop

FORMAT = "collab-instance-backup"
VERSION = 1
MEDIA = "media/"


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


def database_kind(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {kind}.")
    return kind


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("The SQLite database is in memory: there is nothing to back up.")
    return Path(database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as pg_dump/pg_restore take it (no "+driver"), its password in the environment, not argv."""
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, child_environment(PGPASSWORD=url.password) if url.password else child_environment()


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is not installed (Debian: apt install postgresql-client).") from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")


def counts(engine: Engine, media_dir: Path) -> dict[str, int]:
    with engine.connect() as connection:
        found = {
            name: connection.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("workshops", Workshop), ("participants", Participant), ("cards", Card),
                                ("events", Event), ("accounts", FacilitatorAccount))
        }
    found["photos"] = sum(1 for path in media_dir.rglob("*") if path.is_file()) if media_dir.is_dir() else 0
    return found


def write_backup(engine: Engine, media_dir: Path, target: Path) -> dict[str, Any]:
    """Write the instance into the tar archive `target` (gzip when its name ends in .gz); the manifest."""
    kind = database_kind(engine)
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    manifest = {"format": FORMAT, "version": VERSION, "schema": schema, "database": kind,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": counts(engine, media_dir)}
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory() as scratch:
        if kind == "sqlite":
            dump, member = Path(scratch) / "database.sqlite", "database.sqlite"
            source = sqlite3.connect(_sqlite_path(engine))
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            dump, member = Path(scratch) / "database.dump", "database.dump"
            url, env = _libpq(engine.url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), url], env)
        mode = "w:gz" if target.name.endswith("gz") else "w"
        with tarfile.open(partial, mode) as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, member)
            if media_dir.is_dir():
                tar.add(media_dir, MEDIA.rstrip("/"))
    partial.replace(target)
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    except (KeyError, ValueError, TypeError):
        raise BackupError("This file is not a Collab instance backup (no manifest).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Collab instance backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"This backup has version {manifest.get('version')}; this Collab reads version {VERSION}.")
    return manifest


def is_empty(engine: Engine) -> bool:
    """No workshop and no facilitator account (a fresh instance, its tables made or not)."""
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for model in (Workshop, FacilitatorAccount):
            if model.__tablename__ in tables and connection.execute(select(model).limit(1)).first():
                return False
    return True


def _into_media(prefix: str) -> Callable[[tarfile.TarInfo, str], tarfile.TarInfo | None]:
    def strip(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
        name = member.name[len(prefix):]
        if not name:
            return None  # the folder itself
        return tarfile.data_filter(member.replace(name=name, deep=False), destination)

    return strip


def restore_backup(engine: Engine, media_dir: Path, source: Path, *, force: bool = False) -> dict[str, Any]:
    """Bring the archive `source` back into this instance's database and media folder; its manifest."""
    kind = database_kind(engine)
    try:
        tar = tarfile.open(source, "r:*")
    except (OSError, tarfile.TarError) as err:
        raise BackupError(f"Cannot read {source}: {err}") from None
    with tar, tempfile.TemporaryDirectory() as scratch:
        manifest = read_manifest(tar)
        if manifest.get("database") != kind:
            raise BackupError(f"This backup is of a {manifest.get('database')} database; this instance uses {kind}.")
        if not force and not is_empty(engine):
            raise BackupError("This instance already has workshops or accounts: restore into a fresh one, "
                              "or add --force to replace them.")
        member = "database.sqlite" if kind == "sqlite" else "database.dump"
        try:
            tar.extract(member, scratch, filter="data")
        except KeyError:
            raise BackupError(f"This backup has no {member}.") from None
        dump = Path(scratch) / member
        engine.dispose()
        if kind == "sqlite":
            source_db, target_db = sqlite3.connect(dump), sqlite3.connect(_sqlite_path(engine))
            try:
                source_db.backup(target_db)  # replaces every page of the target, WAL included
            finally:
                target_db.close()
                source_db.close()
        else:
            url, env = _libpq(engine.url)
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  "--dbname", url, str(dump)], env)
        media_dir.mkdir(parents=True, exist_ok=True)
        photos = [m for m in tar.getmembers() if m.name.startswith(MEDIA)]
        try:
            tar.extractall(media_dir, members=photos, filter=_into_media(MEDIA))
        except tarfile.FilterError as err:
            raise BackupError(f"This backup has a photo that would leave the media folder: {err}") from None
    return manifest

