"""One typed Settings object, read from the environment and `.env`, validated at start."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.publishing.pacing import parse_hours

Language = Literal["fr", "en", "de"]

# Where a person finds each required secret: shown when it is missing.
_WHERE_TO_GET = {
    "TELEGRAM_BOT_TOKEN": "ask @BotFather on Telegram (/newbot) and copy the token it gives",
    "OPENAI_API_KEY": "create one at platform.openai.com/api-keys "
    "(any value works for a local Ollama or vLLM server)",
}


MIN_KEY_CHARS = 32
_MIN_DISTINCT = 12  # "aaaa..." or "12341234..." are long but not random


def strong_key(key: str) -> bool:
    """Tell whether a key is long and varied enough to be a random one."""
    return len(key) >= MIN_KEY_CHARS and len(set(key)) >= _MIN_DISTINCT


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""


class Settings(BaseSettings):
    """Every setting of the bot and the core, from env vars or `.env`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    vision_model: str = "gpt-4o"
    transcription_model: str = "whisper-1"
    voice_max_seconds: int = Field(60, ge=1, le=600)
    vinted_base_url: str = "https://www.vinted.fr"
    chromium_path: str | None = None
    data_dir: Path = Path("./data")
    secret_key: SecretStr | None = None
    allowed_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    listing_language: Language = "fr"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_library_debug: bool = False

    # Images
    vision_long_side: int = Field(1024, ge=256, le=2048)
    vinted_long_side: int = Field(1600, ge=512, le=4096)
    vinted_jpeg_quality: int = Field(90, ge=50, le=100)
    max_photo_bytes: int = Field(30 * 1024 * 1024, gt=0)
    max_photo_pixels: int = Field(80_000_000, gt=0)

    # Analysis
    analysis_concurrency: int = Field(4, ge=1, le=64)
    grouping_batch_size: int = Field(25, ge=2, le=50)
    openai_timeout_seconds: float = Field(60.0, gt=0)
    openai_max_retries: int = Field(4, ge=0, le=10)
    openai_retry_base_seconds: float = Field(1.0, gt=0, le=60)
    pricing_file: Path | None = None
    marketing_phrases_file: Path | None = None

    # Bot
    album_quiet_seconds: float = Field(3.0, gt=0, le=120)
    card_interval_seconds: float = Field(1.0, ge=0, le=10)
    max_batch_photos: int = Field(500, ge=1, le=2000)

    # Publishing (each seller may override interval, jitter, cap, hours and mode)
    publish_tick_seconds: float = Field(30.0, gt=0, le=3600)
    publish_min_interval_seconds: float = Field(180.0, ge=0, le=86_400)
    publish_jitter: float = Field(0.4, ge=0, lt=1)
    publish_daily_cap: int = Field(30, ge=1, le=1000)
    publish_hours: str = ""
    publish_mode: Literal["publish", "draft"] = "publish"
    publish_concurrency: int = Field(2, ge=1, le=16)
    publish_settle_seconds: float = Field(120.0, ge=0, le=3600)

    # Relisting what did not sell (each seller may choose the mode and the days in /settings)
    relist_mode: Literal["off", "ask", "auto"] = "ask"
    relist_after_days: float = Field(30.0, ge=0, le=365)
    relist_price_drop_percent: float = Field(5.0, ge=0, le=50)
    relist_daily_offers: int = Field(5, ge=1, le=100)

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError(
                    "must be Telegram user ids separated by commas, e.g. 12345,67890"
                ) from exc
        return value

    @field_validator("openai_base_url", "chromium_path", "secret_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        # The key is used as a key (HKDF), not stretched like a password: it must be random.
        if value is not None and not strong_key(value.get_secret_value()):
            raise ValueError(
                f"must be at least {MIN_KEY_CHARS} random characters (make one with: python3 -c"
                " 'import secrets; print(secrets.token_urlsafe(48))'), or leave it empty and the"
                " bot creates one in DATA_DIR/secret.key"
            )
        return value

    @field_validator("publish_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        parse_hours(value)
        return value.strip()

    @field_validator("telegram_api_url", "vinted_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    # ---- derived values -------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.data_dir / "bot.db"

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    def require(self, *names: str) -> None:
        """Raise ConfigError naming the first required setting that is unset."""
        for name in names:
            value = getattr(self, name.lower())
            if value is None or (isinstance(value, SecretStr) and not value.get_secret_value()):
                hint = _WHERE_TO_GET.get(name.upper(), "see .env.example")
                raise ConfigError(f"{name.upper()} is not set: {hint}; put it in .env")

    def secret_key_bytes(self) -> bytes:
        """Return SECRET_KEY, or a random key created once in DATA_DIR with mode 0600."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if path.exists():
            key_text = path.read_bytes().strip()
            if not strong_key(key_text.decode(errors="replace")):
                raise ConfigError(
                    f"{path} holds no usable key (too short); restore it from where you keep it,"
                    " or move it away to start with a new key and /connect again"
                )
            return key_text
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key

    def chromium_executable(self) -> str | None:
        """Return CHROMIUM_PATH, Debian's Chromium, or None for Playwright's own browser."""
        if self.chromium_path:
            return self.chromium_path
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
            if os.access(candidate, os.X_OK):
                return candidate
        return shutil.which("chromium")


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; raise ConfigError with the variable's name if bad."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        raise ConfigError(f"{name} is invalid: {err['msg']} (see .env.example)") from None
