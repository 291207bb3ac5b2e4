"""The join kit: the join link of a workshop and its QR code, made here as SVG (segno), offline."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from flask import current_app, request

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def base_url() -> str:
    """COLLAB_PUBLIC_URL when set, else the address this page was asked on."""
    configured = current_app.config["PUBLIC_URL"]
    return (configured or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    return f"{base_url()}/j/{code}"


def only_local(url: str) -> bool:
    """True when phones on the Wi-Fi could not open `url` (it names this computer itself)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.")


def qr_svg(data: str, title: str = "") -> str:
    """A QR code of `data` as a standalone SVG that scales (viewBox, no fixed size), black on white."""
    code = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        border=4,
        dark="#000000",
        light="#ffffff",
        omitsize=True,
        xmldecl=False,
        title=title or None,
        svgclass="qr",
        lineclass=None,
        nl=False,
    )
    return out.getvalue().decode("utf-8")
