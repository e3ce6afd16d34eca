"""Combining what sold with the price rules.

The brand tiers and condition factors stay as bounds against outliers (the rules' band); the
target follows the sold median when there are ENOUGH comparables, and moves towards the rule
price as there are fewer; the result is rounded to a price people use. Comparables of the
draft's own size are preferred when there are enough of them.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta

from core.market.models import Basis, MarketRead, SoldItem
from core.models import Condition, Price
from core.pricing import PriceRules, suggest_price

ENOUGH = 5  # comparables from which the median alone sets the target
DAYS = 90  # sold within this many days counts


def market_price(
    rules: PriceRules,
    read: MarketRead,
    *,
    category_id: str,
    condition: Condition | None,
    brand: str | None,
    size: str,
    now: datetime,
    currency: str = "EUR",
) -> tuple[Price, Basis]:
    """Return the draft's price from the market read, and the basis the card shows."""
    rule = suggest_price(rules, category_id=category_id, condition=condition, brand=brand)
    suggestion = read.suggestion.price if read.suggestion and read.suggestion.price > 0 else None
    recent = [s for s in read.sold if _counts(s, now)]
    own = [s for s in recent if size and same_size(s.size, size)]
    used = own if len(own) >= ENOUGH else recent
    if not used:
        basis = replace(rules_basis(brand, condition, "", currency), suggestion=suggestion)
        return rule.model_copy(update={"currency": currency}), basis
    prices = sorted(s.price for s in used)
    median = statistics.median(prices)
    weight = min(1.0, len(used) / ENOUGH)
    blended = weight * median + (1 - weight) * rule.target
    price = suggest_price(
        rules,
        category_id=category_id,
        condition=condition,
        brand=brand,
        model_price=Price(min=blended, target=blended, max=blended),
    )
    basis = Basis(
        "sold",
        currency,
        count=len(used),
        days=DAYS,
        low=prices[0],
        high=prices[-1],
        median=median,
        suggestion=suggestion,
        brand=brand,
        condition=condition,
        sizes=(size,) if used is own else (),
    )
    return price.model_copy(update={"currency": currency}), basis


def rules_basis(
    brand: str | None, condition: Condition | None, reason: str, currency: str = "EUR"
) -> Basis:
    """The basis of a price the market could not inform, and why."""
    return Basis("rules", currency, brand=brand, condition=condition, reason=reason)


def _counts(item: SoldItem, now: datetime) -> bool:
    if not math.isfinite(item.price) or item.price <= 0:
        return False
    return item.sold_at is None or now - item.sold_at <= timedelta(days=DAYS)


def same_size(sold: str, ours: str) -> bool:
    """Whether a sold item's size title holds our size ("M" in "M / 38 / 10")."""
    wanted = _fold(ours)
    return bool(wanted) and wanted in {_fold(p) for p in re.split(r"[/|]", sold)} | {_fold(sold)}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())
