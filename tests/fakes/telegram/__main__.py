"""A fake Telegram Bot API server on loopback that speaks the real wire format, for bot tests.

``python -m tests.fakes.telegram --port 8081``; the ``/_fake/`` routes then let you play the
user with curl.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import Sequence

from tests.fakes.telegram.server import DEFAULT_TOKEN, FakeTelegram


def main(argv: Sequence[str] | None = None) -> None:
    """Serve a fake Bot API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    async def serve() -> None:
        async with FakeTelegram(args.token, port=args.port) as fake:
            print(f"fake Telegram Bot API on {fake.url} token {fake.token}", flush=True)
            print(
                f"  bot: TELEGRAM_API_URL={fake.url}\n"
                f'  user: curl -d \'{{"user_id": 1, "text": "hi"}}\' '
                f"-H 'Content-Type: application/json' {fake.url}/_fake/send_text\n"
                f"  state: curl {fake.url}/_fake/state",
                flush=True,
            )
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
