"""What many tests share: sellers, a clock moved by hand, and rows made in a few words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.drafts.models import Draft
from core.intake.models import Batch, Photo
from core.services import Repositories

SELLER = 111
OTHER = 222
START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self.now = moment


async def new_batch(repos: Repositories, user_id: int = SELLER, **fields: Any) -> Batch:
    return await repos.batches.create(Batch(user_id=user_id, **fields))


async def new_photo(
    repos: Repositories,
    batch: Batch,
    position: int,
    data_dir: Path | None = None,
    **fields: Any,
) -> Photo:
    """Store a photo row; with data_dir, also write its two files like the image pipeline."""
    path = f"photos/{batch.user_id}/{batch.id}/{position}.jpg"
    vision = f"photos/{batch.user_id}/{batch.id}/{position}.vision.jpg"
    if data_dir is not None:
        for rel in (path, vision):
            (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (data_dir / rel).write_bytes(b"\xff\xd8 jpeg bytes \xff\xd9")
    photo = Photo(
        user_id=batch.user_id,
        batch_id=batch.id or 0,
        position=position,
        path=path,
        vision_path=vision,
        **fields,
    )
    return await repos.batches.add_photo(photo)


async def new_draft(repos: Repositories, **fields: Any) -> Draft:
    return await repos.drafts.add(Draft.model_validate({"user_id": SELLER, **fields}))


async def claim(repos: Repositories, draft: Draft, owner: str = "test-queue") -> int:
    """Claim an approved draft for publishing, as the queue does before opening the browser."""
    assert draft.id is not None
    from core.publishing.models import publish_key

    entry = await repos.waiting.queued_one(draft.id)
    assert entry is not None
    attempt = await repos.attempts.begin(
        draft.id,
        draft.user_id,
        generation=entry.generation,
        key=publish_key(draft.id, entry.generation),
        owner=owner,
        lease_until=repos.db.now() + timedelta(minutes=5),
    )
    assert attempt is not None, "the draft could not be claimed"
    return attempt


async def publish(repos: Repositories, draft: Draft, item_id: int = 5001) -> Draft:
    """Take a draft through approval, a claim and a successful settlement, as the queue does."""
    from core.drafts.models import DraftStatus
    from core.publishing.models import OUTCOME_PUBLISHED, Settlement

    assert draft.id is not None
    current = await repos.drafts.get(draft.id)
    assert current is not None
    if current.status is DraftStatus.DRAFT:
        assert await repos.drafts.move(draft.id, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)
    attempt = await claim(repos, current)
    settled, _ = await repos.attempts.settle(
        attempt,
        Settlement(
            outcome=OUTCOME_PUBLISHED,
            draft_status=DraftStatus.PUBLISHED,
            item_id=item_id,
            url=f"https://www.vinted.fr/items/{item_id}",
        ),
    )
    assert settled
    published = await repos.drafts.get(draft.id)
    assert published is not None
    return published
