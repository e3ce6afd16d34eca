"""Fault injection: `python -m bot` killed (SIGKILL) at 20 points drawn with a seed, restarted
each time, across download, preprocessing, grouping, drafting, approval and every publishing
step. After each restart the seller's work goes on, and in the end:
- every photo sent is in exactly one draft (none refused here: all are real photos);
- every approved draft is published exactly once on the replica;
- no Chromium process outlives the bot it belonged to.
"""

from __future__ import annotations

import os
import random
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from core.db import Database
from core.drafts.models import DraftStatus
from core.services import Repositories
from tests.test_bot import SELLER, photo
from tests.test_browser import chromium_processes
from tests.test_e2e import Product, product  # noqa: F401 - the whole product, stand-ins around

pytestmark = pytest.mark.timeout(900)
SEED = int(os.environ.get("FAULT_SEED", "20261202"))
KILLS = 20

# Where a kill lands: a name, and what shows that the bot has reached that point.
Trigger = Callable[[Product, dict[str, int]], bool]
POINTS: dict[str, Trigger] = {
    "download": lambda p, base: len(p.tg.downloads) > base["downloads"],
    "preprocessing": lambda p, base: len(p.tg.downloads) >= base["downloads"] + 2,
    "grouping": lambda p, base: len(p.ai.requests_named("grouping")) > base["grouping"],
    "drafting": lambda p, base: len(p.ai.requests_named("draft")) > base["draft"],
    "approval": lambda p, base: len(p.tg.calls("answerCallbackQuery")) > base["answers"],
    "publish:page": lambda p, base: len(p.vinted.requests_to("/items/new", "GET")) > base["page"],
    "publish:photos": lambda p, base: (
        len(p.vinted.requests_to("/api/v2/photos", "POST")) > base["photos"]
    ),
    "publish:create": lambda p, base: (
        len(p.vinted.requests_to("/api/v2/item_upload/items", "POST")) > base["create"]
    ),
    "publish:created": lambda p, base: len(p.vinted.items) > base["items"],
}


def counters(p: Product) -> dict[str, int]:
    return {
        "downloads": len(p.tg.downloads),
        "grouping": len(p.ai.requests_named("grouping")),
        "draft": len(p.ai.requests_named("draft")),
        "answers": len(p.tg.calls("answerCallbackQuery")),
        "page": len(p.vinted.requests_to("/items/new", "GET")),
        "photos": len(p.vinted.requests_to("/api/v2/photos", "POST")),
        "create": len(p.vinted.requests_to("/api/v2/item_upload/items", "POST")),
        "items": len(p.vinted.items),
    }


async def stored(data_dir: Path) -> tuple[list, dict[int, int]]:  # type: ignore[type-arg]
    db = await Database.open(data_dir / "bot.db")
    try:
        repos = Repositories.over(db, "vinted")
        drafts = await repos.drafts.page(SELLER.id, None, limit=1000)
        photos: dict[int, int] = {}
        for draft in drafts:
            for photo_id in draft.photo_ids:
                photos[photo_id] = photos.get(photo_id, 0) + 1
        return drafts, photos
    finally:
        await db.close()


async def kill_when(bot: Product, point: str, base: dict[str, int]) -> list[int]:
    """SIGKILL the bot as soon as it reaches the point; return its Chromium processes then."""
    await bot.tg.wait_for(
        lambda: POINTS[point](bot, base) or None, timeout=120, what=f"the bot reaching {point}"
    )
    assert bot.bot is not None
    browsers = chromium_processes_of(bot.bot.pid)
    await bot.stop(signal.SIGKILL)
    return browsers


def chromium_processes_of(pid: int) -> list[int]:
    return [p for p in chromium_processes() if _descends(p, pid)]


def _descends(pid: int, ancestor: int) -> bool:
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                pid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
        if pid == ancestor:
            return True
    return False


def told_urls(bot: Product) -> set[str]:
    """The listing URLs the seller was sent, each once however often it was said."""
    return {
        line
        for m in bot.tg.messages(SELLER)
        if m.from_bot and m.content.startswith("Publié sur Vinted")
        for line in m.content.splitlines()
        if "/items/" in line
    }


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def test_killed_at_twenty_drawn_points_nothing_is_lost_or_published_twice(
    product: Product,  # noqa: F811 - test_e2e's fixture
) -> None:
    rng = random.Random(SEED)
    draws = [rng.choice(sorted(POINTS)) for _ in range(KILLS)]
    tg = product.tg
    await product.start()
    tg.user_sends_text(SELLER, f"/connect {product.cookie_header}")
    await tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    sent_photos = 0
    approved: set[int] = set()
    survivors: list[int] = []
    for round_no, point in enumerate(draws):
        base = counters(product)
        # One item a round: an album of two photos, approved once its card is there.
        album = [photo(2 * round_no), photo(2 * round_no + 1)]
        mark = max((m.message_id for m in tg.messages(SELLER)), default=0)
        tg.user_sends_album(SELLER, album, caption=f"Article {round_no} Zara taille M")
        sent_photos += len(album)
        if point.startswith(("download", "preprocessing", "grouping", "drafting")):
            survivors += await kill_when(product, point, base)
            await product.start()
        card = await tg.wait_for(
            lambda m=mark: next(
                (
                    c
                    for c in tg.messages(SELLER)
                    if c.kind == "photo"
                    and c.buttons
                    and c.message_id > m
                    and "Valider" in c.button_texts
                ),
                None,
            ),
            timeout=120,
            what=f"the card of round {round_no}",
        )
        tg.user_presses(SELLER, card, "Valider")
        if point == "approval" or point.startswith("publish"):
            survivors += await kill_when(product, point, base)
            await product.start()
        want = len(approved) + 1
        # Told at least once per listing: a kill between sending and noting it may tell twice.
        await tg.wait_for(
            lambda n=want: len(told_urls(product)) >= n or None,
            timeout=180,
            what=f"the listing URL of round {round_no}",
        )
        approved.add(round_no)
    await product.stop()

    drafts, photos = await stored(product.data_dir)
    assert sorted(photos.values()) == [1] * sent_photos  # each photo in exactly one draft
    published = [d for d in drafts if d.status is DraftStatus.PUBLISHED]
    assert len(published) == len(approved) == KILLS
    ids = [d.publication.item_id for d in published if d.publication]
    assert len(set(ids)) == len(ids) == len(product.vinted.items)  # each once on the replica
    assert len(told_urls(product)) == KILLS  # and the seller got every URL
    assert [pid for pid in survivors if alive(pid)] == []  # no browser outlived its bot
