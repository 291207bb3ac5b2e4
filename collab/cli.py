"""Command line: `flask --app wsgi collab ...` and `flask --app wsgi db ...`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from alembic import command
from flask import Flask, current_app

from . import migrate
from .demo import add_programme
from .models import Workshop
from .services import services
from .workshops import Joined, create_workshop, find_by_code, workshop_dict

DEMO_TITLE = {"fr": "Atelier démo — les forces innovantes hors des métropoles", "en": "Demo workshop"}


def base_url() -> str:
    config = current_app.config
    if config["PUBLIC_URL"]:
        return config["PUBLIC_URL"].rstrip("/")
    host = config["HOST"]
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    scheme = "https" if config["TLS_CERT"] else "http"
    return f"{scheme}://{host}:{config['PORT']}"


def workshop_summary(joined: Joined | None, workshop_id: str | None = None) -> dict:
    with services().sessions() as db:
        workshop = db.get(Workshop, joined.workshop.id if joined else workshop_id)
        assert workshop is not None
        data = workshop_dict(db, workshop)
    summary = {
        "workshop_id": data["id"],
        "join_code": data["code"],
        "join_url": f"{base_url()}/j/{data['code']}",
        "groups": [{"id": g["id"], "name": g["name"], "board_id": g["board_id"]} for g in data["groups"]],
    }
    if joined is not None:
        summary["facilitator_token"] = joined.token
        summary["facilitator_url"] = facilitator_url(joined.token)
    return summary


def with_console(summary: dict) -> dict:
    """`summary` with where its facilitator goes in a browser: `console_url` (the first-run setup
    page while the instance has no account, the workshop's console once an account manages it, else
    the one-click claim page) and `owner`, the managing account's email (or null)."""
    from .facilitator.setup import facilitator_link, owner_email

    with services().sessions() as db:
        kind, url = facilitator_link(db, base_url(), summary["workshop_id"], summary["facilitator_token"])
        owner = owner_email(db, summary["workshop_id"])
    return {**summary, "console_url": url, "console_step": kind, "owner": owner}


def give_to_owner(workshop_id: str, owner: str | None) -> None:
    """The workshop to the account `owner` (an email), or to the instance's only account if it has
    exactly one; with no account yet it waits for the first one (collab.facilitator.setup)."""
    from .facilitator.accounts import find_account
    from .facilitator.setup import give, sole_account

    with services().sessions() as db:
        account = find_account(db, owner) if owner else sole_account(db)
        if owner and account is None:
            raise click.ClickException(f"No facilitator account with the email {owner}.")
        if account is not None:
            give(db, workshop_id, account)


def facilitator_url(token: str) -> str:
    """A link that signs a facilitator in (the token stays in the fragment: never sent to a server)."""
    return f"{base_url()}/login#token={token}"


@click.group("collab", help="Manage Collab workshops.")
def collab_cli() -> None:
    pass


@collab_cli.command("create-workshop")
@click.argument("title")
@click.option("--groups", default=4, show_default=True, type=click.IntRange(1, 12), help="Number of groups.")
@click.option("--locale", default="fr", show_default=True, type=click.Choice(["fr", "en"]))
@click.option("--owner", default=None, metavar="EMAIL",
              help="The facilitator account that manages it (default: the only account, if there is one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def create_workshop_command(title: str, groups: int, locale: str, owner: str | None, as_json: bool) -> None:
    """Create a workshop with its groups and boards, and print its join code and console link."""
    if owner:
        from .facilitator.accounts import find_account

        with services().sessions() as db:
            if find_account(db, owner) is None:
                raise click.ClickException(f"No facilitator account with the email {owner}.")
    with services().sessions() as db:
        joined = create_workshop(db, title, groups, locale)
    give_to_owner(joined.workshop.id, owner)
    summary = with_console(workshop_summary(joined))
    if as_json:
        click.echo(json.dumps(summary))
    else:
        _print_summary(title, summary)


@collab_cli.command("demo")
def demo_command() -> None:
    """Create the demo workshop once (kept in the instance folder) and print how to join it."""
    marker = Path(current_app.config["INSTANCE_DIR"]) / "demo-workshop.json"
    summary = json.loads(marker.read_text()) if marker.exists() else None
    if summary is not None:
        with services().sessions() as db:
            if find_by_code(db, summary["join_code"]) is None:
                summary = None
    if summary is None:
        with services().sessions() as db:
            joined = create_workshop(db, DEMO_TITLE["fr"], 4, "fr")
            add_programme(db, joined.workshop)
        summary = workshop_summary(joined)
        marker.write_text(json.dumps(summary))
    else:
        token = summary["facilitator_token"]
        summary = {**workshop_summary(None, summary["workshop_id"]), "facilitator_token": token,
                   "facilitator_url": facilitator_url(token)}
    from .facilitator.setup import managed

    with services().sessions() as db:
        unmanaged = not managed(db, summary["workshop_id"])
    if unmanaged:  # the demo belongs to the account once there is one (if there are several: claim)
        give_to_owner(summary["workshop_id"], None)
    _print_summary(DEMO_TITLE["fr"], with_console(summary))


@collab_cli.command("setup-link")
def setup_link_command() -> None:
    """Print the first-run link that creates the first facilitator account (while there is none)."""
    from .facilitator.setup import setup_key, setup_open

    with services().sessions() as db:
        if not setup_open(db):
            raise click.ClickException("This instance already has a facilitator account: sign in at /facilitator/login")
    click.echo(f"{base_url()}/facilitator/setup#key={setup_key()}")


def _print_summary(title: str, summary: dict) -> None:
    click.echo("")
    click.echo(f"  Collab — {title}")
    click.echo(f"  Open:       {base_url()}/")
    click.echo(f"  Join code:  {summary['join_code']}")
    click.echo(f"  Join link:  {summary['join_url']}")
    step = summary["console_step"]
    if step == "setup":
        click.echo("  Facilitator console — first run: open this link, create your account, the console opens:")
    elif step == "console":
        click.echo(f"  Facilitator console (sign in as {summary['owner']}):")
    else:
        click.echo("  Facilitator console — sign in, then one click adds this workshop to your account:")
    click.echo(f"    {summary['console_url']}")
    click.echo(f"  Facilitator access key, for scripts (keep it private): {summary['facilitator_token']}")
    click.echo("")


@click.group("db", help="Database migrations (Alembic).")
def db_cli() -> None:
    pass


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(services().engine, revision)
    click.echo("Database is up to date.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    with services().engine.begin() as connection:
        config = migrate.alembic_config(services().engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    config = migrate.alembic_config(services().engine)
    command.revision(config, message=message, autogenerate=True)


def init_cli(app: Flask) -> None:
    from .data_commands import backup_command, purge_command, restore_command
    from .exports.commands import export_backup_command, import_backup_command
    from .facilitator.commands import create_facilitator_command

    collab_cli.add_command(create_facilitator_command)
    collab_cli.add_command(export_backup_command)
    collab_cli.add_command(import_backup_command)
    for command_ in (backup_command, restore_command, purge_command):
        collab_cli.add_command(command_)
    app.cli.add_command(collab_cli)
    app.cli.add_command(db_cli)
