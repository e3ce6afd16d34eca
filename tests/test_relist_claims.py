"""Relists under concurrent queues: one claim wins, a lost lease moves nothing, a relist and a
publish never run together on one account, and the lowered price keeps to its bounds."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.drafts.models import DraftStatus
from core.models import Price
from core.relisting import models as m
from core.relisting.models import Relist, dropped_price
from core.relisting.repository import RelistRepository
from core.services import Repositories
from tests.helpers import SELLER, Clock, claim, new_draft, publish

LEASE = timedelta(seconds=90)


async def queued_relist(repos: Repositories, item_id: int = 5001) -> Relist:
    draft = await new_draft(repos, title=f"Jean {item_id}", price=Price(min=12, target=20, max=25))
    await publish(repos, draft, item_id=item_id)
    repo = RelistRepository(repos.db, "vinted")
    [listing] = [x for x in await repo.live_listings(SELLER) if x.item_id == item_id]
    relist_id = await repo.offer(listing, SELLER, 19.0, m.QUEUED)
    assert relist_id is not None
    relist = await repo.get(relist_id)
    assert relist is not None
    return relist


async def test_two_queues_claiming_one_relist_at_once_one_wins(repos: Repositories) -> None:
    relist = await queued_relist(repos)
    repo = RelistRepository(repos.db, "vinted")
    until = repos.db.now() + LEASE

    won = await asyncio.gather(*(repo.claim(relist, f"queue-{i}", until) for i in range(4)))

    assert sorted(won) == [False, False, False, True]
    claimed = await repo.get(relist.id)
    assert claimed is not None and claimed.status == m.RUNNING
    assert claimed.owner == f"queue-{won.index(True)}"


async def test_an_old_item_is_offered_once_ever(repos: Repositories) -> None:
    relist = await queued_relist(repos)
    repo = RelistRepository(repos.db, "vinted")
    [listing] = await repo.live_listings(SELLER)

    assert await repo.offer(listing, SELLER, 18.0, m.OFFERED) is None
    assert [r.id for r in await repo.of_user(SELLER)] == [relist.id]


async def test_a_queue_that_lost_its_lease_can_move_the_relist_no_further(
    repos: Repositories, clock: Clock
) -> None:
    relist = await queued_relist(repos)
    repo = RelistRepository(repos.db, "vinted")
    assert await repo.claim(relist, "queue-a", clock() + LEASE)
    running = await repo.get(relist.id)
    assert running is not None
    assert not await repo.claim(running, "queue-b", clock() + LEASE)  # a live lease holds

    clock.advance(seconds=91)  # queue-a stalled: its lease lapsed
    assert await repo.claim(running, "queue-b", clock() + LEASE)

    assert not await repo.advance(running, "queue-a", m.DELETE, copy_id=777)
    assert not await repo.finish(running, "queue-a", 999, "u", clock())
    assert await repo.advance(running, "queue-b", m.DELETE, copy_id=888)
    moved = await repo.get(relist.id)
    assert moved is not None and (moved.step, moved.copy_id, moved.owner) == (
        m.DELETE,
        888,
        "queue-b",
    )


async def test_a_relist_and_a_publish_never_run_together_on_one_account(
    repos: Repositories, clock: Clock
) -> None:
    relist = await queued_relist(repos)
    other = await queued_relist(repos, item_id=5002)
    repo = RelistRepository(repos.db, "vinted")
    waiting = await new_draft(repos, title="Pull", price=Price(min=5, target=9, max=12))
    assert waiting.id is not None
    assert await repos.drafts.move(waiting.id, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)

    assert await repo.claim(relist, "queue-a", clock() + LEASE)
    entry = await repos.waiting.queued_one(waiting.id)
    assert entry is not None
    refused = await repos.attempts.begin(
        waiting.id,
        SELLER,
        generation=entry.generation,
        key=f"draft:{waiting.id}:v{entry.generation}",
        owner="queue-b",
        lease_until=clock() + LEASE,
    )
    assert refused is None  # the account is busy relisting

    await repo.release(relist.id, "queue-a")  # the relist's run ended (its lease let go)
    attempt = await claim(repos, (await repos.drafts.get(waiting.id)) or waiting, "queue-b")
    assert not await repo.claim(other, "queue-c", clock() + LEASE)  # a publish runs
    assert attempt


async def test_the_day_cap_counts_relists_with_publishes(
    repos: Repositories, clock: Clock
) -> None:
    relist = await queued_relist(repos)
    repo = RelistRepository(repos.db, "vinted")
    start, end = clock() - timedelta(hours=1), clock() + timedelta(hours=1)
    before = await repos.attempts.count_published(SELLER, start, end)
    assert await repo.claim(relist, "queue-a", clock() + LEASE)
    running = await repo.get(relist.id)
    assert running is not None
    assert await repo.finish(running, "queue-a", 6001, "https://www.vinted.fr/items/6001", clock())

    assert await repos.attempts.count_published(SELLER, start, end) == before + 1
    [listing] = await repo.live_listings(SELLER)
    assert (listing.item_id, listing.price) == (6001, 19.0)  # the store names the new item


@given(
    price=st.floats(1, 2000, allow_nan=False),
    percent=st.floats(0.5, 50, allow_nan=False),
    floor=st.none() | st.floats(0.5, 3000, allow_nan=False),
)
def test_the_lowered_price_stays_within_its_bounds(
    price: float, percent: float, floor: float | None
) -> None:
    lowered = dropped_price(price, percent, floor)

    assert lowered <= price
    assert lowered >= min(floor if floor is not None else 1.0, price, 1.0) or lowered == 1.0
    if floor is not None:
        assert lowered >= min(floor, price)
    if floor is None or floor <= price * (1 - percent / 100) - 1:
        assert lowered == max(float(int(price * (1 - percent / 100))), 1.0)  # whole euros


def test_a_price_at_its_floor_is_not_lowered() -> None:
    assert dropped_price(20.0, 5, 20.0) == 20.0
    assert dropped_price(20.0, 5, 12.0) == 19.0
    assert dropped_price(20.0, 0, None) == 20.0
