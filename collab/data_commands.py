"""Data care on the command line: `flask --app wsgi collab backup FILE.tar`, `… collab restore FILE.tar
[--force]` (collab/instance_backup.py) and `… collab purge [--dry-run]` (archived workshops past
COLLAB_RETENTION_DAYS, deleted with their photos)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from .instance_backup import BackupError, counts, restore_backup, write_backup
from .models import Workshop, utcnow
from .services import services


def _media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Back up the whole instance (database and photos) into the tar archive FILE (.tar or .tar.gz)."""
    try:
        manifest = write_backup(services().engine, _media_dir(), file)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps({"file": str(file), **manifest}))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an instance that already has workshops or accounts.")
def restore_command(file: Path, force: bool) -> None:
    """Restore an instance backup FILE (from `collab backup`) into this instance's database and photos."""
    engine = services().engine
    try:
        manifest = restore_backup(engine, _media_dir(), file, force=force)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps({"file": str(file), "backup": manifest, "counts": counts(engine, _media_dir())}))


def expired_workshops(days: int) -> list[tuple[str, str]]:
    """(id, title) of the workshops archived more than `days` days ago, oldest first."""
    limit = utcnow() - timedelta(days=days)
    with services().sessions() as db:
        rows = db.execute(select(Workshop.id, Workshop.title).where(Workshop.archived_at.is_not(None),
                                                                   Workshop.archived_at < limit)
                          .order_by(Workshop.archived_at)).all()
    return [(row.id, row.title) for row in rows]


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def purge_command(dry_run: bool) -> None:
    """Delete, with their photos, the workshops archived longer ago than COLLAB_RETENTION_DAYS."""
    from .facilitator.manage import delete_workshop

    days = current_app.config["RETENTION_DAYS"]
    if days <= 0:
        click.echo("COLLAB_RETENTION_DAYS is 0: archived workshops are kept.")
        return
    expired = expired_workshops(days)
    for workshop_id, title in expired:
        if not dry_run:
            with services().sessions() as db:
                workshop = db.get(Workshop, workshop_id)
                if workshop is not None:
                    delete_workshop(db, workshop)
        click.echo(f"{'would delete' if dry_run else 'deleted'} {workshop_id} {title}")
    noun = "workshop" if len(expired) == 1 else "workshops"
    click.echo(f"{len(expired)} archived {noun} older than {days} days {'would be ' if dry_run else ''}deleted.")
