"""The publishing queue puts each approved draft on Vinted once, paced like a person would."""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openai import AsyncOpenAI

from core.accounts.service import AccountService
from core.accounts.sessions import SessionVault
from core.accounts.vault import Vault
from core.analysis import VisionAnalyser
from core.catalogs.repository import CatalogRepository
from core.catalogs.service import CatalogService
from core.config import ConfigError, load_settings
from core.db import Database
from core.drafts.models import Draft, DraftStatus
from core.intake.models import Batch, Photo
from core.marketplace import (
    CaptchaRequired,
    Cookies,
    FieldRejected,
    NetworkFailure,
    Outcome,
    PageChanged,
    PublishResult,
    RateLimited,
    SessionExpired,
    Timeout,
)
from core.models import Condition, Price
from core.publishing.models import OUTCOME_PUBLISHED, publish_key
from core.publishing.pacing import PublishingConfig, parse_hours
from core.publishing.queue import PublishingQueue
from core.services import Repositories, publishing_config
from core.stats import StatsService
from core.vinted.mapping import form_for
from core.vinted.publisher import ListingToPublish
from tests.standins import (
    BASE,
    OTHER,
    SELLER,
    THIRD,
    VINTED_IDS,
    OnCreated,
    SellerChat,
    StandInVinted,
    answer,
    connect,
    crash,
    create,
    hang_after_create,
    leaf_of,
)

START = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)  # a Monday, 10:30 in Paris
SHOT = Path("/tmp/shots/captcha.png")


class WatchedLock(asyncio.Lock):
    """An asyncio lock that says when someone had to wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.contended = asyncio.Event()

    async def acquire(self) -> bool:
        if self.locked():
            self.contended.set()
        return await super().acquire()


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


# ---- stand-ins for the browser and the seller's chat -----------------------------------------

# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def store(data_dir: Path, clock: Clock) -> AsyncIterator[Repositories]:
    db = await Database.open(data_dir / "bot.db", clock=clock)
    yield Repositories.over(db, "vinted")
    await db.close()


@pytest.fixture
def vault(store: Repositories) -> SessionVault:
    return SessionVault(store.sessions, Vault(b"test-secret-" * 4))


@pytest.fixture
def vinted() -> StandInVinted:
    return StandInVinted()


@pytest.fixture
def chat() -> SellerChat:
    return SellerChat()


@pytest.fixture
def config(data_dir: Path) -> PublishingConfig:
    return PublishingConfig(data_dir=data_dir)


def make_queue(
    store: Repositories,
    vinted: StandInVinted,
    vault: SessionVault,
    chat: SellerChat,
    config: PublishingConfig,
    **options: Any,
) -> PublishingQueue:
    """Build the queue as core.services does, over these repositories and stand-ins."""
    catalogs = CatalogService(
        CatalogRepository(store.db, "vinted"),
        vinted,  # type: ignore[arg-type]
        vault,
        VisionAnalyser(AsyncOpenAI(api_key="unused", base_url="http://127.0.0.1:9"), "gpt-4o"),
        store.drafts,
        store.events,
        base_url=BASE,
    )
    return PublishingQueue(
        attempts=store.attempts,
        waiting=store.waiting,
        drafts=store.drafts,
        photos=store.batches,
        sellers=store.sellers,
        events=store.events,
        catalogs=catalogs,
        marketplace=vinted,  # type: ignore[arg-type]
        sessions=vault,
        notifier=chat,
        config=config,
        **options,
    )


async def reopen(data_dir: Path, clock: Clock) -> tuple[Database, Repositories, SessionVault]:
    """Open the same database again, as a second process or a restarted bot would."""
    db = await Database.open(data_dir / "bot.db", clock=clock)
    repos = Repositories.over(db, "vinted")
    return db, repos, SessionVault(repos.sessions, Vault(b"test-secret-" * 4))


@pytest.fixture
def queue(
    store: Repositories,
    vinted: StandInVinted,
    vault: SessionVault,
    chat: SellerChat,
    config: PublishingConfig,
    clock: Clock,
) -> PublishingQueue:
    return make_queue(
        store, vinted, vault, chat, config, clock=clock, rng=random.Random(7), owner="bot-1"
    )


async def approved(
    store: Repositories,
    user_id: int = SELLER,
    title: str = "Jean Levi's 501 bleu W32",
    **fields: Any,
) -> Draft:
    """Store an approved draft of a pair of jeans with two photos."""
    batch = await store.batches.create(Batch(user_id=user_id))
    assert batch.id is not None
    photo_ids = []
    for position in range(2):
        photo = await store.batches.add_photo(
            Photo(
                user_id=user_id,
                batch_id=batch.id,
                position=position,
                path=f"photos/{user_id}/{batch.id}/{position}.jpg",
                vision_path=f"photos/{user_id}/{batch.id}/{position}.vision.jpg",
            )
        )
        assert photo.id is not None
        photo_ids.append(photo.id)
    values: dict[str, Any] = {
        "user_id": user_id,
        "batch_id": batch.id,
        "photo_ids": photo_ids,
        "status": DraftStatus.APPROVED,
        "title": title,
        "description": "Jean droit en denim épais, très peu porté.",
        "hashtags": ["#levis", "#jean", "#denim"],
        "brand": "Levi's",
        "category": "men_jeans",
        "size": "W32 L32",
        "condition": Condition.VERY_GOOD,
        "colours": ["bleu"],
        "material": "coton",
        "price": Price(min=20, target=25, max=30),
        "publish_ready": True,
        **fields,
    }
    return await store.drafts.add(Draft.model_validate(values))


async def status_of(store: Repositories, draft: Draft) -> DraftStatus:
    current = await store.drafts.get(draft.id or 0)
    assert current is not None
    return current.status


async def keys_of(store: Repositories, draft: Draft) -> list[str]:
    return [a.idempotency_key for a in await store.attempts.attempts_of(draft.id or 0)]


# ---- the happy path -------------------------------------------------------------------------


async def test_an_approved_draft_goes_on_vinted_and_the_seller_gets_the_link(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    data_dir: Path,
) -> None:
    await connect(vault)
    draft = await approved(store)

    [report] = await queue.tick()

    [item_id] = [i for i, _ in vinted.wardrobe[VINTED_IDS[SELLER]]]
    assert (report.kind, report.item_id) == ("published", item_id)
    published = await store.drafts.get(draft.id or 0)
    assert published is not None
    assert published.status is DraftStatus.PUBLISHED
    assert published.publication.item_id == str(item_id)
    assert published.publication.url == f"{BASE}/items/{item_id}-x"
    assert chat.said == [("published", draft.id, published.publication.url, DraftStatus.PUBLISHED)]
    # The card said "publishing" as soon as the run held the draft.
    assert chat.started == [(draft.id, DraftStatus.PUBLISHING)]
    [attempt] = await store.attempts.attempts_of(draft.id or 0)
    assert attempt.idempotency_key == f"draft:{draft.id}:v1" == publish_key(draft.id or 0, 1)
    assert (attempt.outcome, attempt.item_id) == (OUTCOME_PUBLISHED, item_id)

    # What the browser was asked to type in.
    [listing] = vinted.listings
    assert listing.title == "Jean Levi's 501 bleu W32"
    assert listing.description == (
        "Jean droit en denim épais, très peu porté.\n\n#levis #jean #denim"
    )
    # The leaf of the site's own tree, read once through the seller's session.
    assert listing.category_titles == ["Hommes", "Vêtements", "Jeans"]
    assert listing.category_ids == list(leaf_of("men_jeans").ids) and vinted.catalog_reads == 1
    assert (listing.price, listing.brand, listing.size) == (25, "Levi's", "W32 L32")
    assert listing.condition is Condition.VERY_GOOD
    assert (listing.colours, listing.material, listing.package_size) == (["bleu"], "coton", 1)
    photos = await store.batches.get_photos(draft.photo_ids)
    assert listing.photos == [data_dir / p.path for p in photos]  # cover first
    assert vinted.modes == ["publish"]

    # The session keeps the token Vinted rotated, and knows when it last published.
    cookies = await vault.load(SELLER)
    assert cookies is not None
    token = next(c["value"] for c in cookies if c["name"] == "access_token_web")
    assert token == f"token-after-{item_id}"
    session = await store.sessions.get(SELLER)
    assert session is not None and session.last_publish_at == START

    # Nothing is left to do: later ticks publish nothing more.
    assert await queue.tick() == [] and len(vinted.items()) == 1


async def test_the_listing_carries_a_parcel_size_fit_for_the_item(
    store: Repositories, data_dir: Path
) -> None:
    sizes = {}
    for category in ("men_tshirts", "women_sneakers", "women_bags", "men_coats", "women_boots"):
        draft = await approved(store, category=category, hashtags=[])
        photos = await store.batches.get_photos(draft.photo_ids)
        listing = form_for(draft, photos, data_dir, leaf_of(category))
        sizes[category] = listing.package_size
        assert listing.description == draft.description  # no hashtags, no trailing blank lines
        assert listing.photos[0] == data_dir / photos[0].path  # the cover comes first
    assert sizes == {
        "men_tshirts": 1,
        "women_sneakers": 2,
        "women_bags": 2,
        "men_coats": 3,
        "women_boots": 3,
    }


async def test_a_seller_in_draft_mode_gets_vinted_drafts(
    queue: PublishingQueue, store: Repositories, vault: SessionVault, vinted: StandInVinted
) -> None:
    await store.sellers.ensure(SELLER)
    await store.sellers.update(SELLER, settings={"publish_mode": "draft"})
    await connect(vault)
    await approved(store)
    await queue.tick()
    assert vinted.modes == ["draft"]


# ---- exactly once ---------------------------------------------------------------------------


async def test_two_ticks_and_a_second_process_never_publish_the_same_draft(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    config: PublishingConfig,
    clock: Clock,
    data_dir: Path,
) -> None:
    await connect(vault)
    first = await approved(store, title="Jean 1")
    second = await approved(store, title="Jean 2")
    other_db, other_store, other_vault = await reopen(data_dir, clock)
    other_process = make_queue(
        other_store, vinted, other_vault, chat, config, clock=clock, owner="bot-2"
    )
    try:
        vinted.gate = asyncio.Event()
        running = asyncio.create_task(queue.tick())
        await vinted.started.wait()  # the first draft is in the browser now

        # Another tick here and a tick of another process find the account busy.
        assert await queue.tick() == []
        assert await other_process.tick() == []
        # The other process cannot claim the draft being published under any route.
        key = publish_key(first.id or 0, 1)
        assert (
            await other_store.attempts.begin(
                first.id or 0,
                SELLER,
                generation=1,
                key=key,
                owner="bot-2",
                lease_until=clock.now + timedelta(minutes=5),
            )
            is None
        )
        assert await status_of(store, first) is DraftStatus.PUBLISHING
        view = await queue.queue_view(SELLER)
        assert [d.id for d in view.publishing] == [first.id]
        assert [e.draft.id for e in view.entries] == [second.id]
        assert view.next_at is not None and view.next_at >= clock.now + timedelta(seconds=180)

        vinted.gate.set()
        [report] = await running
        assert report.draft_id == first.id
        # Ticks racing right after the publish all respect the pacing: nothing more goes.
        results = await asyncio.gather(
            queue.tick(), queue.tick(), other_process.tick(), other_process.tick()
        )
        assert results == [[], [], [], []]
    finally:
        await other_db.close()
    assert vinted.items() == ["Jean 1"]
    assert await status_of(store, second) is DraftStatus.APPROVED
    assert await keys_of(store, first) == [f"draft:{first.id}:v1"]


async def test_accounts_publish_side_by_side_but_no_more_than_the_limit(
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    data_dir: Path,
    clock: Clock,
) -> None:
    config = PublishingConfig(data_dir=data_dir, concurrency=2)
    queue = make_queue(store, vinted, vault, chat, config, clock=clock, rng=random.Random(1))
    for user_id in (SELLER, OTHER, THIRD):
        await connect(vault, user_id)
        await approved(store, user_id, title=f"Jean de {user_id}")
        await approved(store, user_id, title=f"Pull de {user_id}")
    vinted.gate = asyncio.Event()
    running = asyncio.create_task(queue.tick())
    while vinted.running < 2:
        await vinted.started.wait()
        vinted.started.clear()
    vinted.gate.set()
    reports = await running

    assert sorted(r.user_id for r in reports) == [SELLER, OTHER, THIRD]
    assert vinted.most_at_once == 2
    # One listing per account per run: each seller's second draft waits for its interval.
    assert sorted(vinted.items()) == [f"Jean de {u}" for u in (SELLER, OTHER, THIRD)]


# ---- pacing ---------------------------------------------------------------------------------


async def test_publishes_on_one_account_are_spaced_by_the_interval_with_jitter(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    for n in range(6):
        await approved(store, title=f"Article {n}")
    await queue.tick()
    times = [clock.now]
    for _ in range(5):
        view = await queue.queue_view(SELLER)
        assert view.next_at is not None
        clock.set(view.next_at - timedelta(seconds=1))
        assert await queue.tick() == []  # one second early: nothing goes
        clock.set(view.next_at)
        [report] = await queue.tick()
        assert report.kind == "published"
        times.append(clock.now)

    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    assert all(180 * 0.6 <= gap <= 180 * 1.4 for gap in gaps), gaps
    assert len({round(gap) for gap in gaps}) > 1  # jittered, not a fixed beat
    assert vinted.items() == [f"Article {n}" for n in range(6)]


async def test_the_daily_cap_holds_the_rest_until_the_sellers_next_day(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await store.sellers.ensure(SELLER)
    await store.sellers.update(
        SELLER, settings={"publish_daily_cap": 2, "publish_min_interval_seconds": 0}
    )
    await connect(vault)
    clock.set(datetime(2025, 3, 3, 22, 0, tzinfo=UTC))  # 23:00 in Paris
    for n in range(3):
        await approved(store, title=f"Article {n}")

    for _ in range(4):
        await queue.tick()
        clock.advance(seconds=1)
    assert vinted.items() == ["Article 0", "Article 1"]

    view = await queue.queue_view(SELLER)
    assert view.published_today == 2 and view.daily_cap == 2
    paris_midnight = datetime(2025, 3, 4, tzinfo=ZoneInfo("Europe/Paris"))
    assert view.next_at == paris_midnight  # 23:00 UTC, not UTC midnight
    clock.set(paris_midnight - timedelta(seconds=1))
    assert await queue.tick() == []
    clock.set(paris_midnight)
    [report] = await queue.tick()
    assert report.kind == "published" and vinted.items()[-1] == "Article 2"


async def test_publishing_hours_follow_the_sellers_time_zone(
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    data_dir: Path,
    clock: Clock,
) -> None:
    config = PublishingConfig(data_dir=data_dir, hours="18-22")
    queue = make_queue(store, vinted, vault, chat, config, clock=clock)
    await store.sellers.ensure(SELLER)
    await store.sellers.update(SELLER, settings={"timezone": "America/New_York"})
    await connect(vault)
    await approved(store)

    clock.set(datetime(2025, 3, 3, 19, 0, tzinfo=UTC))  # 20:00 in Paris but 14:00 in New York
    assert await queue.tick() == []
    view = await queue.queue_view(SELLER)
    new_york_evening = datetime(2025, 3, 3, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    assert (view.next_at, view.hours, view.timezone) == (
        new_york_evening,
        "18-22",
        "America/New_York",
    )
    clock.set(new_york_evening)
    [report] = await queue.tick()
    assert report.kind == "published"

    # After 22:00 there, the next draft waits for tomorrow's window.
    await approved(store, title="Pull")
    clock.set(datetime(2025, 3, 3, 22, 0, tzinfo=ZoneInfo("America/New_York")))
    assert await queue.tick() == []
    view = await queue.queue_view(SELLER)
    assert view.next_at == datetime(2025, 3, 4, 18, 0, tzinfo=ZoneInfo("America/New_York"))


async def test_a_draft_with_a_publish_time_waits_for_it_and_lets_others_pass(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    later = await approved(store, title="Robe pour ce soir")
    await queue.schedule(SELLER, later.id or 0, START + timedelta(hours=8))
    await approved(store, title="Jean")

    [report] = await queue.tick()
    assert vinted.items() == ["Jean"]
    view = await queue.queue_view(SELLER)
    assert [e.draft.title for e in view.entries] == ["Robe pour ce soir"]
    assert view.next_at == START + timedelta(hours=8)
    clock.set(START + timedelta(hours=8) - timedelta(seconds=1))
    assert await queue.tick() == []
    clock.set(START + timedelta(hours=8))
    await queue.tick()
    assert vinted.items() == ["Jean", "Robe pour ce soir"]


# ---- failures -------------------------------------------------------------------------------


async def test_a_transient_failure_is_retried_after_1_4_and_15_minutes_then_fails(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [
        answer(Timeout(step="submit", detail="no answer in 30 s")),
        answer(PageChanged("category", "#catalog")),
        answer(Timeout(step="submit", detail="no answer in 30 s")),
        answer(Timeout(step="submit", detail="no answer in 30 s")),
    ]
    waits = []
    for expected_wait in (1, 4, 15):
        started = clock.now
        [report] = await queue.tick()
        assert await status_of(store, draft) is DraftStatus.APPROVED  # still in line
        assert report.retry_at == started + timedelta(minutes=expected_wait)
        assert chat.said[-1] == ("retrying", draft.id, report.retry_at)
        clock.set(report.retry_at - timedelta(seconds=1))
        assert await queue.tick() == []
        clock.set(report.retry_at)
        waits.append(expected_wait)

    [report] = await queue.tick()  # the fourth failure in a row
    failed = await store.drafts.get(draft.id or 0)
    assert failed is not None and failed.status is DraftStatus.FAILED
    assert failed.error == "timeout: timeout at 'submit': no answer in 30 s"
    assert chat.said[-1] == (
        "failed",
        draft.id,
        "timeout",
        "timeout at 'submit': no answer in 30 s",
        None,
    )
    assert await keys_of(store, draft) == [f"draft:{draft.id}:v{n}" for n in (1, 2, 3, 4)]
    assert vinted.items() == []

    # The seller presses Retry: the draft goes back in line and is published.
    assert await queue.retry(SELLER, draft.id or 0)
    assert await queue.retry(SELLER, draft.id or 0) is False  # already back in line
    assert await queue.retry(OTHER, draft.id or 0) is False  # not theirs
    [report] = await queue.tick()
    assert report.kind == "published"
    assert await keys_of(store, draft) == [f"draft:{draft.id}:v{n}" for n in (1, 2, 3, 4, 5)]


@pytest.mark.parametrize(
    ("last", "shown"),
    [
        (PageChanged("title", "#title", screenshot=SHOT), True),  # what the page looked like
        (Timeout(step="submit", screenshot=SHOT), False),  # a loader: nothing to see
        (NetworkFailure(step="photos", detail="reset", screenshot=SHOT), False),
    ],
)
async def test_the_failure_screenshot_reaches_the_seller_only_where_it_shows_something(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    clock: Clock,
    last: Outcome,
    shown: bool,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [answer(last)] * 4
    for _ in range(3):
        [report] = await queue.tick()
        assert report.retry_at is not None
        clock.set(report.retry_at)
    [report] = await queue.tick()
    assert chat.said[-1][:3] == ("failed", draft.id, last.kind)
    assert chat.said[-1][4] == (SHOT if shown else None)
    state = await store.waiting.queued_one(draft.id or 0)
    assert state is not None and state.error["screenshot"] == str(SHOT)  # kept for the log


async def test_while_a_draft_waits_to_retry_the_whole_account_rests(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    await approved(store, title="Jean")
    await approved(store, title="Pull")
    vinted.script = [answer(Timeout(step="submit"))]
    await queue.tick()

    # If Vinted is down, one draft finds out, not every draft in line.
    clock.advance(seconds=59)
    assert await queue.tick() == []
    clock.advance(seconds=1)
    [report] = await queue.tick()
    assert report.kind == "published" and len(vinted.listings) == 2


async def test_an_edited_draft_starts_its_retries_afresh(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [answer(Timeout(step="submit"))] * 4
    for _ in range(4):
        await queue.tick()
        clock.advance(minutes=15)
    assert await status_of(store, draft) is DraftStatus.FAILED

    # The seller edits it (the editor takes it back to draft) and approves it again.
    assert await store.drafts.move(draft.id or 0, expect=DraftStatus.FAILED, to=DraftStatus.DRAFT)
    assert await store.drafts.move(
        draft.id or 0, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED
    )
    vinted.script = [answer(Timeout(step="submit"))]
    [report] = await queue.tick()
    assert report.retry_at == clock.now + timedelta(minutes=1)  # a first failure again
    assert await status_of(store, draft) is DraftStatus.APPROVED
    state = await store.waiting.queued_one(draft.id or 0)
    assert state is not None and (state.failures, state.generation) == (1, 6)


async def test_a_create_call_left_unanswered_is_looked_up_before_any_retry(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    sent = await approved(store, title="Jean")
    lost = await approved(store, title="Pull")

    async def created_but_timed_out(
        vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on: OnCreated
    ) -> PublishResult:
        vinted.create(cookies, listing)
        return PublishResult(Timeout(step="submit"), cookies, maybe_created=True)

    async def timed_out_before_vinted_had_it(
        vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on: OnCreated
    ) -> PublishResult:
        return PublishResult(Timeout(step="submit"), cookies, maybe_created=True)

    vinted.script = [created_but_timed_out, timed_out_before_vinted_had_it]
    [report] = await queue.tick()
    assert (report.kind, await status_of(store, sent)) == ("published", DraftStatus.PUBLISHED)
    clock.advance(minutes=5)
    [report] = await queue.tick()
    assert (report.kind, await status_of(store, lost)) == ("timeout", DraftStatus.APPROVED)
    assert vinted.lookups == [(VINTED_IDS[SELLER], "Jean"), (VINTED_IDS[SELLER], "Pull")]
    assert vinted.items() == ["Jean"]


async def test_a_rejected_field_fails_the_draft_at_once_for_the_seller_to_edit(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
) -> None:
    await connect(vault)
    draft = await approved(store)
    shot = Path("/tmp/shots/size.png")
    vinted.script = [
        answer(
            FieldRejected(
                field="size", message="Choisis une taille.", screenshot=shot, said_by_site=True
            )
        )
    ]

    [report] = await queue.tick()

    failed = await store.drafts.get(draft.id or 0)
    assert failed is not None and failed.status is DraftStatus.FAILED
    assert failed.error == "field_rejected: size: Choisis une taille."
    assert chat.said == [("failed", draft.id, "field_rejected", "size: Choisis une taille.", shot)]
    state = await store.waiting.queued_one(draft.id or 0)
    assert state is not None and state.error["field"] == "size"
    assert len(vinted.listings) == 1  # no retry behind the seller's back
    assert await queue.tick() == []


async def test_a_draft_missing_what_the_form_needs_fails_before_the_browser_opens(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
) -> None:
    await connect(vault)
    draft = await approved(store, condition=None)
    [report] = await queue.tick()
    assert report.kind == "field_rejected" and vinted.listings == []
    assert await status_of(store, draft) is DraftStatus.FAILED
    assert chat.said == [
        # Our own check's English stays in the log: the seller reads the field and what to do.
        ("failed", draft.id, "field_rejected", "condition: ", None)
    ]


async def test_a_rate_limit_pauses_the_account_honouring_retry_after_and_doubling(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [
        answer(RateLimited(retry_after=60)),  # shorter than the 15-minute floor
        answer(RateLimited()),  # a repeat doubles: 30 minutes
        answer(RateLimited(retry_after=7200)),  # Vinted asks for more than 60: it wins
    ]
    waits = []
    for _ in range(3):
        started = clock.now
        [report] = await queue.tick()
        assert report.kind == "rate_limited" and report.retry_at is not None
        waits.append(report.retry_at - started)
        assert await status_of(store, draft) is DraftStatus.APPROVED
        view = await queue.queue_view(SELLER)
        assert view.rate_limited_until == report.retry_at == view.next_at
        clock.set(report.retry_at - timedelta(seconds=1))
        assert await queue.tick() == []
        clock.set(report.retry_at)
    assert waits == [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=2)]

    [report] = await queue.tick()  # Vinted lets it through: the doubling starts over
    assert report.kind == "published"
    await approved(store, title="Pull")
    vinted.script = [answer(RateLimited())]
    clock.advance(hours=1)
    started = clock.now
    [report] = await queue.tick()
    assert report.retry_at == started + timedelta(minutes=15)
    assert [k for k in chat.kinds() if k != "published"] == ["retrying"] * 4


async def test_a_captcha_pauses_the_account_until_the_seller_resumes_it(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    config: PublishingConfig,
    clock: Clock,
    data_dir: Path,
) -> None:
    await connect(vault)
    draft = await approved(store)
    waiting = await approved(store, title="Pull")
    vinted.script = [answer(CaptchaRequired(step="upload page", screenshot=SHOT))]

    [report] = await queue.tick()
    assert report.kind == "captcha"
    assert chat.said == [("paused", SELLER, "captcha", SHOT)]
    assert await status_of(store, draft) is DraftStatus.APPROVED  # nothing lost
    cookies = await vault.load(SELLER)  # even a failed run's rotated cookies are kept
    assert cookies is not None and "token-after-captcha" in [c["value"] for c in cookies]

    for _ in range(3):
        clock.advance(hours=1)
        assert await queue.tick() == []
    view = await queue.queue_view(SELLER)
    assert (view.paused_reason, view.next_at) == ("captcha", None)
    assert [e.draft.id for e in view.entries] == [draft.id, waiting.id]

    # The pause survives a restart.
    reopened, reopened_store, reopened_vault = await reopen(data_dir, clock)
    try:
        restarted = make_queue(reopened_store, vinted, reopened_vault, chat, config, clock=clock)
        assert await restarted.tick() == []
        assert len(vinted.listings) == 1
        assert chat.kinds() == ["paused"]  # told once

        assert await restarted.resume(SELLER)
        assert await restarted.resume(SELLER) is False
        [report] = await restarted.tick()
    finally:
        await reopened.close()
    assert report.kind == "published" and vinted.items() == [draft.title]


async def test_an_expired_session_pauses_and_a_missing_one_never_opens_the_browser(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
) -> None:
    draft = await approved(store)
    [report] = await queue.tick()  # the seller never connected
    assert report.kind == "session_missing"
    assert vinted.listings == [] and await store.attempts.attempts_of(draft.id or 0) == []
    assert chat.said == [("paused", SELLER, "session_missing", None)]
    assert await queue.tick() == []

    await connect(vault)
    assert await queue.resume(SELLER)
    vinted.script = [answer(SessionExpired(step="upload page", detail="redirected to login"))]
    [report] = await queue.tick()
    assert report.kind == "session_expired"
    assert chat.said[-1] == ("paused", SELLER, "session_expired", None)
    assert await status_of(store, draft) is DraftStatus.APPROVED


# ---- crashes --------------------------------------------------------------------------------


async def test_a_crash_after_vinted_gave_the_id_is_reconciled_as_published_once(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [crash(creates=True, reports_id=True)]

    [report] = await queue.tick()
    assert report.kind == "interrupted"
    [item_id] = [i for i, _ in vinted.wardrobe[VINTED_IDS[SELLER]]]
    [attempt] = await store.attempts.open_attempts(SELLER)
    assert attempt.item_id == item_id  # saved the moment Vinted answered
    assert await status_of(store, draft) is DraftStatus.PUBLISHING

    [settled] = await queue.reconcile()
    assert (settled.kind, settled.item_id, settled.reconciled) == ("published", item_id, True)
    published = await store.drafts.get(draft.id or 0)
    assert published is not None and published.status is DraftStatus.PUBLISHED
    assert published.publication.url == f"{BASE}/items/{item_id}"
    assert vinted.lookups == []  # the saved id was enough
    clock.advance(hours=1)
    assert await queue.tick() == [] and await queue.reconcile() == []
    assert len(vinted.listings) == 1 and vinted.items() == [draft.title]
    assert chat.kinds() == ["published"]


async def test_a_publish_cut_by_shutdown_is_published_once_after_the_restart(
    queue: PublishingQueue,
    store: Repositories,
    vinted: StandInVinted,
    vault: SessionVault,
    chat: SellerChat,
    config: PublishingConfig,
    clock: Clock,
    data_dir: Path,
) -> None:
    await connect(vault)
    draft = await approved(store)
    reached = asyncio.Event()
    vinted.script = [hang_after_create(reached)]
    running = asyncio.create_task(queue.tick())
    await reached.wait()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running

    restarted_db, restarted_store, restarted_vault = await reopen(data_dir, clock)
    try:
        restarted = make_queue(restarted_store, vinted, restarted_vault, chat, config, clock=clock)
        reports = await restarted.tick()
        assert [(r.kind, r.reconciled) for r in reports] == [("published", True)]
        assert await restarted.tick() == []
    finally:
        await restarted_db.close()
    assert await status_of(store, draft) is DraftStatus.PUBLISHED
    assert len(vinted.listings) == 1 and vinted.items() == [draft.title]


async def test_a_crash_before_the_id_came_back_finds_the_listing_on_vinted(
    queue: PublishingQueue, store: Repositories, vault: SessionVault, vinted: StandInVinted
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [crash(creates=True, reports_id=False)]
    await queue.tick()

    [settled] = await queue.reconcile()
    [item_id] = [i for i, _ in vinted.wardrobe[VINTED_IDS[SELLER]]]
    assert vinted.lookups == [(VINTED_IDS[SELLER], draft.title)]
    assert (settled.kind, settled.item_id) == ("published", item_id)
    published = await store.drafts.get(draft.id or 0)
    assert published is not None and published.publication.item_id == str(item_id)
    assert len(vinted.listings) == 1


async def test_a_crash_before_vinted_created_anything_retries_under_a_new_key(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [crash(creates=False, reports_id=False)]
    await queue.tick()

    # Nothing on the wardrobe yet, but a listing made just before the crash may not show yet.
    assert await queue.reconcile() == []
    assert await status_of(store, draft) is DraftStatus.PUBLISHING
    clock.advance(seconds=119)
    assert await queue.reconcile() == []
    clock.advance(seconds=1)
    [settled] = await queue.reconcile()
    # Still nothing two minutes apart: our own crash is not Vinted's doing, so go again now.
    assert (settled.kind, settled.retry_at) == ("interrupted", START + timedelta(seconds=120))
    assert len(vinted.lookups) == 3
    assert await status_of(store, draft) is DraftStatus.APPROVED
    [report] = await queue.tick()
    assert report.kind == "published"
    assert await keys_of(store, draft) == [f"draft:{draft.id}:v1", f"draft:{draft.id}:v2"]
    assert vinted.items() == [draft.title]


async def test_a_killed_process_is_reconciled_only_once_its_lease_lapses(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    # Another process claimed the draft and was killed before it could say anything.
    attempt_id = await store.attempts.begin(
        draft.id or 0,
        SELLER,
        generation=1,
        key=publish_key(draft.id or 0, 1),
        owner="killed-process",
        lease_until=START + timedelta(seconds=90),
    )
    assert attempt_id is not None

    assert await queue.tick() == []  # it may still be publishing: hands off
    assert vinted.lookups == [] and vinted.listings == []
    clock.advance(seconds=91)
    assert await queue.tick() == []  # nothing on the wardrobe: look again before retrying
    clock.advance(seconds=120)
    # Reconciled (still nothing on the wardrobe), so back in line at once and published.
    settled, report = await queue.tick()
    assert settled.kind == "interrupted"
    assert vinted.lookups == [(VINTED_IDS[SELLER], draft.title)] * 2
    assert report.kind == "published" and vinted.items() == [draft.title]


async def test_a_dead_process_on_this_machine_is_reconciled_without_waiting_for_its_lease(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    proc = await asyncio.create_subprocess_exec("true")  # a process that has ended
    await proc.wait()
    dead_pid = proc.pid
    attempt_id = await store.attempts.begin(
        draft.id or 0,
        SELLER,
        generation=1,
        key=publish_key(draft.id or 0, 1),
        owner=f"{socket.gethostname()}:{dead_pid}:0000",
        lease_until=START + timedelta(seconds=90),
    )
    assert attempt_id is not None

    assert await queue.tick() == []  # no need to wait 90 s: its process is gone
    assert vinted.lookups == [(VINTED_IDS[SELLER], draft.title)]
    clock.advance(seconds=120)
    settled, report = await queue.tick()
    assert settled.kind == "interrupted" and report.kind == "published"
    assert vinted.items() == [draft.title]


async def test_look_ups_that_keep_failing_pause_the_account_and_tell_the_seller_once(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    chat: SellerChat,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    vinted.script = [crash(creates=True, reports_id=False)]
    await queue.tick()
    vinted.lookups_fail = True  # the wardrobe cannot be read: ours or not, nobody can tell
    for _ in range(9):
        assert await queue.reconcile() == []
        clock.advance(seconds=30)
    assert chat.kinds().count("paused") == 1  # after 5 look-ups, said once
    assert ("paused", SELLER, "lookup_failed", None) in chat.said
    assert await status_of(store, draft) is DraftStatus.PUBLISHING  # nothing decided blind
    assert len(vinted.items()) == 1

    vinted.lookups_fail = False
    [settled] = await queue.reconcile()  # the listing was there: published, not made again
    assert (settled.kind, settled.reconciled) == ("published", True)
    assert vinted.items() == [draft.title]


async def test_a_page_check_waits_for_the_publish_on_that_account_and_keeps_its_tokens(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    data_dir: Path,
) -> None:
    await connect(vault)
    await approved(store)
    accounts = AccountService(
        vault,
        vinted,  # type: ignore[arg-type]
        store.drafts,
        store.batches,
        queue.catalogs,
        base_url=BASE,
        data_dir=data_dir,
    )
    lock = vault._accounts[SELLER] = WatchedLock()
    vinted.gate = asyncio.Event()
    publishing = asyncio.create_task(queue.tick())
    await vinted.started.wait()
    check = asyncio.create_task(accounts.check_page(SELLER))  # /check, or the daily check
    # It either queues for the account's lock or runs beside the publish: see which.
    await asyncio.wait(
        [
            asyncio.ensure_future(lock.contended.wait()),
            asyncio.ensure_future(vinted.checked.wait()),
        ],
        return_when=asyncio.FIRST_COMPLETED,
    )
    assert vinted.health_checks == 0  # waiting for the account's lock, not beside the publish
    vinted.gate.set()
    [report] = await publishing
    await check
    assert report.kind == "published" and vinted.health_checks == 1
    assert vinted.most_at_once == 1
    cookies = await vault.load(SELLER)
    assert cookies is not None  # the check started from the publish's rotated tokens
    token = next(c["value"] for c in cookies if c["name"] == "access_token_web")
    assert token == "token-after-check-1"


async def test_a_url_left_untold_by_a_stop_is_sent_at_the_next_start_once(
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    config: PublishingConfig,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    gone = SellerChat()
    gone.unreachable = True  # published and stored, then the bot stopped before telling
    [report] = await make_queue(store, vinted, vault, gone, config, clock=clock).tick()
    assert report.kind == "published" and "published" not in gone.kinds()

    chat = SellerChat()
    restarted = make_queue(store, vinted, vault, chat, config, clock=clock, owner="bot-2")
    assert await restarted.tick() == []
    assert [e[:2] for e in chat.said] == [("published", draft.id)]
    again = make_queue(store, vinted, vault, chat, config, clock=clock, owner="bot-3")
    await again.tick()
    assert chat.kinds().count("published") == 1  # told once, never twice
    assert vinted.items() == [draft.title]


async def test_a_listing_the_wardrobe_shows_late_after_a_crash_is_not_made_twice(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    draft = await approved(store)
    # Vinted created it, the browser died before the id was read, and the wardrobe's first
    # answer does not list it yet.
    vinted.script = [crash(creates=True, reports_id=False, shows_late=True)]
    await queue.tick()
    assert await queue.reconcile() == []
    clock.advance(seconds=120)
    [settled] = await queue.reconcile()

    [item] = [i for items in vinted.wardrobe.values() for i, _ in items]
    assert (settled.kind, settled.item_id, settled.reconciled) == ("published", item, True)
    assert await queue.tick() == []
    assert vinted.items() == [draft.title]


# ---- what the seller sees -------------------------------------------------------------------


async def test_the_queue_view_lists_drafts_in_publishing_order_with_times(
    queue: PublishingQueue, store: Repositories, vault: SessionVault, clock: Clock
) -> None:
    await connect(vault)
    first = await approved(store, title="Jean")
    clock.advance(minutes=1)
    scheduled = await approved(store, title="Robe")
    await queue.schedule(SELLER, scheduled.id or 0, START + timedelta(hours=3))
    clock.advance(minutes=1)
    third = await approved(store, title="Pull")
    clock.advance(minutes=1)
    fourth = await approved(store, title="Veste")

    await queue.tick()  # the jeans go first
    published_at = clock.now
    view = await queue.queue_view(SELLER)

    assert [(e.position, e.draft.id) for e in view.entries] == [
        (1, third.id),
        (2, fourth.id),
        (3, scheduled.id),
    ]
    assert view.published_today == 1 and view.paused_reason is None
    assert view.next_at == view.entries[0].eta
    assert view.next_at is not None
    assert 108 <= (view.next_at - published_at).total_seconds() <= 252
    assert view.entries[1].eta == view.next_at + timedelta(seconds=180)
    assert view.entries[2].eta == START + timedelta(hours=3)
    assert first.id not in [e.draft.id for e in view.entries]

    theirs = await queue.queue_view(OTHER)
    assert (theirs.entries, theirs.next_at, theirs.published_today) == ((), None, 0)


async def test_stats_count_publishes_and_failures_by_reason(
    queue: PublishingQueue,
    store: Repositories,
    vault: SessionVault,
    vinted: StandInVinted,
    clock: Clock,
) -> None:
    await connect(vault)
    jeans = await approved(store, title="Jean")
    jumper = await approved(store, title="Pull")
    vinted.script = [
        answer(Timeout(step="submit")),  # the jeans wait a minute, behind the jumper
        create,  # the jumper
        answer(FieldRejected(field="brand", message="Choisis une marque.")),  # the jeans
    ]
    await queue.tick()
    clock.advance(minutes=1)
    await queue.tick()
    clock.advance(minutes=5)
    await queue.tick()

    stats = await queue.stats(SELLER, START)
    # Items, not attempts: the jeans timed out, then were refused: one failed item.
    assert (stats.published, stats.failures, stats.failed) == (1, {"field_rejected": 1}, 1)
    assert await status_of(store, jumper) is DraftStatus.PUBLISHED
    assert await status_of(store, jeans) is DraftStatus.FAILED
    activity = await StatsService(
        store.batches, store.drafts, store.attempts, vision_model="gpt-4o"
    ).since(SELLER, START)
    assert (activity.publishing.published, activity.publishing.failed) == (1, 1)
    # Deleted from the list, the listing still went out: still one item each.
    for draft in (jeans, jumper):
        assert await store.drafts.delete(draft.id or 0, SELLER)
    again = await queue.stats(SELLER, START)
    assert (again.published, again.failures, again.failed) == (1, {"field_rejected": 1}, 1)


# ---- settings -------------------------------------------------------------------------------


def test_publishing_hours_are_read_or_refused() -> None:
    assert [(w.start, w.end) for w in parse_hours("18-22")] == [(18 * 60, 22 * 60)]
    assert [(w.start, w.end) for w in parse_hours(" 9:30-12 , 22-2 ")] == [
        (9 * 60 + 30, 12 * 60),
        (22 * 60, 2 * 60),
    ]
    assert parse_hours("") == ()
    for bad in ("18", "25-3", "18-18", "9:75-10", "evening"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_publishing_settings_and_a_sellers_overrides(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PUBLISH_HOURS", "25-3")
    with pytest.raises(ConfigError, match="PUBLISH_HOURS"):
        load_settings()
    monkeypatch.setenv("PUBLISH_HOURS", "18-22")
    monkeypatch.setenv("PUBLISH_DAILY_CAP", "12")
    settings = load_settings(openai_api_key="sk-test", data_dir=tmp_path / "data")
    config = publishing_config(settings)
    assert (config.tick_seconds, config.min_interval_seconds, config.jitter) == (30, 180, 0.4)
    assert (config.daily_cap, config.hours, config.mode) == (12, "18-22", "publish")

    rules = config.rules_for(
        {"publish_daily_cap": 5, "publish_hours": "", "timezone": "Not/AZone", "publish_jitter": 3}
    )
    assert (rules.daily_cap, rules.hours, rules.jitter) == (5, (), 0.4)  # bad values ignored
    assert rules.timezone.key == "Europe/Paris"
