"""Language choice: the person's pick (`?lang=en`, remembered), else the workshop's language, else
the browser's, else French."""

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
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
