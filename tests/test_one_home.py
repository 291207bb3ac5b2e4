"""One home for every setting (issue #10, "One rate-limit service"): settings are read from the
environment in collab/config.py only, and everywhere else as `app.config[KEY]` — never with a
default of its own (`config.get(KEY, default)`) that could disagree with config.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "collab"
ENVIRON = re.compile(r"\bos\.environ\b|\bos\.getenv\(")
CONFIG_GET = re.compile(r"\bapp\.config\.get\(|\bcurrent_app\.config\.get\(")


def _offenders(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "config.py" and path.parent == ROOT:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    return found


def test_environment_is_read_in_config_only() -> None:
    assert _offenders(ENVIRON) == []


def test_settings_have_no_second_default() -> None:
    assert _offenders(CONFIG_GET) == []


def test_every_rate_limit_is_a_setting() -> None:
    from collab import config, ratelimit

    settings = config.from_env({"INSTANCE_DIR": "/tmp/collab-one-home", "SECRET_KEY": "x"})
    assert set(config.RATE_LIMITS) == set(ratelimit.MESSAGES)
    for key in config.RATE_LIMITS.values():
        assert isinstance(settings[key], str) and settings[key]
