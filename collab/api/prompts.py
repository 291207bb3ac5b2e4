"""Prompts over REST (docs/protocol.md, "Prompts"): the opening word cloud and the closing bilan.
The rules are in collab.prompts; this module authenticates, calls them, and broadcasts after commit."""

from __future__ import annotations

from flask import Response, jsonify

from .. import prompts
from ..mutations import broadcast_live, broadcast_prompt_results
from ..services import services
from . import bp
from .errors import json_body, require_actor


@bp.get("/prompts")
def list_prompts() -> Response:
    actor = require_actor()
    with services().sessions() as db:
        return jsonify({"prompts": prompts.history(db, actor)})


@bp.post("/prompts")
def open_prompt() -> tuple[Response, int]:
    actor = require_actor(writing=True)
    prompt, live_message = prompts.open_prompt(services().sessions, actor, json_body())
    broadcast_live(actor.workshop_id, live_message)
    return jsonify({"prompt": prompt}), 201


@bp.post("/prompts/<prompt_id>/close")
def close_prompt(prompt_id: str) -> Response:
    actor = require_actor(writing=True)
    prompt, live_message = prompts.close_prompt(services().sessions, actor, prompt_id)
    broadcast_live(actor.workshop_id, live_message)
    return jsonify({"prompt": prompt})


@bp.get("/prompts/<prompt_id>/results")
def prompt_results(prompt_id: str) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        prompt = prompts.find(db, actor, prompt_id)
        return jsonify(prompts.results(db, prompt))


@bp.get("/prompts/<prompt_id>/mine")
def my_answer(prompt_id: str) -> Response:
    actor = require_actor()
    with services().sessions() as db:
        return jsonify(prompts.mine(db, actor, prompt_id))


@bp.post("/prompts/<prompt_id>/answers")
def answer(prompt_id: str) -> Response:
    actor = require_actor(writing=True)
    services().limits.hit("op", actor.id)
    results = prompts.answer(services().sessions, actor, prompt_id, json_body())
    broadcast_prompt_results(actor.workshop_id, results)
    with services().sessions() as db:
        return jsonify({"ok": True, "mine": prompts.mine(db, actor, prompt_id)})


@bp.post("/prompts/<prompt_id>/hidden")
def hide_word(prompt_id: str) -> Response:
    actor = require_actor(writing=True)
    results = prompts.hide_word(services().sessions, actor, prompt_id, json_body())
    broadcast_prompt_results(actor.workshop_id, results)
    return jsonify(results)
