"""Diagnostics: stable codes, each exercised by a test, printed as CODE file:line:col message."""

from __future__ import annotations

from pathlib import Path

import pytest

from miniapp.compiler.diagnostics import CODES, Diagnostic, Diagnostics, line_column

TESTS = Path(__file__).parent


def test_every_code_has_a_test_that_triggers_it() -> None:
    corpus = "".join(
        path.read_text(encoding="utf-8")
        for path in TESTS.glob("test_*.py")
        if path.name != "test_diagnostics.py"
    )
    untested = sorted(code for code in CODES if f'"{code}"' not in corpus)
    assert untested == []


def test_format_and_ordering() -> None:
    diagnostics = Diagnostics()
    diagnostics.error(
        "WXML_UNCLOSED_TAG", "pages/b.wxml", "<view> is never closed", line=12, column=5
    )
    diagnostics.error("APP_JSON_MISSING", "app.json", "missing")
    diagnostics.error(
        "WXML_UNCLOSED_TAG", "pages/b.wxml", "<view> is never closed", line=12, column=5
    )
    first, second = diagnostics.sorted()
    assert str(first) == "APP_JSON_MISSING app.json missing"
    assert str(second) == "WXML_UNCLOSED_TAG pages/b.wxml:12:5 <view> is never closed"
    assert second.to_dict()["line"] == 12
    assert not diagnostics.ok


def test_unknown_codes_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown diagnostic code"):
        Diagnostic(file="x", code="NOT_A_CODE", message="")


def test_line_column() -> None:
    text = "ab\ncd\n\nef"
    assert line_column(text, 0) == (1, 1)
    assert line_column(text, 4) == (2, 2)
    assert line_column(text, 7) == (4, 1)
