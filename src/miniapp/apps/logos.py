"""App logos: checked and normalised with Pillow, kept in the public media store.

An uploaded logo is decoded (never trusted by its name or its declared type), cropped to the
centred square, resized to 144×144 and written again as a PNG with nothing but pixels: no EXIF
(GPS positions, camera serials), no colour profile, no text chunks. What the store serves is
therefore always our own re-encoding, never the uploader's bytes.

Layout under `<data_dir>/media/`: `<sha256 hex, first 20>.png`, content-addressed and immutable
like the bundle store (bundles.py): a name is the hash of its content, each write goes to a
temporary file renamed over its target, so a reader sees a whole file or none.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from miniapp.atomic_files import write_once
from miniapp.errors import InvalidInput
from miniapp.settings import Settings

MEDIA_NAME = re.compile(r"[0-9a-f]{20}\.png")
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_SIZE = 144  # WeChat's: the smallest accepted, and what is stored
# A 2 MB file may declare a huge canvas (a decompression bomb: a few KB of PNG can claim
# 60000×60000 pixels, gigabytes once decoded). The declared size is checked before decoding.
MAX_LOGO_SIDE = 4096
FILE_MODE = 0o644


class MediaStore:
    """Public media files under one folder, by content hash."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def for_settings(cls, settings: Settings) -> MediaStore:
        return cls(settings.data_dir / "media")

    def served_file(self, name: str) -> Path | None:
        """The path of `name` ("<hash>.png"), or None if the name is not one we ever store."""
        if MEDIA_NAME.fullmatch(name) is None:
            return None
        return self.root / name

    def put(self, data: bytes) -> str:
        """Store `data` (once: a name is its content's hash) and return its name."""
        name = hashlib.sha256(data).hexdigest()[:20] + ".png"
        self.root.mkdir(parents=True, exist_ok=True)
        write_once(self.root / name, data, mode=FILE_MODE)
        return name


def media_url(name: str | None) -> str | None:
    return f"/media/{name}" if name else None


def _too_large() -> InvalidInput:
    return InvalidInput(
        "logo_too_large", field="logo", max_bytes=MAX_LOGO_BYTES, max_side=MAX_LOGO_SIDE
    )


def _decoded(data: bytes) -> Image.Image:
    """The image `data` holds, decoded, if it is one of LOGO_FORMATS of a sane size."""
    invalid = InvalidInput("logo_invalid", field="logo")
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns below twice its limit; here any warning is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=LOGO_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise invalid from None
        width, height = image.size
        if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
            raise _too_large()  # before load(): nothing of it is decoded
        if width < LOGO_SIZE or height < LOGO_SIZE:
            raise InvalidInput("logo_too_small", field="logo", min_size=LOGO_SIZE)
        try:
            image.load()
            # A JPEG from a phone stores its rotation in EXIF; show it the way the sender saw it.
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, EOFError):
            raise invalid from None
    return upright


def check_logo(data: bytes) -> bytes:
    """The logo as stored: a 144×144 PNG of the centred square of the uploaded image.

    Refused: anything Pillow does not decode as PNG, JPEG, GIF, WebP or BMP (`logo_invalid`),
    larger than 2 MB or 4096 pixels a side (`logo_too_large`), smaller than 144 pixels a side
    (`logo_too_small`).
    """
    if not data:
        raise InvalidInput("logo_invalid", field="logo")
    if len(data) > MAX_LOGO_BYTES:
        raise _too_large()
    image = _decoded(data)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    try:
        image = image.convert("RGBA" if has_alpha else "RGB")
    except (OSError, ValueError):  # a mode Pillow cannot map to RGB
        raise InvalidInput("logo_invalid", field="logo") from None
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    logo = square.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    logo.info = {}  # no profile, EXIF, text or gamma carried over into the PNG
    out = io.BytesIO()
    logo.save(out, format="PNG", optimize=True)
    return out.getvalue()


def do_store_logo(store: MediaStore, data: bytes) -> str:
    """Check and normalise an uploaded logo, store it; return its media name."""
    return store.put(check_logo(data))
