"""Theme syntheses are Markdown (a subset: headings, lists, bold, italics, links), shown as HTML.

User text is data, never markup: raw HTML in the source is not rendered (markdown-it with html off),
and the output goes through the nh3 sanitiser anyway with an allow-list, so a synthesis can only ever
produce these few tags, and links only to http(s) or mailto.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True}).enable(
    ["heading", "list", "emphasis", "link", "newline", "paragraph", "blockquote"]
)
TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}


def render(source: str) -> str:
    """Safe HTML for a synthesis ("" for an empty one)."""
    if not source.strip():
        return ""
    html = _md.render(source)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()
