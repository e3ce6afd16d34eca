"""The whole product in one run, started as users start it: `python -m bot` in its own process.

Around it: the fake Telegram Bot API, the fake OpenAI server and the Vinted replica, all on
loopback. A seller connects their Vinted session, sends an album, approves the card and gets
the listing URL; the replica then holds exactly that listing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.db import Database
from core.drafts.models import DraftStatus
from core.services import Repositories
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import ChatMessage, FakeTelegram
from tests.fakes.vinted import FakeVinted
from tests.test_bot import SELLER, photo

pytestmark = pytest.mark.timeout(240)
REPO = Path(__file__).resolve().parents[1]
VINTED_ID = 7_300_001


@dataclass
class Product:
    tg: FakeTelegram
    ai: FakeOpenAIServer
    vinted: FakeVinted
    data_dir: Path
    env: dict[str, str]
    cookie_header: str
    bot: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.bot = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=self.data_dir.parent,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # Polling means the process is up: the fake sees its getUpdates parked.
        await self.tg.wait_for(lambda: self.tg.waiting_polls, timeout=60, what="the bot polling")

    async def stop(self, sig: int = signal.SIGTERM) -> str:
        assert self.bot is not None
        if self.bot.returncode is None:
            self.bot.send_signal(sig)
        _, err = await asyncio.wait_for(self.bot.communicate(), timeout=60)
        self.bot = None
        return err.decode(errors="replace")


@pytest.fixture
async def product(tmp_path: Path) -> AsyncIterator[Product]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai, FakeVinted() as vinted:
        cookies = vinted.add_account(user_id=VINTED_ID, login="camille_vend")
        data_dir = tmp_path / "data"
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": tg.url,
            "OPENAI_API_KEY": "sk-e2e",
            "OPENAI_BASE_URL": ai.base_url,
            "VINTED_BASE_URL": vinted.base_url,
            "DATA_DIR": str(data_dir),
            "ALLOWED_USER_IDS": str(SELLER.id),
            "ALBUM_QUIET_SECONDS": "0.5",
            "CARD_INTERVAL_SECONDS": "0",
            "PUBLISH_TICK_SECONDS": "1",
            "PUBLISH_MIN_INTERVAL_SECONDS": "0",
            "PUBLISH_JITTER": "0",
            "PUBLISH_SETTLE_SECONDS": "2",
            "LOG_LEVEL": "INFO",
        }
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        product = Product(tg, ai, vinted, data_dir, env, header)
        try:
            yield product
        finally:
            if product.bot is not None:
                await product.stop(signal.SIGKILL)


async def connect_and_send_album(product: Product) -> ChatMessage:
    tg = product.tg
    tg.user_sends_text(SELLER, f"/connect {product.cookie_header}")
    await tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    tg.user_sends_album(SELLER, [photo(2), photo(3), photo(4)], caption="Levi's taille 32")
    return await tg.wait_for(
        lambda: next((m for m in tg.messages(SELLER) if m.kind == "photo" and m.buttons), None),
        timeout=60,
        what="the draft card",
    )


async def stored_draft(data_dir: Path):  # type: ignore[no-untyped-def]
    db = await Database.open(data_dir / "bot.db")
    store = Repositories.over(db, "vinted")
    try:
        [draft] = await store.drafts.page(SELLER.id, None)
        photos = await store.batches.get_photos(draft.photo_ids)
        return draft, [(data_dir / p.path).read_bytes() for p in photos]
    finally:
        await db.close()


async def test_seller_connects_sends_an_album_approves_and_gets_the_listing_url(
    product: Product,
) -> None:
    await product.start()
    card = await connect_and_send_album(product)
    product.tg.user_presses(SELLER, card, "Valider")
    message = await product.tg.wait_for_message(SELLER, "/items/", since=card, timeout=120)
    log = await product.stop()

    [item] = product.vinted.items
    assert f"{product.vinted.base_url}/items/{item.id}" in message.content
    draft, photo_bytes = await stored_draft(product.data_dir)
    assert draft.status is DraftStatus.PUBLISHED and draft.publication.item_id == str(item.id)
    assert item.title == draft.title
    assert draft.price is not None and item.price == draft.price.target
    assert [p.data for p in item.photos] == photo_bytes  # cover first, the stored JPEGs
    assert "access_token_web" not in log and product.env["TELEGRAM_BOT_TOKEN"] not in log


async def test_killed_while_publishing_then_restarted_makes_exactly_one_listing(
    product: Product,
) -> None:
    product.vinted.set_switches(slow_photos=1.5)  # time to kill it mid-publish
    await product.start()
    card = await connect_and_send_album(product)
    product.tg.user_presses(SELLER, card, "Valider")
    await product.tg.wait_for(
        lambda: (
            product.vinted.requests_to("/api/v2/item_upload/items", "POST")
            or product.vinted.photos
        ),
        timeout=90,
        what="the publish under way",
    )
    await product.stop(signal.SIGKILL)

    await product.start()
    await product.tg.wait_for_message(SELLER, "/items/", since=card, timeout=150)
    await product.stop()

    assert len(product.vinted.items) == 1
    draft, _ = await stored_draft(product.data_dir)
    assert draft.status is DraftStatus.PUBLISHED
    assert draft.publication is not None
    assert draft.publication.item_id == str(product.vinted.items[0].id)


async def test_killed_right_after_vinted_created_the_item_is_not_published_twice(
    product: Product,
) -> None:
    await product.start()
    card = await connect_and_send_album(product)
    product.tg.user_presses(SELLER, card, "Valider")
    await product.tg.wait_for(lambda: product.vinted.items, timeout=90, what="the item created")
    await product.stop(signal.SIGKILL)  # maybe before the bot saved the id: reconcile decides

    await product.start()
    await product.tg.wait_for(
        lambda: any("/items/" in m.content for m in product.tg.messages(SELLER)) or None,
        timeout=150,
        what="the URL message",
    )
    await product.stop()
    assert len(product.vinted.items) == 1
    draft, _ = await stored_draft(product.data_dir)
    assert draft.status is DraftStatus.PUBLISHED


async def test_at_debug_with_the_libraries_talking_no_secret_reaches_the_log(
    product: Product,
) -> None:
    product.env.update(
        LOG_LEVEL="DEBUG",
        LOG_LIBRARY_DEBUG="true",  # the worst case: python-telegram-bot prints whole updates
        OPENAI_API_KEY="sk-e2e-debug-0123456789abcdef",
        SECRET_KEY="an-operator-chosen-key-0123456789-abcdefghij",
    )
    await product.start()
    card = await connect_and_send_album(product)
    product.tg.user_presses(SELLER, card, "Valider")
    await product.tg.wait_for_message(SELLER, "/items/", since=card, timeout=120)
    log = await product.stop()

    assert "DEBUG telegram" in log  # the updates, the pasted cookie message among them
    jar = product.vinted.account_cookies(VINTED_ID)
    pasted = dict(pair.split("=", 1) for pair in product.cookie_header.split("; "))
    secrets = {
        product.env["TELEGRAM_BOT_TOKEN"],
        product.env["OPENAI_API_KEY"],
        product.env["SECRET_KEY"],
        *(v for v in [*jar.values(), *pasted.values()] if len(v) >= 12),
    }
    leaked = sorted(s[:8] + "..." for s in secrets if s in log)
    assert not leaked, f"secrets in the log: {leaked}"
