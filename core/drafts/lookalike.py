"""Already listed? A new draft whose photos match one the seller already published.

Intake refuses the same photo twice within one batch only; a seller who sends, weeks later,
the photos of an item already on Vinted gets a new draft. Its card then says which published
draft it looks like, before the seller approves a second listing of the same garment.

The match is on the photos' perceptual hashes (imagehash's 64-bit phash of the vision copy).
It finds the *same photo* again: re-sent, re-compressed, resized, HEIC then JPEG, slightly
cropped. A different shot of the same garment usually lands as far away as another garment
does, so it is not looked for: that would flag unrelated items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from zoneinfo import ZoneInfo

from core.db import Database, when
from core.drafts.models import Draft, DraftStatus
from core.intake.models import Photo
from core.publishing.pacing import DEFAULT_TIMEZONE

LOOKALIKE_DISTANCE = 8
"""Most bits (of 64) two phashes may differ by and still be the same photo.

Measured on the clothes in shared/testdata: re-encoding (JPEG quality 95 to 30, half size,
PNG, HEIC against its JPEG) moves a hash by 0 to 2 bits; cropping 2 % off each side by 2 to
12 (8 or less for all but one photo); the closest two *different* photos are 16 apart, most
pairs 24 to 40. 8 takes the re-sent photo and most light crops, half-way to the nearest
stranger. It is looser than intake's 6 (`is_same_photo`): there a match refuses a photo, here
it only raises a question on the card."""

# Only drafts not yet on the marketplace are checked; a published card needs no warning.
_CHECKED = frozenset({DraftStatus.DRAFT, DraftStatus.APPROVED, DraftStatus.FAILED})

# Every photo hash of the seller's published drafts (deleted drafts have left the table),
# with the day it went out: the listing's time, else the draft's.
_CANDIDATES = (
    "SELECT d.id AS draft_id, p.phash AS phash,"
    " COALESCE(l.created_at, d.published_at, d.updated_at) AS published_at,"
    " json_extract(u.settings, '$.timezone') AS timezone"
    " FROM drafts d"
    " JOIN draft_photos dp ON dp.draft_id = d.id"
    " JOIN photos p ON p.id = dp.photo_id"
    " LEFT JOIN listings l ON l.id = (SELECT MAX(id) FROM listings WHERE draft_id = d.id)"
    " LEFT JOIN users u ON u.user_id = d.user_id"
    " WHERE d.user_id = ? AND d.status = ? AND d.id != ? AND p.phash != ''"
)


@dataclass(frozen=True)
class Lookalike:
    """A published draft that a new draft's photos match."""

    draft_id: int
    published_on: date  # in the seller's time zone
    distance: int  # bits between the closest pair of photos


@dataclass(frozen=True)
class Candidate:
    """One photo of a published draft."""

    draft_id: int
    phash: str
    published_on: date


def distance(hash_a: str, hash_b: str) -> int | None:
    """Return how many bits two hex phashes differ by; None when either is empty or unreadable."""
    try:
        return (int(hash_a, 16) ^ int(hash_b, 16)).bit_count() if hash_a and hash_b else None
    except ValueError:
        return None


def closest(
    hashes: Iterable[str], candidates: Iterable[Candidate], limit: int = LOOKALIKE_DISTANCE
) -> Lookalike | None:
    """Return the candidate draft whose photo is nearest one of these hashes, within limit;
    on a tie the newest draft (the listing the seller most likely remembers)."""
    mine = [h for h in hashes if h]
    best: Lookalike | None = None
    for candidate in candidates:
        near = [d for h in mine if (d := distance(h, candidate.phash)) is not None]
        if not near or min(near) > limit:
            continue
        found = Lookalike(candidate.draft_id, candidate.published_on, min(near))
        if best is None or (found.distance, -found.draft_id) < (best.distance, -best.draft_id):
            best = found
    return best


class LookalikeFinder:
    """Find the seller's published draft a draft's photos match."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def published_twin(self, draft: Draft, photos: Sequence[Photo]) -> Lookalike | None:
        """Return the seller's published draft whose photos match this draft's, or None.

        `photos` are the draft's own (the card has just read them): one query, for the
        candidates, and none at all for a draft already published.
        """
        if draft.status not in _CHECKED or draft.id is None or not any(p.phash for p in photos):
            return None
        rows = await self.db.fetchall(
            _CANDIDATES, (draft.user_id, DraftStatus.PUBLISHED.value, draft.id)
        )
        candidates = [
            Candidate(row["draft_id"], row["phash"], _day(row["published_at"], row["timezone"]))
            for row in rows
        ]
        return closest((p.phash for p in photos), candidates)


def _day(stamp: str, zone: str | None) -> date:
    """Return the day a stored time (UTC) fell on where the seller lives."""
    moment = when(stamp)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone or DEFAULT_TIMEZONE)).date()
