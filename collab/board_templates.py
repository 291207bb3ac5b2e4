"""Board templates: the zones a group board starts with (the workshop's method of analysis).

Zone titles are stored on the board, in the workshop's language, when the board is made: after that
they are the group's own words, which facilitators may rename. `inbox` always exists: new notes
(from the capture screen too) land there, and a removed zone's notes go back to it.
"""

from __future__ import annotations

from typing import Any

INBOX = "inbox"

_TITLES: dict[str, dict[str, str]] = {
    "inbox": {"fr": "Boîte de réception", "en": "Inbox"},
    "actors": {"fr": "Acteurs", "en": "Actors"},
    "resources": {"fr": "Ressources", "en": "Resources"},
    "drivers": {"fr": "Forces motrices", "en": "Driving forces"},
    "resistances": {"fr": "Résistances", "en": "Resistances"},
    "expectations": {"fr": "Attentes des parties prenantes", "en": "Stakeholders' expectations"},
    "innovation": {"fr": "Potentiels d’innovation", "en": "Innovation potential"},
    "strengths": {"fr": "Forces", "en": "Strengths"},
    "weaknesses": {"fr": "Faiblesses", "en": "Weaknesses"},
    "opportunities": {"fr": "Opportunités", "en": "Opportunities"},
    "threats": {"fr": "Menaces", "en": "Threats"},
    "board": {"fr": "Espace libre", "en": "Open space"},
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    "territory": ("inbox", "actors", "resources", "drivers", "resistances", "expectations", "innovation"),
    "swot": ("inbox", "strengths", "weaknesses", "opportunities", "threats"),
    "free": ("inbox", "board"),
}
DEFAULT_TEMPLATE = "territory"


def zones_for(template: str, locale: str) -> list[dict[str, Any]]:
    """The zones of `template`, titled in `locale` (French when the locale is unknown)."""
    return [
        {"id": zone_id, "title": _TITLES[zone_id].get(locale, _TITLES[zone_id]["fr"])}
        for zone_id in TEMPLATES[template]
    ]
