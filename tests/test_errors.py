"""Every error code the server can raise has a message in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from miniapp.errors import InvalidInput, UserError
from miniapp.i18n import has_key, translate

SRC = Path(__file__).resolve().parents[1] / "src" / "miniapp"
RAISED = re.compile(
    r"\b(?:UserError|InvalidInput|NotSignedIn|Forbidden|Conflict|TooManyRequests)\(\s*\"([a-z_]+)\""
)
# Codes built from a condition rather than written literally in a constructor call.
INDIRECT = {"method_not_allowed", "invalid_input", "not_found", "internal"}


def test_every_raised_code_is_translated() -> None:
    codes = set(INDIRECT)
    for path in SRC.rglob("*.py"):
        codes.update(RAISED.findall(path.read_text(encoding="utf-8")))
    assert len(codes) > 15
    missing = sorted(code for code in codes if not has_key(f"error.{code}"))
    assert missing == []


def test_message_fills_params_and_keeps_unknown_ones() -> None:
    error = InvalidInput("weak_password", field="password", min_length=8)
    assert "at least 8 characters" in error.message
    assert error.to_dict()["params"] == {"field": "password", "min_length": 8}
    named = InvalidInput("invalid_input", field="language", reason="en or zh")
    assert named.message == "Please check language: en or zh"
    assert translate("error.weak_password", language="zh", params={"min_length": 8}).startswith(
        "请设置"
    )
    assert "{retry_after}" in UserError("too_many_attempts").message
