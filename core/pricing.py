"""Price rules: base prices, condition factors and brand tiers, read from a TOML table."""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.catalog import get_category
from core.models import Condition, Price

# The target must stay at or above Vinted's smallest price; min may go one step below it.
_MIN_TARGET = 1.0
_MIN_FACTOR = 0.8
_MAX_FACTOR = 1.2


class PriceTableError(ValueError):
    """The price table is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Tier:
    """A brand tier: the multiplier used for the rule price and the range a price may span."""

    name: str
    multiplier: float
    low: float
    high: float


@dataclass(frozen=True)
class PriceRules:
    """The loaded price table."""

    base: Mapping[str, float]  # price_key -> EUR for a mainstream item in very good condition
    conditions: Mapping[Condition, float]
    tiers: Mapping[str, Tier]
    brands: Mapping[str, str]  # normalised brand name -> tier name
    unlisted: Tier
    default_base: float
    default_condition: Condition
    band_low: float
    band_high: float


def load_price_rules(path: Path | None = None) -> PriceRules:
    """Load the packaged price table, with the seller's table at `path` read on top of it."""
    text = resources.files("core.data").joinpath("pricing.toml").read_text("utf-8")
    table = _parse(text, "core/data/pricing.toml")
    overrides: dict[str, Any] = {}
    if path is not None:
        try:
            overrides = _parse(Path(path).read_text("utf-8"), str(path))
        except OSError as exc:
            raise PriceTableError(f"{path}: cannot read the price table ({exc})") from None
    return _build(table, overrides, str(path) if path is not None else "core/data/pricing.toml")


def brand_tier(brand: str | None, rules: PriceRules) -> str | None:
    """Return the tier whose brand list holds this whole brand name, or None."""
    if not brand:
        return None
    return rules.brands.get(_brand_key(brand))


def suggest_price(
    rules: PriceRules,
    *,
    category_id: str,
    condition: Condition | None,
    brand: str | None,
    model_price: Price | None = None,
) -> Price:
    """Return the rule price, or the model's target clamped into the rules' band, rounded."""
    category = get_category(category_id)
    base = rules.default_base
    if category is not None:
        base = rules.base.get(category.price_key, rules.default_base)
    factor = rules.conditions[condition or rules.default_condition]
    tier_name = brand_tier(brand, rules)
    tier = rules.tiers[tier_name] if tier_name else rules.unlisted

    unit = base * factor
    target = unit * tier.multiplier
    suggested = model_price.target if model_price is not None else None
    if suggested is not None and math.isfinite(suggested) and suggested > 0:
        low = unit * tier.low * rules.band_low
        high = unit * tier.high * rules.band_high
        target = min(max(suggested, low), high)

    target = max(_MIN_TARGET, round_price(target))
    low_price = round_price(target * _MIN_FACTOR)
    if low_price >= target:
        low_price = _step_below(target)
    high_price = round_price(target * _MAX_FACTOR)
    if high_price <= target:
        high_price = _step_above(target)
    return Price(min=low_price, target=target, max=high_price)


def round_price(value: float) -> float:
    """Round to a price people use: x.50 under 20, ending in 5 or 9 to 100, then 5/9/0."""
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"a price must be a positive number, not {value!r}")
    candidates = _ladder(max(0.0, value * 0.5 - 20), value * 1.5 + 20)
    return min(candidates, key=lambda c: (abs(c - value), c))


# ---- the ladder of prices people use --------------------------------------------------------


def _ladder(low: float, high: float) -> list[float]:
    """Return every price on the ladder between low and high, in order."""
    steps: list[float] = []
    half = max(1, math.floor(low * 2))
    while half / 2 < 20 and half / 2 <= high:
        steps.append(half / 2)
        half += 1
    tens = max(20, math.floor(low / 10) * 10)
    while tens <= high + 10:
        endings = (5, 9) if tens < 100 else (0, 5, 9)
        steps.extend(float(tens + e) for e in endings)
        tens += 10
    return [s for s in steps if s >= 0.5]


def _step_above(value: float) -> float:
    return min(s for s in _ladder(value, value * 2 + 20) if s > value)


def _step_below(value: float) -> float:
    below = [s for s in _ladder(0, value) if s < value]
    return below[-1] if below else value / 2


# ---- reading the table ----------------------------------------------------------------------


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PriceTableError(f"{source}: not valid TOML ({exc})") from None


def _build(table: dict[str, Any], overrides: dict[str, Any], source: str) -> PriceRules:
    def section(name: str) -> dict[str, Any]:
        merged = dict(table.get(name, {}))
        extra = overrides.get(name, {})
        if not isinstance(extra, dict):
            raise PriceTableError(f"{source}: [{name}] must be a table")
        merged.update(extra)
        return merged

    def positive(value: object, where: str) -> float:
        return _positive(value, f"{source}: {where}")

    defaults = section("defaults")
    try:
        default_condition = Condition(defaults.get("condition", "good"))
    except ValueError:
        raise PriceTableError(
            f"{source}: defaults.condition must be one of {', '.join(Condition)}"
        ) from None

    conditions: dict[Condition, float] = {}
    for key, value in section("condition").items():
        if key not in set(Condition):
            raise PriceTableError(f"{source}: condition.{key} is not a Vinted condition")
        conditions[Condition(key)] = positive(value, f"condition.{key}")
    absent = [c.value for c in Condition if c not in conditions]
    if absent:
        raise PriceTableError(f"{source}: [condition] lacks {', '.join(absent)}")

    band = section("band")
    tiers: dict[str, Tier] = {}
    brands: dict[str, str] = {}
    packaged_tiers: dict[str, Any] = table.get("tiers", {})
    seller_tiers: dict[str, Any] = overrides.get("tiers", {})
    for name, spec in seller_tiers.items():
        listed = spec.get("brands", []) if isinstance(spec, dict) else None
        if not isinstance(listed, list) or not all(isinstance(b, str) for b in listed):
            raise PriceTableError(f"{source}: tiers.{name}.brands must be a list of names")
    for name in [*packaged_tiers, *(n for n in seller_tiers if n not in packaged_tiers)]:
        spec = {**packaged_tiers.get(name, {}), **seller_tiers.get(name, {})}
        tiers[name] = _tier(name, spec, f"{source}: tiers.{name}")
        for brand in packaged_tiers.get(name, {}).get("brands", []):
            previous = brands.setdefault(_brand_key(brand), name)
            if previous != name:
                raise PriceTableError(f"{source}: {brand!r} is in both {previous} and {name}")
    # The seller's lists come last so that naming a brand under another tier moves it there.
    for name, spec in seller_tiers.items():
        for brand in spec.get("brands", []):
            brands[_brand_key(brand)] = name

    return PriceRules(
        base=MappingProxyType({k: positive(v, f"base.{k}") for k, v in section("base").items()}),
        conditions=MappingProxyType(conditions),
        tiers=MappingProxyType(tiers),
        brands=MappingProxyType(brands),
        unlisted=_tier("unlisted", section("unlisted"), f"{source}: unlisted"),
        default_base=positive(defaults.get("base", 20.0), "defaults.base"),
        default_condition=default_condition,
        band_low=positive(band.get("low", 0.8), "band.low"),
        band_high=positive(band.get("high", 1.25), "band.high"),
    )


def _tier(name: str, spec: dict[str, Any], where: str) -> Tier:
    multiplier = _positive(spec.get("multiplier", 1.0), f"{where}.multiplier")
    span = spec.get("range", [multiplier, multiplier])
    if not isinstance(span, list) or len(span) != 2:
        raise PriceTableError(f"{where}.range must be [low, high]")
    low, high = (_positive(v, f"{where}.range") for v in span)
    if not low <= multiplier <= high:
        raise PriceTableError(f"{where}.multiplier must lie within its range")
    return Tier(name=name, multiplier=multiplier, low=low, high=high)


def _positive(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise PriceTableError(f"{where} must be a positive number, not {value!r}")
    return float(value)


def _brand_key(brand: str) -> str:
    """Fold a brand name so that spelling variants of the same whole name compare equal."""
    folded = unicodedata.normalize("NFKD", brand.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("&", " and ").replace("+", " and ")
    folded = re.sub(r"['’`]", "", folded)  # Levi's == Levis
    return "".join(re.findall(r"\w+", folded))
