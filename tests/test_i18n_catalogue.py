"""The catalogues and the browser's strings: every count has its plural forms, French typography.

Counts are checked on the messages extracted from the sources themselves (Python, templates — the
templates' i18n blocks are the browser's strings), so a count string added without ngettext fails here
before anyone runs `scripts/i18n.py update`.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
FRENCH = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
NARROW = "\u202f"

# A number that counts something: {count}, {n}, %(count)s, %(n)s, %(num)s (ngettext's own).
COUNT = re.compile(r"\{(?:count|n)\}|%\((?:count|n|num)\)[sd]")
# Numbers that are a position or a score, not a count of things: no plural to choose.
NOT_COUNTS = {
    "Slide {n} of {total}",
    "Word {n}",
    "{n} out of 5",
    "Rating %(n)s",
    "Shared theme %(n)s",
    "Shared theme %(n)s:",
    "Moved to {zone}, position {index} of {count}.",
}


def _i18n_script() -> Any:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, Any]]:
    """(where, message) of every translatable string in the sources, as `scripts/i18n.py update` sees them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords)
    return [(f"{path}:{line}", message) for path, line, message, _comments, _context in found]


@pytest.fixture(scope="module")
def french() -> Any:
    with FRENCH.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_count_in_the_sources_is_a_plural_entry(extracted: list[tuple[str, Any]]) -> None:
    """Issue #11 §5: `1 membre`, `2 membres`, `0 note` — a counted string is one ngettext entry (Python
    and templates, the browser's i18n blocks included: their KEY_one/KEY_other come from it)."""
    singles = sorted({f"{where}: {message!r}" for where, message in extracted
                      if isinstance(message, str) and COUNT.search(message) and message not in NOT_COUNTS})
    assert not singles, "counts without plural forms (use ngettext):\n" + "\n".join(singles)


def test_no_french_string_hedges_its_plural(french: Any) -> None:
    """'5 min ajoutée(s)': a count whose placeholder the check above did not know; a French string never
    hedges with (s), (e) or (es) — it is an ngettext entry with both forms."""
    hedged = [m.id for m in french if m.id and any(
        marker in text for text in (m.string if isinstance(m.string, (tuple, list)) else [m.string or ""])
        for marker in ("(s)", "(e)", "(es)"))]
    assert not hedged, hedged


def test_the_browser_chooses_plural_forms_in_one_place() -> None:
    """The scripts pick a count's form with static/js/plural.js (Intl.PluralRules), never `n === 1`."""
    found = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        if path.name.endswith(".test.js") or path.name == "plural.js":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"new Intl\.PluralRules|[=!]==? 1 \? *(?:t\.|this\.t\.|one\b)", line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "plural forms chosen outside static/js/plural.js:\n" + "\n".join(found)


def test_the_browser_strings_give_both_forms() -> None:
    """An i18n block's counted KEY_one always comes with its KEY_other (what plural.js falls back to)."""
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for key in re.findall(r'"(\w+)_one": ngettext\(', text):
            if f'"{key}_other":' not in text:
                missing.append(f"{path.relative_to(ROOT)}: {key}_one without {key}_other")
    assert not missing, "\n".join(missing)


def test_french_plural_entries_are_translated(french: Any) -> None:
    untranslated = [m.id[0] for m in french if m.id and m.pluralizable
                    and (not isinstance(m.string, (tuple, list)) or len(m.string) != 2 or not all(m.string))]
    assert not untranslated, untranslated


def typography_faults(text: str) -> list[str]:
    """What a French msgstr gets wrong: a straight apostrophe, `; : ! ?` used as punctuation without a
    narrow no-break space before it, guillemets without one inside. URLs (https://), times (10:30) and
    `card:<id>` are not punctuation: the mark is followed by something other than a space or the end."""
    faults = []
    if "'" in text:
        faults.append("straight apostrophe")
    for match in re.finditer(r"(.)([;:!?])(?=[\s;:!?]|$|[»)\]])", text):
        if match.group(1) != NARROW and match.group(1) not in ";:!?":
            faults.append(f"{match.group(1)!r} before {match.group(2)!r}")
    if re.search(f"«(?!{NARROW})|(?<!{NARROW})»", text):
        faults.append("guillemets without narrow no-break spaces")
    return faults


@pytest.mark.parametrize(("text", "faults"), [
    ("Visite\u202f:", []),
    ("Merci\u202f! Vos mots\u202f:", []),
    ("Supprimer «\u202f{title}\u202f»\u202f?", []),
    ("Markdown\u202f: [lien](https://…), à 10:30, (card:<id>)", []),
    ("Vraiment\u202f?!", []),
    ("C'est ça", ["straight apostrophe"]),
    ("Visite\u00a0: {title}", ["'\\xa0' before ':'"]),
    ("Visite : {title}", ["' ' before ':'"]),
    ("Visite: {title}", ["'e' before ':'"]),
    ("{word}: {count}", ["'}' before ':'"]),
    ("« {title} »", ["guillemets without narrow no-break spaces"]),
])
def test_the_typography_check_itself(text: str, faults: list[str]) -> None:
    assert typography_faults(text) == faults


def test_the_french_catalogue_follows_french_typography(french: Any) -> None:
    """Issue #11 §5: narrow no-break spaces before `; : ! ?` and inside « », curly apostrophes."""
    faults = []
    for message in french:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        for form in forms:
            faults += [f"{form!r}: {fault}" for fault in typography_faults(form or "")]
    assert not faults, "\n".join(faults)


def test_fill_writes_what_the_check_accepts() -> None:
    """scripts/i18n.py's `fill` applies the same rules, so translators can type plain spaces and quotes."""
    script = _i18n_script()
    typed = ["Visite: {title}", "C'est l'heure ?", "« {title} »", "Merci !", "Lien : https://x.fr/a?b=1 à 10:30"]
    for text in typed:
        assert typography_faults(script.french(text)) == [], script.french(text)
    assert script.french("Merci !") == "Merci\u202f!"
    assert script.french("« {title} »") == "«\u202f{title}\u202f»"
    assert script.french("(card:<id>) 10:30") == "(card:<id>) 10:30"
    assert script.french(script.french("Visite : {t}")) == "Visite\u202f: {t}"


def test_french_words_outside_the_catalogue_follow_it_too() -> None:
    """The board templates' zone titles (stored on new boards, shown in the exports) are French text too."""
    from collab.board_templates import _TITLES

    faults = [f"{titles['fr']!r}: {fault}" for titles in _TITLES.values() for fault in typography_faults(titles["fr"])]
    assert not faults, faults


def test_no_punctuation_is_joined_to_translations_in_code() -> None:
    """`${label}: ${value}` in a script or `{{ _('Label') }}: ` in a template puts an English colon in the
    French page: the whole sentence is one translation ('{label}: {value}' → '{label} : {value}')."""
    joined = []
    scripts = [p for p in sorted((ROOT / "static" / "js").glob("*.js")) if ".test." not in p.name]
    sources = [(p, r"[})]\s?[:;!?]\s\$\{") for p in scripts]
    sources += [(p, r"\}\}\s?[:;!?]\s") for p in sorted((ROOT / "templates").rglob("*.html"))]
    for path, pattern in sources:
        lines = enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        joined += [f"{path.relative_to(ROOT)}:{n}: {line.strip()}" for n, line in lines if re.search(pattern, line)]
    assert not joined, "\n".join(joined)
