"""Benchmark the bot end to end: 20 sellers send an album of 5 photos at the same moment.

The bot runs as users run it (`python -m bot`, its own process) against the fake Telegram Bot
API and the fake OpenAI server, which answers every call after a fixed 2 s. Printed: the time
until the last card, against the ideal (the quiet window plus the AI's own time at the
analysis concurrency limit), and the bot's own overhead per album (everything that is neither
the AI's latency nor the deliberate quiet window: downloads, preprocessing, rendering, sending).
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from core.images import ImageLimits, process_image
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import FakeTelegram, User

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
SELLERS = 20
PHOTOS_PER_ALBUM = 5
AI_LATENCY = 2.0
QUIET = 3.0
CALLS_PER_ALBUM = 2  # one grouping call, one draft call (one item per album)


def _telegram_sized_photos() -> list[bytes]:
    """Return JPEGs as Telegram delivers compressed photos: long side 1280 px."""
    sources = [TESTDATA / "heic" / "IMG_2927.HEIC", TESTDATA / "heic" / "arrow.heic"]
    sources += sorted((TESTDATA / "clothes").glob("*.jpg"))
    limits = ImageLimits(vinted_long_side=1280, vinted_quality=87)
    photos = []
    for path in sources:
        data = process_image(path.read_bytes(), path.name, limits).vinted_jpeg
        with Image.open(io.BytesIO(data)) as img:
            if max(img.size) < 1280:  # small dataset photos: bring them to phone-photo size
                scale = 1280 / max(img.size)
                img = img.resize((round(img.width * scale), round(img.height * scale)))
                buf = io.BytesIO()
                img.save(buf, "JPEG", quality=87)
                data = buf.getvalue()
        photos.append(data)
    return photos


async def _run(concurrency: int) -> tuple[float, float, int]:
    """Return (seconds until the last card, ideal seconds, cards)."""
    photos = _telegram_sized_photos()
    users = [
        User(id=50_000 + i, first_name=f"Seller{i}", language_code="fr") for i in range(SELLERS)
    ]
    async with FakeTelegram() as tg, FakeOpenAIServer(latency=AI_LATENCY) as ai:
        with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": tg.token,
                "TELEGRAM_API_URL": tg.url,
                "OPENAI_API_KEY": "bench",
                "OPENAI_BASE_URL": ai.base_url,
                "DATA_DIR": str(Path(tmp) / "data"),
                "ALLOWED_USER_IDS": ",".join(str(u.id) for u in users),
                "ALBUM_QUIET_SECONDS": str(QUIET),
                "ANALYSIS_CONCURRENCY": str(concurrency),
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
                start = time.monotonic()
                for i, user in enumerate(users):
                    album = [photos[(i + k) % len(photos)] for k in range(PHOTOS_PER_ALBUM)]
                    tg.user_sends_album(user, album, caption="Zara taille M")
                injected = time.monotonic() - start

                def cards() -> int:
                    return sum(
                        1 for u in users for m in tg.messages(u) if m.kind == "photo" and m.buttons
                    )

                await tg.wait_for(lambda: cards() >= SELLERS, timeout=300, what="all cards")
                elapsed = time.monotonic() - start
            finally:
                bot.terminate()
                await bot.wait()
    waves = math.ceil(SELLERS * CALLS_PER_ALBUM / concurrency)
    ideal = (
        injected + QUIET + waves * AI_LATENCY
        if concurrency < SELLERS
        else (injected + QUIET + CALLS_PER_ALBUM * AI_LATENCY)
    )
    return elapsed, ideal, cards()


def main() -> None:
    print(
        f"== bot end to end: {SELLERS} sellers x album of {PHOTOS_PER_ALBUM} photos "
        f"(1280 px), AI latency {AI_LATENCY:.0f} s, quiet window {QUIET:.0f} s"
    )
    for concurrency in (SELLERS, 4):
        elapsed, ideal, cards = asyncio.run(_run(concurrency))
        overhead = max(elapsed - ideal, 0.0) / SELLERS
        print(
            f"   analysis concurrency {concurrency:>2}: last of {cards} cards after "
            f"{elapsed:.1f} s; ideal {ideal:.1f} s; ratio {elapsed / ideal:.2f}x; "
            f"bot overhead {overhead:.2f} s per album ({elapsed - ideal:.1f} s in all)"
        )


if __name__ == "__main__":
    main()
