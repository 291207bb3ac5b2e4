"""Alembic environment: the engine comes from the application (collab.migrate), not alembic.ini."""

from alembic import context

from collab.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with config.attributes["engine"].begin() as connection:
        _run(connection)


def _render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Migrations must not import application types: UTCDateTime is a timezone-aware DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `flask --app wsgi db upgrade`.")
run_migrations_online()
