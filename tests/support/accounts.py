"""A facilitator account in a test: made in the server's database, managing a workshop, signed in
through the real API like a browser (requests session with the CSRF token)."""

from __future__ import annotations

import uuid
from typing import Any

import requests
from werkzeug.security import generate_password_hash

from collab.models import FacilitatorAccount, WorkshopFacilitator

from .peers import server_sessions
from .server import LiveServer

API = "/api/v1"
PASSWORD = "correct horse battery"


class Account:
    def __init__(self, server: LiveServer, workshop_id: str, email: str | None = None) -> None:
        self.server = server
        self.workshop_id = workshop_id
        self.email = email or f"anim-{uuid.uuid4().hex[:8]}@example.org"
        with server_sessions(server)() as db:
            account = FacilitatorAccount(email=self.email, name="Anne", password_hash=generate_password_hash(PASSWORD))
            db.add(account)
            db.flush()
            db.add(WorkshopFacilitator(workshop_id=workshop_id, account_id=account.id))
            db.commit()
        self.browser = self.sign_in(server)

    def sign_in(self, server: LiveServer) -> requests.Session:
        browser = requests.Session()
        token = browser.get(f"{server.url}{API}/facilitator/csrf", timeout=10).json()["csrf_token"]
        body = {"email": self.email, "password": PASSWORD}
        response = browser.post(f"{server.url}{API}/facilitator/login", json=body,
                                headers={"X-CSRFToken": token}, timeout=10)
        assert response.status_code == 200, response.text
        browser.headers["X-CSRFToken"] = response.json()["csrf_token"]
        return browser

    def call(self, method: str, path: str, json: Any = None, browser: requests.Session | None = None) -> Any:
        """`/api/v1/facilitator<path>` in this account's session (or `browser`'s)."""
        browser = browser or self.browser
        return browser.request(method, f"{self.server.url}{API}/facilitator{path}", json=json, timeout=10)

    def participant(self, method: str, participant_id: str, json: Any = None) -> Any:
        return self.call(method, f"/workshops/{self.workshop_id}/participants/{participant_id}", json)
