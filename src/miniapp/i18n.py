"""The translation table shared by the server and both web apps (web/shared/i18n.json)."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

TABLE_PATH = Path(__file__).parent / "web" / "shared" / "i18n.json"
LANGUAGES = ("en", "zh")


@cache
def table() -> dict[str, dict[str, str]]:
    with TABLE_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, str]] = json.load(handle)
    return loaded


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def translate(key: str, *, language: str = "en", params: dict[str, Any] | None = None) -> str:
    """The text for `key` in `language` (falling back to English, then to the key itself)."""
    entries = table()
    text = entries.get(language, {}).get(key) or entries["en"].get(key) or key
    return string.Formatter().vformat(text, (), _KeepMissing(params or {}))


def has_key(key: str) -> bool:
    return all(key in table()[language] for language in LANGUAGES)
