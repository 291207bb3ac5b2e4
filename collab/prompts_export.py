"""The prompts in the workshop's report and backup (collab.exports hooks): the closing bilan's
results as a report section, and the prompts' tables in the JSON backup."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .exports.backup import TableSpec, _table, register_table
from .exports.report import ReportSection, report_section
from .exports.report_markdown import escape
from .models import Prompt, Workshop
from .prompts import results


def labelled(label: str, value: str) -> str:
    """A label and its value in the language's typography (French: a narrow no-break space before the colon)."""
    return gettext("%(label)s: %(value)s", label=label, value=value)


def _line(text: str) -> str:
    return escape(" ".join(text.split()))


@report_section
def bilan_sections(db: Session, workshop: Workshop) -> Iterator[ReportSection]:
    prompts = db.scalars(
        select(Prompt).where(Prompt.workshop_id == workshop.id).order_by(Prompt.created_at, Prompt.id)
    )
    for prompt in prompts:
        data = results(db, prompt)
        if prompt.kind == "words":
            shown = [w for w in data["words"] if not w["hidden"]]
            if not shown:
                continue
            answers = ngettext("%(num)s answer", "%(num)s answers", data["answers"])
            lines = [f"*{escape(prompt.question)}* — {answers}", ""]
            lines.append(", ".join(f"{escape(w['word'])} ({w['count']})" for w in shown))
            yield ReportSection(f"words-{prompt.id}", gettext("Words: %(question)s", question=prompt.question),
                                "\n".join(lines))
            continue
        lines = [f"*{escape(prompt.question)}*", ""]
        lines += ["- " + labelled(f"**{escape(t['name'])}**", _line(t["text"])) for t in data["takeaways"]]
        if data["evaluations"]:
            lines += ["", "#### " + ngettext("Evaluation (%(num)s anonymous answer)",
                                            "Evaluation (%(num)s anonymous answers)", data["evaluations"]), ""]
            for rating in data["ratings"]:
                average = "–" if rating["average"] is None else f"{rating['average']:.1f} / 5"
                lines.append("- " + labelled(escape(rating["label"]), f"{average} ({rating['count']})"))
            if data["comments"]:
                open_question = prompt.config.get("open_question") or gettext("Comments")
                lines += ["", f"*{escape(open_question)}*", ""]
                lines += [f"- {_line(c)}" for c in data["comments"]]
        yield ReportSection(f"bilan-{prompt.id}", gettext("Bilan"), "\n".join(lines))


register_table(TableSpec("prompt", lambda workshop_id: _table("prompt").c.workshop_id == workshop_id))
_in_prompts = lambda name: lambda workshop_id: _table(name).c.prompt_id.in_(  # noqa: E731
    select(Prompt.id).where(Prompt.workshop_id == workshop_id)
)
register_table(TableSpec("prompt_answer", _in_prompts("prompt_answer")))
register_table(TableSpec("prompt_evaluated", _in_prompts("prompt_evaluated"),
                         sort=lambda row: (row["prompt_id"], row["participant_id"])))
