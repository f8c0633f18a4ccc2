"""The grams of app names, kept in `app_name_grams` so near misses are found through an index.

A name key (apps/names.py: NFKC, case-folded, spaces collapsed) is cut into runs of letters and
digits; punctuation and spaces separate runs. A Latin (or other alphabetic) run gives its
character trigrams, padded as PostgreSQL's pg_trgm pads words (two spaces before, one after), so
a word's start weighs more than its middle and short words still give grams. A CJK run gives
character bigrams, padded with one space each side: Chinese names are 2-6 characters, where
trigrams would leave almost nothing in common after a one-character typo.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from miniapp.apps.models import App
from miniapp.discovery.models import AppNameGram

# Han (with extensions and compatibility forms), kana and Hangul: scripts written without spaces
# between words, where a character carries roughly what a Latin syllable does.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}\U00020000-\U0003ffff]+")
# A run of letters/digits that are not CJK: `\w` without the underscore and the CJK ranges.
_WORD_RUN = re.compile(f"(?:(?![{_CJK}\U00020000-\U0003ffff])[^\\W_])+")


def _padded_grams(text: str, *, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def name_grams(name_key: str) -> set[str]:
    """The grams of a folded name (`app_name_key`'s output); empty if it has no letter or digit."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(name_key):
        grams |= _padded_grams(f" {run} ", size=2)
    for run in _WORD_RUN.findall(name_key):
        grams |= _padded_grams(f"  {run} ", size=3)
    return grams


def do_index_app_name(session: Session, *, app: App) -> None:
    """Replace the app's grams with those of its current `name_key`.

    Precondition: the app is flushed (has an id) and `name_key` is set. Call it in the
    transaction that sets the name, so the index never disagrees with a committed name.
    """
    session.execute(delete(AppNameGram).where(AppNameGram.app_id == app.id))
    grams = sorted(name_grams(app.name_key))
    if grams:
        session.execute(insert(AppNameGram), [{"app_id": app.id, "gram": g} for g in grams])
