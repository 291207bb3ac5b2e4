"""The files of deploy/ hold together (docs/deploy.md): systemd accepts the units, the env example only
sets real settings and the proxies' upload limit follows COLLAB_MAX_UPLOAD_MB, every placeholder is
filled, the backup script makes a backup that `collab restore` brings back, and the guide names every file it ships.
The proxies themselves run in tests/browser/test_deploy_*.py and tests/test_deploy_rolling.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import text

from collab.db import make_engine, make_session_factory
from collab.migrate import upgrade
from collab.workshops import create_workshop

from .conftest import fresh_postgres_database, need
from .support.deploy import DEPLOY, proxy_available, render
from .support.server import ROOT

ENV_EXAMPLE = DEPLOY / "collab.env.example"


def env_example() -> dict[str, str]:
    lines = [line for line in ENV_EXAMPLE.read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze")
    for unit in (DEPLOY / "systemd").iterdir():
        shutil.copy(unit, tmp_path / unit.name)
    names = ["collab@5001.service", "collab-migrate.service", "collab-backup.service", "collab-backup.timer"]
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in names)],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if line.strip() and "is not executable: No such file or directory" not in line]  # /srv/collab
    assert complaints == [], complaints


def test_the_env_example_sets_only_real_settings() -> None:
    config = (ROOT / "collab" / "config.py").read_text()
    unknown = [name for name in env_example() if f'"{name}"' not in config]
    assert unknown == [], f"not settings of collab/config.py: {unknown}"
    assert env_example()["COLLAB_TRUSTED_PROXIES"] == "1"


def test_the_proxies_upload_limit_follows_the_setting() -> None:
    default = re.search(r'"COLLAB_MAX_UPLOAD_MB", "(\d+)"', (ROOT / "collab" / "config.py").read_text())
    assert default and env_example()["COLLAB_MAX_UPLOAD_MB"] == default.group(1)
    site = {"COLLAB_DOMAIN": "collab.example.org", "COLLAB_ACME_EMAIL": "you@example.org"}
    assert "client_max_body_size 16m;" in render("nginx", site)  # 15 MB of photo, 1 MB of form around it
    assert "max_size 16MB" in render("caddy", site)
    assert "client_max_body_size 41m;" in render("nginx", {**site, "COLLAB_MAX_UPLOAD_MB": "40"})


@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_every_placeholder_is_filled(kind: str, tmp_path: Path) -> None:
    site = render(kind, {"COLLAB_DOMAIN": "collab.example.org", "COLLAB_ACME_EMAIL": "you@example.org",
                         "COLLAB_PORTS": "5001 5002 5003"})
    code = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    assert "${" not in code, code
    assert code.count("127.0.0.1:500") == 3
    if kind == "caddy" and proxy_available("caddy"):
        (tmp_path / "Caddyfile").write_text(site)
        done = subprocess.run(["caddy", "adapt", "--adapter", "caddyfile", "--config", str(tmp_path / "Caddyfile")],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


def test_the_backup_script_backs_up_the_database_and_the_photos(tmp_path: Path, postgres_url: str) -> None:
    need(shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None, "pg_dump")
    engine = make_engine(postgres_url)
    upgrade(engine)
    with make_session_factory(engine)() as db:
        create_workshop(db, "Atelier sauvegardé", 3)
    engine.dispose()
    media = tmp_path / "instance" / "media"
    (media / "ab").mkdir(parents=True)
    (media / "ab" / "photo.jpg").write_bytes(b"\xff\xd8 une photo")
    backups = tmp_path / "backups"
    done = subprocess.run(
        [str(DEPLOY / "backup.sh")], capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "COLLAB_DATABASE_URL": postgres_url.replace("postgresql://", "postgresql+psycopg2://"),
             "COLLAB_INSTANCE_DIR": str(tmp_path / "instance"), "COLLAB_BACKUP_DIR": str(backups)},
    )
    assert done.returncode == 0, done.stderr
    archives = list(backups.glob("collab-*.tar"))
    assert len(archives) == 1, list(backups.iterdir())
    with tarfile.open(archives[0]) as tar:
        assert {"manifest.json", "database.dump", "media/ab/photo.jpg"} <= set(tar.getnames())
    with fresh_postgres_database() as restored:  # what docs/deploy.md says to do with it
        instance = tmp_path / "fresh"
        subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "collab", "restore", str(archives[0])],
                       cwd=ROOT, check=True, capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "COLLAB_DATABASE_URL": restored,
                            "COLLAB_INSTANCE_DIR": str(instance)})
        engine = make_engine(restored)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            assert connection.execute(text("SELECT title FROM workshop")).scalars().all() == ["Atelier sauvegardé"]
            assert connection.execute(text('SELECT count(*) FROM "group"')).scalar() == 3
        engine.dispose()
    assert (instance / "media" / "ab" / "photo.jpg").read_bytes() == b"\xff\xd8 une photo"


def test_the_guide_names_every_file_it_ships() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    shipped = [path.relative_to(ROOT).as_posix() for path in DEPLOY.rglob("*") if path.is_file()]
    missing = [path for path in shipped if path not in guide and path.replace(".timer", "") not in guide]
    assert missing == [], missing
