"""The report as a PDF: WeasyPrint lays out the report's HTML with `static/css/report.css`.

WeasyPrint fetches nothing from any network: its URL fetcher serves only the report stylesheet and
the workshop's own photos, read from the media folder. Any other address in the page is refused
(and left out of the PDF).
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..models import Media

# The page's relative URLs resolve against this made-up origin, which only `LocalFetcher` answers.
ORIGIN_HOST = "report.collab.invalid"
BASE_URL = f"https://{ORIGIN_HOST}/"
STYLESHEET_PATH = "/static/css/report.css"
_MEDIA_PATH = re.compile(r"/api/v1/media/([0-9a-f-]{36})(/thumb)?")
# One PDF at a time per process: layout is CPU-bound, and a second one would only slow both down.
_ONE_AT_A_TIME = threading.Lock()

logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported-CSS chatter, per report
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class LocalFetcher(URLFetcher):
    """Answers the report's stylesheet and its workshop's photos from disk; refuses everything else."""

    def __init__(self, static_dir: Path, media_dir: Path, media: dict[str, Media]) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self._static_dir = static_dir
        self._media_dir = media_dir
        self._media = media

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname != ORIGIN_HOST:
            raise ValueError(f"the report only loads its own files, not {url!r}")
        if parts.path == STYLESHEET_PATH:
            body = (self._static_dir / "css" / "report.css").read_bytes()
            return URLFetcherResponse(url, body, {"Content-Type": "text/css; charset=utf-8"})
        match = _MEDIA_PATH.fullmatch(parts.path)
        media = self._media.get(match.group(1)) if match else None
        if match is None or media is None:
            raise ValueError(f"not a photo of this workshop: {parts.path!r}")
        name = media.thumb_name if match.group(2) else media.file_name
        body = (self._media_dir / media.workshop_id / name).read_bytes()
        return URLFetcherResponse(url, body, {"Content-Type": media.content_type})


def render_pdf(html: str, fetcher: LocalFetcher) -> bytes:
    """The PDF of `html` (CPU-bound: run it off the event loop, see Services.offload)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf


def one_at_a_time() -> threading.Lock:
    return _ONE_AT_A_TIME
