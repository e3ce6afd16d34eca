"""What the market says about an item: the sold comparables and the site's own suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from core.models import Condition


@dataclass(frozen=True)
class MarketQuery:
    """The item as the market is asked about it: the site's leaf, brand and condition."""

    catalog_id: int
    condition: Condition
    brand: str | None = None


@dataclass(frozen=True)
class SoldItem:
    price: float
    currency: str
    size: str = ""
    sold_at: datetime | None = None


@dataclass(frozen=True)
class Suggestion:
    """The site's own price suggestion for the item."""

    price: float
    minimum: float
    maximum: float
    currency: str


@dataclass(frozen=True)
class MarketRead:
    """One read of the market for a query: what sold, and what the site suggests."""

    sold: tuple[SoldItem, ...] = ()
    suggestion: Suggestion | None = None


@dataclass(frozen=True)
class Basis:
    """Why a draft has its price, as the card says it.

    "sold": from `count` sold comparables over `days` days (low, high, median); "rules": from
    the brand tier and condition only, `reason` saying why the market was not used.
    """

    kind: Literal["sold", "rules"]
    currency: str = "EUR"
    count: int = 0
    days: int = 90
    low: float = 0.0
    high: float = 0.0
    median: float = 0.0
    suggestion: float | None = None  # the site's own suggested price, for a one-tap button
    reason: str = ""  # rules: "not_connected", "unavailable", "no_category", "" (too few)
    brand: str | None = None
    condition: Condition | None = None
    sizes: tuple[str, ...] = field(default=())  # the sizes the median was taken over ("" all)
