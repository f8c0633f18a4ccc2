"""Logos: decoded by Pillow, refused unless a real image of a sane size, stored as a clean
144×144 PNG in the content-addressed public media store."""

from __future__ import annotations

import io
import stat
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from miniapp.apps.logos import (
    LOGO_SIZE,
    MAX_LOGO_BYTES,
    MEDIA_NAME,
    MediaStore,
    check_logo,
    do_store_logo,
    media_url,
)
from miniapp.errors import InvalidInput

RED, GREEN = (255, 0, 0), (0, 128, 0)


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def banded(width: int, height: int) -> Image.Image:
    """Green in the centred square, red outside it: a centred crop keeps only green."""
    image = Image.new("RGB", (width, height), RED)
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    image.paste(GREEN, (left, top, left + side, top + side))
    return image


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_logo(data)
    assert refused.value.field == "logo"
    return refused.value.code


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(pixel[:3], colour, strict=True))


def with_size_in_header(png: bytes, width: int, height: int) -> bytes:
    """`png` with its IHDR claiming another size (and a correct CRC): a bomb's header."""
    assert png[12:16] == b"IHDR"
    body = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + body + struct.pack(">I", zlib.crc32(body)) + png[33:]


def test_a_wide_jpeg_becomes_a_square_144_png_of_its_centre() -> None:
    logo = check_logo(encoded(banded(300, 200), "JPEG", quality=100, subsampling=0))
    assert logo.startswith(b"\x89PNG\r\n\x1a\n")
    image = opened(logo)
    assert (image.format, image.size, image.mode) == ("PNG", (LOGO_SIZE, LOGO_SIZE), "RGB")
    for corner in ((0, 0), (143, 0), (0, 143), (143, 143), (72, 72)):
        assert close_to(image.getpixel(corner), GREEN), corner  # type: ignore[arg-type]


def test_a_tall_image_is_cropped_at_its_centre_too() -> None:
    image = opened(check_logo(encoded(banded(200, 500), "PNG")))
    assert image.size == (LOGO_SIZE, LOGO_SIZE)
    assert close_to(image.getpixel((72, 0)), GREEN)  # type: ignore[arg-type]
    assert close_to(image.getpixel((72, 143)), GREEN)  # type: ignore[arg-type]


def test_metadata_is_dropped() -> None:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS position
    source = encoded(
        banded(400, 400), "JPEG", exif=exif.tobytes(), comment=b"secret", icc_profile=b"x" * 64
    )
    logo = check_logo(source)
    image = opened(logo)
    assert not dict(image.getexif())
    assert not {"exif", "icc_profile", "comment"} & set(image.info)
    assert b"SpyCam" not in logo and b"secret" not in logo
    for chunk in (b"eXIf", b"iCCP", b"tEXt", b"iTXt", b"zTXt"):
        assert chunk not in logo


def test_transparency_is_kept() -> None:
    source = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    image = opened(check_logo(encoded(source, "PNG")))
    assert image.mode == "RGBA"
    assert image.getpixel((72, 72)) == (0, 0, 0, 0)


@pytest.mark.parametrize("image_format", ["PNG", "GIF", "WEBP", "BMP"])
def test_the_other_accepted_formats(image_format: str) -> None:
    image = opened(check_logo(encoded(banded(160, 150), image_format)))
    assert (image.format, image.size) == ("PNG", (LOGO_SIZE, LOGO_SIZE))


def test_the_same_picture_gives_the_same_bytes() -> None:
    source = encoded(banded(300, 200), "PNG")
    assert check_logo(source) == check_logo(source)


def test_a_text_file_named_png_is_refused() -> None:
    assert refusal(b"this is not a picture, whatever its name says\n" * 20) == "logo_invalid"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"></svg>',
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        encoded(banded(200, 200), "TIFF"),
        encoded(banded(200, 200), "PNG")[:300],  # cut short: the header is fine, the pixels not
    ],
    ids=["empty", "svg", "pdf", "tiff", "truncated"],
)
def test_what_is_not_an_accepted_image_is_refused(data: bytes) -> None:
    assert refusal(data) == "logo_invalid"


@pytest.mark.parametrize("size", [(100, 100), (300, 143), (143, 300)])
def test_small_images_are_refused(size: tuple[int, int]) -> None:
    assert refusal(encoded(Image.new("RGB", size, GREEN), "PNG")) == "logo_too_small"


def test_a_3_mb_file_is_refused_before_decoding() -> None:
    data = encoded(banded(300, 300), "PNG")
    data += b"\0" * (3 * 1024 * 1024 - len(data))
    assert len(data) > MAX_LOGO_BYTES
    assert refusal(data) == "logo_too_large"


@pytest.mark.parametrize("side", [5000, 60000])
def test_a_decompression_bomb_is_refused_from_its_header(side: int) -> None:
    bomb = with_size_in_header(encoded(Image.new("RGB", (1, 1)), "PNG"), side, side)
    assert len(bomb) < 100
    assert refusal(bomb) == "logo_too_large"


def test_the_media_store_is_content_addressed_and_immutable(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    logo = check_logo(encoded(banded(300, 200), "PNG"))
    name = do_store_logo(store, encoded(banded(300, 200), "PNG"))
    assert MEDIA_NAME.fullmatch(name)
    assert store.put(logo) == name  # storing it again changes nothing
    path = store.served_file(name)
    assert path is not None
    assert path.read_bytes() == logo
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in store.root.iterdir()] == [name]  # no temporary file left behind
    assert media_url(name) == f"/media/{name}"
    assert media_url(None) is None


@pytest.mark.parametrize(
    "name",
    ["../secret_key", "a" * 20 + ".svg", "A" * 20 + ".png", "a" * 19 + ".png", "a" * 20, ""],
)
def test_the_media_store_serves_only_its_own_names(tmp_path: Path, name: str) -> None:
    assert MediaStore(tmp_path).served_file(name) is None
