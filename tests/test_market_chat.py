"""The seller sees why a draft has its price, takes Vinted's own suggestion in one tap, and
/stats compares asking prices with what sold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.texts import money, t
from core.drafts.models import DraftStatus
from core.market.models import MarketRead, SoldItem, Suggestion
from core.marketplace import CaptchaRequired
from core.pricing import round_price
from core.services import Services
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import ChatMessage, FakeTelegram
from tests.standins import StandInVinted
from tests.test_bot import SELLER, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(60)
PRICES = (19, 21, 24, 24, 26, 31)


@dataclass
class Shop:
    tg: FakeTelegram
    services: Services
    vinted: StandInVinted


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    vinted = StandInVinted()
    vinted.market = MarketRead(
        sold=tuple(SoldItem(p, "EUR", "M", datetime.now(UTC)) for p in PRICES),
        suggestion=Suggestion(price=23, minimum=20, maximum=27, currency="EUR"),
    )
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(
            tg, ai, tmp_path, publish_tick_seconds=0.2, publish_min_interval_seconds=0
        )
        app, services = await start_bot(settings, marketplace=vinted)  # type: ignore[arg-type]
        try:
            yield Shop(tg, services, vinted)
        finally:
            await stop_bot(app, services)


async def connect(shop: Shop) -> None:
    cookies = [
        {"name": "access_token_web", "value": "t", "domain": ".vinted.fr", "path": "/"},
        {"name": "v_uid", "value": "9111", "domain": ".vinted.fr", "path": "/"},
    ]
    await shop.services.sessions.save(
        SELLER.id, cookies, username="camille_vend", account_id="9111"
    )


def sold_line() -> str:
    """What the card says of PRICES: 6 sold, from 19 to 31, median 24."""
    return t(
        "fr",
        "price_basis_sold",
        count=len(PRICES),
        days=90,
        low=money("fr", min(PRICES)),
        high=money("fr", max(PRICES)),
        median=money("fr", 24),
    )


async def card_saying(shop: Shop, needle: str) -> ChatMessage:
    def found() -> ChatMessage | None:
        cards = [m for m in shop.tg.messages(SELLER) if m.kind == "photo" and m.buttons]
        return next((c for c in cards if needle in (c.caption or "")), None)

    return await shop.tg.wait_for(found, what=f"a card saying {needle!r}")


async def test_the_card_prices_from_what_sold_and_offers_vintages_suggestion(shop: Shop) -> None:
    await connect(shop)
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    card = await card_saying(shop, sold_line())
    [draft] = await shop.services.repos.drafts.page(SELLER.id)
    assert draft.price is not None
    target = draft.price.target  # the sold median (24), rounded to a price people use
    assert target == round_price(24)
    button = t("fr", "btn_vinted_price", price=money("fr", 23))
    assert button in card.button_texts

    shop.tg.user_presses(SELLER, card, button)
    said = t(
        "fr",
        "field_updated",
        field=t("fr", "field_price"),
        before=money("fr", target),
        after=money("fr", 23),
    )
    await card_saying(shop, said)
    [taken] = await shop.services.repos.drafts.page(SELLER.id)
    assert taken.price is not None and taken.price.target == 23


async def test_without_a_session_the_card_says_the_rules_set_the_price(shop: Shop) -> None:
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    card = await card_saying(shop, t("fr", "price_basis_not_connected"))
    assert t("fr", "price_basis_rules", brand="Zara", condition="").split(",")[0] in (
        card.caption or ""
    )
    assert shop.vinted.market_reads == []


async def test_a_market_that_cannot_be_read_never_holds_the_draft_back(shop: Shop) -> None:
    await connect(shop)
    shop.vinted.market = CaptchaRequired(step="market")
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    card = await card_saying(shop, t("fr", "price_basis_unavailable"))
    assert t("fr", "btn_approve") in card.button_texts
    [draft] = await shop.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.DRAFT and draft.price is not None


async def test_stats_compare_the_asking_price_with_the_sold_median(shop: Shop) -> None:
    await connect(shop)
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    card = await card_saying(shop, sold_line())
    shop.tg.user_presses(SELLER, card, t("fr", "btn_approve"))
    await shop.tg.wait_for_message(SELLER, "/items/", since=card, timeout=30)
    [published] = await shop.services.repos.drafts.page(SELLER.id, None)
    assert published.price is not None
    asked = published.price.target
    shop.tg.user_sends_command(SELLER, "/stats")
    stats = await shop.tg.wait_for_message(SELLER, t("fr", "stats_market_header")[:20])
    now = datetime.now(UTC)
    month = t(
        "fr",
        "stats_market_month",
        month=f"{now:%m/%Y}",
        asked=money("fr", asked),
        sold=money("fr", 24),
        gap=f"{round(100 * (asked - 24) / 24):+d} %",
        count=1,
    )
    assert month in stats.content
