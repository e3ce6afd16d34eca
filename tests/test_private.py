"""The data directory is the bot's alone: 0700 directories and 0600 files, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import Database
from core.private import lock_down, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def careless_umask() -> Iterator[None]:
    before = os.umask(0)  # a umask of 0 would make every new file world-readable
    try:
        yield
    finally:
        os.umask(before)


async def test_the_database_and_its_journal_files_are_private(
    tmp_path: Path, careless_umask: None
) -> None:
    db = await Database.open(tmp_path / "data" / "bot.db")
    try:
        await db.execute("CREATE TABLE t (x)")  # the WAL and shared-memory files exist now
        files = sorted((tmp_path / "data").iterdir())
        assert {p.name for p in files} >= {"bot.db", "bot.db-wal", "bot.db-shm"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(tmp_path / "data") == 0o700
    finally:
        await db.close()


def test_written_files_are_private_and_whole(tmp_path: Path, careless_umask: None) -> None:
    target = tmp_path / "data" / "photos" / "1" / "a.jpg"
    write_private(target, b"jpeg bytes")
    write_private(target, b"replaced")
    assert target.read_bytes() == b"replaced"
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["a.jpg"]  # no temporary file left


def test_an_existing_data_dir_is_locked_down_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "photos" / "3").mkdir(parents=True)
    (data / "photos" / "3" / "x.jpg").write_bytes(b"x")
    (data / "bot.db").write_bytes(b"")
    for path in (data, data / "photos", data / "photos" / "3"):
        path.chmod(0o755)
    for path in (data / "bot.db", data / "photos" / "3" / "x.jpg"):
        path.chmod(0o644)
    lock_down(data)
    assert mode(data) == mode(data / "photos") == mode(data / "photos" / "3") == 0o700
    assert mode(data / "bot.db") == mode(data / "photos" / "3" / "x.jpg") == 0o600
