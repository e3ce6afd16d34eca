"""The audit log: what happened to whom, for /stats and for support."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.db import Database, to_json, ts, when


class Event(BaseModel):
    """One line of the audit log."""

    id: int
    user_id: int | None
    kind: str
    data: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


class EventLog:
    """Append events and read them back."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def log(self, user_id: int | None, kind: str, data: dict[str, Any] | None = None) -> int:
        """Append an event and return its id."""
        row = await self.db.fetchone(
            "INSERT INTO events (user_id, kind, data, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (user_id, kind, to_json(data or {}), ts(self.db.now())),
        )
        assert row is not None
        return int(row["id"])

    async def list(
        self,
        user_id: int | None = None,
        *,
        kinds: Iterable[str] | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Event]:
        """Return logged events, newest first, filtered by seller, kinds and time."""
        rows = await self.db.fetchall(
            "SELECT * FROM events WHERE (:user IS NULL OR user_id = :user)"
            " AND (:kinds IS NULL OR kind IN (SELECT value FROM json_each(:kinds)))"
            " AND (:since IS NULL OR created_at >= :since) ORDER BY id DESC LIMIT :limit",
            {
                "user": user_id,
                "kinds": None if kinds is None else to_json(list(kinds)),
                "since": ts(since),
                "limit": limit,
            },
        )
        return [
            Event(
                id=row["id"],
                user_id=row["user_id"],
                kind=row["kind"],
                data=json.loads(row["data"]),
                created_at=when(row["created_at"]),
            )
            for row in rows
        ]
