"""The report as a PDF: WeasyPrint lays out the report's HTML with `static/css/report.css`.

WeasyPrint fetches nothing from any network: its URL fetcher serves only the report stylesheet and
the workshop's own photos, read from the media folder. Any other address in the page is refused
(and left out of the PDF).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..media import media_file
from ..models import Media
from ..sync.errors import N_, OpError

# The page's relative URLs resolve against this made-up origin, which only `LocalFetcher` answers.
ORIGIN_HOST = "report.collab.invalid"
BASE_URL = f"https://{ORIGIN_HOST}/"
STYLESHEET_PATH = "/static/css/report.css"
_MEDIA_PATH = re.compile(r"/api/v1/media/([0-9a-f-]{36})(/thumb)?")
# One PDF at a time per process: layout is CPU-bound, and a second one would only slow both down.
_ONE_AT_A_TIME = threading.Lock()

log = logging.getLogger(__name__)
logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported-CSS chatter, per report
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass(frozen=True)
class LocalFiles:
    """What the PDF may load: the report stylesheet and this workshop's photos, from disk."""

    static_dir: Path
    media_dir: Path
    media: dict[str, Media]

    def read(self, url: str) -> tuple[bytes, str]:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname != ORIGIN_HOST:
            raise ValueError(f"the report only loads its own files, not {url!r}")
        if parts.path == STYLESHEET_PATH:
            return (self.static_dir / "css" / "report.css").read_bytes(), "text/css; charset=utf-8"
        match = _MEDIA_PATH.fullmatch(parts.path)
        media = self.media.get(match.group(1)) if match else None
        if match is None or media is None:
            raise ValueError(f"not a photo of this workshop: {parts.path!r}")
        name = media.thumb_name if match.group(2) else media.file_name
        # A photo lost from disk raises FileNotFoundError: WeasyPrint leaves that image out of the PDF.
        return media_file(self.media_dir, media.workshop_id, name).read_bytes(), media.content_type


def render_pdf(html: str, files: LocalFiles) -> bytes:
    """The PDF of `html` (CPU-bound: run it off the event loop, see Services.offload). WeasyPrint is
    imported here, not with the app: a server without Pango still runs, only the PDF is refused."""
    try:
        from PIL import ImageFile
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        # Importing WeasyPrint lets Pillow accept truncated images in the whole process: photo uploads
        # must stay strict (collab.media refuses a truncated file).
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    except OSError:  # WeasyPrint could not load Pango
        log.exception("WeasyPrint cannot run here")
        message = N_("This server cannot make PDF files (WeasyPrint needs the Pango library).")
        raise OpError("internal", message) from None

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            body, content_type = files.read(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    fetcher = LocalFetcher(allowed_protocols=("https",), allow_redirects=False)
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf


def one_at_a_time() -> threading.Lock:
    return _ONE_AT_A_TIME
