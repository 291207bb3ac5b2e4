"""The prompts in the workshop's report (the bilan, the word cloud) and in its JSON backup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .test_exports import build_atelier
from .test_exports_backup import backup_of, import_cli, make_app, same_but_export_time


def post(client: Any, token: str, path: str, body: Any = None) -> Any:
    return client.post("/api/v1" + path, json=body, headers={"Authorization": f"Bearer {token}"})


def test_bilan_and_words_go_into_the_report_and_the_backup(app: Any, client: Any, tmp_path: Path) -> None:
    atelier = build_atelier(client, app.extensions["collab"].sessions)
    fac, alice = atelier.facilitator_token, atelier.tokens["Alice"]
    words = post(client, fac, "/prompts", {"kind": "words", "question": "Innover, c'est… ?"}).get_json()["prompt"]
    post(client, alice, f"/prompts/{words['id']}/answers", {"words": ["Oser", "*coopérer*"]})
    bilan = post(client, fac, "/prompts", {"kind": "bilan", "question": "Quels enseignements ?",
                                           "ratings": ["Organisation"], "open_question": "À améliorer ?"}).get_json()
    path = f"/prompts/{bilan['prompt']['id']}/answers"
    post(client, alice, path, {"takeaway": "Partir des ressources\nlocales."})
    post(client, alice, path, {"ratings": [4], "comment": "Plus de visites"})

    text = atelier.get("report.md").get_data(as_text=True)
    section = text.split("Bilan")[1]
    assert "- **Alice**\u202f: Partir des ressources locales." in section  # one line, French typography
    assert "Organisation\u202f: 4.0 / 5 (1)" in section and "- Plus de visites" in section
    assert "Oser (1)" in text and "\\*coopérer\\* (1)" in text  # participants' words are not Markdown

    backup = backup_of(client, atelier.workshop_id, fac)
    tables = json.loads(backup)["tables"]
    assert len(tables["prompt"]) == 2 and len(tables["prompt_answer"]) == 3 and len(tables["prompt_evaluated"]) == 1
    assert all(a["participant_id"] is None for a in tables["prompt_answer"] if a["kind"] == "evaluation")
    (tmp_path / "b.json").write_bytes(backup)
    fresh = make_app(tmp_path / "fresh")
    import_cli(fresh, tmp_path / "b.json")
    same_but_export_time(backup, backup_of(fresh.test_client(), atelier.workshop_id, fac))
