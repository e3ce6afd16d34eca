"""The database keeps every seller's work across restarts and upgrades without losing a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.db import Database
from core.drafts.models import DraftStatus
from core.migrations import MIGRATIONS, SchemaError, split_sql
from core.services import Repositories
from tests.helpers import SELLER, START, Clock


async def test_first_start_creates_the_data_dir_and_a_wal_database(data_dir: Path) -> None:
    db = await Database.open(data_dir / "bot.db")
    try:
        assert (data_dir / "bot.db").is_file()
        assert await db.schema_version() == len(MIGRATIONS)
    finally:
        await db.close()
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_foreign_keys_are_enforced(repos: Repositories) -> None:
    from core.drafts.models import Draft
    from core.intake.models import Photo

    with pytest.raises(sqlite3.IntegrityError):
        await repos.batches.add_photo(
            Photo(user_id=SELLER, batch_id=999, position=0, path="a.jpg", vision_path="b.jpg")
        )
    with pytest.raises(sqlite3.IntegrityError):
        await repos.drafts.add(Draft(user_id=SELLER, photo_ids=[12345]))
    # The failed insert was rolled back whole: no draft without its photos was left behind.
    assert await repos.drafts.count(SELLER) == 0


async def test_reopening_an_up_to_date_database_changes_nothing(
    data_dir: Path, clock: Clock
) -> None:
    first = await Database.open(data_dir / "bot.db", clock=clock)
    await Repositories.over(first, "vinted").sellers.ensure(SELLER)
    await first.close()

    def schema() -> list[tuple[str, str]]:
        with sqlite3.connect(data_dir / "bot.db") as raw:
            return raw.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()

    before = schema()
    for _ in range(2):
        again = await Database.open(data_dir / "bot.db", clock=clock)
        assert await again.schema_version() == len(MIGRATIONS)
        assert await Repositories.over(again, "vinted").sellers.get(SELLER) is not None
        await again.close()
    assert schema() == before


async def test_an_appended_migration_upgrades_an_existing_database(
    data_dir: Path, clock: Clock
) -> None:
    old = await Database.open(data_dir / "bot.db", clock=clock)
    await Repositories.over(old, "vinted").sellers.set_meta("owner", str(SELLER))
    await old.close()

    later = (
        *MIGRATIONS,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
        "-- a comment, then a statement with a semicolon inside a string\n"
        "INSERT INTO notes (body) VALUES ('a; b');",
    )
    new = await Database.open(data_dir / "bot.db", clock=clock, migrations=later)
    assert await new.schema_version() == len(MIGRATIONS) + 1
    assert await Repositories.over(new, "vinted").sellers.get_meta("owner") == str(SELLER)
    await new.close()
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("SELECT body FROM notes").fetchall() == [("a; b",)]


async def test_a_failing_migration_leaves_the_database_as_it_was(
    data_dir: Path, clock: Clock
) -> None:
    db = await Database.open(data_dir / "bot.db", clock=clock)
    await db.close()
    broken = (*MIGRATIONS, "CREATE TABLE half (x);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        await Database.open(data_dir / "bot.db", clock=clock, migrations=broken)
    with sqlite3.connect(data_dir / "bot.db") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables


async def test_a_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "bot.db") as raw:
        raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(SchemaError, match="newer version"):
        await Database.open(tmp_path / "bot.db")


def test_migration_scripts_split_into_single_statements() -> None:
    script = (
        "CREATE TABLE a (x TEXT DEFAULT ';');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 'y;'; END;\n"
        "-- trailing comment"
    )
    statements = split_sql(script)
    assert statements[0] == "CREATE TABLE a (x TEXT DEFAULT ';');"
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    assert len(statements) == 2
    assert all(sqlite3.complete_statement(s) for s in statements)
    assert len(split_sql(MIGRATIONS[0])) > 10


async def test_a_database_of_the_previous_layout_keeps_every_listing_and_session(
    tmp_path: Path, clock: Clock
) -> None:
    """A bot that published with the one-table layout upgrades without losing a row."""
    path = tmp_path / "bot.db"
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:2]:
            for statement in split_sql(script):
                raw.execute(statement)
        raw.execute("PRAGMA user_version = 2")
        now = START.isoformat()
        raw.execute(
            "INSERT INTO users (user_id, settings, created_at) VALUES (?, ?, ?)",
            (SELLER, '{"grouping": "album", "awaiting": {"connect": 1}}', now),
        )
        for draft_id, status, item, url in (
            (1, "published", 4012, "https://www.vinted.fr/items/4012"),
            (2, "published", 4013, None),  # saved as a Vinted draft
            (3, "queued", None, None),
            (4, "draft", None, None),
        ):
            raw.execute(
                "INSERT INTO drafts (id, user_id, language, status, title, vinted_item_id,"
                " vinted_url, created_at, updated_at, published_at) VALUES"
                " (?, ?, 'fr', ?, ?, ?, ?, ?, ?, ?)",
                (draft_id, SELLER, status, f"item {draft_id}", item, url, now, now, now),
            )
        raw.execute(
            "INSERT INTO vinted_sessions (user_id, encrypted, username, status, vinted_user_id,"
            " last_publish_at) VALUES (?, ?, 'marie', 'active', 9111, ?)",
            (SELLER, b"\x01sealed", now),
        )
        raw.execute(
            "INSERT INTO publish_accounts (user_id, paused_reason) VALUES (?, 'captcha')",
            (SELLER,),
        )
        raw.execute(
            "INSERT INTO publish_attempts (draft_id, user_id, idempotency_key, status,"
            " started_at, vinted_item_id) VALUES (1, ?, 'draft:1:v1', 'finished', ?, 4012)",
            (SELLER, now),
        )

    db = await Database.open(path, clock=clock)
    try:
        repos = Repositories.over(db, "vinted")
        listed = await repos.drafts.get(1)
        assert listed is not None and listed.publication is not None
        assert (listed.publication.item_id, listed.publication.url) == (
            "4012",
            "https://www.vinted.fr/items/4012",
        )
        saved = await repos.drafts.get(2)
        assert saved is not None and saved.publication is not None
        assert saved.publication.is_draft and saved.publication.url is None
        queued = await repos.drafts.get(3)
        assert queued is not None and queued.status is DraftStatus.APPROVED
        fresh = await repos.drafts.get(4)
        assert fresh is not None and fresh.publication is None and fresh.version == 1
        session = await repos.sessions.get(SELLER)
        assert session is not None
        assert (session.encrypted, session.username, session.account_id) == (
            b"\x01sealed",
            "marie",
            "9111",
        )
        assert (await repos.waiting.account(SELLER)).paused_reason == "captcha"
        [attempt] = await repos.attempts.attempts_of(1)
        assert attempt.item_id == 4012 and attempt.marketplace == "vinted"
        seller = await repos.sellers.get(SELLER)
        assert seller is not None and seller.settings.grouping == "album"
        assert await repos.sellers.get_awaiting(SELLER) is None
    finally:
        await db.close()
