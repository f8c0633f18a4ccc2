"""The one configuration object.

Values come, in order of precedence, from keyword arguments (the CLI's flags), the environment
(`MINIAPP_*`), a `.env` file in the working directory, then the defaults below. A bad value stops
the process at start with the key's name, never later in a request.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The review's built-in content-security word list (review/checks.py), used unless one is set.
DEFAULT_REVIEW_WORDS = Path(__file__).parent / "review" / "default_words.txt"


class SettingsError(Exception):
    """Raised when a configuration value is refused; the message names the MINIAPP_* key."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MINIAPP_",
        env_file=".env",
        env_file_encoding="utf-8",
        # A .env file is often shared with other tools; their keys are theirs. Unknown MINIAPP_*
        # keys (typos) are still refused, by `load_settings`.
        extra="ignore",
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
    login_window_seconds: int = Field(default=15 * 60, ge=1, le=24 * 3600)
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For is believed "
        '(JSON list, e.g. ["10.0.0.0/8"]). Empty: the peer address is the client.',
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to, besides public_url's and loopback.",
    )
    max_api_body_bytes: int = Field(default=64 * 1024, ge=1024)
    run_worker: bool = Field(default=True, description="Run a job worker inside `miniapp serve`.")
    worker_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    dev_mode: bool = Field(
        default=False,
        description="Development (the `miniapp dev` simulator): wx.request may use plain http, "
        "reach loopback and private addresses, and is not held to the app's registered domains "
        "(a simulator project has none). It makes the server an open proxy: never on a server "
        "open to others.",
    )

    redis_url: str | None = Field(
        default=None,
        description="Redis URL (redis://, rediss:// or unix://) for the open API's rate limits, "
        "shared by every server process. Unset: counted in this process (one machine; the "
        "counts start again at a restart).",
    )

    review_word_list: Path = Field(
        default=DEFAULT_REVIEW_WORDS,
        description="The content-security word list the automated review checks text against: "
        "a UTF-8 file, one word or phrase per line (lines starting with # are comments).",
    )
    review_image_bytes: int = Field(
        default=200 * 1024,
        ge=1024,
        description="Largest image file a package may hold before review warns about it.",
    )
    review_image_hash_list: Path | None = Field(
        default=None,
        description="Forbidden images for review and img_sec_check: a UTF-8 file of perceptual "
        "hashes (review/content_security.py image_hash), one a line; none by default.",
    )

    @field_validator("review_word_list", "review_image_hash_list")
    @classmethod
    def _check_word_list(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        try:
            value.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"must be a readable UTF-8 file ({exc})") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value.startswith("postgres://"):  # the spelling Heroku and others hand out
            value = "postgresql://" + value.removeprefix("postgres://")
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # raises ValueError, named by pydantic
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
        shown_host = "127.0.0.1" if self.listens_everywhere else self.host
        return f"http://{shown_host}:{self.port}"

    @property
    def listens_everywhere(self) -> bool:
        return self.host in ("0.0.0.0", "::", "")  # noqa: S104

    @cached_property
    def effective_cookie_secure(self) -> bool:
        """Secure cookies unless that would break sign-in: browsers keep Secure cookies sent over
        plain http only from loopback, so http on a LAN address (or on every address, which is
        how phones on the LAN reach a laptop) gets ordinary cookies."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        url = self.effective_public_url
        if url.startswith("https://"):
            return True
        loopback = url.startswith(("http://127.", "http://localhost", "http://[::1]"))
        return loopback and not (self.public_url is None and self.listens_everywhere)

    @cached_property
    def trusted_hosts(self) -> list[str]:
        """Host names accepted in the Host header: public_url's, loopback's and allowed_hosts.
        Any other Host (DNS rebinding) is refused."""
        public = urlsplit(self.effective_public_url).hostname or "127.0.0.1"
        hosts = {public, "127.0.0.1", "localhost", "::1", *self.allowed_hosts}
        if self.listens_everywhere and self.public_url is None:
            return ["*"]  # a LAN address is not known in advance; set MINIAPP_PUBLIC_URL to lock it
        return sorted(hosts)

    @cached_property
    def server_key(self) -> bytes:
        """The key for HMACs of tokens; generated once into data_dir when not configured."""
        if self.secret_key:
            return self.secret_key.encode()
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                # Created private from the first byte, and never over an existing key.
                descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it a moment ago; read theirs
            else:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        return key_file.read_text().strip().encode()


# Values never echoed in an error: they are secrets, or URLs that may carry a password.
SECRET_FIELDS = frozenset({"secret_key", "database_url", "redis_url"})


def _unknown_keys(env_file: Path) -> list[str]:
    """MINIAPP_* names in the environment or .env that no setting has: almost always typos."""
    known = {f"MINIAPP_{name.upper()}" for name in Settings.model_fields}
    names = {key for key in os.environ if key.upper().startswith("MINIAPP_")}
    if env_file.is_file():
        for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines():
            key = line.split("=", 1)[0].strip().removeprefix("export ").strip()
            if key.upper().startswith("MINIAPP_"):
                names.add(key)
    return sorted(name for name in names if name.upper() not in known)


def load_settings(*, env_file: Path = Path(".env"), **overrides: Any) -> Settings:
    """Build the Settings, turning pydantic's error into one line per refused MINIAPP_* key."""
    problems = [f"{name}: no such setting" for name in _unknown_keys(env_file)]
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        settings = Settings(_env_file=env_file, **clean)
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            shown = "" if field in SECRET_FIELDS else f" (got {error.get('input')!r})"
            problems.append(f"MINIAPP_{field.upper()}: {error['msg']}{shown}")
    if problems:
        raise SettingsError("invalid configuration:\n  " + "\n  ".join(problems)) from None
    return settings
