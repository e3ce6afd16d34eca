"""Two writers on one draft at once never lose a change, publish twice or jam the queue.

Each pair of writers runs concurrently on a fresh draft, under a seeded scheduler that yields
to the event loop a random number of times before every database statement, so the pair's
steps interleave differently from seed to seed. After each run the state must still be whole:
only refusals the seller can read, at most one listing, nothing stuck in publishing, every
successful edit visible unless a later write replaced it, and a published listing that says
exactly what the draft says.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.db import Database, Tx
from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.models import Condition, Price
from core.publishing.models import publish_key
from core.publishing.queue import PublishingQueue
from core.services import Services
from tests.conftest import CLOTHES, core_services
from tests.fakes.openai import FakeOpenAIServer
from tests.helpers import START, Clock
from tests.standins import SELLER, VINTED_IDS, SellerChat, StandInVinted, connect, leaf_of

pytestmark = pytest.mark.timeout(60)

WRITERS = (
    "card",
    "field",
    "free_text",
    "regenerate",
    "approve",
    "undo",
    "delete",
    "settle",
    "reconcile",
    "purge",
)
PAIRS = list(itertools.combinations_with_replacement(WRITERS, 2))
# Each pair runs one after the other both ways, then at once under two seeds.
SCHEDULES = ("in_order", "reversed", "together_1", "together_2")
READABLE = {"not_editable", "draft_changed", "draft_not_found", "nothing_to_edit"}


def jittered(db: Database, rng: random.Random) -> None:
    """Make every statement of this database yield to the loop 0-3 times first (seeded)."""

    async def jitter() -> None:
        for _ in range(rng.randint(0, 3)):
            await asyncio.sleep(0)  # a scheduling point, not a wait

    def wrap(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            await jitter()
            return await method(*args, **kwargs)

        return wrapped

    for name in ("execute", "fetchall", "fetchone", "scalar"):
        setattr(db, name, wrap(getattr(db, name)))
    for name in ("transaction", "reading"):
        original = getattr(db, name)

        def scoped(original: Callable[[], Any] = original) -> Any:
            @asynccontextmanager
            async def block() -> AsyncIterator[Tx]:
                await jitter()
                async with original() as tx:
                    yield tx

            return block()

        setattr(db, name, scoped)


@dataclass
class Run:
    services: Services
    queue: PublishingQueue
    vinted: StandInVinted
    clock: Clock
    draft: Draft  # as it was read before the writers started
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def draft_id(self) -> int:
        assert self.draft.id is not None
        return self.draft.id


async def write(run: Run, writer: str, slot: int) -> Any:
    editor, draft_id = run.services.editor, run.draft_id
    if writer == "card":
        # The card is sent with the copy read when the seller opened it (the stale copy).
        return await run.services.drafts.record_card(run.draft, SELLER, 7000 + slot)
    if writer == "field":
        return await editor.set_field(SELLER, draft_id, "brand", "Mango")
    if writer == "free_text":
        return await editor.free_text_edit(SELLER, draft_id, "prix 23")
    if writer == "regenerate":
        return await editor.regenerate(SELLER, draft_id, "Zara taille M")
    if writer == "approve":
        return await editor.approve(SELLER, draft_id)
    if writer == "undo":
        return await editor.undo_approve(SELLER, draft_id)
    if writer == "delete":
        return await editor.delete(SELLER, draft_id)
    if writer == "settle":
        return await run.queue.tick()
    if writer == "reconcile":
        return await run.queue.reconcile()
    assert writer == "purge"
    return await run.services.purge.run(run.clock.now + timedelta(days=31))


@pytest.fixture
async def ai() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer(latency=0.01) as server:  # the model's answer takes a moment
        yield server


async def prepare(
    services: Services, vinted: StandInVinted, clock: Clock, pair: tuple[str, str]
) -> tuple[PublishingQueue, Draft]:
    """A ready draft, approved if a writer needs it so, cut mid-publish for reconcile."""
    queue = services.publishing_queue(SellerChat())
    await connect(services.sessions)
    batch = await services.intake.start_batch(SELLER, hint="Zara taille M")
    assert batch.id is not None
    photo = await services.intake.add_photo(batch, CLOTHES[0].read_bytes(), "a.jpg")
    await services.intake.close_batch(batch.id)
    draft = await services.repos.drafts.add(
        Draft(
            user_id=SELLER,
            batch_id=batch.id,
            photo_ids=[photo.id or 0],
            title="T-shirt Zara blanc M",
            description="T-shirt en coton blanc.\nPorté deux fois.\nAucun défaut visible.",
            brand="Zara",
            category="women_tshirts",
            size="M",
            condition=Condition.VERY_GOOD,
            colours=["blanc"],
            price=Price(min=8, target=10, max=12),
            publish_ready=True,
        )
    )
    assert draft.id is not None
    repos = services.repos
    if {"settle", "undo", "reconcile"} & set(pair):
        assert await repos.drafts.move(draft.id, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)
    if "reconcile" in pair:
        # Another process claimed it, Vinted created the item, and the process died.
        attempt = await repos.attempts.begin(
            draft.id,
            SELLER,
            generation=1,
            key=publish_key(draft.id, 1),
            owner="gone-host:1:dead",
            lease_until=clock.now - timedelta(seconds=1),
        )
        assert attempt is not None
        current = await repos.drafts.get(draft.id)
        assert current is not None
        photos = await repos.batches.get_photos(current.photo_ids)
        form = vinted.form_for(
            current, photos, services.settings.data_dir, leaf_of(current.category)
        )
        cookies = await services.sessions.load(SELLER)
        assert cookies is not None
        item = vinted.create(list(cookies), form)
        await repos.attempts.record_item(attempt, item)
    current = await repos.drafts.get(draft.id)
    assert current is not None
    return queue, current


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("pair", PAIRS, ids=["+".join(p) for p in PAIRS])
async def test_two_writers_on_one_draft_leave_it_whole(
    pair: tuple[str, str], schedule: str, ai: FakeOpenAIServer, tmp_path: Path
) -> None:
    clock = Clock(START)
    vinted = StandInVinted()
    services = await core_services(
        ai,
        tmp_path / "data",
        clock=clock,
        marketplace=vinted,  # type: ignore[arg-type]
        publish_min_interval_seconds=0,
        publish_jitter=0,
        openai_max_retries=0,
    )
    try:
        queue, draft = await prepare(services, vinted, clock, pair)
        run = Run(services, queue, vinted, clock, draft)
        outcomes: list[Any]
        if schedule.startswith("together"):
            jittered(services.repos.db, random.Random(f"{pair}-{schedule}"))
            outcomes = await asyncio.gather(
                *(write(run, writer, slot) for slot, writer in enumerate(pair)),
                return_exceptions=True,
            )
        else:
            order = list(enumerate(pair)) if schedule == "in_order" else [*enumerate(pair)][::-1]
            results: dict[int, Any] = {}
            for slot, writer in order:
                try:
                    results[slot] = await write(run, writer, slot)
                except Exception as exc:  # noqa: BLE001 - judged below like a concurrent one
                    results[slot] = exc
            outcomes = [results[0], results[1]]
        for writer, outcome in zip(pair, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                assert isinstance(outcome, EditRejected), f"{writer} raised {outcome!r}"
                assert outcome.key in READABLE, f"{writer}: {outcome.key}"
        await check_whole(run, pair, outcomes)
    finally:
        await services.close()


async def check_whole(run: Run, pair: tuple[str, str], outcomes: list[Any]) -> None:
    repos = run.services.repos
    # Whatever a crash left open is settled once its lease lapses, and the next ticks publish
    # nothing twice: nothing stays stuck, nothing comes back.
    run.clock.advance(minutes=5)
    await run.queue.tick()
    run.clock.advance(minutes=5)
    await run.queue.tick()
    assert await repos.attempts.open_attempts() == []
    final = await repos.drafts.get(run.draft_id)
    if final is not None:
        assert final.status is not DraftStatus.PUBLISHING, "a draft was left publishing"

    # Never two listings; a listing is recorded on its draft, and says what the draft says.
    items = run.vinted.items()
    assert len(items) <= 1, f"{len(items)} listings for one draft"
    member_items = run.vinted.wardrobe.get(VINTED_IDS[SELLER], [])
    if final is not None and final.status is DraftStatus.PUBLISHED:
        assert final.publication is not None and len(member_items) == 1
        assert final.publication.item_id == str(member_items[0][0])
        listed = run.vinted.listings[-1] if run.vinted.listings else None
        if listed is not None:
            assert (listed.title, listed.price) == (final.title, final.price.target)  # type: ignore[union-attr]
    elif member_items and final is not None:
        pytest.fail(f"an item is on Vinted but the draft is {final.status.value}")

    # A successful edit is still there unless a later write replaced that field.
    done = {
        writer: outcome
        for writer, outcome in zip(pair, outcomes, strict=True)
        if not isinstance(outcome, BaseException)
    }
    if final is None:
        return
    regenerated_after = _version_of(done.get("regenerate"))
    if "field" in done:
        version = _version_of(done["field"])
        assert final.brand == "Mango" or regenerated_after > version, "the brand edit was lost"
    if "free_text" in done:
        version = _version_of(done["free_text"])
        assert final.price is not None
        assert final.price.target == 23 or regenerated_after > version, "the price edit was lost"
    if "card" in done:
        assert final.card_message_id is not None


def _version_of(outcome: Any) -> int:
    """Return the version a successful editor call left the draft at (0 if none)."""
    if outcome is None:
        return 0
    draft = outcome[0] if isinstance(outcome, tuple) else outcome
    return draft.version if isinstance(draft, Draft) else 0
