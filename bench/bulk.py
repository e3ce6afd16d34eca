"""Benchmark a bulk seller's batch: 144 photos of 6 items (6 albums of 24) in one go.

The bot runs as users run it (`python -m bot`, its own process) against the fake Bot API and the
fake OpenAI server, which answers every call after 3 s; analysis concurrency 4. The 144 photos
need six grouping calls of 24-25 photos; asked at once they cost one latency. Printed: the time
from the last photo to the last card, against the ideal (the quiet window + one grouping latency
+ ceil(6 / 4) draft latencies), and the ratio (target: within 1.5x).
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.openai.recording import MARK_SIDE, item_mark
from tests.fakes.telegram import FakeTelegram, User

ITEMS = 6
PHOTOS_PER_ITEM = 24
AI_LATENCY = 3.0
QUIET = 3.0
CONCURRENCY = 4
SELLER = User(id=70_001, first_name="Bulk", language_code="fr")


def _photos(items: int, each: int) -> list[bytes]:
    """Distinct phone-sized JPEGs (noise: no two share a perceptual hash), each marked in its
    corner with its item, which the fake model groups by (as a model tells garments apart)."""
    photos = []
    for n in range(items * each):
        shapes = random.Random(n)
        img = Image.new("RGB", (1280, 960), (128, 128, 128))
        draw = ImageDraw.Draw(img)
        for _ in range(12):  # big random blocks: every photo's perceptual hash differs
            x, y = shapes.randrange(1180), shapes.randrange(860)
            w, h = shapes.randrange(100, 600), shapes.randrange(100, 500)
            colour = tuple(shapes.randrange(256) for _ in range(3))
            draw.rectangle((x, y, x + w, y + h), fill=colour)  # type: ignore[arg-type]
        img.paste(item_mark(n // each + 1), (0, 0, MARK_SIDE, MARK_SIDE))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=80)
        photos.append(buf.getvalue())
    return photos


async def _run() -> tuple[float, float, int]:
    photos = _photos(ITEMS, PHOTOS_PER_ITEM)
    async with FakeTelegram() as tg, FakeOpenAIServer(latency=AI_LATENCY) as ai:
        with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": tg.token,
                "TELEGRAM_API_URL": tg.url,
                "OPENAI_API_KEY": "bench",
                "OPENAI_BASE_URL": ai.base_url,
                "DATA_DIR": str(Path(tmp) / "data"),
                "ALLOWED_USER_IDS": str(SELLER.id),
                "ALBUM_QUIET_SECONDS": str(QUIET),
                "ANALYSIS_CONCURRENCY": str(CONCURRENCY),
                "CARD_INTERVAL_SECONDS": "0",
                "LOG_LEVEL": "WARNING",
            }
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=tmp,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                await tg.wait_for(lambda: tg.waiting_polls, timeout=60, what="the bot polling")
                for item in range(ITEMS):
                    album = photos[item * PHOTOS_PER_ITEM : (item + 1) * PHOTOS_PER_ITEM]
                    for start in range(0, len(album), 10):  # Telegram albums hold up to 10
                        tg.user_sends_album(SELLER, album[start : start + 10])
                last_photo = time.monotonic()

                def cards() -> int:
                    return sum(1 for m in tg.messages(SELLER) if m.kind == "photo" and m.buttons)

                await tg.wait_for(lambda: cards() >= ITEMS, timeout=600, what="all cards")
                elapsed = time.monotonic() - last_photo
                grouped = sum(len(r.images) for r in ai.requests if r.schema_name == "grouping")
                grouped += sum(
                    len(r.images) - 1 for r in ai.requests if r.schema_name == "grouping_continued"
                )
                assert grouped == len(photos), f"only {grouped} of {len(photos)} photos taken"
            finally:
                bot.terminate()
                await bot.wait()
    ideal = QUIET + AI_LATENCY + math.ceil(ITEMS / CONCURRENCY) * AI_LATENCY
    return elapsed, ideal, cards()


def main() -> None:
    print(
        f"== bulk batch: {ITEMS * PHOTOS_PER_ITEM} photos of {ITEMS} items, AI latency "
        f"{AI_LATENCY:.0f} s, analysis concurrency {CONCURRENCY}, quiet window {QUIET:.0f} s"
    )
    elapsed, ideal, cards = asyncio.run(_run())
    print(
        f"   last of {cards} cards {elapsed:.1f} s after the last photo; ideal {ideal:.1f} s; "
        f"ratio {elapsed / ideal:.2f}x (target 1.5x)"
    )


if __name__ == "__main__":
    main()
