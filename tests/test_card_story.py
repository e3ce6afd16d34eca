"""The card as the seller watches it: progress while work runs, what changed, the pickers.

Story tests in French and English through the real bot, the fake Bot API and the fake OpenAI
server; every expected text comes from the texts modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import money, t
from tests.fakes.openai import FakeOpenAIServer, Status
from tests.fakes.telegram import ChatMessage, FakeTelegram, User
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


async def a_card(world: World, user: User, caption: str = "Zara taille M") -> ChatMessage:
    world.tg.user_sends_photo(user, photo(6), caption=caption)
    [card] = await world.wait_cards(user, 1)
    await world.wait_done(user)
    return card


def captions_of(world: World, card: ChatMessage) -> list[str]:
    """Every caption the card was given, in turn."""
    return [
        str(c.params.get("caption", ""))
        for c in world.tg.calls("editMessageCaption")
        if str(c.params.get("message_id")) == str(card.message_id)
    ]


async def caption_saying(world: World, user: User, card: ChatMessage, needle: str) -> str:
    def caption() -> str | None:
        message = world.tg.message(user, card.message_id)
        text = message.caption if message is not None else None
        return text if text and needle in text else None

    return await world.tg.wait_for(caption, what=f"the card to say {needle!r}")


# ---- regenerate ------------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "lang"), [(SELLER, "fr"), (OTHER_SELLER, "en")])
async def test_regenerate_shows_its_progress_then_what_changed(
    world: World, user: User, lang: str
) -> None:
    card = await a_card(world, user)
    [before] = await world.services.repos.drafts.page(user.id)
    assert before.price is not None
    world.ai.set_default_draft(price_target=before.price.target + 7)

    world.tg.user_presses(user, card, t(lang, "btn_regenerate"))
    text = await caption_saying(world, user, card, t(lang, "regenerated"))

    [after] = await world.services.repos.drafts.page(user.id)
    assert after.price is not None and after.price.target == before.price.target + 7
    price = t(
        lang,
        "field_updated",
        field=t(lang, "field_price"),
        before=money(lang, before.price.target),
        after=money(lang, after.price.target),
    )
    assert price in text
    shown = captions_of(world, card)
    busy = [i for i, c in enumerate(shown) if t(lang, "regenerating_card") in c]
    assert busy and busy[0] < len(shown) - 1  # said while it ran, replaced when done
    card_now = world.tg.message(user, card.message_id)
    assert card_now is not None and t(lang, "btn_approve") in card_now.button_texts


async def test_a_regenerate_that_fails_leaves_the_listing_and_says_why_on_the_card(
    world: World,
) -> None:
    card = await a_card(world, SELLER)
    [before] = await world.services.repos.drafts.page(SELLER.id)
    world.ai.script(*[Status(500)] * 6)

    world.tg.user_presses(SELLER, card, t("fr", "btn_regenerate"))
    failed = t("fr", "regenerate_failed", reason="").strip()
    text = await caption_saying(world, SELLER, card, failed.splitlines()[0])

    [after] = await world.services.repos.drafts.page(SELLER.id)
    assert (after.title, after.price, after.description) == (
        before.title,
        before.price,
        before.description,
    )
    assert before.title in text
    card_now = world.tg.message(SELLER, card.message_id)
    assert card_now is not None and t("fr", "btn_approve") in card_now.button_texts


async def test_a_new_version_that_changes_nothing_says_so(world: World) -> None:
    card = await a_card(world, SELLER)
    world.tg.user_presses(SELLER, card, t("fr", "btn_regenerate"))
    await caption_saying(world, SELLER, card, t("fr", "regenerated_same"))
