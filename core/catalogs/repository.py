"""The site_catalogs and draft_categories tables."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.db import Database, Row, to_json, ts, when
from core.marketplace import CatalogNode, CategoryChoice

HOW_RULES = "rules"  # our words settled it
HOW_MODEL = "model"  # the model chose among the candidates
HOW_SELLER = "seller"  # the seller chose it with the buttons
HOW_UNSURE = "unsure"  # nobody could: the seller is asked


class DraftCategory(BaseModel):
    """A draft's leaf in a site's tree, or the candidates the seller must choose among."""

    draft_id: int
    category: str  # our category id it was resolved from
    ids: list[int] = Field(default_factory=list)  # root to leaf; empty when unsure
    titles: list[str] = Field(default_factory=list)
    how: str
    candidates: list[list[int]] = Field(default_factory=list)  # leaves' ids, root to leaf
    resolved_at: datetime

    @property
    def choice(self) -> CategoryChoice | None:
        if not self.ids:
            return None
        return CategoryChoice(ids=tuple(self.ids), titles=tuple(self.titles))


class CatalogRepository:
    """One marketplace's trees per site, and the drafts' leaves in them."""

    def __init__(self, db: Database, marketplace: str) -> None:
        self.db = db
        self.marketplace = marketplace

    async def save_tree(self, site: str, tree: list[CatalogNode]) -> None:
        await self.db.execute(
            "INSERT INTO site_catalogs (marketplace, site, tree, fetched_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (marketplace, site) DO UPDATE SET tree = excluded.tree,"
            " fetched_at = excluded.fetched_at",
            (self.marketplace, site, to_json([_node_json(n) for n in tree]), ts(self.db.now())),
        )

    async def tree(self, site: str) -> tuple[list[CatalogNode], datetime] | None:
        """Return the site's stored tree and when it was read, or None."""
        row = await self.db.fetchone(
            "SELECT tree, fetched_at FROM site_catalogs WHERE marketplace = ? AND site = ?",
            (self.marketplace, site),
        )
        if row is None:
            return None
        return [_node(n) for n in json.loads(row["tree"])], when(row["fetched_at"])

    async def save_choice(self, site: str, choice: DraftCategory) -> None:
        await self.db.execute(
            "INSERT INTO draft_categories (draft_id, marketplace, site, category, ids, titles,"
            " how, candidates, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (draft_id, marketplace, site) DO UPDATE SET"
            " category = excluded.category, ids = excluded.ids, titles = excluded.titles,"
            " how = excluded.how, candidates = excluded.candidates,"
            " resolved_at = excluded.resolved_at",
            (
                choice.draft_id,
                self.marketplace,
                site,
                choice.category,
                to_json(choice.ids),
                to_json(choice.titles),
                choice.how,
                to_json(choice.candidates),
                ts(choice.resolved_at),
            ),
        )

    async def choice(self, site: str, draft_id: int) -> DraftCategory | None:
        row = await self.db.fetchone(
            "SELECT * FROM draft_categories WHERE draft_id = ? AND marketplace = ? AND site = ?",
            (draft_id, self.marketplace, site),
        )
        return None if row is None else _choice(row)


def _node_json(node: CatalogNode) -> dict[str, Any]:
    return {"id": node.id, "title": node.title, "catalogs": [_node_json(c) for c in node.children]}


def _node(data: dict[str, Any]) -> CatalogNode:
    return CatalogNode(
        id=int(data["id"]),
        title=str(data["title"]),
        children=tuple(_node(c) for c in data.get("catalogs") or []),
    )


def _choice(row: Row) -> DraftCategory:
    return DraftCategory(
        draft_id=row["draft_id"],
        category=row["category"],
        ids=json.loads(row["ids"]),
        titles=json.loads(row["titles"]),
        how=row["how"],
        candidates=json.loads(row["candidates"]),
        resolved_at=when(row["resolved_at"]),
    )
