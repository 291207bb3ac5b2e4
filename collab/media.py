"""Photos: verify, re-encode without any metadata (GPS included), cap the size, make a thumbnail;
and where a workshop's photo files live on disk.

Flask-free: `process_image` takes bytes and returns the encoded files, or raises `OpError` with a
message a person can act on. Nothing is written to disk here. `workshop_media_dir` and `media_file`
are the only ways to build a path under the media folder (issue #10, holes 1 and 2).
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .sync.errors import N_, OpError

MAX_SIDE = 2048
THUMB_SIDE = 400
JPEG_QUALITY = 85
# A phone photo is 12–50 megapixels; refuse what could only be a decompression bomb.
MAX_PIXELS = 60_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"}


@dataclass(frozen=True)
class Processed:
    full: bytes
    thumb: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def process_image(data: bytes) -> Processed:
    image = _open(data)
    image = ImageOps.exif_transpose(image)  # turn it the way the phone held it, then forget EXIF
    image = _flatten(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Processed(full=_jpeg(image), thumb=_jpeg(thumb), width=image.width, height=image.height)


def _open(data: bytes) -> Image.Image:
    not_an_image = OpError("invalid", N_("This file is not a photo we can read (JPEG, PNG, WebP…)."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            image = Image.open(io.BytesIO(data))
            ImageFile.LOAD_TRUNCATED_IMAGES = False  # some libraries turn it on for the whole process
            image.load()  # a truncated file fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_an_image from None
    return image


def _too_many_pixels() -> OpError:
    return OpError("invalid", N_("This image is too large in pixels to be a photo."))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and every later step wants one pixel format."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh RGB image carries no info: Pillow writes no EXIF, XMP or ICC unless asked to.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def workshop_media_dir(media_root: str | Path, workshop_id: str) -> Path:
    """The folder of a workshop's photos: `media_root/<id>`, resolved. The id must be a uuid written the
    way the app writes it (lower case, with dashes): another spelling of an existing workshop's id would
    name that workshop's folder. Raises ValueError for anything else, or a path that leaves `media_root`."""
    try:
        canonical = str(uuid.UUID(workshop_id))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"not a workshop id: {workshop_id!r}") from None
    if canonical != workshop_id:
        raise ValueError(f"not a workshop id in canonical form: {workshop_id!r}")
    root = Path(media_root).resolve()
    folder = (root / canonical).resolve()
    if folder.parent != root:
        raise ValueError(f"the media folder of {workshop_id} leaves {root}")
    return folder


def media_file(media_root: str | Path, workshop_id: str, name: str) -> Path:
    """One photo file of a workshop: `name` must be a plain file name (no folder, not hidden)."""
    folder = workshop_media_dir(media_root, workshop_id)
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise ValueError(f"not a photo file name: {name!r}")
    path = (folder / name).resolve()
    if path.parent != folder:
        raise ValueError(f"the photo file {name!r} leaves {folder}")
    return path
