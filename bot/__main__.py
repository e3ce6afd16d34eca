"""`python -m bot`: check the settings, wire the services and run long polling."""

from __future__ import annotations

import asyncio
import sys

from telegram import Update

from bot.app import build_application
from core import logs
from core.config import ConfigError, Settings, load_settings
from core.services import build_services


def setup_logging(settings: Settings) -> None:
    logs.setup(
        settings.log_level,
        libraries_debug=settings.log_library_debug,
        secrets=[
            s.get_secret_value()
            for s in (settings.telegram_bot_token, settings.openai_api_key, settings.secret_key)
            if s is not None
        ],
    )


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
