"""The seller works on a draft's photos from its card: reorder, remove and undo, add by reply.

Story tests through the real bot, the fake Bot API, the fake OpenAI server and (for
publishing) the stand-in marketplace; every expected text comes from the texts modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import t
from core.drafts.models import Draft
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import ChatMessage, FakeTelegram, User
from tests.shop import Shop
from tests.test_bot import OTHER_SELLER, SELLER, World, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(tg, ai, tmp_path)
        app, services = await start_bot(settings)
        try:
            yield World(tg, ai, settings, app, services)
        finally:
            await stop_bot(app, services)


async def album_card(tg: FakeTelegram, user: User, photos: list[bytes]) -> ChatMessage:
    """The seller sends an album (or one photo) and gets its card, once the batch is done."""
    if len(photos) == 1:
        first = tg.user_sends_photo(user, photos[0], caption="Zara taille M")
    else:
        first = tg.user_sends_album(user, photos, caption="Zara taille M")[0]
    card = await tg.wait_for(
        lambda: next(
            m
            for m in tg.messages(user)
            if m.kind == "photo" and m.buttons and m.message_id > first["message_id"]
        ),
        timeout=30,
        what="the new draft card",
    )
    await tg.wait_for_message(
        user, lambda m: m.content.startswith(("Terminé", "Done")), since=first, timeout=30
    )
    now = tg.message(user, card.message_id)
    assert now is not None
    return now


async def offering(tg: FakeTelegram, user: User, card: ChatMessage, label: str) -> ChatMessage:
    """The card as soon as its buttons offer `label`."""

    def shown() -> ChatMessage | None:
        message = tg.message(user, card.message_id)
        return message if message and label in message.button_texts else None

    return await tg.wait_for(shown, what=f"the card to offer {label!r}")


async def saying(tg: FakeTelegram, user: User, card: ChatMessage, needle: str) -> str:
    def caption() -> str | None:
        message = tg.message(user, card.message_id)
        text = message.caption if message is not None else None
        return text if text and needle in text else None

    return await tg.wait_for(caption, what=f"the card to say {needle!r}")


async def press(tg: FakeTelegram, user: User, card: ChatMessage, label: str) -> ChatMessage:
    """Press the card's button `label` once the card offers it; return the card then."""
    now = await offering(tg, user, card, label)
    tg.user_presses(user, now, label)
    return now


async def draft_of(world: World | Shop, card: ChatMessage, user: User) -> Draft:
    found = await world.services.drafts.by_card(card.chat_id, card.message_id, user.id)
    assert found is not None
    return found


# ---- reorder, then publish ---------------------------------------------------------------------


async def test_the_photo_made_cover_is_the_published_listings_first_photo(shop: Shop) -> None:
    tg, lang = shop.tg, "fr"
    card = await album_card(tg, SELLER, [photo(1), photo(2), photo(3)])
    before = await draft_of(shop, card, SELLER)
    a, b, c = before.photo_ids

    await press(tg, SELLER, card, t(lang, "btn_photos", count=3))
    await press(tg, SELLER, card, "3")  # the third photo, as numbered in the album sent
    await press(tg, SELLER, card, t(lang, "btn_photo_to_cover"))
    await saying(tg, SELLER, card, t(lang, "photo_moved_cover", before=3))
    await press(tg, SELLER, card, t(lang, "btn_photo_later"))  # still in its menu: now 2nd
    await saying(tg, SELLER, card, t(lang, "photo_moved", before=1, after=2))
    assert (await draft_of(shop, card, SELLER)).photo_ids == [a, c, b]

    await press(tg, SELLER, card, t(lang, "btn_photo_back"))
    await press(tg, SELLER, card, t(lang, "btn_back"))
    await press(tg, SELLER, card, t(lang, "btn_approve"))
    await saying(tg, SELLER, card, t(lang, "card_approved"))
    [report] = await shop.state.queue.tick()
    assert report.kind == "published"

    stored = await shop.services.repos.batches.get_photos([a, c, b], SELLER.id)
    sent = shop.vinted.listings[-1].photos
    assert [p.name for p in sent] == [Path(s.path).name for s in stored]


async def test_a_published_card_keeps_its_photos_and_says_so(shop: Shop) -> None:
    tg, lang = shop.tg, "fr"
    card = await album_card(tg, SELLER, [photo(4)])
    await press(tg, SELLER, card, t(lang, "btn_approve"))
    await saying(tg, SELLER, card, t(lang, "card_approved"))
    [report] = await shop.state.queue.tick()
    assert report.kind == "published"
    draft = await draft_of(shop, card, SELLER)

    sent = tg.user_sends_photo(SELLER, photo(5), reply_to=card)

    await tg.wait_for_message(SELLER, t(lang, "photos_locked", id=draft.id), since=sent)
    assert (await draft_of(shop, card, SELLER)).photo_ids == draft.photo_ids
    forged = tg.user_presses(SELLER, card, f"d:{draft.id}:px:{draft.photo_ids[0]}", strict=False)
    answer = await tg.wait_for(lambda: tg.callback_answer(forged), what="an answer")
    assert answer["text"] == t(lang, "err_not_editable")


# ---- remove, then undo -------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "lang"), [(SELLER, "fr"), (OTHER_SELLER, "en")])
async def test_a_removed_photo_is_put_back_from_the_card(
    world: World, user: User, lang: str
) -> None:
    tg = world.tg
    card = await album_card(tg, user, [photo(1), photo(2), photo(3)])
    before = await draft_of(world, card, user)

    await press(tg, user, card, t(lang, "btn_photos", count=3))
    await press(tg, user, card, "2")
    await press(tg, user, card, t(lang, "btn_photo_remove"))
    await saying(tg, user, card, t(lang, "photo_removed", number=2, count=2))
    removed = await draft_of(world, card, user)
    assert removed.photo_ids == [before.photo_ids[0], before.photo_ids[2]]

    await press(tg, user, card, t(lang, "btn_photo_undo"))
    await saying(tg, user, card, t(lang, "photo_put_back", number=2))
    assert (await draft_of(world, card, user)).photo_ids == before.photo_ids

    await press(tg, user, card, t(lang, "btn_back"))
    await offering(tg, user, card, t(lang, "btn_photos", count=3))


async def test_the_last_photo_offers_no_remove_and_a_forged_remove_is_refused(
    world: World,
) -> None:
    tg = world.tg
    card = await album_card(tg, SELLER, [photo(1)])
    draft = await draft_of(world, card, SELLER)
    await press(tg, SELLER, card, t("fr", "btn_photos", count=1))
    now = await press(tg, SELLER, card, "1")
    await offering(tg, SELLER, now, t("fr", "btn_photo_back"))
    assert t("fr", "btn_photo_remove") not in tg.message(SELLER, card.message_id).button_texts  # type: ignore[union-attr]

    forged = tg.user_presses(SELLER, card, f"d:{draft.id}:px:{draft.photo_ids[0]}", strict=False)
    answer = await tg.wait_for(lambda: tg.callback_answer(forged), what="an answer")
    assert answer["text"] == t("fr", "err_photo_last")
    stranger = tg.user_presses(OTHER_SELLER, card, f"d:{draft.id}:pt:1.-1", strict=False)
    answer = await tg.wait_for(lambda: tg.callback_answer(stranger), what="an answer")
    assert answer["text"] == t("en", "not_yours")
    assert (await draft_of(world, card, SELLER)).photo_ids == draft.photo_ids


# ---- add by replying to the card ---------------------------------------------------------------


async def test_an_album_sent_in_reply_to_a_card_joins_that_draft_only(world: World) -> None:
    tg, lang = world.tg, "fr"
    first = await album_card(tg, SELLER, [photo(1)])
    second = await album_card(tg, SELLER, [photo(2)])
    other = await draft_of(world, second, SELLER)
    draft = await draft_of(world, first, SELLER)
    batches = len(await world.services.repos.batches.recent(SELLER.id))

    # One album in reply: two new photos and one already on the draft (the same photo again).
    sent = [
        tg.user_sends_photo(SELLER, data, media_group_id="reply-1", reply_to=first)
        for data in (photo(3), photo(1), photo(4))
    ]

    added = t(lang, "photos_added", id=draft.id, added=2, count=3)
    told = await tg.wait_for_message(SELLER, added, since=sent[-1])
    draft = await draft_of(world, first, SELLER)
    assert t(lang, "skip_on_draft") in told.content
    assert len(draft.photo_ids) == 3
    await saying(tg, SELLER, first, t(lang, "photos_added_note", added=2, count=3))
    await offering(tg, SELLER, first, t(lang, "btn_photos", count=3))

    stored = await world.services.repos.batches.get_photos(draft.photo_ids, SELLER.id)
    assert [p.source_name for p in stored][1:] == [
        f"photo {sent[0]['message_id']}.jpg",
        f"photo {sent[2]['message_id']}.jpg",
    ]  # in the order sent
    assert (await draft_of(world, second, SELLER)).photo_ids == other.photo_ids
    assert len(await world.services.repos.batches.recent(SELLER.id)) == batches  # no new item
    assert len(world.cards(SELLER)) == 2


async def test_photos_replying_to_something_else_make_a_new_item(world: World) -> None:
    tg = world.tg
    card = await album_card(tg, SELLER, [photo(1)])
    done = await tg.wait_for_message(SELLER, lambda m: m.content.startswith("Terminé"))

    tg.user_sends_photo(SELLER, photo(5), reply_to=done)

    await world.wait_cards(SELLER, 2)
    assert len((await draft_of(world, card, SELLER)).photo_ids) == 1
