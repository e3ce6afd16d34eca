"""A relist: one old listing brought back as a fresh one, and the steps it goes through.

Statuses: offered (in the day's message), queued (the seller said yes, or relists
automatically), running (claimed by a queue under a lease), done, failed (told, with the
reason), gone (sold or removed meanwhile: never relisted), snoozed (offered again later).

Steps, each written as it ends: copy (save the copy as a marketplace draft: copy_id), delete
(the old listing is still live), deleting (its deletion was asked for), complete (the copy
is being published: new_item_id), done.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

OFFERED = "offered"
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
GONE = "gone"
SNOOZED = "snoozed"
OPEN = (OFFERED, QUEUED, RUNNING, SNOOZED)

RELIST_MODES = ("off", "ask", "auto")  # the seller's choice in /settings
AFTER_DAYS_CHOICES = (14, 30, 45, 60, 90)

COPY = "copy"
DELETE = "delete"
DELETING = "deleting"
COMPLETE = "complete"
FINISHED = "done"


class Relist(BaseModel):
    id: int
    listing_id: int
    draft_id: int | None
    user_id: int
    old_item_id: int
    old_price: float | None
    price: float
    status: str
    step: str
    copy_id: int | None = None
    new_item_id: int | None = None
    known_items: list[int] | None = None
    owner: str | None = None
    lease_until: datetime | None = None
    retry_at: datetime | None = None
    failures: int = 0
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


class LiveListing(BaseModel):
    """A listing the store believes live, with what relisting needs of its draft."""

    listing_id: int
    draft_id: int
    item_id: int
    title: str
    price: float | None  # as last seen on the wardrobe, else the draft's target
    min_price: float | None  # the draft's floor
    created_at: datetime


def dropped_price(price: float, percent: float, floor: float | None) -> float:
    """Lower a price by `percent`, rounded to a whole euro down, never below the floor (nor
    above the price itself: a floor over the price keeps the price)."""
    if percent <= 0:
        return price
    lowered = float(int(price * (1 - percent / 100)))
    if floor is not None:
        lowered = max(lowered, min(floor, price))
    return min(max(lowered, 1.0), price)
