"""Housekeeping: drafts never approved after 30 days go, with the photos only they showed.

Files are removed only after the rows' deletion committed: a rolled-back purge never leaves
rows without their files. Photos of a batch still in progress wait for it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel

from core.db import Database, to_json, ts
from core.drafts.models import DraftStatus
from core.drafts.trash import TRASH_HOURS
from core.intake.models import UNFINISHED

log = logging.getLogger(__name__)

SCREENSHOTS = "screenshots"  # under DATA_DIR: what the publisher saw when a step failed
SCREENSHOT_DAYS = 7


class PurgeResult(BaseModel):
    """How many rows and files one purge removed."""

    drafts: int = 0
    trashed: int = 0  # deleted drafts no longer to be brought back
    photos: int = 0
    files: int = 0
    batches: int = 0
    events: int = 0
    screenshots: int = 0


class Purge:
    """Delete what nobody needs any more, rows first, then files (under data_dir only)."""

    def __init__(self, db: Database, data_dir: Path) -> None:
        self.db = db
        self.data_dir = data_dir

    async def run(
        self,
        now: datetime,
        draft_days: int = 30,
        event_days: int = 90,
        screenshot_days: int = SCREENSHOT_DAYS,
    ) -> PurgeResult:
        """Delete old never-approved drafts, their unshared photos and files, old events and
        screenshots of the seller's Vinted pages (sent to the seller at once; kept a while
        for the operator)."""
        draft_cutoff = ts(now - timedelta(days=draft_days))
        event_cutoff = ts(now - timedelta(days=event_days))
        unfinished = to_json([s.value for s in UNFINISHED])
        result = PurgeResult()
        async with self.db.transaction() as tx:
            result.trashed = await tx.execute(
                "DELETE FROM draft_trash WHERE deleted_at < ?",
                (ts(now - timedelta(hours=TRASH_HOURS)),),
            )
            # Age counts from the last edit: a seller still working on a draft keeps it.
            changed = await tx.execute(
                "DELETE FROM drafts WHERE status IN (?, ?) AND approved_at IS NULL"
                " AND updated_at < ?",
                (DraftStatus.DRAFT.value, DraftStatus.FAILED.value, draft_cutoff),
            )
            result.drafts = changed
            # Photos no draft shows any more; photos of a batch still in progress wait for it.
            doomed = list(
                await tx.fetchall(
                    "SELECT id, path, vision_path FROM photos p WHERE created_at < ?"
                    " AND NOT EXISTS (SELECT 1 FROM draft_photos dp WHERE dp.photo_id = p.id)"
                    " AND NOT EXISTS (SELECT 1 FROM draft_trash_photos tp"
                    " WHERE tp.photo_id = p.id)"
                    " AND batch_id NOT IN (SELECT id FROM batches WHERE status IN"
                    " (SELECT value FROM json_each(?)))",
                    (draft_cutoff, unfinished),
                )
            )
            ids = to_json([row["id"] for row in doomed])
            changed = await tx.execute(
                "DELETE FROM photos WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            )
            result.photos = changed
            candidates = {row["path"] for row in doomed} | {row["vision_path"] for row in doomed}
            # Two photo rows may point at one file (a re-sent duplicate): keep it while used.
            still_used = {
                row[0]
                for row in await tx.fetchall(
                    "SELECT path FROM photos WHERE path IN (SELECT value FROM json_each(:p))"
                    " UNION SELECT vision_path FROM photos"
                    " WHERE vision_path IN (SELECT value FROM json_each(:p))",
                    {"p": to_json(sorted(candidates))},
                )
            }
            changed = await tx.execute(
                "DELETE FROM batches WHERE status NOT IN (SELECT value FROM json_each(?))"
                " AND updated_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.batch_id = batches.id)"
                " AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.batch_id = batches.id)",
                (unfinished, draft_cutoff),
            )
            result.batches = changed
            changed = await tx.execute("DELETE FROM events WHERE created_at < ?", (event_cutoff,))
            result.events = changed
        # Files go only after the commit: a rolled-back purge must not leave rows without files.
        result.files = await asyncio.to_thread(
            _remove_files, self.data_dir, sorted(candidates - still_used)
        )
        cutoff = (now - timedelta(days=screenshot_days)).timestamp()
        result.screenshots = await asyncio.to_thread(
            _remove_older, self.data_dir / SCREENSHOTS, cutoff
        )
        return result


def _remove_older(directory: Path, cutoff: float) -> int:
    """Delete the regular files directly in `directory` last changed before `cutoff`."""
    removed = 0
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return 0
    for entry in entries:
        with suppress(OSError):
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
    return removed


def _remove_files(root: Path, relative_paths: list[str]) -> int:
    """Delete these files under root (never outside it) and the folders they leave empty."""
    base = root.resolve()
    removed = 0
    for relative in relative_paths:
        target = (base / relative).resolve()
        if not target.is_relative_to(base) or target == base:
            log.warning("purge skipped a photo path outside DATA_DIR: %s", relative)
            continue
        try:
            target.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        # Drop the per-batch folders left empty, but keep the top folder (photos/) itself.
        parent = target.parent
        while parent != base and parent.parent != base:
            with suppress(OSError):
                parent.rmdir()
            if parent.exists():
                break
            parent = parent.parent
    return removed
