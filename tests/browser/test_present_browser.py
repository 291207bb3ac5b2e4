"""Presentation mode in real Chromium at 1280×720: a facilitator opens a group's slides and presses
ArrowRight twice; a participant following /present and the audience link (no account) show the same
slide live — the theme's title, its synthesis rendered safely (a <script> in it shows as text), an
evidence note with its photo and vote count. Clicker keys, the end of the presentation, and the
layout at 1920×1080 too (no scrollbars). Waits on conditions only."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
import requests
from PIL import Image

from ..support.peers import create_workshop_fast
from .board_page import join
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

HD = {"viewport": {"width": 1280, "height": 720}, "locale": "fr-FR"}
FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "locale": "fr-FR"}
SYNTHESIS = "Les **friches** deviennent des ateliers.\n\n<script>alert(1)</script>"


class Rest:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.headers = base, {"Authorization": f"Bearer {token}"}

    def op(self, board: str, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        body = {"op_id": f"op-{uuid.uuid4().hex}", "type": type_, "data": data}
        response = requests.post(f"{self.base}/api/v1/boards/{board}/ops", json=body, headers=self.headers, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["event"]["data"]

    def photo(self) -> str:
        out = io.BytesIO()
        Image.new("RGB", (320, 240), (30, 120, 200)).save(out, "JPEG")
        response = requests.post(f"{self.base}/api/v1/media", files={"file": ("p.jpg", out.getvalue(), "image/jpeg")},
                                 headers=self.headers, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()["id"]


def seed(base: str, token: str, board: str) -> None:
    """Two themes; the second (slide 3) has a synthesis, a note with a photo and 2 dots."""
    rest = Rest(base, token)
    rest.op(board, "theme.create", {"title": "Mobilité rurale"})
    friches = rest.op(board, "theme.create", {"title": "Reconversion des friches"})["theme"]["id"]
    rest.op(board, "theme.update", {"id": friches, "synthesis": SYNTHESIS, "base_synthesis": ""})
    kodak = rest.op(board, "card.create", {"text": "Le site Kodak accueille 40 entreprises", "media_id": rest.photo()})
    rest.op(board, "card.update", {"id": kodak["card"]["id"], "theme_id": friches})
    vote = rest.op(board, "vote.open", {"dots": 3})["vote"]["id"]
    for _ in range(2):
        rest.op(board, "vote.dot", {"vote_id": vote, "card_id": kodak["card"]["id"], "delta": 1})


def seed_long(base: str, token: str, board: str) -> None:
    """A theme with a very long synthesis and eight notes, half of them with photos."""
    rest = Rest(base, token)
    theme = rest.op(board, "theme.create", {"title": "Un thème au titre assez long pour tenir sur deux lignes "
                                                     "à l'écran du vidéoprojecteur"})["theme"]["id"]
    long = "\n\n".join(f"**Point {n}.** " + "Les acteurs du territoire coopèrent autour des friches. " * 4
                         for n in range(12))
    rest.op(board, "theme.update", {"id": theme, "synthesis": long, "base_synthesis": ""})
    for n in range(8):
        data: dict[str, Any] = {"text": f"Observation {n} : " + "un texte de note plutôt long, " * 6}
        if n % 2 == 0:
            data["media_id"] = rest.photo()
        made = rest.op(board, "card.create", data)["card"]["id"]
        rest.op(board, "card.update", {"id": made, "theme_id": theme})
    rest.op(board, "theme.create", {"title": "Les friches industrielles"})  # like group 1's


def shows_slide(page: Any, title: str | re.Pattern[str], counter: str) -> None:
    expect(page.locator("#stage-slide .slide__title")).to_have_text(title)
    expect(page.locator("#slide-counter")).to_have_text(counter)


def friches_slide_is_right(page: Any) -> None:
    slide = page.locator("#stage-slide .slide")
    expect(slide.locator(".slide__synthesis strong")).to_have_text("friches")
    expect(slide.locator(".slide__synthesis")).to_contain_text("<script>alert(1)</script>")
    assert slide.locator(".slide__synthesis script").count() == 0
    evidence = slide.locator(".evidence").filter(has_text="Le site Kodak accueille 40 entreprises")
    expect(evidence.locator(".evidence__votes")).to_have_text("2 votes")
    photo = evidence.locator("img.evidence__photo")
    expect(photo).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())


def fits(page: Any) -> None:
    """No scrollbars: the page and the slide keep to the viewport."""
    sizes = page.evaluate("""() => {
      const slide = document.getElementById('stage-slide');
      return [document.documentElement.scrollHeight, innerHeight, document.documentElement.scrollWidth, innerWidth,
              slide.scrollHeight, slide.clientHeight];
    }""")
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3] and sizes[4] <= sizes[5] + 1, sizes


def test_presentation_mode_steps_through_slides_and_a_follower_page_follows(live_server: Any, browser: Any) -> None:
    base = live_server.url
    workshop = create_workshop_fast(live_server, "Atelier de clôture", 2)
    g1, g2 = workshop["groups"]
    seed(base, workshop["facilitator_token"], g1["board_id"])
    seed_long(base, workshop["facilitator_token"], g2["board_id"])

    fac = Watched(browser, **HD)
    signed = fac.page.request.post(f"{base}/api/v1/session", data={"token": workshop["facilitator_token"]})
    assert signed.ok, signed.text()
    follower = Watched(browser, **HD)
    join(follower.page, base, workshop["join_code"], "Camille", g1["name"])
    follower.page.goto(f"{base}/present")
    expect(follower.page.locator("#stage-message")).to_have_text("En attente de la présentation…")
    expect(follower.page.locator("#present-idle")).to_be_visible()

    # The facilitator opens group 1's slides: the title slide, on every follower at once.
    page = fac.page
    page.goto(f"{base}/present/{g1['id']}")
    shows_slide(page, g1["name"], "1 / 4")
    shows_slide(follower.page, g1["name"], "1 / 4")
    expect(follower.page.locator("#present-idle")).to_be_hidden()
    follower.page.screenshot(path=str(SHOTS / "present-title-1280x720.png"))
    audience_url = page.locator("#audience-url").input_value()
    assert re.search(r"/a/[\w.-]+$", audience_url)
    audience = Watched(browser, **HD)
    audience.page.goto(audience_url)
    shows_slide(audience.page, g1["name"], "1 / 4")

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    shows_slide(page, "Reconversion des friches", "3 / 4")
    for screen in (follower.page, audience.page, page):
        shows_slide(screen, "Reconversion des friches", "3 / 4")
        friches_slide_is_right(screen)
        fits(screen)
    page.screenshot(path=str(SHOTS / "present-1280x720.png"))
    audience.page.screenshot(path=str(SHOTS / "present-audience-1280x720.png"))

    # Clicker keys: PageUp goes back, PageDown forward; the followers go along.
    page.keyboard.press("PageUp")
    shows_slide(follower.page, "Mobilité rurale", "2 / 4")
    page.keyboard.press("End")
    shows_slide(follower.page, "Conclusions", "4 / 4")  # no bilan asked: no workshop title
    shows_slide(audience.page, "Conclusions", "4 / 4")
    expect(audience.page.locator(".slide--conclusions .slide__source")).to_have_text(
        "Les notes qui ont reçu le plus de votes")
    audience.page.screenshot(path=str(SHOTS / "present-conclusions-1280x720.png"))
    page.keyboard.press("PageUp")
    shows_slide(audience.page, "Reconversion des friches", "3 / 4")

    # The same slide on a 1920×1080 projector: the same layout, bigger, no scrollbars.
    big = Watched(browser, **FULL_HD)
    big.page.goto(audience_url)
    shows_slide(big.page, "Reconversion des friches", "3 / 4")
    friches_slide_is_right(big.page)
    fits(big.page)
    big.page.screenshot(path=str(SHOTS / "present-1920x1080.png"))

    # A long synthesis shrinks, then is cut with "…"; six of eight notes show, the slide never scrolls.
    page.goto(f"{base}/present/{g2['id']}")
    shows_slide(page, g2["name"], "1 / 4")
    page.keyboard.press("PageDown")
    expect(big.page.locator("#slide-counter")).to_have_text("2 / 4")
    for screen, size in ((page, "1280x720"), (big.page, "1920x1080")):
        expect(screen.locator(".slide__synthesis--clipped")).to_have_count(1)
        expect(screen.locator(".slide .evidence")).to_have_count(6)
        expect(screen.locator(".slide__more")).to_have_text("et 2 autres notes")
        fits(screen)
        screen.screenshot(path=str(SHOTS / f"present-long-{size}.png"))

    # Esc leaves for /present, which follows the presentation; the presenter takes the lead again where it was.
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/present$"))
    shows_slide(page, re.compile("^Un thème au titre assez long"), "2 / 4")
    page.locator("#present-drive").click()
    page.wait_for_url(re.compile(rf"/present/{g2['id']}$"))
    shows_slide(page, re.compile("^Un thème au titre assez long"), "2 / 4")
    expect(big.page.locator("#slide-counter")).to_have_text("2 / 4")

    # Ending the presentation: the followers wait again.
    page.locator("#present-end").click()
    page.wait_for_url(re.compile(r"/present$"))
    expect(follower.page.locator("#stage-message")).to_contain_text("La présentation est terminée.")
    expect(audience.page.locator("#stage-message")).to_contain_text("La présentation est terminée.")

    # The cross-group view opens from there.
    page.locator("a[href='/present/all']").click()
    expect(page.locator(".cross__group")).to_have_count(2)
    expect(page.locator(".cross-theme__title").first).to_contain_text("Mobilité rurale")
    shared = page.locator(".cross-theme--match")
    expect(shared).to_have_count(2)
    expect(shared.locator(".cross-theme__also")).to_have_text(["Aussi chez : Groupe 2", "Aussi chez : Groupe 1"])
    page.screenshot(path=str(SHOTS / "present-all-1280x720.png"))

    for watched in (fac, follower, audience, big):
        watched.close()
