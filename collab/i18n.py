"""Language choice: the person's pick (`?lang=en`, remembered), else the workshop's language, else
the browser's, else French. And the clock pages show times on: the workshop's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def workshop_time_zone() -> str:
    """The TIMEZONE setting when it names a zone (else UTC): pages get it on <html data-time-zone> and
    show every time on that clock (static/js/time.js), whatever zone the device is set to."""
    name = current_app.config["TIMEZONE"]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name
