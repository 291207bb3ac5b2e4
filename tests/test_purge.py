"""`collab purge [--dry-run]` (docs/deploy.md "Backups"): workshops archived longer ago than
COLLAB_RETENTION_DAYS are deleted with their photos; the others, and everything with retention 0, stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from collab import create_app
from collab.models import Card, Workshop, utcnow
from collab.workshops import create_workshop

from .test_exports import build_atelier
from .test_exports_backup import run_cli


def make_app(instance: Path, **settings: Any) -> Any:
    return create_app({"INSTANCE_DIR": str(instance), "ASYNC_MODE": "threading", "TESTING": True,
                       "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{instance / 'test.db'}", **settings})


def archive(app: Any, workshop_id: str, days_ago: int | None) -> None:
    with app.extensions["collab"].sessions() as db:
        workshop = db.get(Workshop, workshop_id)
        workshop.archived_at = None if days_ago is None else utcnow() - timedelta(days=days_ago)
        db.commit()


def workshops(app: Any) -> set[str]:
    with app.extensions["collab"].sessions() as db:
        return {w.title for w in db.query(Workshop)}


def test_purge_deletes_expired_archived_workshops_with_their_photos(tmp_path: Path) -> None:
    app = make_app(tmp_path, RETENTION_DAYS=90)
    old = build_atelier(app.test_client(), app.extensions["collab"].sessions)
    photos = tmp_path / "media" / old.workshop_id
    assert any(photos.iterdir())
    with app.extensions["collab"].sessions() as db:
        recent = create_workshop(db, "Archivé récemment", 2).workshop.id
        live = create_workshop(db, "En cours", 2).workshop.id
    archive(app, old.workshop_id, 91)
    archive(app, recent, 30)
    archive(app, live, None)
    every = workshops(app)

    dry = run_cli(app, "purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert old.workshop_id in dry.output and recent not in dry.output and "1 archived" in dry.output
    assert workshops(app) == every and photos.is_dir()

    done = run_cli(app, "purge")
    assert done.exit_code == 0, done.output
    assert workshops(app) == {"Archivé récemment", "En cours"}
    assert not photos.exists()
    with app.extensions["collab"].sessions() as db:
        assert db.query(Card).count() == 0  # the old workshop's cards went with it


def test_retention_zero_keeps_everything(tmp_path: Path) -> None:
    app = make_app(tmp_path, RETENTION_DAYS=0)
    with app.extensions["collab"].sessions() as db:
        old = create_workshop(db, "Très ancien", 1).workshop.id
    archive(app, old, 1000)
    done = run_cli(app, "purge")
    assert done.exit_code == 0 and "kept" in done.output
    assert workshops(app) == {"Très ancien"}
