"""A card sent with a copy of the draft read earlier never undoes what the queue did meanwhile.

The old bug: sending a card ended by writing back the whole copy it was given, status
included. Reopened after the publish, the draft came back "approved" and the next tick listed
it again; sent during the publish, the settlement found nothing to settle and the queue jammed.
"""

from __future__ import annotations

import asyncio

import pytest

from core.drafts.models import Draft, DraftStatus
from tests.shop import Shop
from tests.test_bot import SELLER, photo

pytestmark = pytest.mark.timeout(60)


async def approved_card(shop: Shop) -> Draft:
    """The seller sends a photo, gets a card and approves it."""
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    [card] = await shop.tg.wait_for(
        lambda: [m for m in shop.tg.messages(SELLER) if m.kind == "photo" and m.buttons],
        what="the draft card",
    )
    approve = next(b for b in card.buttons if b.callback_data and b.callback_data.endswith(":ap"))
    shop.tg.user_presses(SELLER, card, approve.callback_data or "")
    # The bot answers the press once the approval is stored.
    await shop.tg.wait_for_call("answerCallbackQuery")
    draft = await shop.draft()
    assert draft.status is DraftStatus.APPROVED
    return draft


async def test_a_card_reopened_after_the_publish_never_lists_the_draft_again(shop: Shop) -> None:
    stale = await approved_card(shop)  # the copy the reopened card is sent with
    shop.tg.user_sends_command(SELLER, "/drafts")
    listing = await shop.tg.wait_for_message(
        SELLER, lambda m: any((b.callback_data or "").endswith(":op") for b in m.buttons)
    )
    [report] = await shop.state.queue.tick()
    assert report.kind == "published"

    # The seller reopens the card from the list shown before the publish...
    reopen = next(
        b for b in listing.buttons if b.callback_data and b.callback_data.endswith(":op")
    )
    shop.tg.user_presses(SELLER, listing, reopen.callback_data or "")
    await shop.tg.wait_for(
        lambda: [
            m
            for m in shop.tg.messages(SELLER)
            if m.kind == "photo" and m.message_id > listing.message_id
        ],
        what="the reopened card",
    )
    # ... and a card is sent with the copy read before the publish.
    await shop.state.sender.send_card(SELLER.id, stale, "fr")
    assert await shop.state.queue.tick() == []

    draft = await shop.draft()
    assert draft.status is DraftStatus.PUBLISHED and draft.publication is not None
    assert shop.vinted.items() == [stale.title]


async def test_a_card_sent_during_the_publish_never_jams_the_queue(shop: Shop) -> None:
    stale = await approved_card(shop)
    shop.vinted.gate = asyncio.Event()
    publishing = asyncio.create_task(shop.state.queue.tick())
    await shop.vinted.started.wait()  # the draft is in the browser now

    await shop.state.sender.send_card(SELLER.id, stale, "fr")
    shop.vinted.gate.set()
    [report] = await publishing

    assert report.kind == "published"
    draft = await shop.draft()
    assert draft.status is DraftStatus.PUBLISHED
    assert await shop.services.repos.attempts.open_attempts() == []
    assert await shop.state.queue.tick() == []
    assert shop.vinted.items() == [stale.title]
