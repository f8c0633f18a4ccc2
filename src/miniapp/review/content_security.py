"""The content-security checker: one verdict on a text or an image, shared by the automated
review of a package (checks.py) and the open API's `msg_sec_check` / `img_sec_check`
(open_routes.py), so a merchant's back end and a reviewer are held to the same rules.

Pure: the text or the image's bytes and the lists in, a verdict out.

- Text: the word list (`Settings.review_word_list`), matched case- and width-insensitively.
  A line `# label: <n>` gives the words below it WeChat's label n (server-api.md §5: 10001 ads,
  20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar,
  20013 copyright, 21000 other); words before any such line are 21000.
- Images: a list of perceptual hashes of forbidden images (`Settings.review_image_hash_list`,
  none by default): one 16-digit hex difference hash (`image_hash`) a line, with the same
  `# label:` lines. An image within HASH_DISTANCE bits of a listed hash is flagged, so a
  re-encoded, rescaled or slightly recoloured copy is caught as well as the original.

There is no probabilistic classifier: a verdict is "pass" or "risky", never "review".
"""

from __future__ import annotations

import enum
import functools
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

LABEL_NORMAL = 100
LABEL_OTHER = 21000
LABELS = frozenset(
    {LABEL_NORMAL, 10001, 20001, 20002, 20003, 20006, 20008, 20012, 20013, LABEL_OTHER}
)
_LABEL_LINE = re.compile(r"#\s*label\s*:\s*(\d+)\s*")

# A difference hash is 64 bits; copies of one picture differ by a few bits, different pictures
# by about half of them (32).
HASH_DISTANCE = 6
_HASH_LINE = re.compile(r"[0-9a-f]{16}")
# Only the first frames of an animation are compared: a forbidden picture hidden in frame 500
# of a GIF is a known gap, traded against decoding time.
MAX_FRAMES = 20


class Suggest(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict, not a password)
    REVIEW = "review"
    RISKY = "risky"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """`keyword` is the listed word found (text only)."""

    suggest: Suggest
    label: int
    keyword: str | None = None

    @property
    def risky(self) -> bool:
        return self.suggest is Suggest.RISKY


PASS = Verdict(suggest=Suggest.PASS, label=LABEL_NORMAL)


def _labelled_lines(lines: Iterable[str], *, what: str) -> Iterator[tuple[str, int]]:
    """(entry, label) of a list file: blank lines and # comments skipped, `# label: n` lines
    setting the label of the entries below them."""
    label = LABEL_OTHER
    for raw in lines:
        stripped = raw.strip()
        directive = _LABEL_LINE.fullmatch(stripped)
        if directive is not None:
            label = int(directive.group(1))
            if label not in LABELS:
                raise ValueError(f"{what}: {label} is not one of WeChat's labels")
            continue
        if not stripped or stripped.startswith("#"):
            continue
        yield stripped, label


# -- text ------------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Case- and width-insensitive form (NFKC, case folded), whitespace runs made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class WordList:
    pattern: re.Pattern[str] | None
    labels: dict[str, int]

    def find(self, text: str) -> str | None:
        """The first listed word in `text` (normalised), or None."""
        if self.pattern is None:
            return None
        found = self.pattern.search(normalise_text(text))
        return found.group(0) if found else None

    def check(self, *texts: str) -> Verdict:
        """Risky, with the word's label, when any of `texts` holds a listed word."""
        for text in texts:
            word = self.find(text)
            if word is not None:
                label = self.labels.get(word, LABEL_OTHER)
                return Verdict(suggest=Suggest.RISKY, label=label, keyword=word)
        return PASS


def compile_word_list(lines: Iterable[str]) -> WordList:
    """One word or phrase a line; blank lines and lines starting with # are skipped (but for
    `# label: n`). Words of ASCII letters and digits match whole words only ("ass" is not in
    "class"); others (Chinese, which has no spaces between words) match anywhere."""
    alternatives = []
    labels: dict[str, int] = {}
    for raw, label in _labelled_lines(lines, what="word list"):
        word = normalise_text(raw)
        if not word or word in labels:
            continue
        labels[word] = label
        escaped = re.escape(word)
        if word.isascii():
            escaped = rf"(?<![0-9a-z]){escaped}(?![0-9a-z])"
        alternatives.append(escaped)
    if not alternatives:
        return WordList(None, {})
    # Longest first, so a phrase wins over a word it starts with.
    alternatives.sort(key=len, reverse=True)
    return WordList(re.compile("|".join(alternatives)), labels)


@functools.lru_cache(maxsize=8)
def _word_list_cached(path: str, _mtime_ns: int, _size: int) -> WordList:
    return compile_word_list(Path(path).read_text(encoding="utf-8").splitlines())


def word_list(path: Path) -> WordList:
    """The word list in the file `path` (re-read when the file changes)."""
    stat = path.stat()
    return _word_list_cached(str(path), stat.st_mtime_ns, stat.st_size)


# -- images ----------------------------------------------------------------------------------------


class ImageProblem(Exception):
    """The bytes are not an image that can be checked: `reason` is "not_an_image" or
    "too_large" (over the caller's dimensions, or a decompression bomb)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ImageHashList:
    hashes: tuple[tuple[int, int], ...]  # (hash, label)

    def check(self, frame_hashes: Iterable[int]) -> Verdict:
        for found in frame_hashes:
            for listed, label in self.hashes:
                if (found ^ listed).bit_count() <= HASH_DISTANCE:
                    return Verdict(suggest=Suggest.RISKY, label=label)
        return PASS


NO_IMAGE_HASHES = ImageHashList(())


def compile_image_hash_list(lines: Iterable[str]) -> ImageHashList:
    """One `image_hash` (16 hex digits) a line, with `# label: n` lines as in the word list."""
    hashes = []
    for entry, label in _labelled_lines(lines, what="image hash list"):
        value = entry.lower()
        if _HASH_LINE.fullmatch(value) is None:
            raise ValueError(f"image hash list: {entry!r} is not 16 hex digits")
        hashes.append((int(value, 16), label))
    return ImageHashList(tuple(hashes))


@functools.lru_cache(maxsize=8)
def _image_hash_list_cached(path: str, _mtime_ns: int, _size: int) -> ImageHashList:
    return compile_image_hash_list(Path(path).read_text(encoding="utf-8").splitlines())


def image_hash_list(path: Path | None) -> ImageHashList:
    """The hash list in the file `path` (re-read when the file changes); none without a path."""
    if path is None:
        return NO_IMAGE_HASHES
    stat = path.stat()
    return _image_hash_list_cached(str(path), stat.st_mtime_ns, stat.st_size)


def difference_hash(image: Image.Image) -> int:
    """64-bit difference hash: the image in grey at 9×8, one bit per pair of neighbours (is
    the left one brighter). Survives rescaling, re-encoding and small colour changes."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte a pixel, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return bits


def frame_hashes(
    data: bytes, *, formats: tuple[str, ...], max_width: int, max_height: int
) -> list[int]:
    """The difference hash of each frame (up to MAX_FRAMES) of the image `data`.

    Raises ImageProblem when `data` is not one of `formats` by its content (whatever its name),
    or is wider than `max_width` or taller than `max_height`: the declared size is checked
    before anything is decoded, so a decompression bomb costs nothing.
    """
    with warnings.catch_warnings():
        # Pillow's own bomb guard only warns below twice its limit; here a warning refuses.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=formats)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem("too_large", "the image is too large") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ImageProblem("not_an_image", "not a PNG, JPEG or GIF image") from None
        width, height = image.size
        if width > max_width or height > max_height:
            raise ImageProblem(
                "too_large",
                f"the image is {width}×{height} px; at most {max_width}×{max_height}",
            )
        hashes = []
        try:
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_FRAMES:
                    break
                hashes.append(difference_hash(frame))
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageProblem("not_an_image", "the image data is damaged") from None
    return hashes


def check_image(
    data: bytes,
    *,
    hashes: ImageHashList,
    formats: tuple[str, ...],
    max_width: int,
    max_height: int,
) -> Verdict:
    """The verdict on the image `data` (ImageProblem when it cannot be checked: frame_hashes)."""
    return hashes.check(
        frame_hashes(data, formats=formats, max_width=max_width, max_height=max_height)
    )


def image_hash(data: bytes) -> str:
    """The hash to list in `review_image_hash_list` for the image `data` (its first frame)."""
    found = frame_hashes(
        data, formats=("PNG", "JPEG", "GIF", "WEBP", "BMP"), max_width=1 << 14, max_height=1 << 14
    )
    return f"{found[0]:016x}"
