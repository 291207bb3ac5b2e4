"""Times on the workshop's clock (issue #11 §5): every page is given the TIMEZONE setting, and the
scripts format times only through static/js/time.js (tests/browser/test_times_browser.py shows them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collab import create_app

ROOT = Path(__file__).resolve().parent.parent
# Formatting or reading a moment on the device's clock, instead of time.js's helpers.
DEVICE_CLOCK = re.compile(r"new Intl\.DateTimeFormat\(|\.toLocale(?:Date|Time)?String\("
                          r"|\.get(?:Hours|Minutes|Date|Day|FullYear|Month)\(|\.set(?:Hours|Date)\(|\.toDateString\("
                          r"|getTimezoneOffset|resolvedOptions\(\)\.timeZone")


def page_zone(tmp_path: Path, zone: str | None) -> str:
    settings = {"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
                "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "test"}
    if zone is not None:
        settings["TIMEZONE"] = zone
    html = create_app(settings).test_client().get("/join").get_data(as_text=True)
    found = re.search(r'<html lang="\w+" data-time-zone="([^"]+)">', html)
    assert found, html[:300]
    return found.group(1)


@pytest.mark.parametrize(("setting", "given"), [(None, "Europe/Paris"), ("America/Cayenne", "America/Cayenne"),
                                                 ("Mars/Olympus_Mons", "UTC")])
def test_pages_are_given_the_workshop_time_zone(tmp_path: Path, setting: str | None, given: str) -> None:
    """The page's <html data-time-zone>: the TIMEZONE setting (Paris by default), UTC when it names no zone
    (a name the browser does not know would stop every time from showing)."""
    assert page_zone(tmp_path, setting) == given


def test_scripts_format_times_only_through_time_js() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        if path.name.endswith(".test.js") or path.name == "time.js":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DEVICE_CLOCK.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "times on the device's clock (use static/js/time.js):\n" + "\n".join(found)

