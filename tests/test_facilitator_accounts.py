"""Facilitator accounts (docs/protocol.md, "Facilitator console"): the command that makes them,
password hashing, sign-in and its rate limit, sign-out, password change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from collab import create_app
from collab.facilitator.accounts import create_account
from collab.models import FacilitatorAccount

FAC = "/api/v1/facilitator"
PASSWORD = "correct horse battery"


# ---- helpers shared by the other test_facilitator_* modules ---------------------------------------


def make_account(app: Any, email: str = "anne@example.org", password: str = PASSWORD, name: str = "Anne") -> str:
    with app.app_context(), app.extensions["collab"].sessions() as db:
        return create_account(db, email, password, name).id


def csrf(client: Any) -> str:
    return client.get(f"{FAC}/csrf").json["csrf_token"]


def login(client: Any, email: str = "anne@example.org", password: str = PASSWORD) -> Any:
    body = {"email": email, "password": password}
    return client.post(f"{FAC}/login", json=body, headers={"X-CSRFToken": csrf(client)})


class Console:
    """A browser session signed in to a facilitator account: JSON calls with the CSRF token."""

    def __init__(self, app: Any, email: str = "anne@example.org", name: str = "Anne") -> None:
        self.client = app.test_client()
        self.account_id = make_account(app, email, PASSWORD, name)
        response = login(self.client, email)
        assert response.status_code == 200, response.json
        self.token = response.json["csrf_token"]

    def call(self, method: str, path: str, json: Any = None) -> Any:
        headers = {"X-CSRFToken": self.token}
        return self.client.open(f"{FAC}{path}", method=method, json=json, headers=headers)

    def workshop(self, title: str = "Atelier", groups: int = 2, **fields: Any) -> dict[str, Any]:
        response = self.call("POST", "/workshops", {"title": title, "groups": groups, **fields})
        assert response.status_code == 201, response.json
        return response.json


def error_code(response: Any) -> str:
    assert response.is_json, response.data[:200]
    return response.json["error"]["code"]


@pytest.fixture
def console(app: Any) -> Console:
    return Console(app)


# ---- accounts -------------------------------------------------------------------------------------


def test_passwords_are_stored_as_scrypt_hashes(app: Any) -> None:
    make_account(app)
    with app.extensions["collab"].sessions() as db:
        account = db.scalar(select(FacilitatorAccount))
    assert account.password_hash.startswith("scrypt:") and PASSWORD not in account.password_hash
    assert account.email == "anne@example.org" and account.name == "Anne"


def test_accounts_refuse_bad_emails_short_passwords_and_duplicates(app: Any) -> None:
    from collab.sync.errors import OpError

    with app.app_context(), app.extensions["collab"].sessions() as db:
        for email, password in (("not-an-email", PASSWORD), ("a@b.org", "short")):
            with pytest.raises(OpError) as refused:
                create_account(db, email, password)
            assert refused.value.code == "invalid"
        create_account(db, "Anne@Example.org", PASSWORD)
        with pytest.raises(OpError) as taken:
            create_account(db, "anne@example.org ", PASSWORD)
        assert taken.value.code == "conflict"


def test_create_facilitator_command(app: Any) -> None:
    runner = app.test_cli_runner()
    done = runner.invoke(args=["collab", "create-facilitator", "Camille@Example.org", "--password-stdin",
                               "--name", "Camille"], input=f"{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert "camille@example.org" in done.output
    again = runner.invoke(args=["collab", "create-facilitator", "camille@example.org", "--password-stdin"],
                          input=f"{PASSWORD}\n")
    assert again.exit_code != 0 and "already exists" in again.output
    prompted = runner.invoke(args=["collab", "create-facilitator", "dom@example.org"],
                             input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    short = runner.invoke(args=["collab", "create-facilitator", "eve@example.org", "--password-stdin"], input="x\n")
    assert short.exit_code != 0 and "10" in short.output
    client = app.test_client()
    assert login(client, "camille@example.org").status_code == 200
    assert login(client, "dom@example.org").status_code == 200


def test_login_logout_and_me(app: Any) -> None:
    make_account(app)
    client = app.test_client()
    assert error_code(client.get(f"{FAC}/me")) == "unauthorized"
    response = login(client, "  ANNE@example.org ")
    assert response.status_code == 200
    assert response.json["account"] == {"id": response.json["account"]["id"], "email": "anne@example.org",
                                        "name": "Anne"}
    assert client.get(f"{FAC}/me").json["account"]["email"] == "anne@example.org"
    assert client.get("/facilitator/").status_code == 200
    out = client.post(f"{FAC}/logout", json={}, headers={"X-CSRFToken": response.json["csrf_token"]})
    assert out.status_code == 200
    assert client.get(f"{FAC}/me").status_code == 401
    assert client.get("/facilitator/").status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(app: Any) -> None:
    make_account(app)
    client = app.test_client()
    wrong = login(client, password="not the password")
    unknown = login(client, email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert client.get(f"{FAC}/me").status_code == 401


def test_login_needs_the_csrf_token(app: Any) -> None:
    make_account(app)
    client = app.test_client()
    response = client.post(f"{FAC}/login", json={"email": "anne@example.org", "password": PASSWORD})
    assert response.status_code == 403 and error_code(response) == "forbidden"


def test_failed_logins_are_rate_limited(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}",
                      "ASYNC_MODE": "threading", "TESTING": True, "SECRET_KEY": "t",
                      "LOGIN_FAILURE_LIMIT": "3/minute"})
    make_account(app)
    client = app.test_client()
    for _ in range(3):
        assert login(client, password="wrong password!").status_code == 401
    blocked = login(client)  # even the right password waits now
    assert blocked.status_code == 429 and error_code(blocked) == "rate_limited"
    assert int(blocked.headers["Retry-After"]) >= 1
    other = login(client, email="else@example.org")  # the client address is limited too
    assert other.status_code == 429


def test_password_change_ends_the_other_sessions(app: Any, console: Any) -> None:
    other = app.test_client()
    assert login(other).status_code == 200
    wrong = console.call("POST", "/password", {"current": "not it at all", "new": "a brand new password"})
    assert wrong.status_code == 403
    short = console.call("POST", "/password", {"current": PASSWORD, "new": "short"})
    assert short.status_code == 400
    done = console.call("POST", "/password", {"current": PASSWORD, "new": "a brand new password"})
    assert done.status_code == 200
    assert console.client.get(f"{FAC}/me").status_code == 200  # this session goes on
    assert other.get(f"{FAC}/me").status_code == 401  # the other one ended
    assert login(other).status_code == 401
    assert login(other, password="a brand new password").status_code == 200
