"""The one configuration object.

Values come, in order of precedence, from keyword arguments (the CLI's flags), the environment
(`MINIAPP_*`), a `.env` file in the working directory, then the defaults below. A bad value stops
the process at start with the key's name, never later in a request.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LanguageCode = Literal["en", "zh"]


class SettingsError(Exception):
    """Raised when a configuration value is refused; the message names the MINIAPP_* key."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MINIAPP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
        frozen=True,
    )

    data_dir: Path = Field(
        default=Path("miniapp-data"),
        description="Folder for the SQLite file, uploaded files and the generated secret key.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; defaults to a SQLite file inside data_dir.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(
        default=None,
        description="The URL users reach the server at; defaults to http://host:port.",
    )
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Server key for HMACs of tokens; generated into data_dir/secret_key if unset.",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Mark cookies Secure. Default: yes, unless served over plain http on a LAN "
        "address (browsers accept Secure cookies over http only on loopback).",
    )
    session_ttl_seconds: int = Field(default=14 * 24 * 3600, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    default_language: LanguageCode = "en"
    run_worker: bool = Field(default=True, description="Run a job worker inside `miniapp serve`.")
    worker_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @cached_property
    def effective_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.data_dir / 'miniapp.sqlite3').resolve()}"

    @cached_property
    def effective_public_url(self) -> str:
        if self.public_url:
            return self.public_url
        shown_host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{shown_host}:{self.port}"

    @cached_property
    def effective_cookie_secure(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        url = self.effective_public_url
        loopback = url.startswith(("http://127.", "http://localhost", "http://[::1]"))
        return url.startswith("https://") or loopback

    @cached_property
    def server_key(self) -> bytes:
        """The key for HMACs of tokens; generated once into data_dir when not configured."""
        if self.secret_key:
            return self.secret_key.encode()
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip().encode()


def load_settings(**overrides: Any) -> Settings:
    """Build the Settings, turning pydantic's error into one line per refused MINIAPP_* key."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            problems.append(f"MINIAPP_{field.upper()}: {error['msg']} (got {error.get('input')!r})")
        raise SettingsError("invalid configuration:\n  " + "\n  ".join(problems)) from None
