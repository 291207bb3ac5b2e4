"""`flask --app wsgi collab create-facilitator EMAIL`: a facilitator account, from the server."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..services import services
from ..sync.errors import OpError
from .accounts import MIN_PASSWORD


@click.command("create-facilitator")
@click.argument("email")
@click.option("--name", default="", help="Name shown to participants (default: the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def create_facilitator_command(email: str, name: str, password_stdin: bool) -> None:
    """Create a facilitator account that signs in at /facilitator/login."""
    from .accounts import create_account  # needs the app's services
    from .setup import first_account_made

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password ({MIN_PASSWORD} characters at least)", hide_input=True, confirmation_prompt=True
        )
    with services().sessions() as db:
        try:
            account = create_account(db, email, password, name)
        except OpError as err:
            raise click.ClickException(err.to_wire()["error"]["message"]) from None
        adopted = first_account_made(db, account)  # the first account takes the unmanaged workshops
    click.echo(f"Facilitator account created: {account.email} ({account.name}). Sign in at /facilitator/login")
    if adopted:
        click.echo(f"It manages the {len(adopted)} workshop(s) made on the command line so far.")
