"""Keep the translation catalogs up to date.

    .venv/bin/python scripts/i18n.py update            # extract, update the catalogs, compile
    .venv/bin/python scripts/i18n.py fill fr FILE.json # set translations {"msgid": "msgstr"}, then compile
    .venv/bin/python scripts/i18n.py missing fr        # list the msgids without a translation
    .venv/bin/python scripts/i18n.py typography fr     # apply French typography to the whole catalog

Source strings are English; French is filled by hand. A plural entry (ngettext) is given by its
singular msgid and a list of its forms: {"{count} note": ["{count} note", "{count} notes"]}.
`fill` applies French typography (a narrow no-break space, U+202F, before `: ; ! ?` used as
punctuation and inside « », curly apostrophes) so translators can type plain spaces and quotes;
tests/test_i18n_catalogue.py checks the catalog for the same rules.
Several people may run it at once: it takes a lock on the catalogs.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
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


NARROW = "\u202f"  # narrow no-break space


def french(text: str) -> str:
    """French typography. `; : ! ?` are punctuation when a space, the end or a closing mark follows
    (not in https://, 10:30 or card:<id>): a narrow no-break space goes before them."""
    text = text.replace("'", "\u2019")
    text = re.sub(r"(?<=[^\s;:!?])[ \u00a0\u202f]*([;:!?])(?=[\s;:!?]|$|[»)\]])", NARROW + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NARROW, text)
    return re.sub(r"[ \u00a0\u202f]*»", NARROW + "»", text)


def _typeset(lang: str, value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(french(v) if lang == "fr" else v for v in value)
    return french(value) if lang == "fr" else value


def _catalog(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def fill(lang: str, source: Path) -> list[str]:
    """Set the translations given in `source`; return the msgids that are not in the catalog."""
    wanted: dict[str, str | list[str]] = json.loads(source.read_text(encoding="utf-8"))
    path = _catalog(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    unknown = []
    for msgid, msgstr in wanted.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        if message.pluralizable != isinstance(msgstr, list):
            unknown.append(f"{msgid} (a plural entry takes a list of forms, a single one a string)")
            continue
        message.string = _typeset(lang, msgstr)
        message.flags.discard("fuzzy")
    _write(path, catalog)
    return unknown


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_by_file=True, ignore_obsolete=True)
    compile_all()


def typography(lang: str) -> None:
    """Apply the language's typography to every translation already in the catalog."""
    path = _catalog(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id and message.string:
            message.string = _typeset(lang, message.string)
    _write(path, catalog)


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
    elif argv[:1] == ["typography"] and len(argv) == 2:
        typography(argv[1])
    elif argv[:1] == ["missing"] and len(argv) == 2:
        for msgid in missing(argv[1]):
            print(msgid if isinstance(msgid, str) else msgid[0])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
