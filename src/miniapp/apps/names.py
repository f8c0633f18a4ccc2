"""When two mini-program names are the same name."""

from __future__ import annotations

import unicodedata


def app_name_key(name: str) -> str:
    """What two names must differ in to be two apps: WeChat treats names that differ only in
    case or in full-width/half-width forms (`Ｔｅａ` and `tea`) as the same name."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
