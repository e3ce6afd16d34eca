"""The analysis service: a seller's photos in, checked and priced drafts out."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from core.drafts.models import Draft, DraftStatus
from core.images import ImageRejected
from core.intake.models import BatchStatus
from core.intake.service import DuplicatePhoto
from core.models import GroupingMode, Progress
from core.services import Services
from tests.conftest import CLOTHES, TESTDATA, core_services
from tests.fakes.openai import FakeOpenAIServer, Status

SELLER = 4242


@pytest.fixture
async def services(ai: FakeOpenAIServer, tmp_path: Path) -> AsyncIterator[Services]:
    # Items in a known order, so scripted failures hit one item.
    services = await core_services(
        ai, tmp_path / "data", openai_max_retries=1, analysis_concurrency=1
    )
    yield services
    await services.close()


async def send(services: Services, photos: list[tuple[Path, str | None]], **batch_kw: object):
    """Store photos as one batch the way the bot does, and close it."""
    batch = await services.intake.start_batch(SELLER, **batch_kw)  # type: ignore[arg-type]
    for path, album in photos:
        await services.intake.add_photo(batch, path.read_bytes(), path.name, album_key=album)
    assert batch.id is not None
    await services.intake.close_batch(batch.id)
    return batch


async def test_two_albums_become_two_priced_ready_drafts(services: Services) -> None:
    batch = await send(
        services,
        [(CLOTHES[0], "A"), (CLOTHES[1], "A"), (CLOTHES[2], "B")],
        hint="Zara taille M",
    )
    seen: list[Progress] = []

    async def progress(p: Progress) -> None:
        seen.append(p)

    drafts = await services.drafting.analyse_batch(batch.id, progress)  # type: ignore[arg-type]

    assert len(drafts) == 2
    assert sorted(len(d.photo_ids) for d in drafts) == [1, 2]
    for draft in drafts:
        assert draft.status is DraftStatus.DRAFT
        assert draft.publish_ready, draft.missing
        assert draft.brand == "Zara" and draft.size == "M"
        assert draft.price is not None
        assert 0 < draft.price.min <= draft.price.target <= draft.price.max
        assert 3 <= len(draft.hashtags) <= 5
        assert draft.usage.prompt_tokens > 0
    stored = await services.repos.drafts.of_batch(batch.id)  # type: ignore[arg-type]
    assert {d.id for d in stored} == {d.id for d in drafts}
    final = await services.repos.batches.get(batch.id)  # type: ignore[arg-type]
    assert final is not None and final.status is BatchStatus.DONE
    assert (seen[-1].photos_processed, seen[-1].items_found, seen[-1].drafts_written) == (3, 2, 2)
    assert [p.drafts_written for p in seen] == sorted(p.drafts_written for p in seen)


async def test_photo_files_are_stored_before_analysis_without_metadata(
    services: Services,
) -> None:
    batch = await send(services, [(TESTDATA / "heic" / "IMG_2927.HEIC", None)])
    photos = await services.repos.batches.photos(batch.id)  # type: ignore[arg-type]
    assert len(photos) == 1
    data_dir = services.settings.data_dir
    with (
        Image.open(data_dir / photos[0].path) as big,
        Image.open(data_dir / photos[0].vision_path) as small,
    ):
        assert max(big.size) == 1600 and max(small.size) == 1024
        assert not big.getexif()
    assert photos[0].phash


async def test_bad_and_duplicate_photos_are_refused_and_the_rest_goes_on(
    services: Services,
) -> None:
    batch = await services.intake.start_batch(SELLER)
    await services.intake.add_photo(batch, CLOTHES[3].read_bytes(), "a.jpg")
    with pytest.raises(ImageRejected) as bad:
        await services.intake.add_photo(batch, b"", "empty.jpg")
    assert bad.value.reason == "empty" and "empty.jpg" in str(bad.value)
    with pytest.raises(ImageRejected):
        await services.intake.add_photo(
            batch, (TESTDATA / "heic" / "BROKEN_corrupted.hif").read_bytes(), "broken.hif"
        )
    # The same photo again, re-encoded by the phone app, is spotted.
    buf = io.BytesIO()
    with Image.open(CLOTHES[3]) as img:
        img.save(buf, "JPEG", quality=70)
    with pytest.raises(DuplicatePhoto):
        await services.intake.add_photo(batch, buf.getvalue(), "again.jpg")
    await services.intake.add_photo(batch, CLOTHES[4].read_bytes(), "b.jpg")
    await services.intake.close_batch(batch.id)  # type: ignore[arg-type]
    assert [p.source_name for p in await services.repos.batches.photos(batch.id)] == [  # type: ignore[arg-type]
        "a.jpg",
        "b.jpg",
    ]


async def test_unavailable_ai_fails_one_item_and_the_others_are_written(
    services: Services, ai: FakeOpenAIServer
) -> None:
    batch = await send(services, [(CLOTHES[0], "A"), (CLOTHES[1], "B")], mode=GroupingMode.ALBUM)
    # Album mode makes no grouping call: the first draft call fails for good, the second works.
    ai.script(Status(500), Status(500))
    drafts = await services.drafting.analyse_batch(batch.id)  # type: ignore[arg-type]
    statuses = sorted(d.status.value for d in drafts)
    assert statuses == ["draft", "failed"]
    failed = next(d for d in drafts if d.status is DraftStatus.FAILED)
    assert failed.error == "ai_unavailable"
    assert failed.photo_ids  # its photos are kept for a Retry

    retried = await services.drafting.regenerate(failed)
    assert retried.status is DraftStatus.DRAFT and retried.id == failed.id and retried.title


async def test_emoji_and_marketing_phrases_are_fixed_before_the_seller_sees_them(
    services: Services, ai: FakeOpenAIServer
) -> None:
    ai.set_default_draft(
        title="Magnifique sweat Nike taille L 🔥",
        description=[
            "Sweat à capuche Nike, parfait pour toutes les occasions ✨.",
            "Couleur : gris.",
            "Taille : L.",
            "Coton.",
            "Très bon état.",
        ],
        hashtags=["#nike", "#sweat", "#gris"],
        brand="Nike",
        size="L",
        size_on_label="L",
        category="men_hoodies",
    )
    batch = await send(services, [(CLOTHES[5], None)])
    [draft] = await services.drafting.analyse_batch(batch.id)  # type: ignore[arg-type]
    assert "🔥" not in draft.title and "✨" not in draft.description
    assert "magnifique" not in draft.title.lower()
    assert "parfait pour" not in draft.description.lower()
    assert draft.publish_ready, draft.missing
    assert len(ai.requests_named("correction")) == 1
    # A Nike hoodie is priced by the rules, whatever the model thought.
    assert draft.price is not None and draft.price.target >= 25


async def test_unreadable_size_is_shown_to_confirm_and_not_ready(services: Services) -> None:
    batch = await send(services, [(CLOTHES[6], None)])  # no hint: the fake sees no size label
    [draft] = await services.drafting.analyse_batch(batch.id)  # type: ignore[arg-type]
    assert draft.size == "Taille non visible"
    assert "size" in draft.to_confirm and not draft.publish_ready
    assert "size_to_confirm" in draft.missing


async def test_one_item_mode_skips_grouping(services: Services, ai: FakeOpenAIServer) -> None:
    batch = await send(
        services,
        [(CLOTHES[7], "A"), (CLOTHES[8], "B"), (CLOTHES[9], None)],
        mode=GroupingMode.ONE,
    )
    drafts = await services.drafting.analyse_batch(batch.id)  # type: ignore[arg-type]
    assert len(drafts) == 1 and len(drafts[0].photo_ids) == 3
    assert ai.requests_named("grouping") == []


async def test_interrupted_batch_resumes_without_duplicating_items(
    services: Services, ai: FakeOpenAIServer
) -> None:
    batch = await send(services, [(CLOTHES[10], "A"), (CLOTHES[11], "B")], mode=GroupingMode.ALBUM)
    photos = await services.repos.batches.photos(batch.id)  # type: ignore[arg-type]
    # A first run wrote the draft of album A, then the process died.
    await services.repos.drafts.add(
        Draft(user_id=SELLER, batch_id=batch.id, photo_ids=[photos[0].id], title="Jupe")  # type: ignore[list-item]
    )
    await services.repos.batches.update(batch.id, status=BatchStatus.ANALYSING)  # type: ignore[arg-type]
    assert [b.id for b in await services.repos.batches.unfinished()] == [batch.id]

    drafts = await services.drafting.analyse_batch(batch.id)  # type: ignore[arg-type]

    assert len(drafts) == 2
    assert len(ai.requests_named("draft")) == 1  # only album B was analysed
    assert await services.repos.batches.unfinished() == []


async def test_command_line_prints_drafts_as_json(ai: FakeOpenAIServer, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": ai.base_url,
        "DATA_DIR": str(tmp_path / "data"),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core",
        "analyze",
        str(CLOTHES[12]),
        str(CLOTHES[13]),
        str(TESTDATA / "heic" / "BROKEN_corrupted.hif"),
        "--mode",
        "one",
        "--hint",
        "Levi's taille 32",
        "--quiet",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, err.decode()
    result = json.loads(out)
    [draft] = result["drafts"]
    assert draft["brand"] == "Levi's" and len(draft["photo_ids"]) == 2
    assert result["rejected"][0]["file"].endswith("BROKEN_corrupted.hif")


async def test_command_line_names_a_missing_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core",
        "analyze",
        str(CLOTHES[0]),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 2
    assert "OPENAI_API_KEY" in err.decode() and "Traceback" not in err.decode()


async def test_command_line_purge_prints_what_it_removed(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core",
        "purge",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, err.decode()
    assert json.loads(out)["drafts"] == 0


async def test_old_screenshots_are_purged_and_recent_ones_kept(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from core.db import Database
    from core.purge import Purge

    data_dir = tmp_path / "data"
    shots = data_dir / "screenshots"
    shots.mkdir(parents=True)
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    old, recent = shots / "20261120-captcha.png", shots / "20261201-publish.png"
    for path, moment in ((old, now - timedelta(days=8)), (recent, now - timedelta(days=1))):
        path.write_bytes(b"\x89PNG")
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    db = await Database.open(data_dir / "bot.db")
    try:
        result = await Purge(db, data_dir).run(now)
    finally:
        await db.close()
    assert result.screenshots == 1
    assert not old.exists() and recent.exists()
