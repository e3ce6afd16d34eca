"""`python -m bot`: check the settings, wire the services and run long polling."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update

from bot.app import build_application
from core.config import ConfigError, Settings, load_settings
from core.services import build_services


class _Redact(logging.Filter):
    """Blank out secrets should any library ever log them."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(
        _Redact(
            [
                s.get_secret_value()
                for s in (
                    settings.telegram_bot_token,
                    settings.openai_api_key,
                    settings.secret_key,
                )
                if s is not None
            ]
        )
    )
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # Their INFO lines carry request URLs, and the Bot API puts the token in the URL.
    for noisy in ("httpx", "httpcore", "apscheduler", "openai", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main() -> int:
    try:
        settings = load_settings()
        settings.require("TELEGRAM_BOT_TOKEN")
        settings.require("OPENAI_API_KEY")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    services = loop.run_until_complete(build_services(settings))
    # The Application's post_shutdown closes the services; run_polling closes the loop.
    build_application(settings, services).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
