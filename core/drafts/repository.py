"""The drafts table and its photos: intent-level reads and writes, never "save this row".

Content is written only at the version it was read (compare-and-set), status only through
core.drafts.lifecycle, card message ids through their own narrow update. The publication a
draft shows (its listing on a marketplace) is read here but written by the publishing queue.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.db import Database, Row, Tx, dt, from_json, row_dict, to_json, ts
from core.drafts import lifecycle
from core.drafts.fields import FIELDS
from core.drafts.models import Draft, DraftStatus, Publication
from core.models import Condition, Price

_SELECT = (
    "SELECT d.*, l.marketplace AS pub_marketplace, l.item_id AS pub_item_id, l.url AS pub_url,"
    " l.is_draft AS pub_is_draft, l.created_at AS pub_created_at, l.left_out AS pub_left_out"
    " FROM drafts d"
    " LEFT JOIN listings l ON l.id = (SELECT MAX(id) FROM listings WHERE draft_id = d.id)"
)


class DraftRepository:
    """Every seller's drafts, scoped by owner wherever a seller asks."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reads ---------------------------------------------------------------------------

    async def get(self, draft_id: int, user_id: int | None = None) -> Draft | None:
        """Return the draft, or None if missing or not owned by user_id (when given)."""
        async with self.db.reading() as tx:
            found = await load_drafts(
                tx, "WHERE d.id = ? AND (? IS NULL OR d.user_id = ?)", (draft_id, user_id, user_id)
            )
        return found[0] if found else None

    async def page(
        self,
        user_id: int,
        statuses: Iterable[DraftStatus] | None = None,
        *,
        limit: int = 10,
        offset: int = 0,
    ) -> list[Draft]:
        """Return a page of the seller's drafts, newest first, optionally only these statuses."""
        where, params = _status_filter(user_id, statuses)
        async with self.db.reading() as tx:
            return await load_drafts(
                tx, f"{where} ORDER BY d.id DESC LIMIT ? OFFSET ?", (*params, limit, offset)
            )

    async def count(self, user_id: int, statuses: Iterable[DraftStatus] | None = None) -> int:
        where, params = _status_filter(user_id, statuses)
        return await self.db.scalar(f"SELECT COUNT(*) FROM drafts d {where}", params)

    async def by_card(self, chat_id: int, message_id: int, user_id: int) -> Draft | None:
        """Return the seller's draft whose card is this message, or None."""
        async with self.db.reading() as tx:
            found = await load_drafts(
                tx,
                "WHERE d.card_chat_id = ? AND d.card_message_id = ? AND d.user_id = ?",
                (chat_id, message_id, user_id),
            )
        return found[0] if found else None

    async def of_batch(self, batch_id: int) -> list[Draft]:
        """Return the drafts made from a batch, in the order they were written."""
        async with self.db.reading() as tx:
            return await load_drafts(tx, "WHERE d.batch_id = ? ORDER BY d.id", (batch_id,))

    async def holds(self, photo_id: int) -> bool:
        """True when a draft shows this photo, or a deleted draft that may come back does."""
        found = await self.db.scalar(
            "SELECT EXISTS (SELECT 1 FROM draft_photos WHERE photo_id = ?)"
            " OR EXISTS (SELECT 1 FROM draft_trash_photos WHERE photo_id = ?)",
            (photo_id, photo_id),
        )
        return bool(found)

    async def of_statuses(self, user_id: int, statuses: Iterable[DraftStatus]) -> list[Draft]:
        """Return the seller's drafts in these statuses, oldest first."""
        where, params = _status_filter(user_id, statuses)
        async with self.db.reading() as tx:
            return await load_drafts(tx, f"{where} ORDER BY d.id", params)

    # ---- writes --------------------------------------------------------------------------

    async def add(self, draft: Draft) -> Draft:
        """Store a new draft with its photos and return it with its id and times."""
        async with self.db.transaction() as tx:
            draft_id = await _insert(tx, draft, ts(self.db.now()))
        stored = await self.get(draft_id)
        assert stored is not None
        return stored

    async def split(self, draft: Draft, parts: list[list[int]], pending: Draft) -> list[int]:
        """Keep the first part's photos on the draft and give each other part a new draft
        (`pending`'s content), in one transaction; [] when the draft changed meanwhile."""
        assert draft.id is not None
        async with self.db.transaction() as tx:
            moved = await lifecycle.transition(
                tx,
                draft.id,
                expect=draft.status,
                to=draft.status,
                now=self.db.now(),
                user_id=draft.user_id,
                version=draft.version,
            )
            if not moved:
                return []
            await tx.execute("DELETE FROM draft_photos WHERE draft_id = ?", (draft.id,))
            await _link_photos(tx, draft.id, parts[0])
            now = ts(self.db.now())
            return [
                await _insert(tx, pending.model_copy(update={"photo_ids": part}), now)
                for part in parts[1:]
            ]

    async def write(
        self,
        draft: Draft,
        *,
        expect: DraftStatus | Iterable[DraftStatus],
        to: DraftStatus,
    ) -> Draft | None:
        """Write the draft's content and photo order at the version it was read; None if stale.

        Only the listing fields, the quality verdict, the hint, the tokens, the error and the
        photo order are written: never its publication, its card or its publishing state.
        """
        assert draft.id is not None
        async with self.db.transaction() as tx:
            moved = await lifecycle.transition(
                tx,
                draft.id,
                expect=expect,
                to=to,
                now=self.db.now(),
                user_id=draft.user_id,
                version=draft.version,
                sets=content_columns(draft),
            )
            if not moved:
                return None
            current = await tx.fetchall(
                "SELECT photo_id FROM draft_photos WHERE draft_id = ? ORDER BY position",
                (draft.id,),
            )
            if [r["photo_id"] for r in current] != draft.photo_ids:
                await tx.execute("DELETE FROM draft_photos WHERE draft_id = ?", (draft.id,))
                await _link_photos(tx, draft.id, draft.photo_ids)
        return await self.get(draft.id)

    async def move(
        self,
        draft_id: int,
        *,
        expect: DraftStatus | Iterable[DraftStatus],
        to: DraftStatus,
        user_id: int | None = None,
        version: int | None = None,
    ) -> bool:
        """Change the draft's status only, from one of `expect`; True if it moved."""
        async with self.db.transaction() as tx:
            return await lifecycle.transition(
                tx,
                draft_id,
                expect=expect,
                to=to,
                now=self.db.now(),
                user_id=user_id,
                version=version,
            )

    async def set_card(self, draft_id: int, chat_id: int, message_id: int) -> bool:
        """Remember which message shows the draft's card (nothing else changes)."""
        changed = await self.db.execute(
            "UPDATE drafts SET card_chat_id = ?, card_message_id = ? WHERE id = ?",
            (chat_id, message_id, draft_id),
        )
        return changed == 1

    async def delete(
        self, draft_id: int, user_id: int, *, unless: Iterable[DraftStatus] = ()
    ) -> bool:
        """Delete the seller's draft unless it is in one of these statuses (photos stay)."""
        changed = await self.db.execute(
            "DELETE FROM drafts WHERE id = ? AND user_id = ?"
            " AND status NOT IN (SELECT value FROM json_each(?))",
            (draft_id, user_id, to_json([DraftStatus(s).value for s in unless])),
        )
        return changed == 1

    async def activity(self, user_id: int, since: datetime) -> dict[str, int]:
        """Count the drafts written since a time: ready, failed analyses, tokens."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS drafts, COALESCE(SUM(publish_ready), 0) AS ready,"
            " COALESCE(SUM(status = 'failed' AND approved_at IS NULL), 0) AS failed,"
            " COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,"
            " COALESCE(SUM(completion_tokens), 0) AS completion_tokens"
            " FROM drafts WHERE user_id = ? AND created_at >= ?",
            (user_id, ts(since)),
        )
        assert row is not None
        return {key: int(value) for key, value in row_dict(row).items()}


# ---- rows <-> models ---------------------------------------------------------------------


def content_columns(draft: Draft) -> dict[str, Any]:
    """Return the columns of what the seller and the analysis write, from the field table."""
    columns: dict[str, Any] = {}
    for spec in FIELDS:
        value = getattr(draft, spec.name)
        if spec.kind == "price":
            price: Price | None = value
            columns["price_min"] = None if price is None else price.min
            columns["price_target"] = None if price is None else price.target
            columns["price_max"] = None if price is None else price.max
            columns["price_currency"] = None if price is None else price.currency
        elif spec.kind == "list":
            columns[spec.name] = to_json(list(value))
        elif spec.kind == "condition":
            columns[spec.name] = None if value is None else Condition(value).value
        else:
            columns[spec.name] = value
    columns.update(
        confidence=draft.confidence,
        publish_ready=int(draft.publish_ready),
        missing=to_json(draft.missing),
        to_confirm=to_json(draft.to_confirm),
        hint=draft.hint,
        prompt_tokens=draft.usage.prompt_tokens,
        completion_tokens=draft.usage.completion_tokens,
        error=draft.error,
    )
    return columns


def _listing_values(row: Row) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.kind == "price":
            values[spec.name] = (
                None
                if row["price_target"] is None
                else {
                    "min": row["price_min"],
                    "target": row["price_target"],
                    "max": row["price_max"],
                    "currency": row["price_currency"],
                }
            )
        elif spec.kind == "list":
            values[spec.name] = json.loads(row[spec.name])
        else:
            values[spec.name] = row[spec.name]
    return values


def _draft(row: Row, photo_ids: list[int]) -> Draft:
    publication = None
    if row["pub_item_id"] is not None:
        publication = Publication(
            marketplace=row["pub_marketplace"],
            item_id=row["pub_item_id"],
            url=row["pub_url"],
            is_draft=bool(row["pub_is_draft"]),
            created_at=dt(row["pub_created_at"]),
            left_out=from_json(row["pub_left_out"], {}),
        )
    return Draft.model_validate(
        {
            **_listing_values(row),
            "id": row["id"],
            "user_id": row["user_id"],
            "batch_id": row["batch_id"],
            "photo_ids": photo_ids,
            "language": row["language"],
            "status": row["status"],
            "version": row["version"],
            "confidence": row["confidence"],
            "publish_ready": bool(row["publish_ready"]),
            "missing": from_json(row["missing"], []),
            "to_confirm": from_json(row["to_confirm"], []),
            "hint": row["hint"],
            "usage": {
                "prompt_tokens": row["prompt_tokens"],
                "completion_tokens": row["completion_tokens"],
            },
            "error": row["error"],
            "card_chat_id": row["card_chat_id"],
            "card_message_id": row["card_message_id"],
            "publication": publication,
            "created_at": dt(row["created_at"]),
            "updated_at": dt(row["updated_at"]),
            "approved_at": dt(row["approved_at"]),
            "published_at": dt(row["published_at"]),
        }
    )


async def load_drafts(tx: Tx, clause: str, params: Any) -> list[Draft]:
    """Load drafts with their photos and publication (other slices call it in their reads)."""
    rows = await tx.fetchall(f"{_SELECT} {clause}", params)
    if not rows:
        return []
    links = await tx.fetchall(
        "SELECT draft_id, photo_id FROM draft_photos"
        " WHERE draft_id IN (SELECT value FROM json_each(?)) ORDER BY draft_id, position",
        (to_json([row["id"] for row in rows]),),
    )
    photos: dict[int, list[int]] = {}
    for link in links:
        photos.setdefault(link["draft_id"], []).append(link["photo_id"])
    return [_draft(row, photos.get(row["id"], [])) for row in rows]


async def _insert(tx: Tx, draft: Draft, now: str | None) -> int:
    """Insert a new draft row with its photos; return its id."""
    params = {
        **content_columns(draft),
        "user_id": draft.user_id,
        "batch_id": draft.batch_id,
        "language": draft.language,
        "status": DraftStatus(draft.status).value,
        "now": now,
    }
    columns = [c for c in params if c != "now"]
    row = await tx.fetchone(
        f"INSERT INTO drafts ({', '.join(columns)}, created_at, updated_at)"
        f" VALUES ({', '.join(':' + c for c in columns)}, :now, :now) RETURNING id",
        params,
    )
    assert row is not None
    draft_id = int(row["id"])
    await _link_photos(tx, draft_id, draft.photo_ids)
    return draft_id


async def _link_photos(tx: Tx, draft_id: int, photo_ids: list[int]) -> None:
    await tx.executemany(
        "INSERT INTO draft_photos (draft_id, photo_id, position) VALUES (?, ?, ?)",
        [(draft_id, photo_id, position) for position, photo_id in enumerate(photo_ids)],
    )


def _status_filter(
    user_id: int, statuses: Iterable[DraftStatus] | None
) -> tuple[str, tuple[Any, ...]]:
    if statuses is None:
        return "WHERE d.user_id = ?", (user_id,)
    values = to_json([DraftStatus(s).value for s in statuses])
    return (
        "WHERE d.user_id = ? AND d.status IN (SELECT value FROM json_each(?))",
        (user_id, values),
    )
