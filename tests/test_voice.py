"""Edits by voice: transcribed through the audio API, shown, then applied like typed words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import money, t
from tests.fakes.openai import FakeOpenAIServer, Status
from tests.fakes.telegram import ChatMessage, FakeTelegram, User
from tests.test_bot import OTHER_SELLER, SELLER, World, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(60)
VOICE = b"OggS\x00\x02" + bytes(200)  # what Telegram stores: an OGG/Opus file


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(tg, ai, tmp_path, voice_max_seconds=30)
        app, services = await start_bot(settings)
        try:
            yield World(tg, ai, settings, app, services)
        finally:
            await stop_bot(app, services)


async def a_card(world: World, user: User) -> ChatMessage:
    world.tg.user_sends_photo(user, photo(6), caption="Zara taille M")
    [card] = await world.wait_cards(user, 1)
    await world.wait_done(user)
    return card


async def caption_saying(world: World, user: User, card: ChatMessage, needle: str) -> str:
    def caption() -> str | None:
        message = world.tg.message(user, card.message_id)
        text = message.caption if message is not None else None
        return text if text and needle in text else None

    return await world.tg.wait_for(caption, what=f"the card to say {needle!r}")


@pytest.mark.parametrize(
    ("user", "lang", "said"), [(SELLER, "fr", "prix 25"), (OTHER_SELLER, "en", "price 25")]
)
async def test_a_voice_reply_to_a_card_is_shown_then_applied_with_undo(
    world: World, user: User, lang: str, said: str
) -> None:
    card = await a_card(world, user)
    [before] = await world.services.repos.drafts.page(user.id)
    assert before.price is not None
    world.ai.audio.say(f"  {said} ")
    voice = world.tg.user_sends_voice(user, VOICE, duration=4, reply_to=card.message_id)

    heard = await world.tg.wait_for_message(user, t(lang, "voice_heard", text=said), since=card)
    assert heard.reply_to is not None and heard.reply_to.message_id == voice["message_id"]
    change = t(
        lang,
        "field_updated",
        field=t(lang, "field_price"),
        before=money(lang, before.price.target),
        after=money(lang, 25),
    )
    await caption_saying(world, user, card, change)
    [after] = await world.services.repos.drafts.page(user.id)
    assert after.price is not None and after.price.target == 25
    assert t(lang, "btn_undo_edit") in world.tg.message(user, card.message_id).button_texts  # type: ignore[union-attr]
    [asked] = world.ai.audio.transcriptions
    assert (asked.model, asked.size) == ("whisper-1", len(VOICE))
    seller = await world.services.sellers.get(user.id)
    assert seller is not None and asked.language == seller.language  # the listing's language


async def test_a_voice_note_right_after_the_edit_menu_goes_to_that_card(world: World) -> None:
    card = await a_card(world, SELLER)
    world.tg.user_presses(SELLER, card, t("fr", "btn_edit"))
    await world.tg.wait_for(
        lambda: t("fr", "field_price") in world.tg.message(SELLER, card.message_id).button_texts,  # type: ignore[union-attr]
        what="the edit menu",
    )
    world.ai.audio.say("prix 31")
    world.tg.user_sends_voice(SELLER, VOICE)
    await caption_saying(world, SELLER, card, money("fr", 31))


async def test_a_voice_note_with_no_card_says_how_to_aim_it(world: World) -> None:
    world.tg.user_sends_voice(SELLER, VOICE)
    await world.tg.wait_for_message(SELLER, t("fr", "voice_no_card")[:30])
    assert world.ai.audio.transcriptions == []


@pytest.mark.parametrize(
    ("duration", "heard", "key"),
    [(31, "prix 25", "voice_too_long"), (3, "", "voice_empty"), (3, Status(500), "voice_failed")],
)
async def test_long_empty_or_failed_voice_notes_change_nothing_and_say_why(
    world: World, duration: int, heard: str | Status, key: str
) -> None:
    card = await a_card(world, SELLER)
    [before] = await world.services.repos.drafts.page(SELLER.id)
    world.ai.audio.say(heard)
    world.tg.user_sends_voice(SELLER, VOICE, duration=duration, reply_to=card.message_id)
    await world.tg.wait_for_message(SELLER, t("fr", key, max=30)[:25], since=card)
    [after] = await world.services.repos.drafts.page(SELLER.id)
    assert after.listing() == before.listing() and after.version == before.version
    assert len(world.ai.audio.transcriptions) == (0 if key == "voice_too_long" else 1)
