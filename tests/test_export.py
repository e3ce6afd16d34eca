"""The seller downloads everything: drafts as JSON and CSV, and the photos Vinted would get."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.accounts.repository import StoredSession
from core.config import load_settings
from core.drafts.export import (
    CSV_COLUMNS,
    export_filename,
    export_user,
    write_export,
    write_export_parts,
)
from core.drafts.models import Draft
from core.models import Condition, GroupingMode, Price
from core.services import Services, build_services
from tests.fakes.openai import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))
SELLER = 4242
OTHER = 5151
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
SESSION_BLOB = b"ENCRYPTED-SESSION-do-not-export"
SESSION_USER = "vinted-username-do-not-export"


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with FakeOpenAIServer() as ai:
        settings = load_settings(
            data_dir=tmp_path / "data",
            openai_api_key="sk-test-do-not-export",
            openai_base_url=ai.base_url,
            openai_max_retries=0,
            _env_file=None,
        )
        services = await build_services(settings)
        yield services
        await services.close()


async def analyse(services: Services, user_id: int, albums: list[list[Path]]) -> list[Draft]:
    """Send one album per item with the caption "Zara taille M" and return the drafts."""
    drafting = services.drafting
    batch = await services.intake.start_batch(
        user_id, mode=GroupingMode.ALBUM, hint="Zara taille M"
    )
    for album, paths in enumerate(albums):
        for path in paths:
            await services.intake.add_photo(
                batch, path.read_bytes(), path.name, album_key=str(album)
            )
    assert batch.id is not None
    await services.intake.close_batch(batch.id)
    return sorted(await drafting.analyse_batch(batch.id), key=lambda d: d.id or 0)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


async def test_export_holds_every_draft_as_json_and_csv_and_its_photos(
    services: Services,
) -> None:
    exporter, data_dir = services.exporter, services.settings.data_dir
    drafts = await analyse(services, SELLER, [[CLOTHES[0], CLOTHES[1]], [CLOTHES[2]]])
    await analyse(services, OTHER, [[CLOTHES[3]]])  # someone else's: never exported
    await services.repos.sessions.put(
        StoredSession(
            user_id=SELLER, marketplace="vinted", encrypted=SESSION_BLOB, username=SESSION_USER
        )
    )

    files = members(await export_user(exporter, SELLER, now=NOW))

    # The two items are drafted side by side: whichever finished first has the lower id.
    second, first = sorted(drafts, key=lambda d: len(d.photo_ids))
    assert set(files) == {
        "drafts.json",
        "drafts.csv",
        f"photos/{first.id}/1.jpg",
        f"photos/{first.id}/2.jpg",
        f"photos/{second.id}/1.jpg",
    }
    # The photos are the stored Vinted-sized JPEGs, byte for byte, cover first.
    for draft in drafts:
        photos = await services.repos.batches.get_photos(draft.photo_ids)
        for n, photo in enumerate(photos, start=1):
            assert files[f"photos/{draft.id}/{n}.jpg"] == (data_dir / photo.path).read_bytes()

    document = json.loads(files["drafts.json"])
    assert document["exported_at"] == NOW.isoformat()
    assert [d["id"] for d in document["drafts"]] == sorted([first.id, second.id])  # oldest first
    exported = next(d for d in document["drafts"] if d["id"] == first.id)
    assert Draft.model_validate(exported) == first
    assert exported["category_path_fr"][0] == "Femmes"
    assert exported["photo_files"] == [f"photos/{first.id}/1.jpg", f"photos/{first.id}/2.jpg"]

    rows = list(csv.DictReader(io.StringIO(files["drafts.csv"].decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [int(r["id"]) for r in rows] == sorted([first.id, second.id])
    row = next(r for r in rows if int(r["id"]) == first.id)
    assert first.price is not None
    assert (row["title"], row["brand"], row["size"]) == (first.title, "Zara", "M")
    assert float(row["price_target"]) == first.price.target
    assert (float(row["price_min"]), float(row["price_max"])) == (first.price.min, first.price.max)
    assert row["category"] == "Femmes > Vêtements > Hauts et t-shirts > T-shirts"
    assert row["condition"] == "very_good" and row["ready"] == "yes"
    assert row["hashtags"] == " ".join(first.hashtags)

    # No Vinted session, cookie or key, in any file of the archive.
    everything = b"".join(files.values())
    for secret in (SESSION_BLOB, SESSION_USER.encode(), b"sk-test-do-not-export", b"cookie"):
        assert secret not in everything


async def test_a_lost_photo_file_is_listed_and_the_rest_is_exported(
    services: Services, tmp_path: Path
) -> None:
    data_dir = services.settings.data_dir
    [draft] = await analyse(services, SELLER, [[CLOTHES[4], CLOTHES[5]]])
    photos = await services.repos.batches.get_photos(draft.photo_ids)
    (data_dir / photos[1].path).unlink()

    summary = await write_export(services.exporter, SELLER, tmp_path / "out" / "export.zip")

    assert (summary.drafts, summary.photos, summary.missing_photos) == (1, 1, 1)
    data = (tmp_path / "out" / "export.zip").read_bytes()
    assert summary.size_bytes == len(data)
    files = members(data)
    assert f"photos/{draft.id}/2.jpg" not in files
    [exported] = json.loads(files["drafts.json"])["drafts"]
    assert exported["missing_photo_files"] == [f"photos/{draft.id}/2.jpg"]


async def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted(services: Services) -> None:
    await services.repos.drafts.add(
        Draft(
            user_id=SELLER,
            title='=HYPERLINK("http://127.0.0.1/x","Robe")',
            category="women_dresses",
            size="38",
            condition=Condition.GOOD,
            price=Price(min=8, target=10, max=12),
        )
    )

    files = members(await export_user(services.exporter, SELLER, now=NOW))

    [row] = csv.DictReader(io.StringIO(files["drafts.csv"].decode("utf-8-sig")))
    assert row["title"] == '\'=HYPERLINK("http://127.0.0.1/x","Robe")'
    assert row["ready"] == "no" and row["url"] == ""
    [exported] = json.loads(files["drafts.json"])["drafts"]
    assert exported["title"].startswith("=HYPERLINK")  # the JSON keeps the text as it is


async def test_a_seller_without_drafts_gets_an_empty_export(services: Services) -> None:
    files = members(await export_user(services.exporter, SELLER))

    assert set(files) == {"drafts.json", "drafts.csv"}
    assert json.loads(files["drafts.json"])["drafts"] == []
    assert files["drafts.csv"].decode("utf-8-sig").strip() == ",".join(CSV_COLUMNS)


def test_export_file_is_named_after_the_time_in_utc() -> None:
    assert export_filename(NOW) == "vinted-drafts-2025-03-01-0930.zip"
    assert export_filename(datetime(2025, 3, 1, 0, 15)) == "vinted-drafts-2025-03-01-0015.zip"


async def test_a_large_export_comes_in_parts_under_the_limit_drafts_whole(
    services: Services, tmp_path: Path
) -> None:
    drafts = await analyse(services, SELLER, [[CLOTHES[i], CLOTHES[i + 1]] for i in (0, 2, 4)])
    photos = [await services.repos.batches.get_photos(d.photo_ids) for d in drafts]
    sizes = [
        sum((services.settings.data_dir / p.path).stat().st_size for p in ps) for ps in photos
    ]
    limit = max(sizes) + 10_000  # room for about one draft a part

    parts = await write_export_parts(services.exporter, SELLER, tmp_path, max_bytes=limit)

    assert len(parts) >= 2
    seen: list[int] = []
    for path, summary in parts:
        assert summary.size_bytes == path.stat().st_size <= limit  # planned, never over
        files = members(path.read_bytes())
        ids = [d["id"] for d in json.loads(files["drafts.json"])["drafts"]]
        for draft_id in ids:  # each draft with all its photos, in its own part
            assert {f"photos/{draft_id}/1.jpg", f"photos/{draft_id}/2.jpg"} <= set(files)
        seen += ids
    assert sorted(seen) == sorted(d.id for d in drafts)
    assert [p.name for p, _ in parts][0].endswith(f"-1-of-{len(parts)}.zip")


async def test_the_french_csv_opens_right_in_a_french_spreadsheet(
    services: Services, tmp_path: Path
) -> None:
    from bot.handlers.commands import csv_style
    from bot.texts import t

    [draft] = await analyse(services, SELLER, [[CLOTHES[0], CLOTHES[1]]])
    [(path, _)] = await write_export_parts(
        services.exporter, SELLER, tmp_path, max_bytes=10**9, style=csv_style("fr")
    )
    raw = members(path.read_bytes())["drafts.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: the accents read right
    [row] = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    assert draft.price is not None and draft.condition is not None
    assert row[t("fr", "csv_price_min")] == f"{draft.price.min:g}".replace(".", ",")
    assert row[t("fr", "field_condition")] == t("fr", f"cond_{draft.condition.value}")
    assert row[t("fr", "csv_status")] == t("fr", "status_draft")
    assert row[t("fr", "field_description")] == draft.description  # every field, in full
    assert row[t("fr", "csv_ready")] in (t("fr", "csv_yes"), t("fr", "csv_no"))
