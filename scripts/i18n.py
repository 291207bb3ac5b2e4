"""Keep the translation catalogs up to date.

    .venv/bin/python scripts/i18n.py update            # extract, update the catalogs, compile
    .venv/bin/python scripts/i18n.py fill fr FILE.json # set translations {"msgid": "msgstr"}, then compile
    .venv/bin/python scripts/i18n.py missing fr        # list the msgids without a translation

Source strings are English; French is filled by hand. `fill` applies French typography (a narrow
no-break space before « : ; ! ? » and inside guillemets) so translators can type plain spaces.
Several people may run it at once: it takes a lock on the catalogs.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def _run(*args: str) -> None:
    subprocess.run([PYBABEL, "-q", *args], cwd=ROOT, check=True)


def update() -> None:
    _run("extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l", "--add-comments=Translators:",
         "--sort-by-file", "--no-wrap", "-o", "translations/messages.pot", ".")
    # No fuzzy guesses: a guessed translation with other placeholders breaks compilation.
    _run("update", "-i", "translations/messages.pot", "-d", "translations", "--no-wrap", "--ignore-obsolete",
         "--no-fuzzy-matching")
    compile_all()


def compile_all() -> None:
    _run("compile", "-d", "translations")


def french(text: str) -> str:
    text = re.sub(r"\s+([:;!?»])", "\u00a0\\1", text)
    return re.sub(r"«\s+", "«\u00a0", text)


def _catalog(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def fill(lang: str, source: Path) -> list[str]:
    """Set the translations given in `source`; return the msgids that are not in the catalog."""
    wanted: dict[str, str] = json.loads(source.read_text(encoding="utf-8"))
    path = _catalog(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    unknown = []
    for msgid, msgstr in wanted.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = french(msgstr) if lang == "fr" else msgstr
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_by_file=True, ignore_obsolete=True)
    compile_all()
    return unknown


def missing(lang: str) -> list[str]:
    with _catalog(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


def main(argv: list[str]) -> int:
    lock = (TRANSLATIONS / ".lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    if argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["fill"] and len(argv) == 3:
        update()
        for msgid in fill(argv[1], Path(argv[2])):
            print(f"not in the catalog (is the string in a template or module yet?): {msgid!r}")
    elif argv[:1] == ["missing"] and len(argv) == 2:
        for msgid in missing(argv[1]):
            print(msgid if isinstance(msgid, str) else msgid[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
