"""`flask --app wsgi collab export-backup WORKSHOP_ID FILE` and `… collab import-backup FILE`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from ..services import services
from ..sync.errors import OpError
from .backup import write_backup
from .restore import read_json, restore, validate


def _media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


@click.command("export-backup")
@click.argument("workshop_id")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def export_backup_command(workshop_id: str, file: str) -> None:
    """Write WORKSHOP_ID's backup (JSON, photos included) to FILE ("-": standard output)."""
    with services().sessions() as db:
        try:
            chunks = write_backup(db, workshop_id, _media_dir())
        except LookupError:
            raise click.ClickException(f"No workshop has the id {workshop_id}.") from None
    if file == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    target = Path(file)
    temporary = target.with_name(target.name + ".part")
    with temporary.open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk)
    temporary.replace(target)
    click.echo(f"Backup of workshop {workshop_id} written to {target}.", err=True)


@click.command("import-backup")
@click.argument("file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def import_backup_command(file: object, as_json: bool) -> None:
    """Import a workshop backup FILE into this server as a new workshop."""
    from ..cli import base_url

    try:
        tables = validate(read_json(file))  # type: ignore[arg-type]
        with services().sessions() as db:
            restored = restore(db, tables, _media_dir())
    except OpError as err:
        raise click.ClickException(err.to_wire()["error"]["message"]) from None
    summary = {"workshop_id": restored.workshop_id, "title": restored.title, "join_code": restored.join_code,
               "join_url": f"{base_url()}/j/{restored.join_code}", "code_changed": restored.code_changed,
               "counts": restored.counts}
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(f"Imported “{restored.title}” as workshop {restored.workshop_id}.")
    notes = restored.counts.get("card", 0)
    click.echo(f"  {restored.counts.get('group', 0)} groups, {notes} notes, {restored.counts.get('media', 0)} photos.")
    click.echo(f"  Join code: {restored.join_code}" + ("  (new: the backup's code is taken here)"
                                                      if restored.code_changed else ""))
    click.echo(f"  Join link: {summary['join_url']}")
