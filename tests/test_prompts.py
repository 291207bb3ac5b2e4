"""Prompts (collab.prompts; docs/protocol.md "Prompts"): the opening word cloud and the closing bilan,
over REST with the facilitator's and participants' tokens."""

from __future__ import annotations

from typing import Any

import pytest

from collab.prompts import cloud, normalise
from collab.workshops import create_workshop, join, workshop_dict

API = "/api/v1"


@pytest.fixture
def people(app: Any) -> dict[str, Any]:
    from collab.services import services

    with app.app_context(), services().sessions() as db:
        made = create_workshop(db, "Atelier mots", 2)
        group = workshop_dict(db, made.workshop)["groups"][0]["id"]
        tokens = {name: join(db, made.workshop, name, group).token for name in ("Ana", "Bruno", "Chloé")}
        other = create_workshop(db, "Autre", 1)
        db.commit()
    return {"facilitator": made.token, **tokens, "stranger": other.token}


def call(client: Any, token: str, method: str, path: str, body: Any = None) -> Any:
    return client.open(API + path, method=method, json=body, headers={"Authorization": f"Bearer {token}"})


def test_words_make_a_cloud_with_plurals_merged_and_hidden_words(client: Any, people: dict[str, Any]) -> None:
    fac = people["facilitator"]
    opened = call(client, fac, "POST", "/prompts", {"kind": "words", "question": "Pour vous, le territoire c'est… ?"})
    assert opened.status_code == 201
    prompt = opened.json["prompt"]
    live = call(client, people["Ana"], "GET", "/live").json
    assert live["state"]["prompt"]["id"] == prompt["id"] and live["state"]["prompt"]["kind"] == "words"
    assert call(client, people["Ana"], "POST", f"/prompts/{prompt['id']}/answers",
                {"words": ["Friches", "Identité", "  Racines! "]}).status_code == 200
    call(client, people["Bruno"], "POST", f"/prompts/{prompt['id']}/answers", {"words": ["friche", "Réseaux"]})
    again = call(client, people["Bruno"], "POST", f"/prompts/{prompt['id']}/answers", {"words": ["friches", "réseau"]})
    assert again.json["mine"]["words"] == ["friches", "réseau"]  # sending again replaces
    too_many = call(client, people["Chloé"], "POST", f"/prompts/{prompt['id']}/answers", {"words": list("abcd")})
    assert too_many.status_code == 400 and too_many.json["error"]["field"] == "words"
    call(client, people["Chloé"], "POST", f"/prompts/{prompt['id']}/answers", {"words": ["Friche"]})
    results = call(client, fac, "GET", f"/prompts/{prompt['id']}/results").json
    assert results["answers"] == 3
    assert [(w["key"], w["word"], w["count"]) for w in results["words"]][:1] == [("friche", "Friche", 3)]
    assert {w["key"] for w in results["words"]} == {"friche", "identité", "racines", "réseau"}
    hidden = call(client, fac, "POST", f"/prompts/{prompt['id']}/hidden", {"word": "Racines", "hidden": True}).json
    assert [w["hidden"] for w in hidden["words"] if w["key"] == "racines"] == [True]
    assert call(client, people["Ana"], "POST", f"/prompts/{prompt['id']}/hidden",
                {"word": "friche", "hidden": True}).status_code == 403
    closed = call(client, fac, "POST", f"/prompts/{prompt['id']}/close")
    assert closed.json["prompt"]["status"] == "closed"
    assert call(client, people["Ana"], "GET", "/live").json["state"]["prompt"] is None
    late = call(client, people["Chloé"], "POST", f"/prompts/{prompt['id']}/answers", {"words": ["trop tard"]})
    assert late.status_code == 400


def test_bilan_keeps_takeaways_named_and_evaluations_anonymous(client: Any, people: dict[str, Any]) -> None:
    fac = people["facilitator"]
    body = {"kind": "bilan", "question": "Quels enseignements pour les projets de mon territoire ?",
            "ratings": ["Organisation", "Visites"], "open_question": "Que faudrait-il améliorer ?"}
    prompt = call(client, fac, "POST", "/prompts", body).json["prompt"]
    path = f"/prompts/{prompt['id']}/answers"
    ana = people["Ana"]
    assert call(client, ana, "POST", path, {"takeaway": "Associer les habitants plus tôt."}).status_code == 200
    assert call(client, ana, "POST", path, {"ratings": [5, 4], "comment": "Plus de temps"}).status_code == 200
    twice = call(client, people["Ana"], "POST", path, {"ratings": [1, 1]})
    assert twice.status_code == 400  # anonymous: once, never changed
    call(client, people["Bruno"], "POST", path, {"ratings": [3, None], "comment": ""})
    wrong = call(client, people["Chloé"], "POST", path, {"ratings": [6, 1]})
    assert wrong.status_code == 400 and wrong.json["error"]["field"] == "ratings"
    results = call(client, fac, "GET", f"/prompts/{prompt['id']}/results").json
    assert results["takeaways"] == [{"name": "Ana", "text": "Associer les habitants plus tôt."}]
    assert results["evaluations"] == 2 and results["comments"] == ["Plus de temps"]
    assert results["ratings"][0] == {"label": "Organisation", "count": 2, "average": 4.0, "histogram": [0, 0, 1, 0, 1]}
    assert results["ratings"][1]["count"] == 1
    assert "Ana" not in str([results["ratings"], results["comments"]])
    mine = call(client, people["Ana"], "GET", f"/prompts/{prompt['id']}/mine").json
    assert mine["evaluated"] is True and mine["takeaway"] == "Associer les habitants plus tôt."


def test_only_facilitators_open_prompts_and_other_workshops_see_nothing(client: Any, people: dict[str, Any]) -> None:
    assert call(client, people["Ana"], "POST", "/prompts", {"kind": "words", "question": "?"}).status_code == 403
    assert call(client, people["Ana"], "GET", "/prompts").status_code == 403
    body = {"kind": "words", "question": "Innover, c'est… ?"}
    prompt = call(client, people["facilitator"], "POST", "/prompts", body).json
    stranger = call(client, people["stranger"], "GET", f"/prompts/{prompt['prompt']['id']}/results")
    assert stranger.status_code == 404


def test_normalising_keeps_accents_and_ignores_case_and_punctuation() -> None:
    assert normalise("  Écologie! ") == "écologie" and normalise("«Territoire»") == "territoire"
    words = cloud([["Territoires", "Écologie"], ["territoire", "écologie"], ["ÉCOLOGIE", "écologie."]], [])
    assert [(w["key"], w["count"]) for w in words] == [("écologie", 3), ("territoire", 2)]
