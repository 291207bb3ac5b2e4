"""Language choice: French by default, English on request (`?lang=en`, remembered)."""

from __future__ import annotations

from flask import current_app, g, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    workshop_locale = g.get("workshop_locale")
    if workshop_locale in languages:
        return workshop_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
