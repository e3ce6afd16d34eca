"""Relisting what did not sell, in the chat, with real Chromium on the replica: the day's
offer, draft-first relisting at a lower price, what sold meanwhile, and the seller's choices."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.state import BotState
from bot.texts import money
from core.db import ts
from core.relisting import models as m
from core.relisting.repository import RelistRepository
from core.services import Services
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import ChatMessage, FakeTelegram
from tests.fakes.vinted import FakeVinted
from tests.test_bot import SELLER, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(150)
VINTED_ID = 5_300_071


@dataclass
class Shop:
    tg: FakeTelegram
    vinted: FakeVinted
    services: Services
    state: BotState
    cookie_header: str


async def open_shop(tmp_path: Path, **extra: Any) -> AsyncIterator[Shop]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai, FakeVinted() as vinted:
        cookies = vinted.add_account(user_id=VINTED_ID, login="camille_vend")
        values: dict[str, Any] = {
            "vinted_base_url": vinted.base_url,
            "publish_tick_seconds": 0.3,
            "publish_min_interval_seconds": 0,
            "publish_jitter": 0,
            "secret_key": "a test key that is long enough to be a key",
        }
        settings = make_settings(tg, ai, tmp_path, **{**values, **extra})
        app, services = await start_bot(settings)
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            yield Shop(tg, vinted, services, app.bot_data["state"], header)
        finally:
            await stop_bot(app, services)


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    async for opened in open_shop(tmp_path, relist_after_days=30):
        yield opened


@pytest.fixture
async def eager_shop(tmp_path: Path) -> AsyncIterator[Shop]:
    """Every listing is due at once (RELIST_AFTER_DAYS=0)."""
    async for opened in open_shop(tmp_path, relist_after_days=0):
        yield opened


@pytest.fixture
async def quiet_shop(tmp_path: Path) -> AsyncIterator[Shop]:
    """Relisting is off until the test turns it on (after it has aged the listings)."""
    async for opened in open_shop(tmp_path, relist_after_days=30, relist_mode="off"):
        yield opened


async def publish_two(shop: Shop) -> ChatMessage:
    """Connect, send two items, approve both cards; the second URL message."""
    tg = shop.tg
    tg.user_sends_text(SELLER, f"/connect {shop.cookie_header}")
    await tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    cards: list[ChatMessage] = []
    items = (
        ([photo(2), photo(3)], "Levi's taille 32"),
        ([photo(4), photo(5)], "Levi's taille 30"),
    )
    for pictures, caption in items:
        tg.user_sends_album(SELLER, pictures, caption=caption)
        seen = {c.message_id for c in cards}
        cards.append(
            await tg.wait_for(
                lambda seen=seen: next(  # type: ignore[misc]
                    m
                    for m in tg.messages(SELLER)
                    if m.kind == "photo" and m.buttons and m.message_id not in seen
                ),
                timeout=60,
                what="the new draft card",
            )
        )
    for card in cards:
        tg.user_presses(SELLER, card, "Valider")
    return await tg.wait_for(
        lambda: [m for m in tg.messages(SELLER) if m.kind == "text" and "/items/" in m.content][1],
        timeout=90,
        what="both URLs told",
    )


async def publish_one(shop: Shop) -> ChatMessage:
    """Connect, send an album, approve its card; the URL message."""
    tg = shop.tg
    tg.user_sends_text(SELLER, f"/connect {shop.cookie_header}")
    await tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    tg.user_sends_album(SELLER, [photo(2), photo(3)], caption="Levi's taille 32")
    card = await tg.wait_for(
        lambda: next((m for m in tg.messages(SELLER) if m.kind == "photo" and m.buttons), None),
        timeout=60,
        what="the draft card",
    )
    tg.user_presses(SELLER, card, "Valider")
    return await tg.wait_for_message(SELLER, "Publié sur Vinted", since=card, timeout=90)


async def a_new_day(shop: Shop, *, listed_days_ago: int) -> None:
    """The listing was made that long ago, and today's sweep has not run yet."""
    db = shop.services.repos.db
    await db.execute(
        "UPDATE listings SET created_at = ?", (ts(db.now() - timedelta(days=listed_days_ago)),)
    )
    await db.execute("DELETE FROM meta WHERE key LIKE 'relist_sweep:%'")


def relists(shop: Shop) -> RelistRepository:
    return RelistRepository(shop.services.repos.db, "vinted")


async def test_an_unsold_listing_is_offered_and_relisted_draft_first_at_a_lower_price(
    eager_shop: Shop,
) -> None:
    shop, tg, vinted = eager_shop, eager_shop.tg, eager_shop.vinted
    published = await publish_one(shop)
    [old] = vinted.live_items
    offer = await tg.wait_for_message(SELLER, "remettre en ligne ?", since=published)
    [row] = await relists(shop).of_user(SELLER.id)
    draft = await shop.services.repos.drafts.get(row.draft_id or 0)
    assert draft is not None and draft.price is not None
    expected = max(float(int(old.price * 0.95)), min(draft.price.min, old.price))
    assert row.price == expected < old.price
    assert money("fr", expected) in offer.content and money("fr", old.price) in offer.content

    tg.user_presses(SELLER, offer, "La remettre en ligne")
    done = await tg.wait_for_message(SELLER, "Remis en ligne sur Vinted", since=offer, timeout=90)

    [new] = vinted.live_items
    assert new.id != old.id or new.created_at > old.created_at
    assert vinted.item(old.id) is not None and not vinted.item(old.id).is_live  # type: ignore[union-attr]
    assert new.title == old.title and new.price == expected
    assert f"{vinted.base_url}/items/{new.id}" in done.content
    # Draft-first: the copy was saved, then the old listing deleted, then the copy completed.
    paths = [r.path for r in vinted.requests if r.method in ("POST", "DELETE")]
    save = paths.index("/api/v2/item_upload/drafts")
    delete = paths.index(f"/api/v2/items/{old.id}/delete")
    complete = next(i for i, p in enumerate(paths) if p.endswith("/completion"))
    assert save < delete < complete
    assert not [d for d in vinted.drafts if d.is_open]
    listing = await shop.services.repos.db.fetchone("SELECT item_id, state, price FROM listings")
    assert listing is not None
    assert (listing["item_id"], listing["state"], listing["price"]) == (
        str(new.id),
        "live",
        expected,
    )
    # One message a day: the relisted listing is not offered again today.
    assert len([m for m in tg.messages(SELLER) if "remettre en ligne ?" in m.content]) == 1


async def test_the_completion_may_hand_a_new_id_or_none_and_the_wardrobe_tells(
    eager_shop: Shop,
) -> None:
    shop, tg, vinted = eager_shop, eager_shop.tg, eager_shop.vinted
    vinted.set_switches(completion="bare")  # a new id, and an answer without it
    published = await publish_one(shop)
    offer = await tg.wait_for_message(SELLER, "remettre en ligne ?", since=published)
    tg.user_presses(SELLER, offer, "La remettre en ligne")
    done = await tg.wait_for_message(SELLER, "Remis en ligne sur Vinted", since=offer, timeout=90)

    [new] = vinted.live_items
    [copy] = vinted.drafts
    assert new.id != copy.id and copy.completed_item_id == new.id
    assert f"{vinted.base_url}/items/{new.id}" in done.content


async def test_a_listing_sold_meanwhile_is_marked_gone_and_never_offered(
    quiet_shop: Shop,
) -> None:
    shop, tg, vinted = quiet_shop, quiet_shop.tg, quiet_shop.vinted
    published = await publish_two(shop)
    [item, other] = vinted.live_items
    vinted.sell(item.id)
    await a_new_day(shop, listed_days_ago=40)
    await shop.services.sellers.set_relisting(SELLER.id, mode="ask")

    offer = await tg.wait_for_message(SELLER, "remettre en ligne ?", since=published)

    assert "1 de vos annonces" in offer.content
    rows = await shop.services.repos.db.fetchall("SELECT item_id, state FROM listings")
    states = {r["item_id"]: r["state"] for r in rows}
    assert states == {str(item.id): "gone", str(other.id): "live"}
    [offered] = await relists(shop).of_user(SELLER.id)
    assert offered.old_item_id == other.id and offered.status == m.OFFERED


async def test_not_now_puts_the_offer_off_for_a_week(quiet_shop: Shop) -> None:
    shop, tg = quiet_shop, quiet_shop.tg
    published = await publish_two(shop)
    await a_new_day(shop, listed_days_ago=31)
    await shop.services.sellers.set_relisting(SELLER.id, mode="ask")
    offer = await tg.wait_for_message(SELLER, "remettre en ligne ?", since=published)
    assert "2 de vos annonces" in offer.content

    tg.user_presses(SELLER, offer, "Plus tard")
    await tg.wait_for_message(SELLER, "dans une semaine", since=offer)

    assert {r.status for r in await relists(shop).of_user(SELLER.id)} == {m.SNOOZED}
    assert len(shop.vinted.live_items) == 2 and not shop.vinted.drafts
    shown = tg.message(SELLER, offer.message_id)
    assert shown is not None and not shown.buttons  # the answered offer keeps no buttons
    # A forged press of the old button changes nothing.
    tg.user_presses(
        SELLER,
        offer,
        f"r:{max(r.id for r in await relists(shop).of_user(SELLER.id))}:yes",
        strict=False,
    )
    await tg.wait_for(
        lambda: [c for c in tg.calls("answerCallbackQuery") if "Plus rien" in str(c)] or None,
        what="the old button answered",
    )
    assert {r.status for r in await relists(shop).of_user(SELLER.id)} == {m.SNOOZED}


async def test_automatic_relisting_from_settings_relists_without_asking(
    quiet_shop: Shop,
) -> None:
    shop, tg = quiet_shop, quiet_shop.tg
    published = await publish_two(shop)
    old_ids = {i.id for i in shop.vinted.live_items}
    await a_new_day(shop, listed_days_ago=30)

    tg.user_sends_command(SELLER, "/settings")
    menu = await tg.wait_for_message(SELLER, "Remise en ligne : désactivée", since=published)
    tg.user_presses(SELLER, menu, "Remise en ligne : auto")
    await tg.wait_for(
        lambda: (
            "automatique, après 30 jours" in tg.message(SELLER, menu.message_id).content  # type: ignore[union-attr]
            or None
        ),
        what="the settings showing automatic relisting",
    )
    await tg.wait_for_message(SELLER, "(automatique)", since=menu, timeout=60)
    await tg.wait_for(
        lambda: (
            len([x for x in tg.messages(SELLER) if "Remis en ligne" in x.content]) == 2 or None
        ),
        timeout=120,
        what="both relisted",
    )

    assert len(shop.vinted.live_items) == 2
    assert not {i.id for i in shop.vinted.live_items} & old_ids
    assert {r.status for r in await relists(shop).of_user(SELLER.id, (m.DONE,))} == {m.DONE}
