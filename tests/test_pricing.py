"""Pricing: brand tiers, rounding to prices people use, and the seller's own table."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.catalog import category_ids
from core.models import Condition, Price
from core.pricing import (
    PriceTableError,
    brand_tier,
    load_price_rules,
    round_price,
    suggest_price,
)

RULES = load_price_rules()


def test_a_ralph_lauren_short_in_good_condition_is_around_39_not_19() -> None:
    price = suggest_price(
        RULES, category_id="men_shorts", condition=Condition.GOOD, brand="Ralph Lauren"
    )

    assert 35 <= price.target <= 45
    assert price.target == 39


def test_a_karl_lagerfeld_hoodie_in_very_good_condition_is_around_69() -> None:
    alone = suggest_price(
        RULES, category_id="men_hoodies", condition=Condition.VERY_GOOD, brand="Karl Lagerfeld"
    )
    with_model = suggest_price(
        RULES,
        category_id="men_hoodies",
        condition=Condition.VERY_GOOD,
        brand="Karl Lagerfeld",
        model_price=Price(min=55, target=69, max=85),
    )

    assert 59 <= alone.target <= 79
    assert with_model.target == 69


@pytest.mark.parametrize(
    ("brand", "tier"),
    [
        ("Ralph Lauren", "premium"),
        ("POLO RALPH LAUREN", "premium"),
        ("Karl Lagerfeld", "premium"),
        ("Hugo Boss", "premium"),
        ("BOSS", "premium"),
        ("Diesel", "premium"),
        ("Sezane", "premium"),
        ("Burberry", "luxury"),
        ("dior", "luxury"),
        ("Dolce and Gabbana", "luxury"),
        ("Fear of God Essentials", "streetwear"),
        ("Essentials", "streetwear"),
        ("OFF WHITE", "streetwear"),
        ("Off-White", "streetwear"),
        ("Stussy", "streetwear"),
        ("Levis", "mainstream"),
        ("Zara", "mainstream"),
        ("H&M", "fast_fashion"),
        ("h & m", "fast_fashion"),
        ("Shein", "fast_fashion"),
        ("Dieselpunk Co", None),
        ("Dioralia", None),
        ("Bossa Nova", None),
        ("Ralph", None),
        ("Polo", None),
        ("", None),
        (None, None),
    ],
)
def test_brands_match_their_tier_on_the_whole_name(brand: str | None, tier: str | None) -> None:
    assert brand_tier(brand, RULES) == tier


def test_tiers_order_prices_from_fast_fashion_to_luxury() -> None:
    def target(brand: str | None) -> float:
        return suggest_price(
            RULES, category_id="women_coats", condition=Condition.VERY_GOOD, brand=brand
        ).target

    assert target("Primark") < target("Zara") < target("Lacoste") < target("Supreme")
    assert target("Supreme") < target("Gucci")
    assert target(None) == target("Some Small Label") == target("Zara")


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (0.2, 0.5),
        (7.3, 7.5),
        (12.3, 12.5),
        (14.9, 15.0),
        (19.8, 19.5),
        (27.0, 25.0),  # a tie goes to the lower price
        (28.0, 29.0),
        (33.0, 35.0),
        (42.5, 45.0),
        (76.0, 75.0),
        (99.2, 99.0),
        (99.8, 100.0),
        (146.0, 145.0),
        (148.0, 149.0),
        (191.0, 190.0),
    ],
)
def test_prices_round_to_prices_people_use(value: float, rounded: float) -> None:
    assert round_price(value) == rounded


def test_every_rounded_price_has_a_familiar_ending() -> None:
    for cents in range(50, 50_000, 37):
        price = round_price(cents / 100)
        if price < 20:
            assert price * 2 == int(price * 2)
        elif price < 100:
            assert price % 10 in (5, 9), price
        else:
            assert price % 10 in (0, 5, 9), price


def test_round_price_refuses_a_non_positive_value() -> None:
    with pytest.raises(ValueError):
        round_price(0)


def test_a_silly_model_suggestion_is_clamped_into_the_band() -> None:
    def tshirt(suggested: float) -> Price:
        return suggest_price(
            RULES,
            category_id="men_tshirts",
            condition=Condition.VERY_GOOD,
            brand=None,
            model_price=Price(min=suggested, target=suggested, max=suggested),
        )

    cheap, dear, fair = tshirt(1), tshirt(5000), tshirt(15)

    assert 5 <= cheap.target < 15
    assert 25 <= dear.target <= 40
    assert fair.target == 15


def test_no_or_nonsense_suggestion_gives_the_rule_price() -> None:
    rule = suggest_price(RULES, category_id="men_jeans", condition=Condition.GOOD, brand="Zara")
    for nonsense in (None, Price(min=0, target=0, max=0), Price(min=-5, target=-1, max=-2)):
        price = suggest_price(
            RULES,
            category_id="men_jeans",
            condition=Condition.GOOD,
            brand="Zara",
            model_price=nonsense,
        )
        assert price == rule


def test_an_unknown_category_uses_the_generic_base() -> None:
    price = suggest_price(
        RULES, category_id="spacesuits", condition=Condition.VERY_GOOD, brand=None
    )

    assert price.target == round_price(20)


def test_min_target_max_are_ordered_for_every_category_condition_and_brand() -> None:
    brands = [None, "Shein", "Zara", "Ralph Lauren", "Supreme", "Gucci", "Unknown Label"]
    suggestions = [None, Price(min=1, target=1, max=1), Price(min=1, target=9999, max=1)]
    for category_id in category_ids():
        for condition in [*Condition, None]:
            for brand in brands:
                for suggestion in suggestions:
                    price = suggest_price(
                        RULES,
                        category_id=category_id,
                        condition=condition,
                        brand=brand,
                        model_price=suggestion,
                    )
                    assert 0 < price.min < price.target < price.max, (category_id, price)
                    assert price.target >= 1
                    assert price.min >= price.target * 0.7
                    assert price.max <= price.target * 1.4


def test_better_condition_never_costs_less() -> None:
    order = [
        Condition.SATISFACTORY,
        Condition.GOOD,
        Condition.VERY_GOOD,
        Condition.NEW_WITHOUT_TAGS,
        Condition.NEW_WITH_TAGS,
    ]
    for category_id in category_ids():
        targets = [
            suggest_price(RULES, category_id=category_id, condition=c, brand="Lacoste").target
            for c in order
        ]
        assert targets == sorted(targets), category_id


def test_every_price_key_of_the_catalog_has_a_base_price() -> None:
    from core.catalog import categories

    assert {c.price_key for c in categories()} <= set(RULES.base)


def test_the_sellers_own_table_overrides_the_defaults(tmp_path: Path) -> None:
    table = tmp_path / "my_prices.toml"
    table.write_text(
        '[base]\n"t-shirt" = 10\n\n'
        "[condition]\ngood = 0.5\n\n"
        '[tiers.luxury]\nbrands = ["Maison Dupont", "Lacoste"]\n\n'
        '[tiers.vintage_finds]\nmultiplier = 1.5\nrange = [1.2, 2.0]\nbrands = ["Saint James"]\n',
        "utf-8",
    )

    mine = load_price_rules(table)

    assert mine.base["t-shirt"] == 10 and mine.base["jeans"] == RULES.base["jeans"]
    assert brand_tier("Maison Dupont", mine) == "luxury"
    assert brand_tier("Lacoste", mine) == "luxury"  # moved out of premium
    assert brand_tier("Saint James", mine) == "vintage_finds"
    assert brand_tier("Gucci", mine) == "luxury" and brand_tier("Zara", mine) == "mainstream"
    tshirt = suggest_price(mine, category_id="men_tshirts", condition=Condition.GOOD, brand=None)
    assert tshirt.target == round_price(10 * 0.5)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("[base]\njeans = -3\n", "base.jeans"),
        ("[condition]\nlike_new = 1.1\n", "condition.like_new"),
        ("[tiers.premium]\nmultiplier = 9\n", "tiers.premium.multiplier"),
        ("[base\n", "not valid TOML"),
    ],
)
def test_a_broken_table_is_refused_with_the_file_and_entry_named(
    tmp_path: Path, content: str, named: str
) -> None:
    table = tmp_path / "broken.toml"
    table.write_text(content, "utf-8")

    with pytest.raises(PriceTableError) as error:
        load_price_rules(table)

    assert str(table) in str(error.value) and named in str(error.value)
