"""Split: an item auto-grouping made of several albums goes back to one draft per album."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.drafts.split import PENDING, Albums
from core.models import GroupingMode
from core.services import Services
from tests.conftest import CLOTHES, core_services
from tests.fakes.openai import FakeOpenAIServer, Status
from tests.test_editing import SELLER, id_of

pytestmark = pytest.mark.timeout(60)
ONE_ITEM = {"groups": [{"photo_indices": [1, 2, 3, 4, 5], "label_photo_indices": []}]}


@pytest.fixture
async def services(ai: FakeOpenAIServer, tmp_path: Path) -> AsyncIterator[Services]:
    services = await core_services(ai, tmp_path / "data", openai_max_retries=0)
    yield services
    await services.close()


async def merged(
    services: Services, ai: FakeOpenAIServer, mode: GroupingMode = GroupingMode.AUTO
) -> Draft:
    """Albums a, b and one loose photo, judged one item by the model."""
    batch = await services.intake.start_batch(SELLER, mode=mode, hint="Zara taille M")
    for index, album in enumerate(["a", "a", "b", "b", None]):
        path = CLOTHES[index]
        await services.intake.add_photo(batch, path.read_bytes(), path.name, album_key=album)
    await services.intake.close_batch(id_of(batch))
    if mode is GroupingMode.AUTO:
        ai.script(ONE_ITEM)
    drafts = await services.drafting.analyse_batch(id_of(batch))
    return drafts[0]


async def photo_owners(services: Services) -> dict[int, list[int]]:
    rows = await services.repos.db.fetchall("SELECT draft_id, photo_id FROM draft_photos")
    owners: dict[int, list[int]] = {}
    for row in rows:
        owners.setdefault(int(row["photo_id"]), []).append(int(row["draft_id"]))
    return owners


async def test_a_merged_draft_says_where_it_came_from_and_splits_per_album(
    services: Services, ai: FakeOpenAIServer
) -> None:
    draft = await merged(services, ai)
    assert await services.splitter.merged_from(draft) == Albums(albums=2, loose=1)

    parts = await services.splitter.split(SELLER, id_of(draft))

    assert [p.id for p in parts][0] == draft.id
    assert [p.photo_ids for p in parts] == [
        draft.photo_ids[:2],
        draft.photo_ids[2:4],
        draft.photo_ids[4:],
    ]
    assert all(p.status is DraftStatus.DRAFT and p.title for p in parts)
    owners = await photo_owners(services)
    assert sorted(owners) == sorted(draft.photo_ids)  # every photo kept...
    assert all(len(o) == 1 for o in owners.values())  # ...on exactly one draft
    assert [await services.splitter.merged_from(p) for p in parts] == [Albums()] * 3
    with pytest.raises(EditRejected) as again:
        await services.splitter.split(SELLER, id_of(draft))
    assert again.value.key == "split_single"


async def test_photos_grouped_on_purpose_are_not_offered_apart(
    services: Services, ai: FakeOpenAIServer
) -> None:
    draft = await merged(services, ai, GroupingMode.ONE)
    assert len(draft.photo_ids) == 5
    assert await services.splitter.merged_from(draft) == Albums()


async def test_with_the_model_down_the_parts_stay_to_retry_and_no_photo_is_lost(
    services: Services, ai: FakeOpenAIServer
) -> None:
    draft = await merged(services, ai)
    ai.script(*[Status(500)] * 3)  # one draft call per part, no retries here

    first, *others = await services.splitter.split(SELLER, id_of(draft))
    assert ai.pending == 0

    assert (first.title, first.status) == (draft.title, DraftStatus.DRAFT)  # kept as it was
    assert first.photo_ids == draft.photo_ids[:2]
    assert [o.status for o in others] == [DraftStatus.FAILED] * 2
    assert all(o.error and o.error != PENDING for o in others)  # the model's reason, to retry
    owners = await photo_owners(services)
    assert sorted(owners) == sorted(draft.photo_ids) and all(len(o) == 1 for o in owners.values())
    retried = await services.editor.retry_failed(SELLER, id_of(others[0]))
    assert retried.status is DraftStatus.DRAFT and retried.title


async def test_a_split_racing_an_edit_changes_nothing_or_everything(
    services: Services, ai: FakeOpenAIServer
) -> None:
    draft = await merged(services, ai)
    stale = draft.model_copy()
    await services.editor.set_field(SELLER, id_of(draft), "price", "33")
    assert await services.repos.drafts.split(stale, [[1], [2]], stale) == []  # refused whole
    assert (await photo_owners(services)).keys() == set(draft.photo_ids)

    results = await asyncio.gather(
        services.splitter.split(SELLER, id_of(draft)),
        services.editor.set_field(SELLER, id_of(draft), "brand", "Zara"),
        return_exceptions=True,
    )
    owners = await photo_owners(services)
    assert sorted(owners) == sorted(draft.photo_ids) and all(len(o) == 1 for o in owners.values())
    split = results[0]
    drafts = await services.repos.drafts.page(SELLER, None)
    assert len(drafts) == (3 if isinstance(split, list) else 1)
