"""The marketplace_sessions table: each seller's encrypted session per marketplace."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from core.db import Database, Row, dt, ts


class StoredSession(BaseModel):
    """A seller's encrypted marketplace session and what we last learned about it."""

    user_id: int
    marketplace: str
    encrypted: bytes
    username: str | None = None
    account_id: str | None = None  # the marketplace's own id of the seller's account
    checked_at: datetime | None = None
    last_publish_at: datetime | None = None
    status: str = "unknown"
    version: int = 1  # grows with every write of the row
    cookies_version: int = 1  # grows when the cookies are replaced or rotated


class SessionRepository:
    """Encrypted sessions, one per seller and marketplace."""

    def __init__(self, db: Database, marketplace: str) -> None:
        self.db = db
        self.marketplace = marketplace

    async def get(self, user_id: int) -> StoredSession | None:
        row = await self.db.fetchone(
            "SELECT * FROM marketplace_sessions WHERE user_id = ? AND marketplace = ?",
            (user_id, self.marketplace),
        )
        return None if row is None else _session(row)

    async def put(self, session: StoredSession) -> None:
        """Store or replace the seller's session (a reconnection)."""
        await self.db.execute(
            "INSERT INTO marketplace_sessions (user_id, marketplace, encrypted, username,"
            " account_id, checked_at, last_publish_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, marketplace) DO UPDATE"
            " SET encrypted = excluded.encrypted, username = excluded.username,"
            " account_id = excluded.account_id, checked_at = excluded.checked_at,"
            " last_publish_at = excluded.last_publish_at, status = excluded.status,"
            " version = marketplace_sessions.version + 1,"
            " cookies_version = marketplace_sessions.cookies_version + 1",
            (
                session.user_id,
                self.marketplace,
                session.encrypted,
                session.username,
                session.account_id,
                ts(session.checked_at),
                ts(session.last_publish_at),
                session.status,
            ),
        )

    async def set_cookies(self, user_id: int, encrypted: bytes, *, lineage: int) -> bool:
        """Replace the encrypted cookies if they are still of `lineage`; False otherwise.

        False when the seller disconnected, reconnected, or another run rotated them since.
        """
        changed = await self.db.execute(
            "UPDATE marketplace_sessions SET encrypted = ?, version = version + 1,"
            " cookies_version = cookies_version + 1"
            " WHERE user_id = ? AND marketplace = ? AND cookies_version = ?",
            (encrypted, user_id, self.marketplace, lineage),
        )
        return changed == 1

    async def set_status(self, user_id: int, status: str, checked_at: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE marketplace_sessions SET status = ?, checked_at = ?, version = version + 1"
            " WHERE user_id = ? AND marketplace = ?",
            (status, ts(checked_at), user_id, self.marketplace),
        )
        return changed == 1

    async def delete(self, user_id: int) -> bool:
        changed = await self.db.execute(
            "DELETE FROM marketplace_sessions WHERE user_id = ? AND marketplace = ?",
            (user_id, self.marketplace),
        )
        return changed == 1

    async def users(self) -> list[int]:
        """Return the sellers who have a session stored."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM marketplace_sessions WHERE marketplace = ? ORDER BY user_id",
            (self.marketplace,),
        )
        return [int(row["user_id"]) for row in rows]


def _session(row: Row) -> StoredSession:
    return StoredSession(
        user_id=row["user_id"],
        marketplace=row["marketplace"],
        encrypted=bytes(row["encrypted"]),
        username=row["username"],
        account_id=row["account_id"],
        checked_at=dt(row["checked_at"]),
        last_publish_at=dt(row["last_publish_at"]),
        status=row["status"],
        version=row["version"],
        cookies_version=row["cookies_version"],
    )
