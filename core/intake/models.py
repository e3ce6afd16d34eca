"""A batch of photos that arrived together, and each stored photo."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from core.models import GroupingMode


class BatchStatus(StrEnum):
    RECEIVING = "receiving"  # photos still arriving / being stored
    PENDING = "pending"  # all photos stored, analysis not started or interrupted
    ANALYSING = "analysing"
    DONE = "done"
    FAILED = "failed"


UNFINISHED = (BatchStatus.RECEIVING, BatchStatus.PENDING, BatchStatus.ANALYSING)


class Photo(BaseModel):
    """One stored, normalised photo of a batch."""

    id: int | None = None
    user_id: int
    batch_id: int
    position: int  # where it sits in what the seller sent (the update id: Telegram orders it)
    album_key: str | None = None  # Telegram media_group_id, or None for a loose photo
    source_name: str = ""  # file name as sent, for messages
    path: str  # marketplace-sized JPEG, relative to DATA_DIR
    vision_path: str  # vision-sized JPEG, relative to DATA_DIR
    phash: str = ""
    width: int = 0  # of the marketplace-sized JPEG
    height: int = 0
    telegram_file_id: str | None = None


class InboxItem(BaseModel):
    """One file the seller sent into a batch, recorded before it was downloaded."""

    batch_id: int
    position: int
    file_id: str
    name: str
    album_key: str | None = None
    caption: str | None = None
    status: str = "pending"  # pending, stored or refused
    reason: str | None = None


class Batch(BaseModel):
    """Photos that arrived together, analysed as one unit."""

    id: int | None = None
    user_id: int
    status: BatchStatus = BatchStatus.RECEIVING
    mode: GroupingMode = GroupingMode.AUTO
    hint: str | None = None
    language: str = "fr"
    photos_total: int = 0
    photos_done: int = 0
    items_found: int = 0
    drafts_done: int = 0
    error: str | None = None
    chat_id: int | None = None
    progress_message_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
