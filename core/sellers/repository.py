"""The users, meta and awaiting tables."""

from __future__ import annotations

import json
from typing import Any

from core.db import Database, NotFound, Row, dt, to_json, ts, when
from core.sellers.models import Awaiting, AwaitKind, Seller, SellerSettings


class SellerRepository:
    """Sellers, bot-wide values (the paired owner), and the answers awaited from sellers."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ensure(
        self, user_id: int, *, language: str = "fr", ui_language: str | None = None
    ) -> Seller:
        """Return the seller, creating them with these languages the first time."""
        await self.db.execute(
            "INSERT INTO users (user_id, language, ui_language, settings, created_at)"
            " VALUES (?, ?, ?, '{}', ?) ON CONFLICT (user_id) DO NOTHING",
            (user_id, language, ui_language, ts(self.db.now())),
        )
        seller = await self.get(user_id)
        assert seller is not None
        return seller

    async def get(self, user_id: int) -> Seller | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return None if row is None else _seller(row)

    async def update(
        self,
        user_id: int,
        *,
        language: str | None = None,
        ui_language: str | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Seller:
        """Change languages and settings; settings merge, a None value restores the default."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
            if row is None:
                raise NotFound(f"seller {user_id}")
            merged = dict(json.loads(row["settings"]))
            for key, value in (settings or {}).items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            checked = SellerSettings.model_validate(merged)  # refuses a wrong value at once
            await tx.execute(
                "UPDATE users SET language = ?, ui_language = ?, settings = ? WHERE user_id = ?",
                (
                    language or row["language"],
                    ui_language or row["ui_language"],
                    to_json(checked.model_dump(exclude_defaults=True)),
                    user_id,
                ),
            )
        seller = await self.get(user_id)
        assert seller is not None
        return seller

    async def take_flag(self, user_id: int, name: str) -> bool:
        """Clear a true setting (such as one_next) and return whether it was set, atomically."""
        changed = await self.db.execute(
            "UPDATE users SET settings = json_remove(settings, '$.' || ?)"
            " WHERE user_id = ? AND json_extract(settings, '$.' || ?) = 1",
            (name, user_id, name),
        )
        return changed == 1

    # ---- bot-wide values -----------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        row = await self.db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def claim_meta(self, key: str, value: str) -> bool:
        """Set a value only if none is set yet; True if this call set it."""
        changed = await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, value),
        )
        return changed == 1

    # ---- awaited answers -----------------------------------------------------------------

    async def set_awaiting(self, user_id: int, awaiting: Awaiting) -> None:
        data = awaiting.model_dump(mode="json", exclude={"kind", "expires_at"})
        await self.db.execute(
            "INSERT INTO awaiting (user_id, kind, data, expires_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, data = excluded.data,"
            " expires_at = excluded.expires_at",
            (user_id, awaiting.kind.value, to_json(data), ts(awaiting.expires_at)),
        )

    async def get_awaiting(self, user_id: int) -> Awaiting | None:
        row = await self.db.fetchone("SELECT * FROM awaiting WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return Awaiting(
            kind=AwaitKind(row["kind"]),
            expires_at=when(row["expires_at"]),
            **json.loads(row["data"]),
        )

    async def clear_awaiting(self, user_id: int, kind: AwaitKind | None = None) -> bool:
        """Forget what the bot waits for from the seller (only of this kind, when given)."""
        changed = await self.db.execute(
            "DELETE FROM awaiting WHERE user_id = ? AND (? IS NULL OR kind = ?)",
            (user_id, None if kind is None else kind.value, None if kind is None else kind.value),
        )
        return changed == 1


def _seller(row: Row) -> Seller:
    return Seller(
        user_id=row["user_id"],
        language=row["language"],
        ui_language=row["ui_language"],
        settings=SellerSettings.lenient(json.loads(row["settings"])),
        created_at=dt(row["created_at"]) or when(row["created_at"]),
    )
