"""Market reads kept a day per site, leaf, brand and condition; each draft's price basis."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from core.db import Database, dt, from_json, to_json, ts
from core.market.models import Basis, MarketQuery, MarketRead, SoldItem, Suggestion
from core.models import Condition

KEEP = timedelta(days=1)


def _brand_key(brand: str | None) -> str:
    return " ".join((brand or "").casefold().split())


class MarketRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def cached(self, site: str, query: MarketQuery) -> MarketRead | None:
        """Return the read kept for this query if it is under a day old."""
        row = await self.db.fetchone(
            "SELECT read, read_at FROM market_reads WHERE site = ? AND catalog_id = ?"
            " AND brand = ? AND condition = ?",
            (site, query.catalog_id, _brand_key(query.brand), query.condition.value),
        )
        read_at = dt(row["read_at"]) if row else None
        if row is None or read_at is None or self.db.now() - read_at >= KEEP:
            return None
        return read_from_json(from_json(row["read"]))

    async def keep(self, site: str, query: MarketQuery, read: MarketRead) -> None:
        await self.db.execute(
            "INSERT INTO market_reads (site, catalog_id, brand, condition, read, read_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, catalog_id, brand, condition)"
            " DO UPDATE SET read = excluded.read, read_at = excluded.read_at",
            (
                site,
                query.catalog_id,
                _brand_key(query.brand),
                query.condition.value,
                to_json(read_to_json(read)),
                ts(self.db.now()),
            ),
        )

    async def set_basis(self, draft_id: int, user_id: int, basis: Basis) -> None:
        await self.db.execute(
            "INSERT INTO draft_prices (draft_id, user_id, basis, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (draft_id) DO UPDATE SET basis = excluded.basis,"
            " created_at = excluded.created_at",
            (draft_id, user_id, to_json(basis_to_json(basis)), ts(self.db.now())),
        )

    async def basis(self, draft_id: int) -> Basis | None:
        row = await self.db.fetchone(
            "SELECT basis FROM draft_prices WHERE draft_id = ?", (draft_id,)
        )
        return None if row is None else basis_from_json(from_json(row["basis"]))

    async def asked_against_sold(
        self, user_id: int, since: datetime
    ) -> list[tuple[str, float, float, int]]:
        """Per month of publication: the mean asking price, the mean sold median, how many."""
        rows = await self.db.fetchall(
            "SELECT substr(d.published_at, 1, 7) AS month, AVG(d.price_target) AS asked,"
            " AVG(json_extract(p.basis, '$.median')) AS sold, COUNT(*) AS n"
            " FROM drafts d JOIN draft_prices p ON p.draft_id = d.id"
            " WHERE d.user_id = ? AND d.status = 'published' AND d.published_at >= ?"
            " AND json_extract(p.basis, '$.kind') = 'sold' GROUP BY 1 ORDER BY 1",
            (user_id, ts(since)),
        )
        return [(str(r["month"]), float(r["asked"]), float(r["sold"]), int(r["n"])) for r in rows]


def read_to_json(read: MarketRead) -> dict[str, Any]:
    return {
        "sold": [{**dataclasses.asdict(s), "sold_at": ts(s.sold_at)} for s in read.sold],
        "suggestion": dataclasses.asdict(read.suggestion) if read.suggestion else None,
    }


def read_from_json(data: dict[str, Any]) -> MarketRead:
    sold = tuple(
        SoldItem(
            price=float(s["price"]),
            currency=str(s["currency"]),
            size=str(s.get("size", "")),
            sold_at=dt(s.get("sold_at")),
        )
        for s in data.get("sold", [])
    )
    raw = data.get("suggestion")
    return MarketRead(sold=sold, suggestion=Suggestion(**raw) if raw else None)


def basis_to_json(basis: Basis) -> dict[str, Any]:
    data = dataclasses.asdict(basis)
    data["condition"] = basis.condition.value if basis.condition else None
    data["sizes"] = list(basis.sizes)
    return data


def basis_from_json(data: dict[str, Any]) -> Basis:
    values = dict(data)
    values["condition"] = Condition(values["condition"]) if values.get("condition") else None
    values["sizes"] = tuple(values.get("sizes", ()))
    return Basis(**values)
