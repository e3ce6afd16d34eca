"""The store keeps every seller's photos, drafts and publishing state safely across restarts."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from core.store import (
    MIGRATIONS,
    OUTCOME_FAILED,
    OUTCOME_PUBLISHED,
    SchemaError,
    Store,
    VintedSession,
    split_sql,
)

from core.models import (
    Batch,
    BatchStatus,
    Condition,
    Draft,
    DraftStatus,
    GroupingMode,
    Photo,
    Price,
    Usage,
)

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def store(data_dir: Path, clock: Clock) -> AsyncIterator[Store]:
    store = await Store.open(data_dir / "bot.db", clock=clock)
    yield store
    await store.close()


async def new_batch(store: Store, user_id: int = SELLER, **fields: object) -> Batch:
    return await store.create_batch(Batch(user_id=user_id, **fields))  # type: ignore[arg-type]


async def new_photo(
    store: Store, batch: Batch, position: int, data_dir: Path | None = None, **fields: object
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
        **fields,  # type: ignore[arg-type]
    )
    return await store.add_photo(photo)


def full_draft(batch: Batch, photos: list[Photo]) -> Draft:
    """A draft with a non-default value in every field the seller or the bot can set."""
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
        vinted_item_id=4_012_345_678,
        vinted_url="https://www.vinted.fr/items/4012345678-robe",
        card_chat_id=-100123,
        card_message_id=77,
    )


def stored_fields(draft: Draft) -> dict[str, object]:
    return draft.model_dump(
        exclude={"id", "created_at", "updated_at", "approved_at", "published_at"}
    )


# ---- opening, migrations, restart ----------------------------------------------------------


async def test_first_start_creates_the_data_dir_and_a_wal_database(data_dir: Path) -> None:
    store = await Store.open(data_dir / "bot.db")
    try:
        assert (data_dir / "bot.db").is_file()
        assert await store.schema_version() == len(MIGRATIONS)
    finally:
        await store.close()
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await store.add_photo(
            Photo(user_id=SELLER, batch_id=999, position=0, path="a.jpg", vision_path="b.jpg")
        )
    batch = await new_batch(store)
    with pytest.raises(sqlite3.IntegrityError):
        await store.add_draft(Draft(user_id=SELLER, batch_id=batch.id, photo_ids=[12345]))
    # The failed insert was rolled back whole: no draft without its photos was left behind.
    assert await store.count_drafts(SELLER) == 0


async def test_reopening_an_up_to_date_database_changes_nothing(
    data_dir: Path, clock: Clock
) -> None:
    first = await Store.open(data_dir / "bot.db", clock=clock)
    await first.ensure_user(SELLER)
    await first.close()

    def schema() -> list[tuple[str, str]]:
        with sqlite3.connect(data_dir / "bot.db") as raw:
            return raw.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()

    before = schema()
    for _ in range(2):
        again = await Store.open(data_dir / "bot.db", clock=clock)
        assert await again.schema_version() == len(MIGRATIONS)
        assert await again.get_user(SELLER) is not None
        await again.close()
    assert schema() == before


async def test_an_appended_migration_upgrades_an_existing_database(
    data_dir: Path, clock: Clock
) -> None:
    old = await Store.open(data_dir / "bot.db", clock=clock)
    await old.set_meta("owner", str(SELLER))
    await old.close()

    later = (
        *MIGRATIONS,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO notes (body) VALUES ('a; b');",
    )
    new = await Store.open(data_dir / "bot.db", clock=clock, migrations=later)
    assert await new.schema_version() == len(MIGRATIONS) + 1
    assert await new.get_meta("owner") == str(SELLER)
    await new.close()
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("SELECT body FROM notes").fetchall() == [("a; b",)]


async def test_a_failing_migration_leaves_the_database_as_it_was(
    data_dir: Path, clock: Clock
) -> None:
    store = await Store.open(data_dir / "bot.db", clock=clock)
    await store.close()
    broken = (*MIGRATIONS, "CREATE TABLE half (x);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        await Store.open(data_dir / "bot.db", clock=clock, migrations=broken)
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables


def write_user_version(db_path: Path, version: int) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db_path) as raw:
        raw.execute(f"PRAGMA user_version = {version}")


async def test_a_database_from_a_newer_bot_is_refused(data_dir: Path) -> None:
    write_user_version(data_dir / "bot.db", len(MIGRATIONS) + 5)
    with pytest.raises(SchemaError, match="newer version"):
        await Store.open(data_dir / "bot.db")


def test_migration_scripts_split_into_single_statements() -> None:
    script = (
        "CREATE TABLE a (x TEXT DEFAULT ';');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y;'; END;\n"
        "-- trailing comment"
    )
    statements = split_sql(script)
    assert statements[0] == "CREATE TABLE a (x TEXT DEFAULT ';');"
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    assert len(statements) == 3
    assert all(sqlite3.complete_statement(s) for s in statements[:2])
    assert len(split_sql(MIGRATIONS[0])) > 10


async def test_everything_the_seller_did_survives_a_restart(data_dir: Path, clock: Clock) -> None:
    store = await Store.open(data_dir / "bot.db", clock=clock)
    await store.ensure_user(SELLER, language="fr", ui_language="en")
    await store.update_user(SELLER, settings={"grouping": "album", "tz": "Europe/Paris"})
    await store.set_meta("owner", str(SELLER))
    batch = await new_batch(store, status=BatchStatus.ANALYSING, photos_total=2, chat_id=5)
    photos = [await new_photo(store, batch, i, phash=f"ff00{i}") for i in range(2)]
    draft = await store.add_draft(full_draft(batch, photos))
    attempt = await store.claim_publish(draft.id or 0, SELLER, "draft-1-v1")
    await store.put_vinted_session(VintedSession(user_id=SELLER, encrypted=b"\x00secret\xff"))
    await store.log_event(SELLER, "draft_created", {"draft_id": draft.id})
    user = await store.get_user(SELLER)
    await store.close()

    reopened = await Store.open(data_dir / "bot.db", clock=clock)
    try:
        assert await reopened.get_user(SELLER) == user
        assert await reopened.get_meta("owner") == str(SELLER)
        assert await reopened.unfinished_batches() == [batch]
        assert await reopened.batch_photos(batch.id or 0) == photos
        assert await reopened.get_draft(draft.id or 0) == draft
        assert [a.id for a in await reopened.open_publish_attempts()] == [attempt]
        assert await reopened.claim_publish(draft.id or 0, SELLER, "draft-1-v1") is None
        session = await reopened.get_vinted_session(SELLER)
        assert session is not None and session.encrypted == b"\x00secret\xff"
        [event] = await reopened.list_events(SELLER)
        assert event.kind == "draft_created" and event.data == {"draft_id": draft.id}
    finally:
        await reopened.close()


# ---- users and meta ------------------------------------------------------------------------


async def test_a_new_seller_gets_a_profile_and_keeps_it(store: Store, clock: Clock) -> None:
    assert await store.get_user(SELLER) is None
    user = await store.ensure_user(SELLER, language="de", ui_language="en")
    assert (user.user_id, user.language, user.ui_language, user.settings) == (
        SELLER,
        "de",
        "en",
        {},
    )
    assert user.created_at == START and user.created_at.tzinfo is not None
    clock.advance(days=1)
    # Seeing the seller again never resets what they chose.
    assert await store.ensure_user(SELLER, language="fr") == user


async def test_seller_settings_merge_and_none_restores_the_default(store: Store) -> None:
    await store.ensure_user(SELLER)
    await store.update_user(SELLER, settings={"grouping": "album", "publish": "manual"})
    user = await store.update_user(
        SELLER, language="en", ui_language="de", settings={"tz": "Europe/Berlin", "publish": None}
    )
    assert user.language == "en" and user.ui_language == "de"
    assert user.settings == {"grouping": "album", "tz": "Europe/Berlin"}
    assert await store.get_user(SELLER) == user
    with pytest.raises(TypeError):
        await store.update_user(SELLER, nickname="x")
    with pytest.raises(LookupError):
        await store.update_user(OTHER, language="fr")


async def test_meta_remembers_the_paired_owner(store: Store) -> None:
    assert await store.get_meta("owner") is None
    await store.set_meta("owner", "111")
    await store.set_meta("owner", "222")
    assert await store.get_meta("owner") == "222"


# ---- batches and photos --------------------------------------------------------------------


async def test_batch_round_trip_with_every_field(store: Store, clock: Clock) -> None:
    batch = await store.create_batch(
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
    assert await store.get_batch(batch.id) == batch
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
    updated = await store.update_batch(
        batch.id, status=BatchStatus.DONE, error=None, items_found=3
    )
    assert (updated.status, updated.error, updated.items_found) == (BatchStatus.DONE, None, 3)
    assert updated.photos_done == 4 and updated.created_at == START
    with pytest.raises(TypeError):
        await store.update_batch(batch.id, user_id=OTHER)
    with pytest.raises(LookupError):
        await store.update_batch(9999, status=BatchStatus.DONE)


async def test_concurrent_progress_counters_add_up(store: Store) -> None:
    batch = await new_batch(store, photos_total=20)
    await asyncio.gather(*(store.increment_batch(batch.id or 0, photos_done=1) for _ in range(20)))
    done = await store.get_batch(batch.id or 0)
    assert done is not None and done.photos_done == 20


async def test_interrupted_batches_are_found_after_a_restart(store: Store) -> None:
    receiving = await new_batch(store, status=BatchStatus.RECEIVING)
    await new_batch(store, status=BatchStatus.DONE)
    analysing = await new_batch(store, user_id=OTHER, status=BatchStatus.ANALYSING)
    await new_batch(store, status=BatchStatus.FAILED)
    pending = await new_batch(store, status=BatchStatus.PENDING)
    assert await store.unfinished_batches() == [receiving, analysing, pending]


async def test_photo_round_trip_order_and_duplicates(store: Store) -> None:
    batch = await new_batch(store)
    later = await new_photo(store, batch, 1)
    first = await store.add_photo(
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
    assert first.model_dump(exclude={"id"}) == {
        "user_id": SELLER,
        "batch_id": batch.id,
        "position": 0,
        "album_key": "13579246801357",
        "source_name": "IMG_2927.HEIC",
        "path": "photos/111/1/0.jpg",
        "vision_path": "photos/111/1/0.vision.jpg",
        "phash": "c3c3e1f0f0e1c3c3",
        "width": 1200,
        "height": 1600,
        "telegram_file_id": "AgACAgQAAxkBAAIB",
    }
    assert await store.batch_photos(batch.id or 0) == [first, later]
    ids = [later.id or 0, 424242, first.id]
    assert await store.get_photos(ids) == [later, first]  # type: ignore[arg-type]
    assert await store.get_photos([first.id], user_id=OTHER) == []

    assert await store.find_photo_by_hash(SELLER, "c3c3e1f0f0e1c3c3") == first
    assert await store.find_photo_by_hash(OTHER, "c3c3e1f0f0e1c3c3") is None


# ---- drafts --------------------------------------------------------------------------------


async def test_draft_round_trip_keeps_every_field(store: Store) -> None:
    batch = await new_batch(store)
    photos = [await new_photo(store, batch, i) for i in range(3)]
    draft = full_draft(batch, photos)
    defaults = Draft(user_id=0)
    # A field added to Draft later must be added here too, or this test cannot vouch for it.
    unset = [
        name
        for name in Draft.model_fields
        if name not in {"id", "created_at", "updated_at", "approved_at", "published_at"}
        and getattr(draft, name) == getattr(defaults, name)
    ]
    assert unset == []

    stored = await store.add_draft(draft)
    assert stored.id is not None
    assert stored_fields(stored) == stored_fields(draft)
    assert stored.photo_ids == [photos[2].id, photos[1].id, photos[0].id]
    assert stored.created_at == stored.updated_at == START
    assert stored.created_at is not None and stored.created_at.tzinfo is not None
    assert await store.get_draft(stored.id) == stored


async def test_a_bare_draft_round_trips_with_its_defaults(store: Store) -> None:
    stored = await store.add_draft(Draft(user_id=SELLER))
    assert stored.id is not None
    assert stored_fields(stored) == stored_fields(Draft(user_id=SELLER))
    assert stored.price is None and stored.condition is None and stored.batch_id is None


async def test_saving_an_edited_draft_rewrites_every_field(store: Store, clock: Clock) -> None:
    batch = await new_batch(store)
    photos = [await new_photo(store, batch, i) for i in range(3)]
    draft = await store.add_draft(
        Draft(user_id=SELLER, batch_id=batch.id, photo_ids=[photos[0].id or 0])
    )
    edited = full_draft(batch, photos).model_copy(
        update={"id": draft.id, "status": DraftStatus.DRAFT}
    )
    clock.advance(hours=2)
    saved = await store.save_draft(edited)
    assert stored_fields(saved) == stored_fields(edited)
    assert saved.created_at == START and saved.updated_at == START + timedelta(hours=2)
    assert await store.get_draft(draft.id or 0) == saved

    stranger = saved.model_copy(update={"user_id": OTHER, "title": "hijack"})
    with pytest.raises(LookupError):
        await store.save_draft(stranger)
    assert (await store.get_draft(draft.id or 0)) == saved


async def test_sellers_only_ever_see_their_own_drafts_and_batches(store: Store) -> None:
    mine = await new_batch(store)
    theirs = await new_batch(store, user_id=OTHER)
    my_draft = await store.add_draft(Draft(user_id=SELLER, batch_id=mine.id, title="mine"))
    their_draft = await store.add_draft(Draft(user_id=OTHER, batch_id=theirs.id, title="theirs"))

    assert await store.get_draft(my_draft.id or 0, user_id=SELLER) == my_draft
    assert await store.get_draft(their_draft.id or 0, user_id=SELLER) is None
    assert await store.get_batch(theirs.id or 0, user_id=SELLER) is None
    assert await store.get_batch(theirs.id or 0, user_id=OTHER) == theirs
    assert [d.title for d in await store.list_drafts(SELLER)] == ["mine"]
    assert await store.count_drafts(OTHER) == 1

    assert await store.delete_draft(their_draft.id or 0, SELLER) is False
    assert await store.get_draft(their_draft.id or 0) == their_draft
    assert await store.delete_draft(my_draft.id or 0, SELLER) is True
    assert await store.get_draft(my_draft.id or 0) is None


async def test_draft_list_pages_newest_first_and_filters_by_status(store: Store) -> None:
    drafts = [await store.add_draft(Draft(user_id=SELLER, title=f"item {i}")) for i in range(5)]
    await store.set_draft_status(drafts[1].id or 0, DraftStatus.APPROVED)
    await store.set_draft_status(drafts[3].id or 0, DraftStatus.PUBLISHED)

    page1 = await store.list_drafts(SELLER, limit=2)
    page2 = await store.list_drafts(SELLER, limit=2, offset=2)
    assert [d.title for d in page1 + page2] == ["item 4", "item 3", "item 2", "item 1"]
    waiting = await store.list_drafts(SELLER, [DraftStatus.DRAFT])
    assert [d.title for d in waiting] == ["item 4", "item 2", "item 0"]
    assert await store.count_drafts(SELLER, [DraftStatus.APPROVED, DraftStatus.PUBLISHED]) == 2
    assert await store.count_drafts(SELLER, []) == 0


async def test_batch_drafts_come_in_writing_order(store: Store) -> None:
    batch = await new_batch(store)
    other = await new_batch(store)
    a = await store.add_draft(Draft(user_id=SELLER, batch_id=batch.id, title="a"))
    await store.add_draft(Draft(user_id=SELLER, batch_id=other.id, title="x"))
    b = await store.add_draft(Draft(user_id=SELLER, batch_id=batch.id, title="b"))
    assert await store.batch_drafts(batch.id or 0) == [a, b]


async def test_status_changes_are_compare_and_set(store: Store, clock: Clock) -> None:
    draft = await store.add_draft(Draft(user_id=SELLER))
    draft_id = draft.id or 0
    assert await store.draft_times(draft_id) == (None, None)

    clock.advance(minutes=5)
    assert (
        await store.set_draft_status(
            draft_id, DraftStatus.PUBLISHING, expected=DraftStatus.APPROVED
        )
        is False
    )
    assert (await store.get_draft(draft_id)).status == DraftStatus.DRAFT  # type: ignore[union-attr]
    assert await store.set_draft_status(draft_id, DraftStatus.APPROVED, expected=DraftStatus.DRAFT)
    approved_at = START + timedelta(minutes=5)
    assert await store.draft_times(draft_id) == (approved_at, None)

    # Two publishers racing for the same approved draft: only one may take it.
    results = await asyncio.gather(
        *(
            store.set_draft_status(draft_id, DraftStatus.PUBLISHING, expected=DraftStatus.APPROVED)
            for _ in range(5)
        )
    )
    assert sorted(results) == [False, False, False, False, True]

    clock.advance(minutes=1)
    assert await store.set_draft_status(draft_id, DraftStatus.PUBLISHED)
    assert await store.draft_times(draft_id) == (approved_at, START + timedelta(minutes=6))
    assert await store.set_draft_status(424242, DraftStatus.APPROVED) is False


async def test_taking_an_approved_draft_back_clears_its_approval(store: Store) -> None:
    draft = await store.add_draft(Draft(user_id=SELLER, status=DraftStatus.APPROVED))
    assert (await store.draft_times(draft.id or 0))[0] == START
    await store.save_draft(draft.model_copy(update={"status": DraftStatus.DRAFT}))
    assert await store.draft_times(draft.id or 0) == (None, None)


async def test_deleting_a_draft_keeps_photos_another_draft_shows(store: Store) -> None:
    batch = await new_batch(store)
    shared, own = await new_photo(store, batch, 0), await new_photo(store, batch, 1)
    first = await store.add_draft(
        Draft(user_id=SELLER, batch_id=batch.id, photo_ids=[own.id or 0, shared.id or 0])
    )
    second = await store.add_draft(
        Draft(user_id=SELLER, batch_id=batch.id, photo_ids=[shared.id or 0])
    )
    assert await store.delete_draft(first.id or 0, SELLER)
    assert await store.get_photos([shared.id or 0, own.id or 0]) == [shared, own]
    kept = await store.get_draft(second.id or 0)
    assert kept is not None and kept.photo_ids == [shared.id]


async def test_concurrent_writers_never_mix_their_transactions(store: Store) -> None:
    batch = await new_batch(store)
    photos = [await new_photo(store, batch, i) for i in range(10)]

    async def one(i: int) -> Draft:
        draft = await store.add_draft(
            Draft(user_id=SELLER, batch_id=batch.id, title=f"t{i}", photo_ids=[photos[i].id or 0])
        )
        return await store.save_draft(draft.model_copy(update={"title": f"saved {i}"}))

    drafts = await asyncio.gather(*(one(i) for i in range(10)))
    for i, draft in enumerate(drafts):
        stored = await store.get_draft(draft.id or 0)
        assert stored is not None
        assert (stored.title, stored.photo_ids) == (f"saved {i}", [photos[i].id])


# ---- publishing ----------------------------------------------------------------------------


async def test_a_publish_key_can_be_claimed_once(store: Store, clock: Clock) -> None:
    draft = await store.add_draft(Draft(user_id=SELLER, status=DraftStatus.APPROVED))
    draft_id = draft.id or 0
    attempt_id = await store.claim_publish(draft_id, SELLER, "d1:v1")
    assert attempt_id is not None
    assert await store.claim_publish(draft_id, SELLER, "d1:v1") is None

    [running] = await store.open_publish_attempts()
    assert (running.id, running.draft_id, running.user_id, running.status) == (
        attempt_id,
        draft_id,
        SELLER,
        "running",
    )
    assert running.started_at == START and running.finished_at is None
    assert await store.open_publish_attempts(user_id=OTHER) == []

    clock.advance(seconds=40)
    assert await store.finish_publish(
        attempt_id, OUTCOME_PUBLISHED, detail={"url": "https://x/1", "é": 1}, vinted_item_id=99
    )
    assert await store.finish_publish(attempt_id, OUTCOME_FAILED) is False  # already closed
    assert await store.open_publish_attempts() == []
    done = await store.get_publish_attempt("d1:v1")
    assert done is not None
    assert (done.status, done.outcome, done.vinted_item_id) == ("finished", "published", 99)
    assert done.detail == {"url": "https://x/1", "é": 1}
    assert done.finished_at == START + timedelta(seconds=40)
    assert await store.draft_publish_attempts(draft_id) == [done]

    # The key still refuses after the draft is gone: a deleted draft is never re-published.
    await store.delete_draft(draft_id, SELLER)
    assert await store.claim_publish(draft_id, SELLER, "d1:v1") is None
    kept = await store.get_publish_attempt("d1:v1")
    assert kept is not None and kept.draft_id is None


async def test_two_tasks_claiming_the_same_key_get_one_attempt(store: Store) -> None:
    draft = await store.add_draft(Draft(user_id=SELLER))
    claims = await asyncio.gather(
        *(store.claim_publish(draft.id or 0, SELLER, "same-key") for _ in range(8))
    )
    assert len([c for c in claims if c is not None]) == 1


async def test_two_processes_claiming_the_same_key_get_one_attempt(
    store: Store, data_dir: Path
) -> None:
    draft = await store.add_draft(Draft(user_id=SELLER))
    second = await Store.open(data_dir / "bot.db")
    try:
        claims = await asyncio.gather(
            *(
                s.claim_publish(draft.id or 0, SELLER, f"key-{i // 2}")
                for i, s in enumerate([store, second] * 4)
            )
        )
    finally:
        await second.close()
    # Keys key-0..key-3 were each tried once by each store: one win per key.
    winners = [c for c in claims if c is not None]
    assert len(winners) == 4 and len(set(winners)) == 4
    assert len(await store.open_publish_attempts()) == 4


# ---- vinted sessions and events ------------------------------------------------------------


async def test_vinted_session_is_stored_replaced_and_forgotten(store: Store) -> None:
    assert await store.get_vinted_session(SELLER) is None
    session = VintedSession(
        user_id=SELLER,
        encrypted=bytes(range(256)),
        username="marie_vend",
        checked_at=START,
        last_publish_at=START + timedelta(hours=1),
        status="ok",
    )
    await store.put_vinted_session(session)
    assert await store.get_vinted_session(SELLER) == session
    expired = session.model_copy(update={"status": "expired", "encrypted": b"new"})
    await store.put_vinted_session(expired)
    assert await store.get_vinted_session(SELLER) == expired
    assert await store.get_vinted_session(OTHER) is None
    assert await store.delete_vinted_session(SELLER) is True
    assert await store.delete_vinted_session(SELLER) is False
    assert await store.get_vinted_session(SELLER) is None


async def test_events_are_logged_and_read_back_newest_first(store: Store, clock: Clock) -> None:
    await store.log_event(SELLER, "batch_started", {"photos": 3})
    clock.advance(hours=1)
    await store.log_event(OTHER, "batch_started", {})
    await store.log_event(SELLER, "draft_approved", {"draft_id": 7, "titre": "Robe été"})
    await store.log_event(None, "bot_started")

    mine = await store.list_events(SELLER)
    assert [(e.kind, e.data) for e in mine] == [
        ("draft_approved", {"draft_id": 7, "titre": "Robe été"}),
        ("batch_started", {"photos": 3}),
    ]
    assert mine[1].created_at == START
    recent = await store.list_events(since=START + timedelta(minutes=30))
    assert [e.kind for e in recent] == ["bot_started", "draft_approved", "batch_started"]
    started = await store.list_events(kinds=["batch_started"])
    assert [e.user_id for e in started] == [OTHER, SELLER]


# ---- purge ---------------------------------------------------------------------------------


async def test_purge_removes_stale_unapproved_drafts_and_their_unshared_photos(
    store: Store, clock: Clock, data_dir: Path
) -> None:
    old = await new_batch(store, status=BatchStatus.DONE)
    p = [await new_photo(store, old, i, data_dir) for i in range(5)]
    stale = await store.add_draft(
        Draft(user_id=SELLER, batch_id=old.id, photo_ids=[p[0].id or 0, p[1].id or 0])
    )
    approved = await store.add_draft(
        Draft(user_id=SELLER, batch_id=old.id, photo_ids=[p[2].id or 0])
    )
    await store.set_draft_status(approved.id or 0, DraftStatus.APPROVED)
    analysis_failed = await store.add_draft(
        Draft(user_id=SELLER, batch_id=old.id, photo_ids=[p[3].id or 0], status="failed")
    )
    publish_failed = await store.add_draft(
        Draft(user_id=SELLER, batch_id=old.id, photo_ids=[p[4].id or 0], status="approved")
    )
    await store.set_draft_status(publish_failed.id or 0, DraftStatus.FAILED)
    emptied = await new_batch(store, status=BatchStatus.DONE)
    lonely = await new_photo(store, emptied, 0, data_dir)
    await store.add_draft(Draft(user_id=SELLER, batch_id=emptied.id, photo_ids=[lonely.id or 0]))
    interrupted = await new_batch(store, status=BatchStatus.ANALYSING)
    waiting = await new_photo(store, interrupted, 0, data_dir)
    await store.log_event(SELLER, "ancient")

    clock.advance(days=25)
    # A recent draft reuses one of the stale draft's photos: that photo must stay.
    recent = await store.add_draft(
        Draft(user_id=SELLER, batch_id=old.id, photo_ids=[p[1].id or 0])
    )
    fresh_batch = await new_batch(store, status=BatchStatus.DONE)
    fresh_photo = await new_photo(store, fresh_batch, 0, data_dir)
    fresh = await store.add_draft(
        Draft(user_id=SELLER, batch_id=fresh_batch.id, photo_ids=[fresh_photo.id or 0])
    )
    await store.log_event(SELLER, "recent")

    def on_disk(photo: Photo) -> bool:
        exists = [(data_dir / rel).exists() for rel in (photo.path, photo.vision_path)]
        assert exists[0] == exists[1]
        return exists[0]

    clock.advance(days=10)  # 35 days after the first photos
    result = await store.purge(clock.now, data_dir)
    assert result.model_dump() == {"drafts": 3, "photos": 3, "files": 6, "batches": 1, "events": 0}
    assert await store.get_draft(stale.id or 0) is None
    assert await store.get_draft(analysis_failed.id or 0) is None
    for kept in (approved, publish_failed, recent, fresh):
        assert await store.get_draft(kept.id or 0) is not None
    assert [on_disk(x) for x in p] == [False, True, True, False, True]
    assert await store.get_photos([x.id or 0 for x in p]) == [p[1], p[2], p[4]]
    assert not on_disk(lonely) and await store.get_batch(emptied.id or 0) is None
    assert not (data_dir / "photos" / str(SELLER) / str(emptied.id)).exists()
    assert on_disk(waiting) and await store.get_batch(interrupted.id or 0) is not None
    assert (data_dir / "photos").is_dir()

    clock.advance(days=65)  # the ancient event is 100 days old, the recent drafts 75
    result = await store.purge(clock.now, data_dir)
    assert result.model_dump() == {"drafts": 2, "photos": 2, "files": 4, "batches": 1, "events": 1}
    assert not on_disk(p[1]) and not on_disk(fresh_photo)
    assert [e.kind for e in await store.list_events(SELLER)] == ["recent"]
    assert [d.id for d in await store.list_drafts(SELLER)] == [publish_failed.id, approved.id]
    assert on_disk(waiting) and on_disk(p[2]) and on_disk(p[4])

    again = await store.purge(clock.now, data_dir)
    assert again.model_dump() == {"drafts": 0, "photos": 0, "files": 0, "batches": 0, "events": 0}


async def test_purge_never_deletes_outside_the_data_dir(
    store: Store, clock: Clock, tmp_path: Path, data_dir: Path
) -> None:
    outside = tmp_path / "precious.jpg"
    outside.write_bytes(b"not ours")
    batch = await new_batch(store, status=BatchStatus.DONE)
    await store.add_photo(
        Photo(
            user_id=SELLER,
            batch_id=batch.id or 0,
            position=0,
            path="../precious.jpg",
            vision_path=str(outside),
        )
    )
    clock.advance(days=31)
    result = await store.purge(clock.now, data_dir)
    assert result.photos == 1 and result.files == 0
    assert outside.read_bytes() == b"not ours"


# ---- stats ---------------------------------------------------------------------------------


async def test_stats_sum_up_the_sellers_recent_activity(store: Store, clock: Clock) -> None:
    last_month = await new_batch(store, photos_done=40)
    await store.add_draft(
        Draft(user_id=SELLER, batch_id=last_month.id, usage=Usage(prompt_tokens=9000))
    )
    clock.advance(days=10)
    since = clock.now

    batch = await new_batch(store, photos_done=5)
    ready = await store.add_draft(
        Draft(
            user_id=SELLER,
            batch_id=batch.id,
            publish_ready=True,
            usage=Usage(prompt_tokens=100, completion_tokens=20),
        )
    )
    await store.add_draft(
        Draft(
            user_id=SELLER, batch_id=batch.id, usage=Usage(prompt_tokens=50, completion_tokens=10)
        )
    )
    await store.add_draft(
        Draft(
            user_id=SELLER,
            batch_id=batch.id,
            status=DraftStatus.FAILED,
            error="vision_timeout",
            usage=Usage(prompt_tokens=30),
        )
    )
    await store.set_draft_status(ready.id or 0, DraftStatus.APPROVED)
    await store.set_draft_status(ready.id or 0, DraftStatus.PUBLISHED)
    first = await store.claim_publish(ready.id or 0, SELLER, "try-1")
    await store.finish_publish(first or 0, OUTCOME_FAILED, detail={"error": "captcha"})
    second = await store.claim_publish(ready.id or 0, SELLER, "try-2")
    await store.finish_publish(second or 0, OUTCOME_PUBLISHED, vinted_item_id=5)
    theirs = await new_batch(store, user_id=OTHER, photos_done=7)
    await store.add_draft(Draft(user_id=OTHER, batch_id=theirs.id, publish_ready=True))

    assert await store.stats(SELLER, since) == {
        "photos_analysed": 5,
        "drafts": 3,
        "ready": 1,
        "ready_share": pytest.approx(1 / 3),
        "published": 1,
        "failed": 1,
        "publish_failed": 1,
        "prompt_tokens": 180,
        "completion_tokens": 30,
    }
    everything = await store.stats(SELLER, START)
    assert (everything["photos_analysed"], everything["prompt_tokens"]) == (45, 9180)
    nothing = await store.stats(SELLER, clock.now + timedelta(seconds=1))
    assert nothing["drafts"] == 0 and nothing["ready_share"] == 0.0
