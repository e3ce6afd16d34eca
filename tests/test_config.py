"""Settings: read from the environment and .env, validated with clear messages."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core.config import ConfigError, load_settings

ALL_VARS = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "VISION_MODEL",
    "VINTED_BASE_URL",
    "CHROMIUM_PATH",
    "DATA_DIR",
    "SECRET_KEY",
    "ALLOWED_USER_IDS",
    "LISTING_LANGUAGE",
    "LOG_LEVEL",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_defaults_match_the_documentation() -> None:
    settings = load_settings()
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.vinted_base_url == "https://www.vinted.fr"
    assert settings.listing_language == "fr"
    assert settings.data_dir == Path("./data")
    assert settings.allowed_user_ids == []
    assert settings.album_quiet_seconds == 3.0


def test_env_file_and_environment_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("OPENAI_API_KEY=sk-from-file\nALLOWED_USER_IDS=12, 34\n")
    monkeypatch.setenv("LISTING_LANGUAGE", "de")
    settings = load_settings()
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-from-file"
    assert settings.allowed_user_ids == [12, 34]
    assert settings.listing_language == "de"
    assert "sk-from-file" not in repr(settings)  # secrets never show up in logs


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USER_IDS", "12,bob")
    with pytest.raises(ConfigError, match="ALLOWED_USER_IDS"):
        load_settings()
    monkeypatch.setenv("ALLOWED_USER_IDS", "")
    monkeypatch.setenv("LISTING_LANGUAGE", "klingon")
    with pytest.raises(ConfigError, match="LISTING_LANGUAGE"):
        load_settings()


def test_missing_secret_names_the_variable_and_where_to_get_it() -> None:
    settings = load_settings()
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN.*BotFather"):
        settings.require("TELEGRAM_BOT_TOKEN")
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        settings.require("OPENAI_API_KEY")


def test_secret_key_is_created_once_with_private_mode(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    key = settings.secret_key_bytes()
    path = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32
    assert load_settings(data_dir=tmp_path / "data").secret_key_bytes() == key


def test_given_secret_key_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", "correct horse battery staple, and a long tail 2026")
    settings = load_settings(data_dir=tmp_path)
    assert settings.secret_key_bytes() == b"correct horse battery staple, and a long tail 2026"
    assert not (tmp_path / "secret.key").exists()


@pytest.mark.parametrize(
    "weak", ["abc", "correct horse battery staple", "a" * 64, "0123456789" * 4, "ab12" * 20]
)
def test_a_weak_secret_key_is_refused_with_how_to_make_one(
    monkeypatch: pytest.MonkeyPatch, weak: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", weak)
    with pytest.raises(ConfigError, match="SECRET_KEY.*32 random characters.*token_urlsafe"):
        load_settings()


def test_a_truncated_key_file_is_refused_not_used(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_bytes(b"abc\n")
    with pytest.raises(ConfigError, match="secret.key holds no usable key"):
        load_settings(data_dir=tmp_path).secret_key_bytes()


def test_trailing_slash_and_empty_optional_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    settings = load_settings()
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.openai_base_url is None
