"""Times on the workshop's clock (issue #11 §5), in Chromium.

The server's TIMEZONE is Europe/Paris (the default). A device set to New York shows the board's and
the agenda's times as Paris reads them, the zone named ("09:00 UTC+1"), and a time typed in the agenda
is taken on Paris's clock; a device in Paris shows the same times with no zone added.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from .board_page import sign_in
from .pages import Watched

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.live, pytest.mark.browser]

PARIS = ZoneInfo("Europe/Paris")
ZONE = re.compile(r"UTC[+−-]\d")


def api(base: str, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = requests.request(method, f"{base}/api/v1{path}", json=body, timeout=5,
                                headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return response.json()


def test_times_are_the_workshops_and_name_the_zone_on_a_device_elsewhere(live_server: Any, browser: Any) -> None:
    workshop = live_server.create_workshop("Atelier fuseaux", groups=1)
    token = workshop["facilitator_token"]
    board_id = workshop["groups"][0]["board_id"]
    base = live_server.url
    # 08:00 UTC on 16 November 2030 is 09:00 in Paris (winter, UTC+1) and 03:00 in New York.
    api(base, token, "POST", "/visits", {"title": "Le Creusot", "starts_at": "2030-11-16T08:00:00+00:00",
                                         "ends_at": "2030-11-16T11:30:00+00:00"})
    api(base, token, "POST", f"/boards/{board_id}/ops",
        {"op_id": f"op-{uuid.uuid4().hex}", "type": "card.create", "data": {"text": "Une note à l'heure de Paris"}})

    away = Watched(browser, timezone_id="America/New_York", locale="fr-FR", viewport={"width": 1366, "height": 860})
    home = Watched(browser, timezone_id="Europe/Paris", locale="fr-FR", viewport={"width": 1366, "height": 860})
    try:
        for person in (away, home):
            sign_in(person.page, base, token, board_id)
        note_time = away.page.locator("#board-zones .card time[datetime]").first
        created = datetime.fromisoformat(note_time.get_attribute("datetime").replace("Z", "+00:00"))
        paris_clock = created.astimezone(PARIS).strftime("%H:%M")
        expect(note_time).to_have_text(re.compile(rf"^{paris_clock}\s+UTC[+−-]\d$"))
        expect(home.page.locator("#board-zones .card time[datetime]").first).to_have_text(paris_clock)

        for person, zone in ((away, r"\s+UTC\+1"), (home, "")):
            person.page.goto(f"{base}/agenda")
            visit = person.page.locator("#agenda-days .visit").filter(has_text="Le Creusot")
            expect(visit.locator(".visit__start")).to_have_text(re.compile(rf"^09:00{zone}$"))
            expect(visit.locator(".visit__end")).to_have_text(re.compile(rf"^12:30{zone}$"))
            expect(person.page.locator("#agenda-days .day__title")).to_have_text([re.compile("16 novembre")])
            expect(person.page.locator("#agenda-zone")).to_contain_text("Europe/Paris")
        assert not ZONE.search(home.page.locator("#agenda-days").inner_text())

        # Typed on the New York device: 10:00 is Paris's 10:00, 09:00 UTC in winter.
        add = away.page.locator("#add-form")
        add.locator("input[name=title]").fill("Port-la-Nouvelle")
        add.locator("input[name=date]").fill("2030-11-17")
        add.locator("input[name=start]").fill("10:00")
        add.locator("input[name=end]").fill("11:00")
        add.locator("#add-submit").click()
        expect(away.page.locator("#agenda-days .visit:not(.visit--pending)")).to_have_count(2)
        stored = {v["title"]: v for v in api(base, token, "GET", "/visits")["visits"]}
        assert stored["Port-la-Nouvelle"]["starts_at"] == "2030-11-17T09:00:00+00:00"
        away.assert_clean()
        home.assert_clean()
    finally:
        away.close()
        home.close()
