"""The facilitator console in real Chromium: sign in with an account, create a workshop, add and
rename groups, add a visit on the agenda, project the join kit (code and QR code shown), and see two
participants who joined by the code on two phones appear online, then move one to another group.
Waits on conditions only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

from collab.models import FacilitatorAccount

from ..support.peers import server_sessions
from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = {"timezone_id": "Europe/Paris", "locale": "fr-FR"}
LAPTOP = {"viewport": {"width": 1280, "height": 860}, **PARIS}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         **PARIS}
PASSWORD = "correct horse battery"
BOARD_URL = re.compile(r"/b/[0-9a-fA-F-]+$")


def make_account(server: Any, email: str, name: str) -> None:
    with server_sessions(server)() as db:
        db.add(FacilitatorAccount(email=email, name=name, password_hash=generate_password_hash(PASSWORD),
                                  session_epoch=0))
        db.commit()


def i18n(watched: Watched, key: str) -> str:
    return watched.page.evaluate("(k) => JSON.parse(document.getElementById('i18n-facilitator').textContent)[k]", key)


def join_by_code(page: Any, base_url: str, code: str, name: str, group: str) -> None:
    page.goto(f"{base_url}/join")
    page.locator("#code").fill(code.lower())
    page.locator("form button[type=submit]").click()
    page.locator("#name").fill(name)
    page.get_by_role("radio", name=group).check()
    page.locator("#join-submit").click()
    page.wait_for_url(BOARD_URL)


def test_facilitator_prepares_a_workshop_and_participants_join(live_server: Any, browser: Any) -> None:
    make_account(live_server, "anne@example.org", "Anne Animatrice")
    fac = Watched(browser, **LAPTOP)
    page = fac.page
    base = live_server.url

    # Signed out, the console sends to its sign-in page; a wrong password says so, in place.
    page.goto(f"{base}/facilitator/")
    page.wait_for_url(re.compile(r"/facilitator/login"))
    page.locator("#email").fill("anne@example.org")
    page.locator("#password").fill("not my password")
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_have_text(i18n(fac, "wrong"))
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(re.compile(r"/facilitator/$"))
    expect(page.locator("#no-workshops")).to_be_visible()

    # Create the workshop: a title is required, then it opens on its own page.
    page.locator("#new-submit").click()
    expect(page.locator("#new-error")).to_have_text(i18n(fac, "title_required"))
    page.locator("#new-title-input").fill("Les forces innovantes hors des métropoles")
    page.locator("#new-starts").fill("2030-11-13")
    page.locator("#new-ends").fill("2030-11-17")
    page.locator("#new-groups").fill("2")
    page.locator("#new-submit").click()
    page.wait_for_url(re.compile(r"/facilitator/w/[0-9a-f-]+$"))
    workshop_url = page.url
    expect(page.locator("#ws-title")).to_have_text("Les forces innovantes hors des métropoles")
    expect(page.locator("#ws-dates")).to_contain_text("13")
    expect(page.locator("#group-list .group-row")).to_have_count(2)
    code = page.locator(".console-head__meta .ws-item__code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    # Groups: add one with the SWOT template, rename the first (Enter saves), move the new one up.
    page.locator("#group-add-name").fill("Morvan")
    page.locator("#group-add-template").select_option("swot")
    page.locator("#group-add-submit").click()
    rows = page.locator("#group-list .group-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(2).locator(".group-row__name")).to_have_value("Morvan")
    expect(rows.nth(2).locator(".group-row__template")).to_have_value("swot")
    first = rows.nth(0).locator(".group-row__name")
    first.fill("Le Creusot")
    first.press("Enter")
    expect(page.locator(".toast").filter(has_text="Le Creusot")).to_be_visible()
    rows.nth(2).locator("[data-action=up]").click()
    expect(rows.nth(1).locator(".group-row__name")).to_have_value("Morvan")
    expect(rows.nth(1).locator("[data-action=up]")).to_be_focused()
    state = page.request.get(f"{base}/api/v1/facilitator/workshops/{workshop_url.rsplit('/', 1)[1]}").json()
    assert [g["name"] for g in state["groups"]] == ["Le Creusot", "Morvan", "Groupe 2"]

    # The agenda page (shared with participants) adds a visit as this workshop's facilitator.
    page.locator("#edit-agenda").click()
    page.wait_for_url(re.compile(r"/agenda$"))
    add = page.locator("#add-form")
    add.locator("input[name=title]").fill("Le Creusot — métallurgie")
    add.locator("input[name=place]").fill("Le Creusot")
    add.locator("input[name=date]").fill("2030-11-14")
    add.locator("input[name=start]").fill("08:30")
    add.locator("input[name=end]").fill("12:00")
    add.locator("#add-submit").click()
    expect(page.locator("#agenda-days .visit")).to_have_count(1)
    page.goto(workshop_url)
    expect(page.locator("#visit-summary li")).to_have_count(1)
    expect(page.locator("#visit-summary")).to_contain_text("Le Creusot — métallurgie")
    page.screenshot(path=str(SHOTS / "facilitator-workshop.png"), full_page=True)

    # The join kit, for the projector: the code in large type and the QR code of the join link.
    page.locator("#open-kit").click()
    page.wait_for_url(re.compile(r"/kit$"))
    expect(page.locator("#kit-code")).to_have_text(code)
    qr = page.locator("#kit-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("() => document.getElementById('kit-qr').naturalWidth") > 0
    assert qr.bounding_box()["width"] >= 300
    qr_svg = page.request.get(page.evaluate("() => document.getElementById('kit-qr').src"))
    assert qr_svg.headers["content-type"].startswith("image/svg+xml") and f"/j/{code}" in qr_svg.text()
    page.screenshot(path=str(SHOTS / "facilitator-kit.png"))
    page.goto(f"{workshop_url}/kit/print")
    expect(page.locator(".sheet__code-large")).to_have_text(code)
    page.emulate_media(media="print")
    expect(page.locator(".sheet-tools")).to_be_hidden()
    page.pdf(path=str(SHOTS / "facilitator-sheet.pdf"), format="A4")
    page.emulate_media(media="screen")

    # Two participants join by the code on two phones and open their boards.
    phones = [Watched(browser, **PHONE), Watched(browser, **PHONE)]
    join_by_code(phones[0].page, base, code, "Camille", "Le Creusot")
    join_by_code(phones[1].page, base, code, "Dominique", "Morvan")

    page.goto(workshop_url + "#participants")
    people = page.locator("#people-list .person")
    expect(people).to_have_count(2)
    expect(page.locator("#people-list .person--online")).to_have_count(2, timeout=20000)
    camille = people.filter(has_text="Camille")
    expect(camille.locator(".person__meta")).to_contain_text("Le Creusot")

    # Move Camille to Groupe 2: the console says so, and her phone follows to her new group's board.
    camille.locator(".person__group").select_option(label="Groupe 2")
    expect(page.locator(".toast").filter(has_text="Groupe 2")).to_be_visible()
    expect(camille.locator(".person__meta")).to_contain_text("Groupe 2")
    me = phones[0].page.request.get(f"{base}/api/v1/me").json()
    assert me["participant"]["group_id"] == state["groups"][2]["id"]
    page.screenshot(path=str(SHOTS / "facilitator-participants.png"), full_page=True)

    for watched in (fac, *phones):
        watched.close()
