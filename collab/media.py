"""Photos: verify, re-encode without any metadata (GPS included), cap the size, make a thumbnail;
and where a workshop's photo files live on disk.

Flask-free: `process_image` takes bytes and returns the encoded files, or raises `OpError` with a
message a person can act on. Nothing is written to disk here. `workshop_media_dir` and `media_file`
are the only ways to build a path under the media folder (issue #10, holes 1 and 2).

Memory is bounded (issue #10, hole 6): a JPEG is decoded already scaled down (libjpeg's DCT scaling,
Pillow's `draft`) to at most twice the kept size; other formats are decoded whole, so they may not
exceed `MAX_DECODED_PIXELS`, and are reduced at once. Callers run at most `DECODE_SLOTS` decodes at a
time (collab.api.media), and each decode gives its memory back to the system when it ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import math
import threading
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .sync.errors import N_, OpError

MAX_SIDE = 2048
THUMB_SIDE = 400
JPEG_QUALITY = 85
# A phone photo is 12–50 megapixels; refuse what could only be a decompression bomb. A JPEG (or MPO)
# up to this size is decoded scaled down (at most ~4 × MAX_SIDE² pixels, ~50 MB).
MAX_PIXELS = 60_000_000
# Other formats (PNG, WebP, GIF, BMP, TIFF) cannot be decoded scaled down: 4096 × 4096 at most.
MAX_DECODED_PIXELS = 4096 * 4096
SCALED_FORMATS = {"JPEG", "MPO"}
ACCEPTED_FORMATS = SCALED_FORMATS | {"PNG", "WEBP", "GIF", "BMP", "TIFF"}
# How many photos one process decodes at once (each may take ~100–200 MB for a moment). Take a slot
# where the request runs (a green thread under eventlet: this module is imported after wsgi.py's
# monkey patching), before handing the decode to the thread pool (collab.api.media).
DECODE_SLOTS = 2
DECODES = threading.BoundedSemaphore(DECODE_SLOTS)


@dataclass(frozen=True)
class Processed:
    full: bytes
    thumb: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def process_image(data: bytes) -> Processed:
    try:
        image = _open(data)
        ImageOps.exif_transpose(image, in_place=True)  # turn it the way the phone held it, forget EXIF
        image = _flatten(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        thumb = image.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        processed = Processed(full=_jpeg(image), thumb=_jpeg(thumb), width=image.width, height=image.height)
        image.close()
        thumb.close()
        del image, thumb
        return processed
    finally:
        give_memory_back()


def _open(data: bytes) -> Image.Image:
    """The image decoded, already reduced to less than twice MAX_SIDE when it is larger."""
    not_an_image = OpError("invalid", N_("This file is not a photo we can read (JPEG, PNG, WebP…)."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                scaled = probe.format in SCALED_FORMATS
                if probe.width * probe.height > (MAX_PIXELS if scaled else MAX_DECODED_PIXELS):
                    raise _too_many_pixels()
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if scaled:  # decode at 1/2, 1/4 or 1/8 of the size, still at least the size kept
                image.draft("RGB", _fit(image.size, MAX_SIDE))
            ImageFile.LOAD_TRUNCATED_IMAGES = False  # some libraries turn it on for the whole process
            image.load()  # a truncated file fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_an_image from None
    return _reduce(image)


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(size))
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def _reduce(image: Image.Image) -> Image.Image:
    """A whole-decoded image twice as large as needed or more, reduced by an integer factor (cheap, and
    the large one freed before the later copies are made)."""
    factor = max(image.size) // MAX_SIDE  # still at least MAX_SIDE on the long side
    if factor < 2:
        return image
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        converted = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        image.close()
        image = converted
    reduced = image.reduce(factor)
    image.close()
    return reduced


def give_memory_back() -> None:
    """Return freed memory to the system: glibc keeps the freed buffers of a large decode otherwise."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def _too_many_pixels() -> OpError:
    return OpError("invalid", N_("This image is too large in pixels to be a photo."))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and every later step wants one pixel format."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        image.close()
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        rgba.close()
        return background
    if image.mode == "RGB":
        return image
    rgb = image.convert("RGB")
    image.close()
    return rgb


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
