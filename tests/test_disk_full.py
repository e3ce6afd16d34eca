"""A full disk: the photo that does not fit is named, nothing stored before is lost."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import FakeTelegram
from tests.test_bot import SELLER, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """DATA_DIR/photos on a real 128 KB file system (tmpfs): writes past it fail with ENOSPC."""
    photos = tmp_path / "data" / "photos"
    photos.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=128k,mode=0700", "tmpfs", str(photos)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root: " + mounted.stderr.decode())
    try:
        yield photos
    finally:
        subprocess.run(["umount", "-l", str(photos)], check=False)


async def test_photos_that_do_not_fit_are_named_and_the_rest_is_drafted(
    tmp_path: Path, small_disk: Path
) -> None:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        app, services = await start_bot(make_settings(tg, ai, tmp_path))
        try:
            tg.user_sends_album(SELLER, [photo(i) for i in range(8)], caption="Zara taille M")
            notice = await tg.wait_for_message(SELLER, "plus de place", timeout=60)
            await tg.wait_for_message(SELLER, lambda m: m.content.startswith("Terminé"))
            drafts = await services.repos.drafts.page(SELLER.id)
        finally:
            await stop_bot(app, services)

    kept = [photo_id for d in drafts for photo_id in d.photo_ids]
    assert drafts and kept  # what fitted became a draft
    assert "renvoyez-la plus tard" in notice.content and "Traceback" not in notice.content
    assert len(files(small_disk, "*.jpg")) == 2 * len(kept)  # each kept photo, both sizes
    assert files(small_disk, "*.tmp") == []  # nothing half-written left


def files(directory: Path, pattern: str) -> list[str]:
    return sorted(p.name for p in directory.rglob(pattern))
