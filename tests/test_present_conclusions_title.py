"""The conclusions slide's title set by the facilitators (issue #11 §3): a workshop setting, edited in
the console's settings form (PATCH /api/v1/facilitator/workshops/<id>), that the closing presentation
takes before the bilan's question; emptied, the bilan's question (or "Conclusions") comes back."""

from __future__ import annotations

from typing import Any

from collab.present.slides import group_slides

from .test_facilitator_accounts import Console


def last_title(app: Any, workshop: dict[str, Any]) -> str | None:
    with app.extensions["collab"].sessions() as db:
        data = group_slides(db, workshop["id"], workshop["groups"][0]["id"])
    assert data is not None
    return data["slides"][-1]["title"]


def test_the_facilitators_set_the_conclusions_title(app: Any) -> None:
    console = Console(app)
    made = console.workshop("Atelier de clôture", groups=1)
    assert made["conclusions_title"] == "" and last_title(app, made) is None
    url = f"/workshops/{made['id']}"

    changed = console.call("PATCH", url, {"conclusions_title": "  Ce que nous emportons\u0007 chez nous  "})
    assert changed.status_code == 200, changed.json
    assert changed.json["conclusions_title"] == "Ce que nous emportons chez nous"
    assert last_title(app, made) == "Ce que nous emportons chez nous"
    page = console.client.get(f"/facilitator/w/{made['id']}").get_data(as_text=True)
    assert 'id="set-conclusions"' in page and 'value="Ce que nous emportons chez nous"' in page

    assert console.call("PATCH", url, {"conclusions_title": "x" * 201}).status_code == 400
    cleared = console.call("PATCH", url, {"conclusions_title": ""})
    assert cleared.json["conclusions_title"] == "" and last_title(app, made) is None


def test_migration_0008_adds_and_removes_the_column(tmp_path: Any) -> None:
    """Up, down and up again on SQLite (foreign keys on, as the server runs it); the column matches the model."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from collab.db import make_engine
    from collab.migrate import upgrade
    from collab.models import Base

    from .test_facilitator_migration import downgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        upgrade(engine, "0008")
        assert "conclusions_title" in {c["name"] for c in inspect(engine).get_columns("workshop")}
        with engine.connect() as db:
            context = MigrationContext.configure(db, opts={"compare_type": True})
            assert [d for d in compare_metadata(context, Base.metadata) if "conclusions_title" in str(d)] == []
        downgrade(engine, "0007")
        assert "conclusions_title" not in {c["name"] for c in inspect(engine).get_columns("workshop")}
        upgrade(engine, "0008")
    finally:
        engine.dispose()
