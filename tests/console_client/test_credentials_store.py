"""Where `miniapp login` keeps its token: private, replaced whole, forgotten on logout."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from miniapp.console_client.credentials_store import (
    StoredCredentials,
    credentials_path,
    forget_credentials,
    load_credentials,
    save_credentials,
)

STORED = StoredCredentials(
    server="https://mp.example.com", token="mpat_secret", token_id="id-1", login="ana@example.com"
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_saved_credentials_are_readable_by_their_owner_only(home: Path) -> None:
    path = save_credentials(STORED)
    assert path == home / ".config" / "miniapp" / "credentials.json" == credentials_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_credentials() == STORED
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]  # no temporary left


def test_a_new_login_replaces_the_old_one() -> None:
    save_credentials(STORED)
    newer = StoredCredentials(server="http://127.0.0.1:8000", token="t2", token_id="2", login="b")
    save_credentials(newer)
    assert load_credentials() == newer


def test_forgetting(home: Path) -> None:
    assert forget_credentials() is False
    save_credentials(STORED)
    assert forget_credentials() is True
    assert load_credentials() is None


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"server": "x"}'])
def test_a_damaged_file_reads_as_no_credentials(home: Path, content: str) -> None:
    path = home / ".config" / "miniapp" / "credentials.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert load_credentials() is None
