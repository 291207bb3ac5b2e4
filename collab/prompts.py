"""Questions put to the whole workshop (docs/protocol.md, "Prompts"): the opening "travail sur les
mots" — each participant sends one to three words, shown as a live word cloud — and the closing
"bilan" — a personal takeaway (named) and a short evaluation (anonymous: 1–5 ratings and one open
answer, stored apart from who sent it).

Plain rules with no Flask. Opening or closing a prompt changes the workshop's live state (collab.live)
in the same transaction, so every screen learns of it; answers change the prompt's results, which the
caller broadcasts after commit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from . import live
from .models import Prompt, PromptAnswer, PromptEvaluated, utcnow
from .sync.access import Actor
from .sync.errors import N_, OpError
from .sync.fields import Clean

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Clean]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), Clean]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Clean]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class OpenPrompt(_Strict):
    kind: Literal["words", "bilan"]
    question: Question
    ratings: list[Label] = Field(default_factory=list, max_length=6)  # bilan: the 1–5 questions
    open_question: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] = ""


class WordsAnswer(_Strict):
    words: list[Word] = Field(min_length=1, max_length=3)


class TakeawayAnswer(_Strict):
    takeaway: LongText


class HideWord(_Strict):
    word: Word
    hidden: bool


class EvaluationAnswer(_Strict):
    ratings: list[int | None] = Field(max_length=6)  # 1–5, or null for "no answer"
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), Clean] = ""


def _parse(model: type[BaseModel], raw: Any) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise OpError("invalid", N_("Invalid field: %(field)s."), field=field, details={"field": field}) from None


def _facilitator(actor: Actor) -> None:
    if not actor.is_facilitator:
        raise OpError("forbidden", N_("Only facilitators can do this."))


def find(session: Session, actor: Actor, prompt_id: str) -> Prompt:
    prompt = session.get(Prompt, prompt_id)
    if prompt is None or prompt.workshop_id != actor.workshop_id:
        raise OpError("not_found", N_("This question does not exist."))
    return prompt


def prompt_dict(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "kind": prompt.kind,
        "question": prompt.question,
        "ratings": prompt.config.get("ratings", []),
        "open_question": prompt.config.get("open_question", ""),
        "status": prompt.status,
        "created_at": prompt.created_at.isoformat(),
        "closed_at": prompt.closed_at.isoformat() if prompt.closed_at else None,
    }


# ---- facilitators ---------------------------------------------------------------------------------


def open_prompt(
    session_factory: sessionmaker[Session], actor: Actor, raw: Any, now: Callable[[], datetime] = utcnow
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open a prompt (closing any other open one); returns (prompt, live message)."""
    _facilitator(actor)
    data = _parse(OpenPrompt, raw)
    if data.kind == "bilan" and not data.ratings and not data.open_question:
        raise OpError("invalid", N_("A bilan needs at least one rating or an open question."),
                      details={"field": "ratings"})
    at = now()
    with session_factory() as session:
        session.execute(
            update(Prompt).where(Prompt.workshop_id == actor.workshop_id, Prompt.status == "open")
            .values(status="closed", closed_at=at)
        )
        config = {"ratings": data.ratings, "open_question": data.open_question} if data.kind == "bilan" else {}
        prompt = Prompt(workshop_id=actor.workshop_id, kind=data.kind, question=data.question,
                        config={**config, "hidden": []}, status="open", created_at=at)
        session.add(prompt)
        session.flush()
        shown = prompt_dict(prompt)
        message = live.change(session, actor.workshop_id, lambda state: {**state, "prompt": shown}, at)
        session.commit()
        return shown, message


def close_prompt(
    session_factory: sessionmaker[Session], actor: Actor, prompt_id: str, now: Callable[[], datetime] = utcnow
) -> tuple[dict[str, Any], dict[str, Any]]:
    _facilitator(actor)
    at = now()
    with session_factory() as session:
        prompt = find(session, actor, prompt_id)
        if prompt.status != "closed":
            prompt.status, prompt.closed_at = "closed", at

        def clear(state: dict[str, Any]) -> dict[str, Any]:
            same = (state.get("prompt") or {}).get("id") == prompt.id
            return {**state, "prompt": None} if same else state

        message = live.change(session, actor.workshop_id, clear, at)
        shown = prompt_dict(prompt)
        session.commit()
        return shown, message


def hide_word(session_factory: sessionmaker[Session], actor: Actor, prompt_id: str, raw: Any) -> dict[str, Any]:
    """Hide a word from the cloud (or show it again); returns the results."""
    _facilitator(actor)
    try:
        asked = HideWord.model_validate(raw)
    except ValidationError:
        raise OpError("invalid", N_("Give a word and hidden (true or false).")) from None
    key = normalise(asked.word)
    with session_factory() as session:
        prompt = find(session, actor, prompt_id)
        hidden = [k for k in prompt.config.get("hidden", []) if k != key] + ([key] if asked.hidden else [])
        prompt.config = {**prompt.config, "hidden": hidden}
        session.commit()
        return results(session, prompt)


# ---- participants ---------------------------------------------------------------------------------


def answer(
    session_factory: sessionmaker[Session], actor: Actor, prompt_id: str, raw: Any,
    now: Callable[[], datetime] = utcnow,
) -> dict[str, Any]:
    """Record an answer; returns the prompt's results (to broadcast) after commit."""
    if not isinstance(raw, dict):
        raise OpError("invalid", N_("The request body must be JSON."))
    at = now()
    with session_factory() as session:
        prompt = find(session, actor, prompt_id)
        if prompt.status != "open":
            raise OpError("invalid", N_("This question is closed."))
        if prompt.kind == "words":
            _replace(session, prompt, actor, "words", {"words": _parse(WordsAnswer, raw).words}, at)
        elif "takeaway" in raw:
            _replace(session, prompt, actor, "takeaway", {"text": _parse(TakeawayAnswer, raw).takeaway}, at)
        else:
            _evaluate(session, prompt, actor, _parse(EvaluationAnswer, raw), at)
        session.commit()
        return results(session, prompt)


def _replace(session: Session, prompt: Prompt, actor: Actor, kind: str, data: dict[str, Any], at: datetime) -> None:
    """Words and takeaways: one per person; sending again replaces the earlier one."""
    session.execute(delete(PromptAnswer).where(
        PromptAnswer.prompt_id == prompt.id, PromptAnswer.kind == kind, PromptAnswer.participant_id == actor.id
    ))
    session.add(PromptAnswer(prompt_id=prompt.id, kind=kind, participant_id=actor.id, author_name=actor.name,
                             data=data, created_at=at))


def _evaluate(session: Session, prompt: Prompt, actor: Actor, data: EvaluationAnswer, at: datetime) -> None:
    labels = prompt.config.get("ratings", [])
    if len(data.ratings) != len(labels) or any(r is not None and not 1 <= r <= 5 for r in data.ratings):
        raise OpError("invalid", N_("Give one rating from 1 to 5 (or none) per question."),
                      details={"field": "ratings"})
    if session.get(PromptEvaluated, (prompt.id, actor.id)) is not None:
        raise OpError("invalid", N_("You have already sent your evaluation: it is anonymous, so it cannot be changed."))
    session.add(PromptEvaluated(prompt_id=prompt.id, participant_id=actor.id))
    # Anonymous: no participant and no name; the time is kept to the day only.
    session.add(PromptAnswer(prompt_id=prompt.id, kind="evaluation", participant_id=None, author_name="",
                             data={"ratings": data.ratings, "comment": data.comment},
                             created_at=at.replace(hour=0, minute=0, second=0, microsecond=0)))


# ---- results --------------------------------------------------------------------------------------

_EDGES = " \t\n.,;:!?\"'«»“”‘’()[]{}…-–—/\\"


def normalise(word: str) -> str:
    """The key a word is counted under: trimmed of punctuation, case folded, accents kept."""
    word = unicodedata.normalize("NFC", word).strip(_EDGES)
    return re.sub(r"\s+", " ", word).casefold()


def cloud(answers: list[list[str]], hidden: list[str]) -> list[dict[str, Any]]:
    """Word counts, biggest first; an obvious plural (…s, …x) counts with its singular when both occur."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for words in answers:
        for word in {normalise(w): w for w in words if normalise(w)}.items():  # once per person
            key, original = word
            counts[key] += 1
            spellings.setdefault(key, Counter())[unicodedata.normalize("NFC", original).strip(_EDGES)] += 1
    for key in sorted(counts, key=len, reverse=True):
        singular = key[:-1]
        if len(key) > 3 and key[-1] in "sx" and singular in counts:
            counts[singular] += counts.pop(key)  # shown as the singular is spelled
            spellings.pop(key)
    hidden_keys = set(hidden)
    return [
        {"key": key, "word": spellings[key].most_common(1)[0][0], "count": n, "hidden": key in hidden_keys}
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def results(session: Session, prompt: Prompt) -> dict[str, Any]:
    """What the projector shows: the cloud, or the bilan's takeaways, ratings and comments."""
    order = (PromptAnswer.created_at, PromptAnswer.id)
    rows = list(session.scalars(select(PromptAnswer).where(PromptAnswer.prompt_id == prompt.id).order_by(*order)))
    out: dict[str, Any] = {"prompt": prompt_dict(prompt)}
    if prompt.kind == "words":
        words = [r.data["words"] for r in rows if r.kind == "words"]
        return {**out, "answers": len(words), "words": cloud(words, prompt.config.get("hidden", []))}
    evaluations = [r.data for r in rows if r.kind == "evaluation"]
    ratings = []
    for index, label in enumerate(prompt.config.get("ratings", [])):
        given = [e["ratings"][index] for e in evaluations if index < len(e["ratings"]) and e["ratings"][index]]
        histogram = [given.count(value) for value in range(1, 6)]
        average = round(sum(given) / len(given), 2) if given else None
        ratings.append({"label": label, "count": len(given), "average": average, "histogram": histogram})
    return {
        **out,
        "takeaways": [{"name": r.author_name, "text": r.data["text"]} for r in rows if r.kind == "takeaway"],
        "evaluations": len(evaluations),
        "ratings": ratings,
        "comments": sorted(e["comment"] for e in evaluations if e["comment"]),  # sorted: no order to trace
    }


def mine(session: Session, actor: Actor, prompt_id: str) -> dict[str, Any]:
    """What this participant has sent (to show it back to them)."""
    prompt = find(session, actor, prompt_id)
    rows = session.scalars(select(PromptAnswer).where(
        PromptAnswer.prompt_id == prompt.id, PromptAnswer.participant_id == actor.id
    ))
    sent = {r.kind: r.data for r in rows}
    return {
        "prompt": prompt_dict(prompt),
        "words": sent.get("words", {}).get("words", []),
        "takeaway": sent.get("takeaway", {}).get("text", ""),
        "evaluated": session.get(PromptEvaluated, (prompt.id, actor.id)) is not None,
    }


def history(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every prompt of the workshop, newest first (facilitators)."""
    _facilitator(actor)
    prompts = session.scalars(
        select(Prompt).where(Prompt.workshop_id == actor.workshop_id).order_by(Prompt.created_at.desc())
    )
    return [prompt_dict(p) for p in prompts]
