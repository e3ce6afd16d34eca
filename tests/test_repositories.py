"""Each slice's repository keeps its rows whole, scoped by owner, changed only on purpose."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from core.accounts.repository import StoredSession
from core.db import Database
from core.drafts.lifecycle import IllegalTransition
from core.drafts.models import Draft, DraftStatus
from core.intake.models import Batch, BatchStatus, Photo
from core.models import Condition, GroupingMode, Price, Usage
from core.sellers.models import Awaiting, AwaitKind
from core.services import Repositories
from tests.helpers import OTHER, SELLER, START, Clock, new_batch, new_draft, new_photo


def full_draft(batch: Batch, photos: list[Photo]) -> Draft:
    """A draft with a non-default value in every field the seller or the analysis writes."""
    return Draft(
        user_id=batch.user_id,
        batch_id=batch.id,
        photo_ids=[p.id for p in reversed(photos) if p.id is not None],
        title="Robe d'été fleurie Sézane – taille 38 🌸",
        description="Très belle robe portée deux fois.\nAucun défaut, « comme neuve ».",
        hashtags=["#robe", "#sézane", "#été"],
        brand="Sézane",
        category="women.dresses.midi",
        size="38",
        condition=Condition.VERY_GOOD,
        colours=["bleu", "écru"],
        material="100 % coton",
        defects=["petit fil tiré au dos"],
        measurements="Longueur 110 cm, aisselle à aisselle 46 cm",
        price=Price(min=24.5, target=32.0, max=39.99, currency="EUR"),
        language="de",
        status=DraftStatus.APPROVED,
        confidence=0.875,
        publish_ready=True,
        missing=["measurements_unclear"],
        to_confirm=["size", "condition"],
        hint="plutôt 40 que 38",
        usage=Usage(prompt_tokens=1834, completion_tokens=412),
        error="vision_timeout",
    )


# Set by the store itself, or by other writers than add(): never by the caller of add().
NOT_ADDED = {
    "id",
    "version",
    "card_chat_id",
    "card_message_id",
    "publication",
    "created_at",
    "updated_at",
    "approved_at",
    "published_at",
}


def content(draft: Draft) -> dict[str, object]:
    return draft.model_dump(exclude=NOT_ADDED)


# ---- sellers -------------------------------------------------------------------------------


async def test_a_new_seller_gets_a_profile_and_keeps_it(repos: Repositories, clock: Clock) -> None:
    assert await repos.sellers.get(SELLER) is None
    seller = await repos.sellers.ensure(SELLER, language="de", ui_language="en")
    assert (seller.user_id, seller.language, seller.ui_language) == (SELLER, "de", "en")
    assert seller.settings.model_dump(exclude_defaults=True) == {}
    assert seller.created_at == START and seller.created_at.tzinfo is not None
    clock.advance(days=1)
    # Seeing the seller again never resets what they chose.
    assert await repos.sellers.ensure(SELLER, language="fr") == seller


async def test_seller_settings_merge_and_none_restores_the_default(repos: Repositories) -> None:
    await repos.sellers.ensure(SELLER)
    await repos.sellers.update(SELLER, settings={"grouping": "album", "publish_mode": "draft"})
    seller = await repos.sellers.update(
        SELLER,
        language="en",
        ui_language="fr",
        settings={"timezone": "Europe/Berlin", "publish_mode": None},
    )
    assert seller.language == "en" and seller.ui_language == "fr"
    assert seller.settings.model_dump(exclude_defaults=True) == {
        "grouping": "album",
        "timezone": "Europe/Berlin",
    }
    assert await repos.sellers.get(SELLER) == seller
    with pytest.raises(ValueError):
        await repos.sellers.update(SELLER, settings={"timezone": "Mars/Olympus"})
    with pytest.raises(LookupError):
        await repos.sellers.update(OTHER, language="fr")


async def test_a_stored_setting_that_no_longer_validates_is_dropped(
    repos: Repositories, db: Database
) -> None:
    await repos.sellers.ensure(SELLER)
    await db.execute(
        "UPDATE users SET settings = ? WHERE user_id = ?",
        ('{"grouping": "album", "timezone": "Nowhere/Land", "old_key": 1}', SELLER),
    )
    seller = await repos.sellers.get(SELLER)
    assert seller is not None
    assert (seller.settings.grouping, seller.settings.timezone) == ("album", None)


async def test_one_item_is_armed_and_taken_once(repos: Repositories) -> None:
    await repos.sellers.ensure(SELLER)
    await repos.sellers.update(SELLER, settings={"one_next": True})
    taken = await asyncio.gather(*(repos.sellers.take_flag(SELLER, "one_next") for _ in range(5)))
    assert sorted(taken) == [False, False, False, False, True]
    seller = await repos.sellers.get(SELLER)
    assert seller is not None and seller.settings.one_next is False


async def test_meta_remembers_the_owner_and_a_claim_is_taken_once(repos: Repositories) -> None:
    assert await repos.sellers.get_meta("owner") is None
    await repos.sellers.set_meta("owner", "111")
    await repos.sellers.set_meta("owner", "222")
    assert await repos.sellers.get_meta("owner") == "222"
    claims = await asyncio.gather(*(repos.sellers.claim_meta("paired", str(i)) for i in range(6)))
    assert sorted(claims) == [False] * 5 + [True]
    assert await repos.sellers.get_meta("paired") == str(claims.index(True))


async def test_the_awaited_answer_is_one_per_seller(repos: Repositories) -> None:
    await repos.sellers.ensure(SELLER)
    field = Awaiting(
        kind=AwaitKind.FIELD,
        draft_id=7,
        field="price",
        prompt_message_id=41,
        expires_at=START + timedelta(minutes=30),
    )
    await repos.sellers.set_awaiting(SELLER, field)
    assert await repos.sellers.get_awaiting(SELLER) == field
    cookies = Awaiting(kind=AwaitKind.COOKIES, expires_at=START + timedelta(minutes=30))
    await repos.sellers.set_awaiting(SELLER, cookies)
    assert await repos.sellers.get_awaiting(SELLER) == cookies
    assert await repos.sellers.clear_awaiting(SELLER, AwaitKind.FIELD) is False
    assert await repos.sellers.clear_awaiting(SELLER, AwaitKind.COOKIES) is True
    assert await repos.sellers.get_awaiting(SELLER) is None


# ---- batches and photos --------------------------------------------------------------------


async def test_batch_round_trip_with_every_field(repos: Repositories, clock: Clock) -> None:
    batch = await repos.batches.create(
        Batch(
            user_id=SELLER,
            status=BatchStatus.PENDING,
            mode=GroupingMode.ALBUM,
            hint="lot de 3 jeans 👖",
            language="en",
            photos_total=9,
            photos_done=4,
            items_found=2,
            drafts_done=1,
            error="vision_unavailable",
            chat_id=-1001,
            progress_message_id=42,
        )
    )
    assert batch.id is not None and batch.created_at == START
    assert await repos.batches.get(batch.id) == batch
    assert batch.model_dump(exclude={"id", "created_at", "updated_at"}) == {
        "user_id": SELLER,
        "status": BatchStatus.PENDING,
        "mode": GroupingMode.ALBUM,
        "hint": "lot de 3 jeans 👖",
        "language": "en",
        "photos_total": 9,
        "photos_done": 4,
        "items_found": 2,
        "drafts_done": 1,
        "error": "vision_unavailable",
        "chat_id": -1001,
        "progress_message_id": 42,
    }
    clock.advance(minutes=1)
    updated = await repos.batches.update(
        batch.id, status=BatchStatus.DONE, error=None, items_found=3
    )
    assert (updated.status, updated.error, updated.items_found) == (BatchStatus.DONE, None, 3)
    assert updated.photos_done == 4 and updated.created_at == START
    with pytest.raises(TypeError):
        await repos.batches.update(batch.id, user_id=OTHER)
    with pytest.raises(LookupError):
        await repos.batches.update(9999, status=BatchStatus.DONE)


async def test_concurrent_progress_counters_add_up(repos: Repositories) -> None:
    batch = await new_batch(repos, photos_total=20)
    await asyncio.gather(
        *(repos.batches.increment(batch.id or 0, photos_done=1) for _ in range(20))
    )
    done = await repos.batches.get(batch.id or 0)
    assert done is not None and done.photos_done == 20


async def test_interrupted_batches_are_found_after_a_restart(repos: Repositories) -> None:
    receiving = await new_batch(repos, status=BatchStatus.RECEIVING)
    await new_batch(repos, status=BatchStatus.DONE)
    analysing = await new_batch(repos, user_id=OTHER, status=BatchStatus.ANALYSING)
    await new_batch(repos, status=BatchStatus.FAILED)
    pending = await new_batch(repos, status=BatchStatus.PENDING)
    assert await repos.batches.unfinished() == [receiving, analysing, pending]


async def test_photo_round_trip_order_and_owner(repos: Repositories) -> None:
    batch = await new_batch(repos)
    later = await new_photo(repos, batch, 1)
    first = await repos.batches.add_photo(
        Photo(
            user_id=SELLER,
            batch_id=batch.id or 0,
            position=0,
            album_key="13579246801357",
            source_name="IMG_2927.HEIC",
            path="photos/111/1/0.jpg",
            vision_path="photos/111/1/0.vision.jpg",
            phash="c3c3e1f0f0e1c3c3",
            width=1200,
            height=1600,
            telegram_file_id="AgACAgQAAxkBAAIB",
        )
    )
    assert first.id is not None
    assert await repos.batches.photos(batch.id or 0) == [first, later]
    ids = [later.id or 0, 424242, first.id]
    assert await repos.batches.get_photos(ids) == [later, first]
    assert await repos.batches.get_photos([first.id], user_id=OTHER) == []
    assert await repos.batches.find_by_hash(SELLER, "c3c3e1f0f0e1c3c3") == first
    assert await repos.batches.find_by_hash(OTHER, "c3c3e1f0f0e1c3c3") is None


# ---- drafts --------------------------------------------------------------------------------


async def test_draft_round_trip_keeps_every_field(repos: Repositories) -> None:
    batch = await new_batch(repos)
    photos = [await new_photo(repos, batch, i) for i in range(3)]
    draft = full_draft(batch, photos)
    defaults = Draft(user_id=0)
    # A field added to Draft later must be added here too, or this test cannot vouch for it.
    unset = [
        name
        for name in Draft.model_fields
        if name not in NOT_ADDED and getattr(draft, name) == getattr(defaults, name)
    ]
    assert unset == []

    stored = await repos.drafts.add(draft)
    assert stored.id is not None and stored.version == 1
    assert content(stored) == content(draft)
    assert stored.photo_ids == [photos[2].id, photos[1].id, photos[0].id]
    assert stored.created_at == stored.updated_at == START
    assert await repos.drafts.get(stored.id) == stored


async def test_a_bare_draft_round_trips_with_its_defaults(repos: Repositories) -> None:
    stored = await repos.drafts.add(Draft(user_id=SELLER))
    assert content(stored) == content(Draft(user_id=SELLER))
    assert stored.price is None and stored.condition is None and stored.publication is None


async def test_content_is_written_only_at_the_version_it_was_read(
    repos: Repositories, clock: Clock
) -> None:
    batch = await new_batch(repos)
    photos = [await new_photo(repos, batch, i) for i in range(3)]
    draft = await new_draft(repos, batch_id=batch.id, photo_ids=[photos[0].id])
    edited = full_draft(batch, photos).model_copy(
        update={
            "id": draft.id,
            "version": draft.version,
            "status": DraftStatus.DRAFT,
            "language": draft.language,  # a draft's language is set when it is written
        }
    )
    clock.advance(hours=2)
    saved = await repos.drafts.write(edited, expect=DraftStatus.DRAFT, to=DraftStatus.DRAFT)
    assert saved is not None and saved.version == draft.version + 1
    assert content(saved) == content(edited)
    assert saved.created_at == START and saved.updated_at == START + timedelta(hours=2)

    # The same edit again, made on the old version: nothing is written.
    stale = edited.model_copy(update={"title": "stale copy"})
    assert await repos.drafts.write(stale, expect=DraftStatus.DRAFT, to=DraftStatus.DRAFT) is None
    stranger = saved.model_copy(update={"user_id": OTHER, "title": "hijack"})
    assert (
        await repos.drafts.write(stranger, expect=DraftStatus.DRAFT, to=DraftStatus.DRAFT) is None
    )
    assert await repos.drafts.get(draft.id or 0) == saved


async def test_recording_a_card_changes_nothing_else(repos: Repositories) -> None:
    draft = await new_draft(repos, title="jean", status=DraftStatus.APPROVED)
    approved = await repos.drafts.get(draft.id or 0)
    assert await repos.drafts.set_card(draft.id or 0, -100, 77)
    after = await repos.drafts.get(draft.id or 0)
    assert after is not None and approved is not None
    assert (after.card_chat_id, after.card_message_id) == (-100, 77)
    assert after.model_dump(exclude={"card_chat_id", "card_message_id"}) == approved.model_dump(
        exclude={"card_chat_id", "card_message_id"}
    )


async def test_sellers_only_ever_see_their_own_drafts_and_batches(repos: Repositories) -> None:
    mine = await new_batch(repos)
    theirs = await new_batch(repos, user_id=OTHER)
    my_draft = await new_draft(repos, batch_id=mine.id, title="mine")
    their_draft = await new_draft(repos, user_id=OTHER, batch_id=theirs.id, title="theirs")

    assert await repos.drafts.get(my_draft.id or 0, user_id=SELLER) == my_draft
    assert await repos.drafts.get(their_draft.id or 0, user_id=SELLER) is None
    assert await repos.batches.get(theirs.id or 0, user_id=SELLER) is None
    assert [d.title for d in await repos.drafts.page(SELLER)] == ["mine"]
    assert await repos.drafts.count(OTHER) == 1
    assert await repos.drafts.delete(their_draft.id or 0, SELLER) is False
    assert await repos.drafts.get(their_draft.id or 0) == their_draft
    assert await repos.drafts.delete(my_draft.id or 0, SELLER) is True
    assert await repos.drafts.get(my_draft.id or 0) is None


async def test_draft_pages_come_newest_first_and_filter_by_status(repos: Repositories) -> None:
    drafts = [await new_draft(repos, title=f"item {i}") for i in range(5)]
    await repos.drafts.move(drafts[1].id or 0, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)
    await repos.drafts.move(drafts[3].id or 0, expect=DraftStatus.DRAFT, to=DraftStatus.FAILED)

    page1 = await repos.drafts.page(SELLER, limit=2)
    page2 = await repos.drafts.page(SELLER, limit=2, offset=2)
    assert [d.title for d in page1 + page2] == ["item 4", "item 3", "item 2", "item 1"]
    waiting = await repos.drafts.page(SELLER, [DraftStatus.DRAFT])
    assert [d.title for d in waiting] == ["item 4", "item 2", "item 0"]
    assert await repos.drafts.count(SELLER, [DraftStatus.APPROVED, DraftStatus.FAILED]) == 2
    assert await repos.drafts.count(SELLER, []) == 0
    batch = await new_batch(repos)
    a = await new_draft(repos, batch_id=batch.id, title="a")
    b = await new_draft(repos, batch_id=batch.id, title="b")
    assert await repos.drafts.of_batch(batch.id or 0) == [a, b]


async def test_status_changes_are_compare_and_set(repos: Repositories, clock: Clock) -> None:
    draft = await new_draft(repos)
    draft_id = draft.id or 0
    clock.advance(minutes=5)
    assert not await repos.drafts.move(draft_id, expect=DraftStatus.APPROVED, to=DraftStatus.DRAFT)
    assert await repos.drafts.move(draft_id, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)
    approved = await repos.drafts.get(draft_id)
    assert approved is not None and approved.approved_at == START + timedelta(minutes=5)

    # Five takers racing for the same approved draft: only one gets it.
    results = await asyncio.gather(
        *(
            repos.drafts.move(draft_id, expect=DraftStatus.APPROVED, to=DraftStatus.DRAFT)
            for _ in range(5)
        )
    )
    assert sorted(results) == [False, False, False, False, True]
    back = await repos.drafts.get(draft_id)
    assert back is not None and back.approved_at is None and back.version == draft.version + 2
    assert not await repos.drafts.move(424242, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)


def test_the_lifecycle_refuses_moves_no_writer_may_make() -> None:
    async def attempt(expect: DraftStatus, to: DraftStatus) -> None:
        from core.drafts import lifecycle

        await lifecycle.transition(None, 1, expect=expect, to=to, now=START)  # type: ignore[arg-type]

    for expect, to in (
        (DraftStatus.PUBLISHED, DraftStatus.APPROVED),
        (DraftStatus.PUBLISHED, DraftStatus.DRAFT),
        (DraftStatus.DRAFT, DraftStatus.PUBLISHING),
        (DraftStatus.DRAFT, DraftStatus.PUBLISHED),
        (DraftStatus.APPROVED, DraftStatus.PUBLISHED),
    ):
        with pytest.raises(IllegalTransition):
            asyncio.run(attempt(expect, to))


async def test_a_draft_being_published_is_never_deleted(repos: Repositories) -> None:
    draft = await new_draft(repos, status=DraftStatus.PUBLISHING)
    assert not await repos.drafts.delete(draft.id or 0, SELLER, unless=[DraftStatus.PUBLISHING])
    assert await repos.drafts.get(draft.id or 0) is not None


async def test_deleting_a_draft_keeps_photos_another_draft_shows(repos: Repositories) -> None:
    batch = await new_batch(repos)
    shared, own = await new_photo(repos, batch, 0), await new_photo(repos, batch, 1)
    first = await new_draft(repos, batch_id=batch.id, photo_ids=[own.id, shared.id])
    second = await new_draft(repos, batch_id=batch.id, photo_ids=[shared.id])
    assert await repos.drafts.delete(first.id or 0, SELLER)
    assert await repos.batches.get_photos([shared.id or 0, own.id or 0]) == [shared, own]
    kept = await repos.drafts.get(second.id or 0)
    assert kept is not None and kept.photo_ids == [shared.id]


async def test_concurrent_writers_never_mix_their_transactions(repos: Repositories) -> None:
    batch = await new_batch(repos)
    photos = [await new_photo(repos, batch, i) for i in range(10)]

    async def one(i: int) -> Draft | None:
        draft = await new_draft(repos, batch_id=batch.id, title=f"t{i}", photo_ids=[photos[i].id])
        edited = draft.model_copy(update={"title": f"saved {i}"})
        return await repos.drafts.write(edited, expect=DraftStatus.DRAFT, to=DraftStatus.DRAFT)

    drafts = await asyncio.gather(*(one(i) for i in range(10)))
    for i, draft in enumerate(drafts):
        assert draft is not None
        stored = await repos.drafts.get(draft.id or 0)
        assert stored is not None
        assert (stored.title, stored.photo_ids) == (f"saved {i}", [photos[i].id])


# ---- sessions and events -------------------------------------------------------------------


async def test_a_session_is_stored_replaced_and_forgotten(repos: Repositories) -> None:
    assert await repos.sessions.get(SELLER) is None
    session = StoredSession(
        user_id=SELLER,
        marketplace="vinted",
        encrypted=bytes(range(256)),
        username="marie_vend",
        account_id="9111",
        checked_at=START,
        last_publish_at=START + timedelta(hours=1),
        status="active",
    )
    await repos.sessions.put(session)
    assert await repos.sessions.get(SELLER) == session
    expired = session.model_copy(update={"status": "expired", "encrypted": b"new"})
    await repos.sessions.put(expired)
    stored = await repos.sessions.get(SELLER)
    assert stored == expired.model_copy(update={"version": 2, "cookies_version": 2})
    assert not await repos.sessions.set_cookies(SELLER, b"stale", lineage=1)  # from before
    assert await repos.sessions.set_cookies(SELLER, b"rotated", lineage=2)
    stored = await repos.sessions.get(SELLER)
    assert stored is not None and (stored.version, stored.cookies_version) == (3, 3)
    assert stored.encrypted == b"rotated"
    assert await repos.sessions.get(OTHER) is None
    assert await repos.sessions.users() == [SELLER]
    assert await repos.sessions.delete(SELLER) is True
    assert await repos.sessions.delete(SELLER) is False
    assert await repos.sessions.set_cookies(SELLER, b"late", lineage=3) is False


async def test_events_are_logged_and_read_back_newest_first(
    repos: Repositories, clock: Clock
) -> None:
    await repos.events.log(SELLER, "batch_started", {"photos": 3})
    clock.advance(hours=1)
    await repos.events.log(OTHER, "batch_started", {})
    await repos.events.log(SELLER, "draft_approved", {"draft_id": 7, "titre": "Robe été"})
    await repos.events.log(None, "bot_started")

    mine = await repos.events.list(SELLER)
    assert [(e.kind, e.data) for e in mine] == [
        ("draft_approved", {"draft_id": 7, "titre": "Robe été"}),
        ("batch_started", {"photos": 3}),
    ]
    assert mine[1].created_at == START
    recent = await repos.events.list(since=START + timedelta(minutes=30))
    assert [e.kind for e in recent] == ["bot_started", "draft_approved", "batch_started"]
    started = await repos.events.list(kinds=["batch_started"])
    assert [e.user_id for e in started] == [OTHER, SELLER]


async def test_the_store_survives_a_restart_whole(data_dir: Path, clock: Clock) -> None:
    db = await Database.open(data_dir / "bot.db", clock=clock)
    repos = Repositories.over(db, "vinted")
    await repos.sellers.ensure(SELLER, language="fr", ui_language="en")
    await repos.sellers.update(SELLER, settings={"grouping": "album"})
    batch = await new_batch(repos, status=BatchStatus.ANALYSING, photos_total=2, chat_id=5)
    photos = [await new_photo(repos, batch, i, phash=f"ff00{i}") for i in range(2)]
    draft = await repos.drafts.add(full_draft(batch, photos))
    await repos.events.log(SELLER, "draft_created", {"draft_id": draft.id})
    seller = await repos.sellers.get(SELLER)
    await db.close()

    reopened = await Database.open(data_dir / "bot.db", clock=clock)
    try:
        again = Repositories.over(reopened, "vinted")
        assert await again.sellers.get(SELLER) == seller
        assert await again.batches.unfinished() == [batch]
        assert await again.batches.photos(batch.id or 0) == photos
        assert await again.drafts.get(draft.id or 0) == draft
        [event] = await again.events.list(SELLER)
        assert event.kind == "draft_created" and event.data == {"draft_id": draft.id}
    finally:
        await reopened.close()
