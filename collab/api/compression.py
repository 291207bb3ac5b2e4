"""Large JSON answers gzipped for clients that accept it (a 2,000-card snapshot: 1.45 MB → ~0.1 MB).

On a workshop's Wi-Fi the snapshot's size is most of a board's first load; level 3 costs ~5 ms of CPU
per megabyte. Small answers are sent as they are (the header costs more than it saves).
"""

from __future__ import annotations

import gzip

from flask import Response, request

MIN_SIZE = 16 * 1024
LEVEL = 3


def gzipped(response: Response) -> Response:
    """`response`, its body gzipped when it is large and the request accepts gzip."""
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or "Content-Encoding" in response.headers
        or not request.accept_encodings["gzip"]
        or (response.content_length or 0) < MIN_SIZE
    ):
        return response
    response.set_data(gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response
