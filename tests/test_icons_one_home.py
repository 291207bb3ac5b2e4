"""Icons (issue #11 §6): every drawing lives in one module, static/js/board-icons.js — ui.js's icon(),
boardIcon() and the CSS masks of the cards (`--icon-*`, set from it) draw the same paths, never a
copy of them in app.css or ui.js; and no script draws an emoji (reactions are stored as emoji, but
drawn as icons: a projector laptop may have no emoji font)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
HOME = STATIC / "js" / "board-icons.js"
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2753\u2764\u26A0\uFE0F]")  # what needs an emoji font


def sources() -> list[Path]:
    files = [p for p in (STATIC / "js").glob("*.js") if not p.name.endswith(".test.js")]
    return files + list((STATIC / "css").glob("*.css"))


def test_each_icon_drawing_has_one_home() -> None:
    paths = set(re.findall(r"'(M[0-9][^']*)'", HOME.read_text()))
    assert len(paths) > 20
    for path in sorted(paths):
        homes = [p.name for p in sources() if path in p.read_text()]
        assert homes == [HOME.name], f"{path!r} is drawn in {homes}"
    assert "data:image/svg+xml" not in (STATIC / "css" / "app.css").read_text()


def test_no_script_draws_an_emoji() -> None:
    for source in (STATIC / "js").glob("*.js"):
        if source.name.endswith(".test.js"):
            continue
        for number, line in enumerate(source.read_text().splitlines(), 1):
            if not EMOJI.search(line) or line.lstrip().startswith("//"):
                continue
            # Reactions are data (their stored values), named in reactions.js and nowhere drawn as text.
            assert source.name == "reactions.js" and ("REACTIONS" in line or "KEYS" in line), (
                f"{source.name}:{number}: {line.strip()}")
