"""Sign-in with an access key and the agenda of visits, in a real browser.

A facilitator signs in with the link the CLI can print (`/login#token=…`), builds the agenda (add,
edit, delete); a participant who joined by code reads it without edit controls; a wrong key and a
lost network show their errors. The browser runs in Europe/Paris, so the times typed are checked
against the UTC the server stores (winter and summer offsets). Waits on conditions only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from .pages import SHOTS, Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = {"timezone_id": "Europe/Paris", "locale": "fr-FR"}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    **PARIS,
}
LAPTOP = {"viewport": {"width": 1280, "height": 800}, **PARIS}
BOARD_URL = re.compile(r"/b/[0-9a-fA-F-]+$")

def visit_item(page: Any, title: str) -> Any:
    return page.locator("#agenda-days .visit").filter(has=page.locator(".visit__title", has_text=title))


def fill_visit(scope: Any, title: str, place: str, day: str, start: str, end: str) -> None:
    scope.locator("input[name=title]").fill(title)
    scope.locator("input[name=place]").fill(place)
    scope.locator("input[name=date]").fill(day)
    scope.locator("input[name=start]").fill(start)
    scope.locator("input[name=end]").fill(end)


def server_visits(base_url: str, token: str) -> list[dict[str, Any]]:
    response = requests.get(f"{base_url}/api/v1/visits", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    response.raise_for_status()
    return response.json()["visits"]


def test_facilitator_builds_the_agenda_and_a_participant_reads_it(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Les forces innovantes hors des métropoles", groups=3)
    token = workshop["facilitator_token"]
    fac = Watched(browser, **LAPTOP)
    page = fac.page

    # The link signs in by itself, then lands on the first group's board; the key left no trace in
    # the history (replaceState): going back shows /login without it, and signs nobody in again.
    page.goto(f"{live_server.url}/login#token={token}")
    page.wait_for_url(BOARD_URL)
    assert page.url.endswith(f"/b/{workshop['groups'][0]['board_id']}")
    page.go_back()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.locator("#token")).to_have_value("")

    page.goto(f"{live_server.url}/agenda")
    expect(page.locator("#agenda-empty")).to_be_visible()
    expect(page.locator("#agenda-days .visit")).to_have_count(0)
    add = page.locator("#add-form")

    # Checked before anything is sent: no title, then an end before the start.
    fill_visit(add, "", "Le Creusot", "2030-11-16", "08:00", "12:00")
    add.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_have_text(fac.i18n("title_required"))
    expect(add.locator("input[name=title]")).to_have_attribute("aria-invalid", "true")
    expect(add.locator("input[name=title]")).to_be_focused()
    fill_visit(add, "Le Creusot — métallurgie", "Le Creusot", "2030-11-16", "12:00", "08:00")
    add.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_have_text(fac.i18n("end_before_start"))
    expect(add.locator("input[name=end]")).to_have_attribute("aria-invalid", "true")
    assert server_visits(live_server.url, token) == []

    # Two visits, the later one first: the page sorts them by time and groups them by day.
    fill_visit(add, "Port-la-Nouvelle — éolien en mer", "Port-la-Nouvelle", "2030-06-13", "14:00", "17:30")
    expect(page.locator("#add-error")).to_be_hidden()  # typing clears the error
    add.locator("#add-submit").click()
    expect(visit_item(page, "Port-la-Nouvelle")).to_be_visible()
    expect(visit_item(page, "Port-la-Nouvelle").locator(".visit__status")).to_have_count(0)
    expect(add.locator("input[name=title]")).to_have_value("")  # ready for the next one
    fill_visit(add, "Le Creusot — métallurgie", "Le Creusot", "2030-06-12", "08:00", "12:00")
    add.locator("#add-submit").click()
    expect(page.locator("#agenda-days .visit:not(.visit--pending)")).to_have_count(2)
    expect(page.locator("#agenda-empty")).to_be_hidden()
    expect(page.locator("#agenda-days .visit__title")).to_have_text([re.compile("Le Creusot"), re.compile("Port")])
    expect(page.locator("#agenda-days .day__title")).to_have_text([re.compile("12 juin"), re.compile("13 juin")])
    expect(visit_item(page, "Le Creusot").locator(".visit__start")).to_have_text("08:00")

    # Typed in Paris in June (UTC+2): stored in UTC.
    stored = {v["title"]: v for v in server_visits(live_server.url, token)}
    assert stored["Le Creusot — métallurgie"]["starts_at"] == "2030-06-12T06:00:00+00:00"
    assert stored["Port-la-Nouvelle — éolien en mer"]["ends_at"] == "2030-06-13T15:30:00+00:00"

    # Edit inline: move Le Creusot to November (UTC+1), rename it, end later.
    creusot = visit_item(page, "Le Creusot")
    creusot.locator("[data-action=edit]").click()
    editor = page.locator("#agenda-days .visit-form--edit")
    expect(editor.locator("input[name=title]")).to_be_focused()
    expect(editor.locator("input[name=start]")).to_have_value("08:00")
    editor.locator("input[name=end]").fill("07:00")  # refused before sending
    editor.locator("button[type=submit]").click()
    expect(editor.locator(".visit-form__error")).to_have_text(fac.i18n("end_before_start"))
    fill_visit(editor, "Le Creusot — métallurgie et nucléaire", "Le Creusot (71)", "2030-11-16", "08:00", "12:30")
    expect(editor.locator(".visit-form__error")).to_be_hidden()  # typing clears the error
    page.screenshot(path=str(SHOTS / "collab-agenda-edit-desktop.png"), full_page=True)
    editor.locator("button[type=submit]").click()
    expect(editor).to_have_count(0)
    renamed = visit_item(page, "métallurgie et nucléaire")
    expect(renamed).to_be_visible()
    expect(renamed.locator(".visit__status")).to_have_count(0)
    expect(renamed.locator(".visit__end")).to_have_text("12:30")
    expect(renamed.locator("[data-action=edit]")).to_be_focused()
    expect(page.locator("#agenda-days .visit__title")).to_have_text([re.compile("Port"), re.compile("nucléaire")])
    stored = {v["title"]: v for v in server_visits(live_server.url, token)}
    assert stored["Le Creusot — métallurgie et nucléaire"]["starts_at"] == "2030-11-16T07:00:00+00:00"
    assert stored["Le Creusot — métallurgie et nucléaire"]["place"] == "Le Creusot (71)"

    # Delete asks first; "cancel" keeps the visit, "delete" removes it.
    port = visit_item(page, "Port-la-Nouvelle")
    port.locator("[data-action=delete]").click()
    expect(port.locator(".visit__confirm")).to_be_visible()
    expect(port.locator("[data-action=cancel-delete]")).to_be_focused()
    page.screenshot(path=str(SHOTS / "collab-agenda-confirm-desktop.png"), full_page=True)
    port.locator("[data-action=cancel-delete]").click()
    expect(port.locator(".visit__confirm")).to_have_count(0)
    port.locator("[data-action=delete]").click()
    port.locator("[data-action=confirm-delete]").click()
    expect(visit_item(page, "Port-la-Nouvelle")).to_have_count(0)
    expect(page.locator("#agenda-days .visit")).to_have_count(1)
    assert [v["title"] for v in server_visits(live_server.url, token)] == ["Le Creusot — métallurgie et nucléaire"]
    page.screenshot(path=str(SHOTS / "collab-agenda-facilitator-desktop.png"), full_page=True)

    # Honest when it fails: offline, the visit shown at once goes away again and the form keeps
    # what was typed; a visit deleted meanwhile by someone else says so when saved.
    fac.context.set_offline(True)
    fill_visit(add, "Visite hors ligne", "", "2030-11-17", "09:00", "10:00")
    add.locator("#add-submit").click()
    expect(page.locator("#add-error")).to_have_text(fac.i18n("errors.network"))
    expect(page.locator("#agenda-days .visit")).to_have_count(1)
    expect(add.locator("input[name=title]")).to_have_value("Visite hors ligne")
    fac.context.set_offline(False)
    add.locator("input[name=title]").fill("")
    response = requests.post(
        f"{live_server.url}/api/v1/visits",
        json={
            "title": "Usine Alstom — annulée",
            "starts_at": "2030-11-17T08:00:00+00:00",
            "ends_at": "2030-11-17T09:00:00+00:00",
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 201
    page.reload()
    expect(page.locator("#agenda-days .visit")).to_have_count(2)
    visit_item(page, "Alstom").locator("[data-action=edit]").click()
    assert requests.delete(
        f"{live_server.url}/api/v1/visits/{response.json()['id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    ).ok
    editor.locator("input[name=place]").fill("Belfort")
    editor.locator("button[type=submit]").click()
    expect(page.locator("#agenda-error-text")).to_have_text(fac.i18n("gone"))
    expect(page.locator("#agenda-error-link")).to_be_hidden()
    expect(page.locator("#agenda-days .visit")).to_have_count(1)

    # A participant who joined by code reads the agenda: the remaining visit, no edit controls, and
    # a way back to their own board.
    group = workshop["groups"][2]
    part = Watched(browser, **PHONE)
    part.page.goto(f"{live_server.url}/j/{workshop['join_code']}")
    part.page.locator("#name").fill("Camille")
    part.page.get_by_role("radio", name=group["name"]).check()
    part.page.locator("#join-submit").click()
    part.page.wait_for_url(BOARD_URL)
    part.page.goto(f"{live_server.url}/agenda")
    expect(part.page.locator("#agenda-days .visit")).to_have_count(1)
    expect(visit_item(part.page, "métallurgie et nucléaire").locator(".visit__place")).to_have_text("Le Creusot (71)")
    expect(visit_item(part.page, "métallurgie et nucléaire").locator(".visit__start")).to_have_text("08:00")
    expect(part.page.locator("#add-form")).to_have_count(0)
    expect(part.page.locator("#agenda-days [data-action]")).to_have_count(0)
    expect(part.page.locator(f"a[href='/b/{group['board_id']}']")).to_be_visible()
    assert part.page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out
    part.page.screenshot(path=str(SHOTS / "collab-agenda-participant-phone.png"), full_page=True)

    fac.close()
    part.close()


def test_the_visit_happening_now_is_marked(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier en cours", groups=2)
    token = workshop["facilitator_token"]
    now = datetime.now(UTC).replace(microsecond=0)
    for title, start, end in [
        ("Ce matin — usine", now - timedelta(hours=4), now - timedelta(hours=2)),
        ("En ce moment — mairie", now - timedelta(minutes=30), now + timedelta(minutes=45)),
        ("Demain — port <img src=x onerror=alert(1)>", now + timedelta(days=1), now + timedelta(days=1, hours=2)),
    ]:
        response = requests.post(
            f"{live_server.url}/api/v1/visits",
            json={"title": title, "place": "", "starts_at": start.isoformat(), "ends_at": end.isoformat()},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        assert response.status_code == 201, response.text

    for options, name in ((PHONE, "phone"), (LAPTOP, "desktop")):
        watched = Watched(browser, **options)
        page = watched.page
        page.goto(f"{live_server.url}/login")
        page.locator("#token").fill(token)
        page.locator("#login-submit").click()
        page.wait_for_url(BOARD_URL)
        page.goto(f"{live_server.url}/agenda")
        expect(visit_item(page, "En ce moment")).to_have_class(re.compile(r"\bvisit--now\b"))
        expect(visit_item(page, "En ce moment")).to_have_attribute("aria-current", "time")
        expect(visit_item(page, "Ce matin")).to_have_class(re.compile(r"\bvisit--past\b"))
        expect(page.locator(".visit--now")).to_have_count(1)
        expect(page.locator("#agenda-now")).to_contain_text("En ce moment — mairie")
        expect(page.locator("#agenda-now a")).to_have_attribute("href", re.compile("^#visit-"))
        expect(visit_item(page, "Demain").locator(".visit__title-text")).to_have_text(
            "Demain — port <img src=x onerror=alert(1)>"  # user text stays text
        )
        assert page.locator("#agenda-days img").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        page.screenshot(path=str(SHOTS / f"collab-agenda-{name}.png"), full_page=True)
        watched.close()


def test_a_wrong_key_or_no_network_shows_an_error(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier clés", groups=1)
    for options, name in ((PHONE, "phone"), (LAPTOP, "desktop")):
        watched = Watched(browser, **options)
        page = watched.page
        page.goto(f"{live_server.url}/login")
        page.screenshot(path=str(SHOTS / f"collab-login-{name}.png"), full_page=True)

        page.locator("#login-submit").click()  # empty
        expect(page.locator("#login-error")).to_have_text(watched.i18n("required"))

        page.locator("#token").fill("not-a-valid-key")
        expect(page.locator("#login-error")).to_be_hidden()
        page.locator("#login-submit").click()
        expect(page.locator("#login-error")).to_have_text(watched.i18n("unauthorized"))
        expect(page.locator("#token")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#login-submit")).to_be_enabled()
        assert page.url.endswith("/login")
        page.screenshot(path=str(SHOTS / f"collab-login-error-{name}.png"), full_page=True)

        watched.context.set_offline(True)
        page.locator("#token").fill(workshop["facilitator_token"])
        page.locator("#login-submit").click()
        expect(page.locator("#login-error")).to_have_text(watched.i18n("network"))
        watched.context.set_offline(False)

        # The whole link pasted into the field works too.
        page.locator("#token").fill(f"  {live_server.url}/login#token={workshop['facilitator_token']}\n")
        page.locator("#login-submit").click()
        page.wait_for_url(BOARD_URL)
        watched.close()
