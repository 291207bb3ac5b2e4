"""Themes in a real browser, on two pages of one board: a theme is created, a card dragged onto it (and
another put in it with the keyboard), its synthesis written in Markdown and rendered safely on the other
page, "… is editing" shown while someone writes, and two edits from the same version ending in the
conflict dialog, merged without losing either text. Also the card text conflict, and a phone: drafts
that survive a reload and the "Add notes" dialog.

Runs the real server (`live_server`) and Debian's Chromium through Playwright; waits on conditions
only (Playwright's `expect` retries), never on sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from .board_page import DESKTOP, PHONE, card, join, post, zone
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]















def theme(page: Any, title: str) -> Any:
    return page.locator("#themes-list .theme").filter(has=page.locator(".theme__title", has_text=title))


def settled(page: Any) -> None:
    expect(page.locator(".card__status:visible")).to_have_count(0)
    expect(page.locator(".theme--pending")).to_have_count(0)


def snapshot(base_url: str, token: str, board_id: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.get(f"{base_url}/api/v1/boards/{board_id}", headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


def create_theme(page: Any, title: str) -> None:
    page.locator("#theme-new-button").click()
    page.locator("#theme-new-title").fill(title)
    page.locator("#theme-new-title").press("Enter")
    expect(theme(page, title)).to_be_visible()
    page.locator("#theme-new-title").press("Escape")


def drag_onto_theme(page: Any, source: Any, title: str) -> None:
    """Press on a card, start dragging: the bar of themes shows; move onto the theme and release."""
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 30, steps=5)
    target = page.locator(f'#theme-tray .theme-drop[data-title="{title}"]')
    expect(target).to_be_visible()
    end = target.bounding_box()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=16)
    page.mouse.move(end["x"] + end["width"] / 2 + 2, end["y"] + end["height"] / 2, steps=2)
    expect(target.locator(".card")).to_have_count(1)  # the target lights up (its :has(> .card) style)
    page.screenshot(path=str(SHOTS / "collab-themes-drop.png"))
    page.mouse.up()
    expect(page.locator("#theme-tray")).to_be_hidden()


def drag_onto(page: Any, source: Any, target: Any) -> None:
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 30, steps=5)
    end = target.bounding_box()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 20, steps=16)
    page.mouse.move(end["x"] + end["width"] / 2 + 2, end["y"] + 22, steps=2)
    expect(target.locator(":scope > .card")).to_have_count(1)
    page.mouse.up()


class Finger:
    """Real touch events through the Chrome DevTools protocol (what a phone's touchscreen sends)."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)

    def send(self, kind: str, x: float = 0, y: float = 0) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1, "radiusX": 4, "radiusY": 4, "force": 1}]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def open_synthesis(page: Any, title: str) -> Any:
    theme(page, title).locator(".theme__write").click()
    area = theme(page, title).locator(".synthesis-editor__text")
    expect(area).to_be_focused()
    return area


def test_themes_cards_and_synthesis_live(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier thèmes", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Camille", group["name"])
    join(two.page, live_server.url, code, "Dominique", group["name"])

    # The empty state says what themes are for.
    expect(two.page.locator("#themes-empty")).to_contain_text("Regroupez les notes en thèmes")
    post(one.page, "La friche Kodak accueille 40 entreprises")
    post(one.page, "Peu de transports le soir")
    settled(one.page)
    expect(card(two.page, "Peu de transports")).to_be_visible()

    create_theme(one.page, "Reconversion des friches")
    expect(theme(two.page, "Reconversion des friches")).to_be_visible()
    expect(two.page.locator("#themes-empty")).to_be_hidden()
    expect(theme(two.page, "Reconversion des friches").locator(".theme__count")).to_have_text("0 note")

    # Drag a card onto the theme: it joins the theme and stays in its zone, on both pages.
    drag_onto_theme(one.page, card(one.page, "friche Kodak"), "Reconversion des friches")
    for page in (one.page, two.page):
        chips = theme(page, "Reconversion des friches").locator(".theme-chip")
        expect(chips).to_have_count(1)
        expect(chips).to_contain_text("La friche Kodak")
        expect(zone(page, "inbox").locator(".card")).to_have_count(2)
        expect(card(page, "friche Kodak").locator(".card-theme")).to_have_text("Reconversion des friches")
    settled(one.page)
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    kodak = next(c for c in stored["cards"] if "Kodak" in c["text"])
    assert kodak["theme_id"] == stored["themes"][0]["id"] and kodak["zone"] == "inbox"

    # The keyboard way: the card editor's Theme choice.
    card(one.page, "Peu de transports").get_by_role("button", name=re.compile("Modifier")).click()
    editor = one.page.locator(".card__edit")
    editor.get_by_label("Thème").select_option(label="Reconversion des friches")
    editor.locator(".card__edit-text").press("Control+Enter")
    expect(theme(two.page, "Reconversion des friches").locator(".theme-chip")).to_have_count(2)
    expect(theme(two.page, "Reconversion des friches").locator(".theme__count")).to_have_text("2 notes")

    # Remove one from the theme with its chip; the badge goes too.
    remove = re.compile("Retirer « Peu de transports")
    theme(two.page, "Reconversion des friches").get_by_role("button", name=remove).click()
    expect(theme(one.page, "Reconversion des friches").locator(".theme-chip")).to_have_count(1)
    expect(card(one.page, "Peu de transports").locator(".card-theme")).to_have_count(0)

    # Dropped on the theme itself, in the themes section: in the theme again.
    drag_onto(one.page, card(one.page, "Peu de transports"), theme(one.page, "Reconversion des friches"))
    expect(theme(two.page, "Reconversion des friches").locator(".theme-chip")).to_have_count(2)
    expect(zone(one.page, "inbox").locator(".card")).to_have_count(2)

    # A chip shows its card.
    theme(two.page, "Reconversion des friches").locator(".theme-chip__open").first.click()
    expect(card(two.page, "friche Kodak")).to_have_class(re.compile(r"\bcard--flash\b"))

    # The synthesis, in Markdown: rendered on the other page; raw HTML stays text.
    area = open_synthesis(one.page, "Reconversion des friches")
    expect(theme(two.page, "Reconversion des friches").locator(".theme__editing")).to_have_text("Camille modifie…")
    area.fill("## Constat\n\n- 40 entreprises\n- des **emplois** nouveaux\n\nVoir [le rapport](https://example.org/rapport)"
              "\n\n<script>alert(1)</script>")
    area.press("Control+Enter")
    rendered = theme(two.page, "Reconversion des friches").locator(".theme__rendered")
    expect(rendered.locator("h2")).to_have_text("Constat")
    expect(rendered.locator("li")).to_have_text(["40 entreprises", "des emplois nouveaux"])
    expect(rendered.locator("strong")).to_have_text("emplois")
    expect(rendered.locator("a")).to_have_attribute("href", "https://example.org/rapport")
    expect(rendered).to_contain_text("<script>alert(1)</script>")
    assert rendered.locator("script").count() == 0
    expect(theme(two.page, "Reconversion des friches").locator(".theme__editing")).to_be_hidden()
    settled(one.page)

    # Both start from the same version; Dominique saves first, Camille's save is refused: the dialog.
    area_two = open_synthesis(two.page, "Reconversion des friches")
    expect(theme(one.page, "Reconversion des friches").locator(".theme__editing")).to_have_text("Dominique modifie…")
    area_one = open_synthesis(one.page, "Reconversion des friches")
    area_two.fill("## Constat\n\nVersion de Dominique : la friche attire des artisans.")
    area_two.press("Control+Enter")
    expect(theme(one.page, "Reconversion des friches").locator(".synthesis-editor__warning")).to_be_visible()
    area_one.fill("## Constat\n\nVersion de Camille : 40 entreprises et des emplois.")
    one.page.screenshot(path=str(SHOTS / "collab-themes-editor.png"))
    area_one.press("Control+Enter")
    dialog = one.page.locator("dialog.conflict")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".conflict__version--mine")).to_contain_text("Votre version")
    expect(dialog.locator(".conflict__version--mine")).to_contain_text("Version de Camille")
    expect(dialog.locator(".conflict__version--theirs")).to_contain_text("Version de Dominique enregistrée entre-temps")
    expect(dialog.locator(".conflict__version--theirs")).to_contain_text("la friche attire des artisans")
    one.page.screenshot(path=str(SHOTS / "collab-themes-conflict.png"))
    dialog.get_by_role("button", name="Fusionner à la main").click()
    merged = dialog.locator(".conflict__merge-text")
    expect(merged).to_be_focused()
    value = merged.input_value()
    assert "Version de Dominique" in value and "Version de Camille" in value
    merged.fill(value.replace("## Constat\n\nVersion de Camille", "Version de Camille"))
    dialog.get_by_role("button", name="Enregistrer la fusion").click()
    expect(dialog).to_be_hidden()
    for page in (one.page, two.page):
        text = theme(page, "Reconversion des friches").locator(".theme__rendered")
        expect(text).to_contain_text("la friche attire des artisans")
        expect(text).to_contain_text("40 entreprises et des emplois")
    settled(one.page)
    stored = snapshot(live_server.url, workshop["facilitator_token"], group["board_id"])
    synthesis = stored["themes"][0]["synthesis"]
    assert "Version de Dominique" in synthesis and "Version de Camille" in synthesis, synthesis

    # Rename and delete, with Undo.
    theme(two.page, "Reconversion des friches").locator(".theme__menu-button").click()
    two.page.get_by_role("button", name="Renommer").click()
    field = two.page.locator(".theme__rename .input")
    field.fill("Friches et emplois")
    field.press("Enter")
    expect(theme(one.page, "Friches et emplois")).to_be_visible()
    theme(one.page, "Friches et emplois").locator(".theme__menu-button").click()
    one.page.get_by_role("button", name="Supprimer le thème").click()
    expect(theme(two.page, "Friches et emplois")).to_have_count(0)
    expect(card(two.page, "friche Kodak").locator(".card-theme")).to_have_count(0)
    one.page.locator(".toast").get_by_role("button", name="Annuler").click()
    expect(theme(two.page, "Friches et emplois").locator(".theme-chip")).to_have_count(2)
    expect(card(two.page, "friche Kodak").locator(".card-theme")).to_have_text("Friches et emplois")

    one.page.screenshot(path=str(SHOTS / "collab-themes-desktop.png"), full_page=True)
    for watched in (one, two):
        watched.close()


def test_card_text_conflict_keeps_both(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier conflit", groups=2)
    code, group = workshop["join_code"], workshop["groups"][1]
    one = Watched(browser, **DESKTOP)
    two = Watched(browser, **DESKTOP)
    join(one.page, live_server.url, code, "Lou", group["name"])
    join(two.page, live_server.url, code, "Noa", group["name"])
    post(one.page, "Le maire veut un tiers-lieu")
    expect(card(two.page, "tiers-lieu")).to_be_visible()

    card(one.page, "tiers-lieu").get_by_role("button", name=re.compile("Modifier")).click()
    expect(card(two.page, "tiers-lieu").locator(".card__editing")).to_have_text("Lou modifie…")
    card(two.page, "tiers-lieu").get_by_role("button", name=re.compile("Modifier")).click()
    two.page.locator(".card__edit-text").fill("Le maire veut un tiers-lieu dans l’ancienne gare")
    two.page.locator(".card__edit-text").press("Control+Enter")
    expect(one.page.locator(".card__warning")).to_be_visible()
    one.page.locator(".card__edit-text").fill("Le maire (M. Petit) veut un tiers-lieu")
    one.page.locator(".card__edit-text").press("Control+Enter")
    dialog = one.page.locator("dialog.conflict")
    expect(dialog).to_be_visible()
    mine = dialog.locator(".conflict__version--mine .conflict__body")
    expect(mine).to_have_text("Le maire (M. Petit) veut un tiers-lieu")
    expect(dialog.locator(".conflict__version--theirs")).to_contain_text("Version de Noa enregistrée entre-temps")
    expect(dialog.locator(".conflict__version--theirs .conflict__body")).to_have_text(
        "Le maire veut un tiers-lieu dans l’ancienne gare")
    dialog.get_by_role("button", name="Garder la mienne").click()
    expect(dialog).to_be_hidden()
    for page in (one.page, two.page):
        expect(card(page, "M. Petit")).to_be_visible()
    expect(card(one.page, "M. Petit").locator(".card__editing")).to_have_count(0)
    for watched in (one, two):
        watched.close()


def test_phone_draft_survives_reload_and_add_notes(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier téléphone", groups=2)
    code, group = workshop["join_code"], workshop["groups"][0]
    phone = Watched(browser, **PHONE)
    join(phone.page, live_server.url, code, "Sacha", group["name"])
    page = phone.page
    for text in ("Une coopérative laitière", "Le marché du samedi", "Un atelier de réparation"):
        post(page, text)
    settled(page)
    create_theme(page, "Économie locale")

    # "Add notes": two ticked with the keyboard.
    theme(page, "Économie locale").get_by_role("button", name="Ajouter des notes").click()
    dialog = page.locator("dialog.theme-picker")
    expect(dialog).to_be_visible()
    dialog.get_by_role("searchbox").fill("march")
    expect(dialog.locator(".theme-picker__item:visible")).to_have_count(1)
    dialog.get_by_label(re.compile("Le marché du samedi")).check()
    dialog.get_by_role("searchbox").fill("")
    dialog.get_by_label(re.compile("coopérative laitière")).check()
    dialog.get_by_role("button", name="Valider").click()
    expect(theme(page, "Économie locale").locator(".theme-chip")).to_have_count(2)

    # With a finger, on the board view: press, the bar of themes shows, drop on the theme.
    page.get_by_role("radio", name="Tableau").tap()
    source = card(page, "atelier de réparation")
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 14
    finger = Finger(page)
    finger.send("touchStart", x, y)
    expect(source).to_have_class(re.compile(r"\bcard--chosen\b"))
    finger.send("touchMove", x + 4, y + 12)
    target = page.locator('#theme-tray .theme-drop[data-title="Économie locale"]')
    expect(target).to_be_visible()
    end = target.bounding_box()
    tx, ty = end["x"] + end["width"] / 2, end["y"] + end["height"] / 2
    for i in range(1, 21):
        finger.send("touchMove", x + (tx - x) * i / 20, y + (ty - y) * i / 20)
    finger.send("touchMove", tx + 1, ty + 1)
    expect(target.locator(".card")).to_have_count(1)
    finger.send("touchEnd")
    expect(theme(page, "Économie locale").locator(".theme-chip")).to_have_count(3)
    expect(zone(page, "inbox").locator(".card")).to_have_count(3)

    # A synthesis draft survives a reload, and can be resumed.
    area = open_synthesis(page, "Économie locale")
    area.fill("- circuits courts\n- ")
    theme(page, "Économie locale").get_by_role("button", name="Gras").click()
    expect(area).to_have_value("- circuits courts\n- **texte en gras**")
    page.keyboard.type("marché du samedi")
    expect(area).to_have_value("- circuits courts\n- **marché du samedi**")
    page.reload()
    expect(page.locator("#cards-loading")).to_be_hidden()
    expect(theme(page, "Économie locale").locator(".theme__draft")).to_contain_text("Brouillon non enregistré")
    theme(page, "Économie locale").get_by_role("button", name="Reprendre").click()
    area = theme(page, "Économie locale").locator(".synthesis-editor__text")
    expect(area).to_have_value("- circuits courts\n- **marché du samedi**")
    theme(page, "Économie locale").get_by_role("button", name="Enregistrer").click()
    expect(theme(page, "Économie locale").locator(".theme__rendered strong")).to_have_text("marché du samedi")
    expect(theme(page, "Économie locale").locator(".theme__draft")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "collab-themes-phone.png"), full_page=True)
    phone.close()
