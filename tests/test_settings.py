"""The one Settings object: environment, .env, defaults, and loud refusals naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from miniapp.settings import SettingsError, load_settings


def test_defaults_put_sqlite_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert (
        settings.effective_database_url
        == f"sqlite:///{tmp_path / 'miniapp-data' / 'miniapp.sqlite3'}"
    )
    assert settings.effective_public_url == "http://127.0.0.1:8000"
    assert settings.effective_cookie_secure is True


def test_environment_and_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("MINIAPP_PORT=9001\nMINIAPP_HOST=0.0.0.0\n")
    monkeypatch.setenv("MINIAPP_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/x")
    settings = load_settings()
    assert settings.port == 9001
    assert settings.effective_database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    # Flags given on the command line win over the environment.
    assert load_settings(port=9002).port == 9002


@pytest.mark.parametrize(
    ("env", "value", "key"),
    [
        ("MINIAPP_PORT", "eighty", "MINIAPP_PORT"),
        ("MINIAPP_PORT", "70000", "MINIAPP_PORT"),
        ("MINIAPP_DATABASE_URL", "mysql://x", "MINIAPP_DATABASE_URL"),
        ("MINIAPP_SECRET_KEY", "short", "MINIAPP_SECRET_KEY"),
        ("MINIAPP_DEFAULT_LANGUAGE", "fr", "MINIAPP_DEFAULT_LANGUAGE"),
        ("MINIAPP_PUBLIC_URL", "ftp://x", "MINIAPP_PUBLIC_URL"),
    ],
)
def test_bad_values_are_refused_with_the_key_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str, key: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert key in str(refused.value)


def test_unknown_key_in_dotenv_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("MINIAPP_PROT=9001\n")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "MINIAPP_PROT" in str(refused.value)


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    key = settings.server_key
    assert len(key) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_settings(data_dir=tmp_path).server_key == key


def test_cookies_are_not_secure_over_plain_http_on_a_lan_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(public_url="http://192.168.1.5:8000").effective_cookie_secure is False
    assert load_settings(public_url="https://mini.example.com").effective_cookie_secure is True


def test_unrelated_dotenv_keys_are_ignored_and_secrets_never_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-live-abc123supersecret\nMINIAPP_PORT=9003\n")
    assert load_settings().port == 9003
    monkeypatch.setenv("MINIAPP_SECRET_KEY", "short-secret-value")
    monkeypatch.setenv("MINIAPP_DATABASE_URL", "mysql://root:Sup3rS3cret@db/x")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert "MINIAPP_SECRET_KEY" in message and "MINIAPP_DATABASE_URL" in message
    assert "short-secret-value" not in message and "Sup3rS3cret" not in message
    assert "sk-live" not in message


def test_postgres_scheme_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(database_url="postgres://u@db:5432/x")
    assert settings.effective_database_url == "postgresql+psycopg://u@db:5432/x"


def test_listening_on_every_address_over_http_uses_plain_cookies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lan = load_settings(host="0.0.0.0")
    assert lan.effective_cookie_secure is False
    assert lan.trusted_hosts == ["*"]
    assert load_settings().trusted_hosts == ["127.0.0.1", "::1", "localhost"]
    public = load_settings(host="0.0.0.0", public_url="https://mini.example.com")
    assert public.effective_cookie_secure is True
    assert "mini.example.com" in public.trusted_hosts


def test_data_folder_is_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "new")
    settings.server_key  # noqa: B018  creates the folder and the key
    assert (tmp_path / "new").stat().st_mode & 0o077 == 0


def test_dev_mode_is_off_unless_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().dev_mode is False
    monkeypatch.setenv("MINIAPP_DEV_MODE", "true")
    assert load_settings().dev_mode is True
    monkeypatch.setenv("MINIAPP_DEV_MODE", "maybe")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "MINIAPP_DEV_MODE" in str(refused.value)
