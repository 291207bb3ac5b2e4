"""/join and /j/<code> switch to the workshop's language once the code is known (issue #11 §5)."""

from __future__ import annotations

import re
from typing import Any

from .test_api import make_workshop

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def page_lang(response: Any) -> str:
    found = re.search(r'<html lang="(\w+)"', response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:200]
    return found.group(1)


def test_the_join_page_speaks_the_workshops_language_once_the_code_is_known(app: Any, client: Any) -> None:
    english = make_workshop(app, locale="en")
    # Before the code: the browser's language.
    form = client.get("/join", headers=FRENCH)
    assert page_lang(form) == "fr" and "Rejoindre un atelier" in form.get_data(as_text=True)
    # The code typed in the form, then the link: the workshop's language, the browser's notwithstanding.
    typed = client.get(f"/join?code={english.code.lower()}", headers=FRENCH)
    assert typed.status_code == 302
    page = client.get(typed.headers["Location"], headers=FRENCH)
    text = page.get_data(as_text=True)
    assert page_lang(page) == "en"
    assert "Join the workshop" in text and "Your name" in text and '"joining": "Joining' in text
    # A French workshop's link on an English browser is in French.
    french = make_workshop(app, locale="fr")
    assert page_lang(client.get(f"/j/{french.code}", headers={"Accept-Language": "en"})) == "fr"


def test_a_language_the_person_picked_still_wins(app: Any, client: Any) -> None:
    english = make_workshop(app, locale="en")
    assert page_lang(client.get(f"/j/{english.code}?lang=fr")) == "fr"
    assert page_lang(client.get(f"/j/{english.code}", headers={"Accept-Language": "en"})) == "fr"
