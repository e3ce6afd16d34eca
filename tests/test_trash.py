"""A deleted draft can be brought back for a while, whole, by its seller only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.purge import Purge
from core.services import Services
from tests.conftest import core_services
from tests.fakes.openai import FakeOpenAIServer
from tests.helpers import publish
from tests.test_editing import OTHER, SELLER, analysed, id_of, stored

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def services(ai: FakeOpenAIServer, tmp_path: Path) -> AsyncIterator[Services]:
    services = await core_services(ai, tmp_path / "data", openai_max_retries=0)
    yield services
    await services.close()


def listing_of(draft: Draft) -> tuple[object, ...]:
    return (
        draft.listing(),
        draft.photo_ids,
        draft.to_confirm,
        draft.batch_id,
        draft.card_message_id,
    )


async def test_a_deleted_draft_comes_back_whole_under_its_id(services: Services) -> None:
    draft = await analysed(services)
    await services.drafts.record_card(draft, 77, 501)
    draft = await stored(services, draft)
    await services.repos.db.execute(
        "INSERT INTO draft_categories (draft_id, marketplace, site, category, ids, titles, how,"
        " resolved_at) VALUES (?, 'vinted', 'fr', ?, '[1, 2]', '[\"Femmes\", \"Robes\"]',"
        " 'seller', '2026-12-03T10:00:00+00:00')",
        (id_of(draft), draft.category),
    )
    editor = services.editor

    assert await editor.delete(SELLER, id_of(draft))
    assert await services.repos.drafts.get(id_of(draft)) is None
    back, to_approve = await editor.restore(SELLER, id_of(draft))

    assert back.id == draft.id and not to_approve
    assert listing_of(back) == listing_of(draft)
    assert back.version == draft.version + 1  # a card or a write from before sees it moved
    kept = await services.repos.db.fetchone(
        "SELECT titles FROM draft_categories WHERE draft_id = ?", (id_of(draft),)
    )
    assert kept is not None and "Robes" in kept["titles"]
    with pytest.raises(EditRejected) as twice:
        await editor.restore(SELLER, id_of(draft))
    assert twice.value.key == "restore_gone"


async def test_only_the_seller_can_bring_their_draft_back(services: Services) -> None:
    draft = await analysed(services)
    await services.editor.delete(SELLER, id_of(draft))
    with pytest.raises(EditRejected):
        await services.editor.restore(OTHER, id_of(draft))
    back, _ = await services.editor.restore(SELLER, id_of(draft))
    assert back.user_id == SELLER


async def test_an_approved_draft_comes_back_to_approve_again_not_into_the_queue(
    services: Services,
) -> None:
    draft = await analysed(services)
    assert await services.repos.drafts.move(
        id_of(draft), expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED
    )
    assert [e.draft.id for e in await services.repos.waiting.queued(SELLER)] == [draft.id]
    await services.editor.delete(SELLER, id_of(draft))

    back, to_approve = await services.editor.restore(SELLER, id_of(draft))

    assert to_approve and back.status is DraftStatus.DRAFT
    assert await services.repos.waiting.queued(SELLER) == []


async def test_a_published_draft_comes_back_with_its_listing(services: Services) -> None:
    draft = await publish(services.repos, await analysed(services), item_id=9001)
    await services.editor.delete(SELLER, id_of(draft))
    back, _ = await services.editor.restore(SELLER, id_of(draft))
    assert back.status is DraftStatus.PUBLISHED
    assert back.publication is not None and back.publication.item_id == "9001"
    [attempt] = await services.repos.attempts.attempts_of(id_of(draft))  # linked again
    assert attempt.item_id == 9001


async def test_the_purge_keeps_the_photos_of_a_deleted_draft_until_the_trash_is_emptied(
    services: Services,
) -> None:
    draft = await analysed(services)
    photos = await services.repos.batches.get_photos(draft.photo_ids)
    files = [services.settings.data_dir / p.path for p in photos]
    await services.editor.delete(SELLER, id_of(draft))
    purge = Purge(services.repos.db, services.settings.data_dir)
    now = services.repos.db.now()

    soon = await purge.run(now + timedelta(hours=1), draft_days=0)  # every photo is "old"
    assert (soon.trashed, soon.photos) == (0, 0) and all(f.exists() for f in files)
    back, _ = await services.editor.restore(SELLER, id_of(draft))
    assert back.photo_ids == draft.photo_ids
    await services.editor.delete(SELLER, id_of(draft))

    later = await purge.run(now + timedelta(hours=49), draft_days=0)
    assert later.trashed == 1 and later.photos == len(photos)
    assert not any(f.exists() for f in files)
    with pytest.raises(EditRejected):
        await services.editor.restore(SELLER, id_of(draft))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["delete", "restore", "price"]), st.integers(0, 2)), max_size=12
    )
)
async def test_any_run_of_deletes_restores_and_edits_keeps_each_draft_in_one_place(
    services: Services, steps: list[tuple[str, int]]
) -> None:
    drafts = [await analysed(services, photo=i) for i in range(3)]
    expected = {id_of(d): (await stored(services, d)).listing() for d in drafts}
    live = set(expected)
    for action, index in steps:
        draft_id = id_of(drafts[index])
        if action == "delete":
            if draft_id in live:
                assert await services.editor.delete(SELLER, draft_id)
                live.discard(draft_id)
            else:
                with pytest.raises(EditRejected):
                    await services.editor.delete(SELLER, draft_id)
        elif action == "restore":
            if draft_id in live:
                with pytest.raises(EditRejected):
                    await services.editor.restore(SELLER, draft_id)
            else:
                back, _ = await services.editor.restore(SELLER, draft_id)
                assert back.listing() == expected[draft_id]
                live.add(draft_id)
        elif draft_id in live:
            edited, _ = await services.editor.set_field(SELLER, draft_id, "price", "31")
            expected[draft_id] = edited.listing()
        trash = {
            int(r["draft_id"])
            for r in await services.repos.db.fetchall("SELECT draft_id FROM draft_trash")
        }
        rows = {
            int(r["id"]) for r in await services.repos.db.fetchall("SELECT id FROM drafts")
        } & set(expected)
        assert rows == live and trash == set(expected) - live  # never both, never neither
    for draft_id in set(expected) - live:  # leave the next example a clean database
        await services.editor.restore(SELLER, draft_id)
    for draft_id in expected:
        await services.editor.delete(SELLER, draft_id)
    await services.repos.db.execute("DELETE FROM draft_trash")
