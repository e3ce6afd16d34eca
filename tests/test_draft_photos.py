"""A draft's photos from its card: reorder, remove and put back, add; bounds, races, forgeries.

Against the real repositories on a fresh database; added photos are real ones from
shared/testdata, through the same image pipeline as any photo sent in.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.drafts.photos import DraftPhotos
from core.images import ImageLimits, ImageRejected
from core.services import Repositories
from tests.conftest import CLOTHES
from tests.helpers import OTHER, SELLER, claim, new_batch, new_draft, new_photo, publish


def room(repos: Repositories, data_dir: Path, max_photos: int = 20) -> DraftPhotos:
    return DraftPhotos(
        repos.drafts, repos.batches, data_dir=data_dir, limits=ImageLimits(), max_photos=max_photos
    )


@pytest.fixture
def photos(repos: Repositories, data_dir: Path) -> DraftPhotos:
    return room(repos, data_dir)


async def a_draft(
    repos: Repositories, count: int = 4, user_id: int = SELLER, **fields: object
) -> Draft:
    batch = await new_batch(repos, user_id)
    ids = [(await new_photo(repos, batch, i, album_key="a1")).id for i in range(count)]
    return await new_draft(
        repos, user_id=user_id, batch_id=batch.id, photo_ids=ids, title="Pull Zara", **fields
    )


async def current(repos: Repositories, draft: Draft) -> Draft:
    found = await repos.drafts.get(draft.id or 0)
    assert found is not None
    return found


async def refused(key: str, call: object) -> EditRejected:
    with pytest.raises(EditRejected) as caught:
        await call  # type: ignore[misc]
    assert caught.value.key == key, caught.value
    return caught.value


# ---- reorder -----------------------------------------------------------------------------------


async def test_a_photo_made_second_moves_there_and_the_others_keep_their_order(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    a, b, c, d = draft.photo_ids

    moved = await photos.move(SELLER, draft.id or 0, d, 1)

    assert moved.draft.photo_ids == [a, d, b, c]
    assert (moved.before, moved.after, moved.cover_changed) == (3, 1, False)
    assert (await current(repos, draft)).photo_ids == [a, d, b, c]


async def test_earlier_and_later_step_one_place_and_stop_at_either_end(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos, 3)
    a, b, c = draft.photo_ids

    earlier = await photos.shift(SELLER, draft.id or 0, b, -1)
    assert earlier.draft.photo_ids == [b, a, c] and earlier.cover_changed
    later = await photos.shift(SELLER, draft.id or 0, b, 1)
    assert later.draft.photo_ids == [a, b, c]

    at_end = await photos.shift(SELLER, draft.id or 0, c, 1)
    assert at_end.before == at_end.after == 2
    assert at_end.draft.version == later.draft.version  # nothing written


@pytest.mark.parametrize("to", [-1, 4, 10**9])
async def test_a_position_outside_the_photos_is_refused_and_nothing_changes(
    repos: Repositories, photos: DraftPhotos, to: int
) -> None:
    draft = await a_draft(repos)
    await refused("photo_not_found", photos.move(SELLER, draft.id or 0, draft.photo_ids[0], to))
    assert (await current(repos, draft)).version == draft.version


async def test_a_photo_that_is_not_on_the_draft_is_refused(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    other = await a_draft(repos)
    for photo_id in (other.photo_ids[0], -5, 0, 10**12):
        await refused("photo_gone", photos.move(SELLER, draft.id or 0, photo_id, 0))
        await refused("photo_gone", photos.remove(SELLER, draft.id or 0, photo_id))
    after = await current(repos, draft)
    assert (after.photo_ids, after.version) == (draft.photo_ids, draft.version)


async def test_another_sellers_draft_is_not_found_and_never_touched(
    repos: Repositories, photos: DraftPhotos
) -> None:
    theirs = await a_draft(repos, user_id=OTHER)
    pid = theirs.photo_ids[1]
    await refused("draft_not_found", photos.move(SELLER, theirs.id or 0, pid, 0))
    await refused("draft_not_found", photos.remove(SELLER, theirs.id or 0, pid))
    await refused(
        "draft_not_found", photos.put_back(SELLER, theirs.id or 0, pid, 0, theirs.version)
    )
    await refused(
        "draft_not_found", photos.add(SELLER, theirs.id or 0, CLOTHES[0].read_bytes(), "x.jpg")
    )
    assert (await current(repos, theirs)).version == theirs.version


# ---- the draft's status ------------------------------------------------------------------------


async def test_an_approved_draft_goes_back_to_draft_like_any_edit(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    assert await repos.drafts.move(
        draft.id or 0, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED
    )

    moved = await photos.move(SELLER, draft.id or 0, draft.photo_ids[2], 0)

    assert moved.unapproved and moved.draft.status is DraftStatus.DRAFT


async def test_a_draft_being_published_or_published_keeps_its_photos(
    repos: Repositories, photos: DraftPhotos
) -> None:
    published = await publish(repos, await a_draft(repos))
    publishing = await a_draft(repos)  # claimed after: one publish at a time per account
    await repos.drafts.move(publishing.id or 0, expect=DraftStatus.DRAFT, to=DraftStatus.APPROVED)
    await claim(repos, await current(repos, publishing))
    for draft in (publishing, published):
        pid = draft.photo_ids[1]
        await refused("not_editable", photos.move(SELLER, draft.id or 0, pid, 0))
        await refused("not_editable", photos.remove(SELLER, draft.id or 0, pid))
        data = CLOTHES[0].read_bytes()
        await refused("not_editable", photos.add(SELLER, draft.id or 0, data, "x.jpg"))
        assert (await current(repos, draft)).photo_ids == draft.photo_ids


# ---- remove and put back -----------------------------------------------------------------------


async def test_a_removed_photo_comes_back_where_it_was(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    a, b, c, d = draft.photo_ids

    removed = await photos.remove(SELLER, draft.id or 0, b)
    assert removed.draft.photo_ids == [a, c, d] and removed.before == 1

    back = await photos.put_back(SELLER, draft.id or 0, b, 1, removed.draft.version)
    assert back.draft.photo_ids == [a, b, c, d] and back.after == 1


async def test_removing_the_cover_makes_the_next_photo_the_cover(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos, 2)
    removed = await photos.remove(SELLER, draft.id or 0, draft.photo_ids[0])
    assert removed.draft.photo_ids == draft.photo_ids[1:] and removed.cover_changed


async def test_the_last_photo_is_never_removed(repos: Repositories, photos: DraftPhotos) -> None:
    draft = await a_draft(repos, 1)
    await refused("photo_last", photos.remove(SELLER, draft.id or 0, draft.photo_ids[0]))
    assert (await current(repos, draft)).photo_ids == draft.photo_ids


async def test_undo_after_another_change_is_refused(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    a, b, c, d = draft.photo_ids
    removed = await photos.remove(SELLER, draft.id or 0, b)
    await photos.move(SELLER, draft.id or 0, d, 0)

    await refused(
        "undo_stale", photos.put_back(SELLER, draft.id or 0, b, 1, removed.draft.version)
    )
    assert (await current(repos, draft)).photo_ids == [d, a, c]


async def test_a_forged_undo_cannot_bring_in_a_photo_the_draft_never_lost(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    other = await a_draft(repos)  # the seller's own photo, on another draft
    theirs = await a_draft(repos, user_id=OTHER)
    did, version = draft.id or 0, draft.version
    for photo_id in (other.photo_ids[0], theirs.photo_ids[0], draft.photo_ids[0], 10**12):
        await refused("undo_unavailable", photos.put_back(SELLER, did, photo_id, 0, version))
    removed = await photos.remove(SELLER, did, draft.photo_ids[3])
    with pytest.raises(EditRejected) as caught:
        await photos.put_back(SELLER, did, draft.photo_ids[3], -1, removed.draft.version)
    assert caught.value.key == "photo_not_found"
    assert (await current(repos, draft)).photo_ids == draft.photo_ids[:3]


# ---- add ---------------------------------------------------------------------------------------


async def test_an_added_photo_is_stored_like_any_photo_and_goes_last(
    repos: Repositories, photos: DraftPhotos, data_dir: Path
) -> None:
    draft = await a_draft(repos, 2)

    added = await photos.add(SELLER, draft.id or 0, CLOTHES[0].read_bytes(), "pull.jpg")

    assert added.draft.photo_ids == [*draft.photo_ids, added.photo_id]
    [stored] = await repos.batches.get_photos([added.photo_id], SELLER)
    assert stored.batch_id == draft.batch_id and stored.album_key == "a1"  # no "2 albums"
    assert stored.phash and (data_dir / stored.path).read_bytes()[:2] == b"\xff\xd8"
    assert (data_dir / stored.vision_path).exists()


async def test_the_same_photo_again_is_refused(repos: Repositories, photos: DraftPhotos) -> None:
    draft = await a_draft(repos, 1)
    data = CLOTHES[1].read_bytes()
    await photos.add(SELLER, draft.id or 0, data, "one.jpg")

    error = await refused("photo_duplicate", photos.add(SELLER, draft.id or 0, data, "again.jpg"))

    assert error.params["number"] == 2
    assert len((await current(repos, draft)).photo_ids) == 2


async def test_a_full_listing_takes_no_more_photos(repos: Repositories, data_dir: Path) -> None:
    photos = room(repos, data_dir, max_photos=3)
    draft = await a_draft(repos, 2)
    await photos.add(SELLER, draft.id or 0, CLOTHES[0].read_bytes(), "third.jpg")

    error = await refused(
        "photos_full", photos.add(SELLER, draft.id or 0, CLOTHES[1].read_bytes(), "x.jpg")
    )

    assert error.params == {"max": 3, "count": 3}
    assert len((await current(repos, draft)).photo_ids) == 3


async def test_a_file_that_is_not_an_image_is_refused(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos, 1)
    with pytest.raises(ImageRejected):
        await photos.add(SELLER, draft.id or 0, b"%PDF-1.4 not a photo", "bill.pdf")
    assert (await current(repos, draft)).photo_ids == draft.photo_ids


# ---- races -------------------------------------------------------------------------------------


async def test_a_write_that_finds_the_draft_changed_is_made_again_on_the_fresh_draft(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)
    a, b, c, d = draft.photo_ids
    write = repos.drafts.write
    raced = False

    async def edit_first(changed: Draft, **kwargs: object) -> Draft | None:
        nonlocal raced
        if not raced:  # the seller's price edit lands just before the photo change
            raced = True
            fresh = await current(repos, draft)
            await write(fresh.model_copy(update={"title": "Pull Zara bleu"}), **kwargs)  # type: ignore[arg-type]
        return await write(changed, **kwargs)  # type: ignore[arg-type]

    repos.drafts.write = edit_first  # type: ignore[method-assign]
    moved = await photos.move(SELLER, draft.id or 0, c, 0)

    assert raced and moved.draft.photo_ids == [c, a, b, d]
    assert moved.draft.title == "Pull Zara bleu"  # the other change is kept


async def test_a_draft_that_keeps_changing_is_said_to_have_changed(
    repos: Repositories, photos: DraftPhotos
) -> None:
    draft = await a_draft(repos)

    async def always_stale(changed: Draft, **_: object) -> Draft | None:
        return None

    repos.drafts.write = always_stale  # type: ignore[method-assign]
    await refused("draft_changed", photos.remove(SELLER, draft.id or 0, draft.photo_ids[1]))


async def test_two_quick_presses_from_two_processes_lose_no_photo_and_add_none_twice(
    repos: Repositories, data_dir: Path
) -> None:
    # Two rooms: two processes, no shared lock; only the version check keeps them apart.
    first, second = room(repos, data_dir), room(repos, data_dir)
    draft = await a_draft(repos, 5)
    a, b, c, d, e = draft.photo_ids
    did = draft.id or 0

    await asyncio.gather(
        first.remove(SELLER, did, b),
        second.remove(SELLER, did, d),
        first.shift(SELLER, did, e, -1),
        second.add(SELLER, did, CLOTHES[2].read_bytes(), "new.jpg"),
    )

    after = await current(repos, draft)
    assert set(after.photo_ids) >= {a, c, e} and not {b, d} & set(after.photo_ids)
    assert len(after.photo_ids) == len(set(after.photo_ids)) == 4


async def test_the_same_remove_pressed_twice_removes_one_photo(
    repos: Repositories, data_dir: Path
) -> None:
    first, second = room(repos, data_dir), room(repos, data_dir)
    draft = await a_draft(repos, 3)
    a, b, c = draft.photo_ids

    results = await asyncio.gather(
        first.remove(SELLER, draft.id or 0, b),
        second.remove(SELLER, draft.id or 0, b),
        return_exceptions=True,
    )

    assert sum(isinstance(r, EditRejected) and r.key == "photo_gone" for r in results) == 1
    assert (await current(repos, draft)).photo_ids == [a, c]
