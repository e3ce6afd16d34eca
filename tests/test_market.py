"""Prices from what sold: the combination with the rules, and the service's reads and cache."""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.drafts.models import Draft
from core.market.models import MarketQuery, MarketRead, SoldItem, Suggestion
from core.market.prices import DAYS, ENOUGH, market_price, same_size
from core.marketplace import CaptchaRequired
from core.models import Condition
from core.pricing import load_price_rules, round_price, suggest_price
from core.services import Services
from tests.conftest import CLOTHES, core_services
from tests.fakes.openai import FakeOpenAIServer
from tests.helpers import Clock
from tests.standins import SELLER, StandInVinted, login_cookies

pytestmark = pytest.mark.timeout(60)
RULES = load_price_rules()
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def sold(*prices: float, size: str = "M", days: int = 3) -> tuple[SoldItem, ...]:
    return tuple(SoldItem(p, "EUR", size, NOW - timedelta(days=days)) for p in prices)


def priced(read: MarketRead, size: str = "M", brand: str | None = "Zara") -> tuple[float, object]:
    price, basis = market_price(
        RULES,
        read,
        category_id="women_dresses",
        condition=Condition.VERY_GOOD,
        brand=brand,
        size=size,
        now=NOW,
    )
    return price.target, basis


def rule_target(brand: str | None = "Zara") -> float:
    return suggest_price(
        RULES, category_id="women_dresses", condition=Condition.VERY_GOOD, brand=brand
    ).target


# ---- the combination ---------------------------------------------------------------------


def test_enough_sales_set_the_target_at_their_median_rounded() -> None:
    prices = (19, 21, 24, 24, 26, 31)
    target, basis = priced(MarketRead(sold=sold(*prices)))
    assert target == round_price(statistics.median(prices))
    assert (basis.kind, basis.count, basis.low, basis.high) == ("sold", 6, 19, 31)  # type: ignore[attr-defined]


def test_no_sales_keep_the_rule_price_and_say_so() -> None:
    target, basis = priced(MarketRead())
    assert target == rule_target()
    assert basis.kind == "rules" and basis.reason == ""  # type: ignore[attr-defined]


def test_old_sales_and_nonsense_prices_do_not_count() -> None:
    old = sold(90, 90, 90, 90, 90, days=DAYS + 1)
    nonsense = (SoldItem(float("nan"), "EUR"), SoldItem(-3, "EUR"), SoldItem(0, "EUR"))
    target, basis = priced(MarketRead(sold=old + nonsense))
    assert target == rule_target() and basis.kind == "rules"  # type: ignore[attr-defined]


def test_the_drafts_own_size_is_preferred_when_enough_of_it_sold() -> None:
    read = MarketRead(sold=sold(30, 30, 30, 30, 30, size="S") + sold(20, 20, 20, 20, 20))
    target, basis = priced(read, size="M")
    assert target == round_price(20) and basis.sizes == ("M",)  # type: ignore[attr-defined]
    target, basis = priced(read, size="XL")  # none of that size: all sizes count
    assert basis.count == 10 and basis.sizes == ()  # type: ignore[attr-defined]


def test_sizes_are_matched_inside_the_sites_titles() -> None:
    assert same_size("M / 38 / 10", "M") and same_size("38", " 38 ")
    assert not same_size("XM", "M") and not same_size("M", "")


@given(
    st.lists(st.floats(min_value=0.5, max_value=2000, allow_nan=False), max_size=30),
    st.sampled_from([None, "Zara", "Ralph Lauren", "Hermès"]),
)
def test_any_market_gives_a_price_inside_the_rules_band(
    prices: list[float], brand: str | None
) -> None:
    target, basis = priced(MarketRead(sold=sold(*prices)), brand=brand)
    band = [
        suggest_price(
            RULES,
            category_id="women_dresses",
            condition=Condition.VERY_GOOD,
            brand=brand,
            model_price=extreme,
        ).target
        for extreme in (
            _price(0.01),
            _price(1_000_000),
        )
    ]
    assert band[0] <= target <= band[1]  # outliers never escape the tier's bounds
    assert target == round_price(target)  # a price people use
    if len(prices) < 1:
        assert target == rule_target(brand)


@given(st.floats(min_value=5, max_value=60), st.integers(min_value=1, max_value=ENOUGH))
def test_fewer_sales_pull_the_target_towards_the_rules(median: float, count: int) -> None:
    rule = rule_target()
    few, _ = priced(MarketRead(sold=sold(*[median] * count)))
    many, _ = priced(MarketRead(sold=sold(*[median] * ENOUGH)))
    low, high = sorted((rule, many))
    assert 0.9 * low <= few <= 1.1 * high  # between the two, give or take the rounding


def _price(value: float):  # noqa: ANN202 - a Price for the band's edges
    from core.models import Price

    return Price(min=value, target=value, max=value)


# ---- the service -------------------------------------------------------------------------


@pytest.fixture
async def shop(
    ai: FakeOpenAIServer, tmp_path: Path
) -> AsyncIterator[tuple[Services, StandInVinted]]:
    vinted = StandInVinted()
    services = await core_services(ai, tmp_path / "data", marketplace=vinted)  # type: ignore[arg-type]
    yield services, vinted
    await services.close()


async def a_draft(services: Services, photo: int = 0) -> Draft:
    batch = await services.intake.start_batch(SELLER, hint="Zara taille M")
    path = CLOTHES[photo]
    await services.intake.add_photo(batch, path.read_bytes(), path.name)
    await services.intake.close_batch(batch.id or 0)
    [draft] = await services.drafting.analyse_batch(batch.id or 0)
    return draft


async def connect(services: Services) -> None:
    await services.sessions.save(
        SELLER, login_cookies(SELLER), username="camille", account_id="9111"
    )


async def test_a_connected_sellers_draft_is_priced_from_what_sold_and_the_read_is_kept(
    shop: tuple[Services, StandInVinted],
) -> None:
    services, vinted = shop
    await connect(services)
    prices = (19, 21, 24, 24, 26, 31)
    vinted.market = MarketRead(
        sold=tuple(SoldItem(p, "EUR", "M", services.repos.db.now()) for p in prices),
        suggestion=Suggestion(price=23, minimum=20, maximum=27, currency="EUR"),
    )
    first = await a_draft(services)
    priced_first = await services.market.reprice(first)

    assert priced_first.price is not None and priced_first.price.target == round_price(24)
    basis = await services.market.basis(priced_first)
    assert basis is not None and (basis.kind, basis.count, basis.suggestion) == ("sold", 6, 23)
    [query] = vinted.market_reads
    assert isinstance(query, MarketQuery) and query.brand == priced_first.brand

    again = await services.market.reprice(priced_first)
    assert len(vinted.market_reads) == 1  # same leaf, brand and condition: read once a day
    assert again.price == priced_first.price


async def test_a_price_the_seller_set_meanwhile_is_never_overwritten(
    shop: tuple[Services, StandInVinted],
) -> None:
    services, vinted = shop
    await connect(services)
    vinted.market = MarketRead(
        sold=tuple(SoldItem(40, "EUR", "M", services.repos.db.now()) for _ in range(6))
    )
    draft = await a_draft(services)
    await services.editor.set_field(SELLER, draft.id or 0, "price", "12")
    after = await services.market.reprice(draft)  # computed from the version before the edit
    assert after.price is not None and after.price.target == 12


@pytest.mark.parametrize(
    ("connected", "answer", "reason"),
    [
        (False, MarketRead(), "not_connected"),
        (True, CaptchaRequired(step="market"), "unavailable"),
    ],
)
async def test_without_market_data_the_rule_price_stays_and_the_card_is_told_why(
    shop: tuple[Services, StandInVinted], connected: bool, answer: object, reason: str
) -> None:
    services, vinted = shop
    if connected:
        await connect(services)
    vinted.market = answer  # type: ignore[assignment]
    draft = await a_draft(services)
    after = await services.market.reprice(draft)
    assert after.price == draft.price
    basis = await services.market.basis(after)
    assert basis is not None and (basis.kind, basis.reason) == ("rules", reason)
    assert (vinted.market_reads == []) is (not connected)


async def test_a_paused_account_is_not_read_while_it_rests(
    shop: tuple[Services, StandInVinted],
) -> None:
    services, vinted = shop
    await connect(services)
    assert await services.repos.waiting.pause(SELLER, "captcha", {})
    after = await services.market.reprice(await a_draft(services))
    basis = await services.market.basis(after)
    assert basis is not None and basis.reason == "unavailable" and vinted.market_reads == []


async def test_the_kept_read_is_read_again_after_a_day(
    ai: FakeOpenAIServer, tmp_path: Path, clock: Clock
) -> None:
    vinted = StandInVinted()
    services = await core_services(ai, tmp_path / "data", marketplace=vinted, clock=clock)  # type: ignore[arg-type]
    try:
        await connect(services)
        draft = await a_draft(services)
        await services.market.reprice(draft)
        clock.advance(hours=23)
        await services.market.reprice(draft)
        assert len(vinted.market_reads) == 1
        clock.advance(hours=2)
        await services.market.reprice(draft)
        assert len(vinted.market_reads) == 2
    finally:
        await services.close()
