"""Already listed? A new draft whose photos match an item the seller published says so on its
card, before approval ("Ressemble au #12, publié le 3 nov. : déjà en vente ?").

The match is the same photo again (re-sent, re-compressed, resized, HEIC then JPEG), on the
seller's own published drafts only: measured against the real photos in shared/testdata.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.cards import render_caption
from bot.texts import day_month, t
from core.db import Database
from core.drafts.lookalike import (
    LOOKALIKE_DISTANCE,
    Candidate,
    Lookalike,
    LookalikeFinder,
    closest,
    distance,
)
from core.drafts.models import Draft, DraftStatus
from core.drafts.trash import DraftTrash
from core.images import process_image
from core.services import Repositories
from tests.fakes.telegram import ChatMessage, User
from tests.helpers import OTHER, SELLER, Clock, new_batch, new_draft, new_photo, publish
from tests.shop import Shop
from tests.test_bot import CLOTHES, OTHER_SELLER, TESTDATA, photo
from tests.test_bot import SELLER as CAMILLE

pytestmark = pytest.mark.timeout(60)

A_DAY = date(2025, 3, 1)


def phash_of(data: bytes, name: str = "photo.jpg") -> str:
    """The hash intake stores for a photo (of its normalised vision copy)."""
    return process_image(data, name).phash


def resent(data: bytes, quality: int = 60, scale: float = 0.8) -> bytes:
    """The same photo as it comes back later: re-compressed at another quality, resized."""
    with Image.open(io.BytesIO(data)) as im:
        smaller = im.convert("RGB").resize((int(im.width * scale), int(im.height * scale)))
    out = io.BytesIO()
    smaller.save(out, "JPEG", quality=quality)
    return out.getvalue()


# ---- the matching, on real photos -------------------------------------------------------------


@pytest.mark.parametrize("index", range(0, len(CLOTHES), 4))
def test_the_same_photo_re_sent_recompressed_and_resized_matches(index: int) -> None:
    original = CLOTHES[index].read_bytes()
    for quality, scale in ((90, 1.0), (60, 0.8), (35, 0.5)):
        gap = distance(phash_of(original), phash_of(resent(original, quality, scale)))
        assert gap is not None and gap <= LOOKALIKE_DISTANCE, (quality, scale, gap)


def test_an_iphone_heic_matches_the_jpeg_made_from_it() -> None:
    heic = (TESTDATA / "heic" / "IMG_2927.HEIC").read_bytes()
    jpeg = process_image(heic, "IMG_2927.HEIC").vinted_jpeg

    gap = distance(phash_of(heic, "IMG_2927.HEIC"), phash_of(resent(jpeg, 80, 0.5)))
    assert gap is not None and gap <= LOOKALIKE_DISTANCE


def test_photos_of_other_items_never_match() -> None:
    hashes = [phash_of(path.read_bytes()) for path in CLOTHES]
    near = [
        (CLOTHES[i].name, CLOTHES[j].name, gap)
        for i in range(len(hashes))
        for j in range(i + 1, len(hashes))
        if (gap := distance(hashes[i], hashes[j])) is not None and gap <= LOOKALIKE_DISTANCE
    ]
    assert near == []


def test_an_empty_or_unreadable_hash_never_matches() -> None:
    assert distance("", "ffffffffffffffff") is None
    assert distance("not hex", "ffffffffffffffff") is None
    assert closest([""], [Candidate(1, "", A_DAY)]) is None


def test_the_closest_published_draft_wins_and_a_tie_goes_to_the_newest() -> None:
    mine = phash_of(photo(2))
    far = f"{int(mine, 16) ^ 0b111:016x}"  # 3 bits away
    candidates = [
        Candidate(4, far, A_DAY),
        Candidate(7, mine, A_DAY),
        Candidate(9, mine, date(2025, 4, 2)),
        Candidate(11, phash_of(photo(5)), A_DAY),
    ]

    assert closest([mine], candidates) == Lookalike(9, date(2025, 4, 2), 0)
    assert closest([mine], candidates[:1]) == Lookalike(4, A_DAY, 3)
    assert closest([mine], candidates[3:]) is None


# ---- the seller's published drafts ------------------------------------------------------------


async def a_draft(repos: Repositories, data: bytes, user_id: int = SELLER) -> Draft:
    batch = await new_batch(repos, user_id)
    stored = await new_photo(repos, batch, 0, phash=phash_of(data))
    return await new_draft(repos, user_id=user_id, title="Pull Zara", photo_ids=[stored.id])


async def twin_of(db: Database, repos: Repositories, draft: Draft) -> Lookalike | None:
    photos = await repos.batches.get_photos(draft.photo_ids, draft.user_id)
    return await LookalikeFinder(db).published_twin(draft, photos)


async def test_a_new_draft_with_a_published_drafts_photo_names_it_and_its_day(
    db: Database, repos: Repositories, clock: Clock
) -> None:
    clock.set(datetime(2025, 11, 2, 23, 30, tzinfo=UTC))  # already 3 Nov in Paris
    first = await publish(repos, await a_draft(repos, photo(3)), item_id=5001)
    clock.advance(days=20)
    again = await a_draft(repos, resent(photo(3)))
    other_item = await a_draft(repos, photo(9))

    assert await twin_of(db, repos, again) == Lookalike(first.id or 0, date(2025, 11, 3), 0)
    assert await twin_of(db, repos, other_item) is None
    assert await twin_of(db, repos, first) is None  # published: nothing to ask any more


async def test_the_day_is_the_sellers_own(db: Database, repos: Repositories, clock: Clock) -> None:
    await repos.sellers.ensure(SELLER)
    await repos.sellers.update(SELLER, settings={"timezone": "America/New_York"})
    clock.set(datetime(2025, 11, 3, 3, 0, tzinfo=UTC))  # still 2 Nov in New York
    await publish(repos, await a_draft(repos, photo(3)))

    found = await twin_of(db, repos, await a_draft(repos, photo(3)))
    assert found is not None and found.published_on == date(2025, 11, 2)


async def test_another_sellers_published_item_never_flags(
    db: Database, repos: Repositories
) -> None:
    await publish(repos, await a_draft(repos, photo(3), user_id=OTHER))

    assert await twin_of(db, repos, await a_draft(repos, photo(3))) is None


async def test_drafts_not_published_or_deleted_never_flag(
    db: Database, repos: Repositories
) -> None:
    await a_draft(repos, photo(3))  # still a draft
    deleted = await publish(repos, await a_draft(repos, photo(3)), item_id=5002)
    assert deleted.id is not None
    assert await DraftTrash(db).discard(deleted.id, SELLER)

    assert await twin_of(db, repos, await a_draft(repos, photo(3))) is None


# ---- the card ---------------------------------------------------------------------------------


def test_the_card_line_says_the_number_and_the_day_in_the_sellers_language() -> None:
    draft = Draft(id=30, user_id=SELLER, title="Pull Zara", status=DraftStatus.DRAFT)
    this_year = date.today().year
    twin = Lookalike(12, date(this_year, 11, 3), 0)

    fr = render_caption(draft, "fr", lookalike=twin)
    en = render_caption(draft, "en", lookalike=twin)

    assert "⚠️ Ressemble au #12, publié le 3 nov. : déjà en vente ?" in fr
    assert "⚠️ Looks like #12, published on 3 Nov: already listed?" in en
    assert "Ressemble" not in render_caption(draft, "fr")
    assert day_month("en", date(2024, 11, 3), today=date(2025, 1, 5)) == "3 Nov 2024"
    assert day_month("fr", date(2025, 2, 1), today=date(2025, 1, 5)) == "1 févr."


# ---- the story, through the bot -------------------------------------------------------------


async def card_after(shop: Shop, user: User, data: bytes) -> ChatMessage:
    """The seller sends a photo and gets its draft card; return the card once it is done."""
    sent = shop.tg.user_sends_photo(user, data, caption="Zara taille M")
    card = await shop.tg.wait_for(
        lambda: next(
            m
            for m in shop.tg.messages(user)
            if m.kind == "photo" and m.buttons and m.message_id > sent["message_id"]
        ),
        timeout=30,
        what="the new draft card",
    )
    await shop.tg.wait_for_message(
        user, lambda m: m.content.startswith(("Terminé", "Done")), since=sent, timeout=30
    )
    current = shop.tg.message(user, card.message_id)
    assert current is not None
    return current


async def published(shop: Shop, data: bytes) -> Draft:
    """The seller sends a photo, approves its card, and the queue lists it on Vinted."""
    card = await card_after(shop, CAMILLE, data)
    approve = next(b for b in card.buttons if b.callback_data and b.callback_data.endswith(":ap"))
    shop.tg.user_presses(CAMILLE, card, approve.callback_data or "")
    await shop.tg.wait_for_call("answerCallbackQuery")
    [report] = await shop.state.queue.tick()
    assert report.kind == "published"
    [draft] = await shop.services.repos.drafts.page(CAMILLE.id, [DraftStatus.PUBLISHED])
    return draft


async def test_the_same_photo_sent_again_after_the_publish_asks_whether_already_listed(
    shop: Shop,
) -> None:
    first = await published(shop, photo(3))
    assert first.publication is not None and first.publication.created_at is not None
    day = first.publication.created_at.astimezone(ZoneInfo("Europe/Paris")).date()

    again = await card_after(shop, CAMILLE, resent(photo(3)))
    assert t("fr", "card_lookalike", id=first.id, date=day_month("fr", day)) in again.content

    another_item = await card_after(shop, CAMILLE, photo(9))
    assert "Ressemble" not in another_item.content


async def test_another_sellers_published_item_never_flags_their_card(shop: Shop) -> None:
    await published(shop, photo(3))

    theirs = await card_after(shop, OTHER_SELLER, photo(3))
    assert "Looks like" not in theirs.content and "Ressemble" not in theirs.content
