"""The opening word cloud and the closing bilan in real Chromium: a facilitator (account) asks a words
question from the questions page; two participants on phones (board page and capture page) see the card
and send words ("Friches", "Coopération"; "friche"); the projector view shows "friche" bigger than
"Coopération", live; a click hides a word and the side list brings it back. Then a bilan: a takeaway and
an anonymous evaluation from a phone show on the projector as a list and bars; closing the bilan takes
the card off the phones. No page errors, dialogs or CSP violations. Waits on conditions only."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from .board_page import join
from .pages import SHOTS, Watched
from .test_facilitator_console_browser import LAPTOP, PHONE, sign_in_and_create_workshop

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

# French typography puts a narrow no-break space before « : ! ? ».
NONE_OPEN = re.compile(r"^Aucune question ouverte\s: les participants ne voient rien\.$")
BILAN_QUESTION = re.compile(r"^Quels enseignements pour les projets de mon territoire\s\?$")
EVALUATION_THANKS = re.compile(r"^Merci\s! Votre évaluation a été envoyée anonymement\.$")


def font_px(page: Any, key: str) -> float:
    return float(page.evaluate(
        "(key) => { const b = document.querySelector(`.cloud-word[data-key='${key}']`);"
        " return b ? parseFloat(getComputedStyle(b).fontSize) : 0; }",
        key,
    ))


def wait_until(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_word_cloud_and_bilan(live_server: Any, browser: Any) -> None:
    base = live_server.url
    fac = Watched(browser, **LAPTOP)
    page = fac.page
    workshop = sign_in_and_create_workshop(live_server, fac, "anne.mots@example.org", "Atelier des mots")
    g1, g2 = workshop["groups"]

    phones = [Watched(browser, **PHONE), Watched(browser, **PHONE)]
    camille, dominique = phones[0].page, phones[1].page
    join(camille, base, workshop["code"], "Camille", g1["name"])
    join(dominique, base, workshop["code"], "Dominique", g2["name"])
    dominique.goto(f"{base}/capture")
    expect(camille.locator("#prompt-card")).to_be_hidden()

    # From the workshop page to the questions page; a suggested question, asked.
    page.goto(f"{base}/facilitator/w/{workshop['id']}")
    page.locator("#open-prompts").click()
    page.wait_for_url(re.compile(r"/prompts$"))
    expect(page.locator("#current-state")).to_have_text(NONE_OPEN)
    expect(page.locator("#history-state")).to_have_text("Aucune question posée pour l’instant.")
    page.locator("[data-suggestion]", has_text="Innover").click()
    expect(page.locator("#words-question")).to_have_value(re.compile(r"^Innover, c.est…\s\?$"))
    page.locator("[data-suggestion]").first.click()
    page.locator("#words-open").click()
    expect(page.locator("#words-feedback")).to_have_class(re.compile("--ok"))
    expect(page.locator("#current-question")).to_have_text(re.compile(r"^Pour vous, le territoire c.est…\s\?$"))
    expect(page.locator("#prompt-list .prompts-list__item")).to_have_count(1)

    # The projector view, before any answer.
    page.locator("#current-screen").click()
    page.wait_for_url(re.compile(r"/screen$"))
    expect(page.locator("#screen-state")).to_have_text("En attente des premiers mots…")
    expect(page.locator("#conn-pill")).to_have_class(re.compile(r"\bpill--connected\b"))

    # Camille, on her board: the card, three fields, one required.
    card = camille.locator("#prompt-card")
    expect(card).to_be_visible()
    expect(camille.locator("#prompt-question")).to_contain_text("le territoire")
    camille.locator("#prompt-body button[type=submit]").click()
    expect(camille.locator(".prompt-error")).to_have_text("Écrivez au moins un mot.")
    camille.locator("#prompt-word-1").fill("Friches")
    camille.locator("#prompt-word-2").fill("Coopération")
    camille.locator("#prompt-body button[type=submit]").click()
    expect(camille.locator(".prompt-done__thanks")).to_have_text(re.compile(r"^Merci\s! Vos mots\s:$"))
    expect(camille.locator(".prompt-done__item")).to_have_text(["Friches", "Coopération"])
    expect(page.locator(".cloud-word")).to_have_count(2)
    expect(page.locator("#screen-count")).to_have_text("1 réponse")

    # Dominique, on the capture screen: folds the card away, unfolds it, answers.
    expect(dominique.locator("#prompt-card")).to_be_visible()
    dominique.screenshot(path=str(SHOTS / "prompts-words-capture.png"))
    dominique.locator("#prompt-fold").click()
    expect(dominique.locator("#prompt-card")).to_be_hidden()
    expect(dominique.locator("#prompt-unfold")).to_have_text(re.compile("Répondre à la question"))
    expect(dominique.locator("#capture-text")).to_be_visible()
    dominique.locator("#prompt-unfold").click()
    dominique.locator("#prompt-word-1").fill("friche")
    dominique.locator("#prompt-word-1").press("Enter")
    expect(dominique.locator(".prompt-done__item")).to_have_text(["friche"])
    dominique.reload()  # what was sent comes back from the server (GET …/mine)
    expect(dominique.locator(".prompt-done__item")).to_have_text(["friche"])
    expect(dominique.locator("#prompt-fold")).to_have_text("Fermer")

    # The cloud merges the plural: "friche" (2) bigger than "Coopération" (1), live.
    friche = page.locator(".cloud-word[data-key='friche']")
    expect(friche).to_have_text("friche")
    expect(friche).to_have_attribute("data-count", "2")
    expect(page.locator("#screen-count")).to_have_text("2 réponses")
    wait_until(lambda: font_px(page, "friche") > 1.5 * font_px(page, "coopération") > 0)
    page.screenshot(path=str(SHOTS / "prompts-cloud.png"))

    # Hide "Coopération": it leaves the cloud, shows struck-through aside; then back.
    page.locator(".cloud-word[data-key='coopération']").click()
    expect(page.locator(".cloud-word[data-key='coopération']")).to_have_count(0)
    expect(page.locator("#hidden-toggle")).to_have_text("Mot masqué (1)")
    page.locator("#hidden-toggle").click()
    expect(page.locator(".hidden-words__word")).to_have_text(["Coopération (1)"])
    page.locator(".hidden-words__word").click()
    expect(page.locator(".cloud-word[data-key='coopération']")).to_have_count(1)
    expect(page.locator(".hidden-words__word")).to_have_count(0)

    # Camille changes her words.
    camille.locator(".prompt-card__change").click()
    expect(camille.locator("#prompt-word-1")).to_have_value("Friches")
    camille.locator("#prompt-word-2").fill("")
    camille.locator("#prompt-body button[type=submit]").click()
    expect(camille.locator(".prompt-done__item")).to_have_text(["Friches"])
    expect(page.locator(".cloud-word[data-key='coopération']")).to_have_count(0)
    expect(page.locator(".hidden-words__word")).to_have_count(0)

    # The bilan, with the default questions: it replaces the words on the phones.
    page.goto(f"{base}/facilitator/w/{workshop['id']}/prompts")
    page.locator("#bilan-open-submit").click()
    expect(page.locator("#bilan-feedback")).to_have_class(re.compile("--ok"))
    expect(page.locator("#prompt-list .prompts-list__item")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "prompts-page.png"), full_page=True)
    expect(camille.locator("#prompt-question")).to_have_text(BILAN_QUESTION)
    page.locator("#current-screen").click()
    page.wait_for_url(re.compile(r"/screen$"))
    expect(page.locator(".bilan-rating")).to_have_count(4)

    camille.locator("#prompt-takeaway").fill("Partir des friches pour coopérer")
    camille.locator("[data-part='takeaway'] button[type=submit]").click()
    takeaway = camille.locator("[data-part='takeaway'] .prompt-done__item")
    expect(takeaway).to_have_text(["Partir des friches pour coopérer"])
    expect(page.locator("#bilan-takeaways .bilan-list__text")).to_have_text(["Partir des friches pour coopérer"])
    expect(page.locator("#bilan-takeaways .bilan-list__name")).to_have_text(["Camille"])

    evaluation = camille.locator("[data-part='evaluation']")
    expect(evaluation).to_contain_text("Anonyme")
    ratings = evaluation.locator(".prompt-rating")
    ratings.nth(0).get_by_role("radio", name="4 sur 5").check()
    ratings.nth(1).get_by_role("radio", name="5 sur 5").check()
    ratings.nth(2).get_by_role("radio", name="Sans avis").check()
    evaluation.locator("#prompt-comment").fill("Plus de temps sur le terrain")
    evaluation.locator("button[type=submit]").click()
    expect(evaluation.locator(".prompt-done__thanks")).to_have_text(EVALUATION_THANKS)
    expect(page.locator(".bilan-rating__average").nth(0)).to_have_text("4,0 / 5")
    expect(page.locator(".bilan-rating__average").nth(1)).to_have_text("5,0 / 5")
    expect(page.locator(".bilan-rating__average").nth(2)).to_have_text("–")
    expect(page.locator("#bilan-comments .bilan-list__item")).to_have_text(["Plus de temps sur le terrain"])
    expect(page.locator("#comments-title")).to_have_text(re.compile(r"^Que faudrait-il améliorer\s\?$"))
    expect(page.locator("#screen-count")).to_have_text("1 enseignement · 1 évaluation")
    page.screenshot(path=str(SHOTS / "prompts-bilan.png"), full_page=True)
    camille.screenshot(path=str(SHOTS / "prompts-bilan-phone.png"), full_page=True)

    # The evaluation cannot be sent twice (the API says so too).
    prompt_id = page.url.rstrip("/").split("/")[-2]
    again = camille.request.post(
        f"{base}/api/v1/prompts/{prompt_id}/answers",
        headers={"X-CSRFToken": camille.evaluate("document.querySelector('meta[name=csrf-token]').content")},
        data={"ratings": [1, 1, 1, 1], "comment": ""},
    )
    assert again.status == 400

    # Closed from the questions page: the card leaves the phones.
    page.goto(f"{base}/facilitator/w/{workshop['id']}/prompts")
    page.locator("#current-close").click()
    expect(page.locator("#current-state")).to_have_text(NONE_OPEN)
    expect(camille.locator("#prompt-card")).to_be_hidden()
    expect(camille.locator("#prompt-unfold")).to_be_hidden()
    expect(dominique.locator("#prompt-card")).to_be_hidden()
    expect(page.locator("#prompt-list .tag", has_text="Terminée")).to_have_count(2)

    for watched in (fac, *phones):
        watched.close()
