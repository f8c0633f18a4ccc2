"""Where `miniapp login` keeps the server and the token: ~/.config/miniapp/credentials.json.

The file holds a secret, so it is created with mode 0600 (in a 0700 folder) and replaced
atomically; `MINIAPP_SERVER` and `MINIAPP_TOKEN` override it (CI sets them and never logs in).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from miniapp.atomic_files import write_atomically

SERVER_ENV = "MINIAPP_SERVER"
TOKEN_ENV = "MINIAPP_TOKEN"  # noqa: S105  the variable's name, not a secret


def credentials_path() -> Path:
    return Path.home() / ".config" / "miniapp" / "credentials.json"


@dataclass(frozen=True, kw_only=True)
class StoredCredentials:
    server: str
    token: str
    token_id: str  # the token's public id, so `miniapp logout` can revoke it
    login: str


def load_credentials() -> StoredCredentials | None:
    """What `miniapp login` stored; None when nothing (readable) is there."""
    try:
        loaded = json.loads(credentials_path().read_text(encoding="utf-8"))
        return StoredCredentials(
            server=str(loaded["server"]),
            token=str(loaded["token"]),
            token_id=str(loaded["token_id"]),
            login=str(loaded.get("login", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_credentials(credentials: StoredCredentials) -> Path:
    """Write the file readable by its owner only, never leaving a half-written or wider file."""
    path = credentials_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp makes the temporary file 0600 from the start; the mode says so where it matters.
    write_atomically(path, json.dumps(asdict(credentials), indent=1).encode(), mode=0o600)
    return path


def forget_credentials() -> bool:
    """Remove the stored credentials; False if there were none."""
    try:
        credentials_path().unlink()
    except FileNotFoundError:
        return False
    return True
