"""The report (collab.exports.report) as one Markdown file.

Card texts are people's words, not Markdown: they are escaped so that a "#" or a "*" stays a
character. Theme syntheses are Markdown already: they go in as written, their headings moved down
under the theme's own heading, raw HTML and images kept as text and links only to http(s) or mailto
(any other link is left as text, as collab.markdown does for the HTML report). Photos are links to
the server (`media_url`), which shows them to the workshop's members.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flask_babel import gettext

from .report import CardLine, Report, card_meta, count_groups, count_notes, count_themes, dots, evidence_title

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)
_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)", re.MULTILINE)
# An inline link's or image's destination: `](` then the URL (up to a space or a parenthesis).
_INLINE_LINK = re.compile(r"\]\(\s*([^\s()]*)")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f]", re.IGNORECASE)


def escape(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    escaped = _SPECIAL.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def demote(synthesis: str, levels: int = 3) -> str:
    """A synthesis as the report's Markdown: headings `levels` deeper (at most level 6), and what
    Collab never renders in a synthesis kept inert for other Markdown readers (raw HTML, images,
    link definitions, links anywhere but to http(s) or mailto)."""
    text = synthesis.strip().replace("<", "\\<").replace("![", "!\\[").replace("]:", "]\\:")
    text = _INLINE_LINK.sub(lambda m: m.group(0) if _safe_url(m.group(1)) else "]\\(" + m.group(0)[2:], text)
    return _HEADING.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + levels), text)


def _safe_url(destination: str) -> bool:
    """Whether a link's destination, as a Markdown reader decodes it (backslash escapes, character
    references, angle brackets), is an http(s) or mailto address: anything else is left as text."""
    url = html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", destination))
    return _SAFE_URL.match(url.removeprefix("<")) is not None


def _item(text: str) -> str:
    """A list item whose text may span lines (continuation lines indented, hard breaks kept)."""
    lines = [escape(line) for line in text.strip().split("\n")] or [""]
    return "- " + "  \n  ".join(lines)


def _card(line: CardLine, media_url: Callable[[str], str], **meta: bool) -> str:
    out = _item(line.text) + "  \n  _" + escape(" · ".join(card_meta(line, **meta))) + "_"
    if line.media_id:
        out += f"  \n  ![{escape(gettext('Photo'))}]({media_url(line.media_id)})"
    return out


def to_markdown(report: Report, media_url: Callable[[str], str]) -> str:
    out: list[str] = [f"# {escape(report.title)}", ""]
    facts = [escape(report.dates)] if report.dates else []
    facts.append(count_groups(len(report.groups)) + " · "
                 + count_notes(report.card_count))
    facts.append(gettext("Report made on %(date)s; times are in %(zone)s.", date=report.generated,
                         zone=report.timezone))
    out += ["  \n".join(facts), "", f"## {gettext('Groups')}", ""]
    for group in report.groups:
        out.append(f"- **{escape(group.name)}** — " + count_notes(group.card_count)
                   + ", " + count_themes(len(group.themes)))
    for group in report.groups:
        out += ["", "---", "", f"## {escape(group.name)}", ""]
        if group.vote_note:
            out += [f"_{escape(group.vote_note)}_", ""]
        out += [f"### {gettext('Themes')}", ""]
        if not group.themes:
            out += [f"_{escape(gettext('No themes yet.'))}_", ""]
        for index, theme in enumerate(group.themes, 1):
            votes = dots(theme.votes)
            out += [f"#### {index}. {escape(theme.title)}" + (f" — {votes}" if votes else ""), ""]
            if theme.synthesis.strip():
                out += [demote(theme.synthesis), ""]
            out += [f"**{escape(evidence_title(len(theme.cards)))}**",
                    ""]
            out += [_card(line, media_url, zone=True) for line in theme.cards] or [f"_{escape(gettext('No notes.'))}_"]
            out.append("")
        out += [f"### {gettext('Zones')}", ""]
        for zone in group.zones:
            out += [f"#### {escape(zone.title)} ({len(zone.cards)})", ""]
            if zone.cards:
                out += [_card(line, media_url) for line in zone.cards] + [""]
    for section in report.sections:
        out += ["", "---", "", f"## {escape(section.title)}", "", section.markdown.strip(), ""]
    out += ["", "---", "", f"## {gettext('Appendix: every observation by visit')}", ""]
    for visit in report.appendix:
        out += [f"### {escape(visit.title)}", ""]
        where = " · ".join(part for part in (visit.when, visit.place) if part)
        count = count_notes(len(visit.cards))
        out += [f"_{escape(where + ' · ' + count if where else count)}_", ""]
        if visit.cards:
            out += [_card(line, media_url, group=True, visit=False) for line in visit.cards] + [""]
    return "\n".join(out).rstrip() + "\n"
