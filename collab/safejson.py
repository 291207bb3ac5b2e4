"""JSON from clients, with a bound on nesting (issue #10, hole 9).

Python's decoder recurses: 50,000 nested brackets raise RecursionError (a 500 with a traceback), and a
structure a few hundred levels deep still reaches pydantic and everything after it. No message of the
protocol nests deeper than a handful of levels, so anything deeper than `MAX_DEPTH` is refused before
it reaches any of our code:

- HTTP: `JSONProvider` is the app's JSON provider (`request.get_json`): too deep is not JSON, so
  `400 invalid` (collab.api.errors.json_body); `loads` serves any other reader of client JSON.
- Socket.IO: `SocketJSON` is the JSON module of Socket.IO packets (`SocketIO(json=...)`): a message
  too deep reaches its handler with `null` in place of its data, which the handler answers with an
  `invalid` ack, instead of a decoding fault logged by the library with a traceback. python-socketio
  also reads the message queue's messages between processes with it (the server's own messages nest
  under 10 levels: a board event in its queue envelope).
"""

from __future__ import annotations

import json
import re
from typing import Any

from engineio import json as engineio_json
from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32  # an op over the socket is 4 levels deep (["op", {"data": {"tags": [...]}}])


class TooDeep(ValueError):
    """The JSON nests deeper than MAX_DEPTH (a ValueError: every JSON reader treats it as bad JSON)."""


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` (decoded JSON) nests lists and objects at most `limit` levels deep."""
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        todo.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """`json.loads`, raising TooDeep (a ValueError) rather than RecursionError or a too deep value."""
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:
        raise TooDeep("JSON nested too deeply") from None
    if not within_depth(value):
        raise TooDeep("JSON nested too deeply")
    return value


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading with `loads` above (set as `app.json` in create_app)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)


_EVENT_NAME = re.compile(r'\[\s*("(?:[^"\\]|\\.){1,100}")\s*[,\]]')


class SocketJSON:
    """The `json` module of Socket.IO packets: engine.io's (which refuses huge integers) with the depth
    bound. A packet too deep is not refused (python-socketio would log a traceback and the client would
    wait for its ack): its event keeps its name and gets `null` as data, an object (a connection's auth)
    becomes `{}`."""

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return engineio_json.dumps(*args, **kwargs)

    @staticmethod
    def loads(data: str | bytes, *args: Any, **kwargs: Any) -> Any:
        try:
            value = engineio_json.loads(data, *args, **kwargs)
        except RecursionError:
            value = TooDeep
        if value is not TooDeep and within_depth(value):
            return value
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        name = _EVENT_NAME.match(text)
        if name:
            return [json.loads(name.group(1)), None]
        if text.lstrip().startswith("{"):
            return {}
        return [None]
