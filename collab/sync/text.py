"""One rule for control characters in user text, for every database (issue #10, hole 8).

PostgreSQL refuses NUL in text while SQLite stores it: a SQLite workshop's backup would then fail to
import into PostgreSQL. So text never holds C0 control characters (nor DEL) but tab, line feed and
carriage return: validation strips them from what clients send (collab.sync.fields `Clean`), and an
import strips them from older data.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(value: str) -> str:
    """`value` without C0 control characters (tab, line feed and carriage return kept) nor DEL."""
    return CONTROL.sub("", value)
