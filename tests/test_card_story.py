"""The card as the seller watches it: progress while work runs, what changed, the pickers.

Story tests in French and English through the real bot, the fake Bot API and the fake OpenAI
server; every expected text comes from the texts modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.keyboards import CURRENT
from bot.texts import money, t
from core.drafts.models import DraftStatus
from core.sizes import WOMEN_SHOES, size_grid
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


# ---- pickers ---------------------------------------------------------------------------------


def test_each_kind_of_item_gets_its_own_size_grid() -> None:
    assert size_grid("women_sneakers", "fr") == WOMEN_SHOES
    assert "W32" in size_grid("men_jeans", "fr") and "XXS" not in size_grid("men_jeans", "fr")
    assert size_grid("women_bags", "fr") == ("Taille unique",)
    assert size_grid("women_bags", "en") == ("One size",)
    assert size_grid("men_tshirts", "en")[-1] == "One size" and "4XL" in size_grid(
        "men_tshirts", "en"
    )
    assert size_grid("no_such_category", "fr")[-1] == "Taille unique"


async def picker_on(world: World, user: User, card: ChatMessage, needle: str) -> ChatMessage:
    def shown() -> ChatMessage | None:
        message = world.tg.message(user, card.message_id)
        return message if message and needle in message.button_texts else None

    return await world.tg.wait_for(shown, what=f"a picker offering {needle!r}")


@pytest.mark.parametrize(("user", "lang"), [(SELLER, "fr"), (OTHER_SELLER, "en")])
async def test_the_size_is_edited_from_the_grid_of_its_category(
    world: World, user: User, lang: str
) -> None:
    world.ai.set_default_draft(category="women_sneakers", size="38", size_on_label="38")
    card = await a_card(world, user, caption="Nike")
    world.tg.user_presses(user, card, t(lang, "btn_edit"))
    menu = await picker_on(world, user, card, t(lang, "field_size"))
    world.tg.user_presses(user, menu, t(lang, "field_size"))

    grid = await picker_on(world, user, card, CURRENT + "38")  # the present size, ticked
    sizes = [b.removeprefix(CURRENT) for b in grid.button_texts]
    assert sizes[: len(WOMEN_SHOES)] == list(WOMEN_SHOES)
    assert t(lang, "btn_other_size") in sizes and "XL" not in sizes
    world.tg.user_presses(user, grid, "39")

    note = t(lang, "field_updated", field=t(lang, "field_size"), before="38", after="39")
    await caption_saying(world, user, card, note)
    [draft] = await world.services.repos.drafts.page(user.id)
    assert draft.size == "39"
    card_now = world.tg.message(user, card.message_id)
    assert card_now is not None and t(lang, "btn_undo_edit") in card_now.button_texts


async def test_other_size_asks_for_the_label_in_words(world: World) -> None:
    card = await a_card(world, SELLER)
    world.tg.user_presses(SELLER, card, t("fr", "btn_edit"))
    menu = await picker_on(world, SELLER, card, t("fr", "field_size"))
    world.tg.user_presses(SELLER, menu, t("fr", "field_size"))
    grid = await picker_on(world, SELLER, card, t("fr", "btn_other_size"))
    world.tg.user_presses(SELLER, grid, t("fr", "btn_other_size"))
    prompt = await world.tg.wait_for_message(SELLER, t("fr", "ask_other_size")[:20], since=card)
    world.tg.user_sends_text(SELLER, "W29 L32", reply_to=prompt)
    await caption_saying(world, SELLER, card, "W29 L32")


async def test_settings_show_every_choice_with_the_present_one_ticked(world: World) -> None:
    world.tg.user_sends_command(SELLER, "/settings")
    panel = await world.tg.wait_for_message(SELLER, "Langue")
    ticked = [b for b in panel.button_texts if b.startswith(CURRENT)]
    assert ticked == [
        CURRENT + t("fr", "set_listing_language", value=t("fr", "lang_fr")),
        CURRENT + t("fr", "set_ui_language", value=t("fr", "lang_fr")),
        CURRENT + t("fr", "btn_grouping_auto"),
        CURRENT + t("fr", "btn_mode_publish"),
        CURRENT + t("fr", "btn_relist_mode_ask"),
        CURRENT + t("fr", "btn_relist_days", count=30),
    ]
    assert t("fr", "set_ui_language", value=t("fr", "lang_en")) in panel.button_texts


# ---- one live card per draft; a delete can be taken back --------------------------------------


def cards_of(world: World, user: User) -> list[ChatMessage]:
    return [m for m in world.tg.messages(user) if m.kind == "photo" and m.buttons]


async def test_a_card_opened_again_from_drafts_replaces_the_old_one(world: World) -> None:
    card = await a_card(world, SELLER)
    world.tg.user_sends_command(SELLER, "/drafts")
    listing = await world.tg.wait_for_message(
        SELLER, lambda m: any(":op" in (b.callback_data or "") for b in m.buttons), since=card
    )
    entry = next(b for b in listing.button_texts if b.startswith("#"))
    world.tg.user_presses(SELLER, listing, entry)

    reopened = await world.tg.wait_for(
        lambda: [c for c in cards_of(world, SELLER) if c.message_id > listing.message_id],
        what="the card sent again",
    )
    await world.tg.wait_for(  # one live card per draft
        lambda: (old := world.tg.message(SELLER, card.message_id)) is not None and old.deleted,
        what="the old card to go",
    )
    assert [c.message_id for c in cards_of(world, SELLER)] == [reopened[0].message_id]
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.card_message_id == reopened[0].message_id  # edits now land on the new one
    world.tg.user_presses(SELLER, reopened[0], t("fr", "btn_regenerate"))
    await caption_saying(world, SELLER, reopened[0], t("fr", "regenerated_same"))


@pytest.mark.parametrize(("user", "lang"), [(SELLER, "fr"), (OTHER_SELLER, "en")])
async def test_a_deleted_draft_is_brought_back_from_its_card(
    world: World, user: User, lang: str
) -> None:
    card = await a_card(world, user)
    [before] = await world.services.repos.drafts.page(user.id)
    world.tg.user_presses(user, card, t(lang, "btn_delete"))
    ask = await picker_on(world, user, card, t(lang, "btn_confirm_delete"))
    world.tg.user_presses(user, ask, t(lang, "btn_confirm_delete"))
    gone = await caption_saying(world, user, card, t(lang, "card_deleted_undo"))
    assert gone == t(lang, "card_deleted_undo")
    assert await world.services.repos.drafts.page(user.id) == []

    world.tg.user_presses(user, world.tg.message(user, card.message_id), t(lang, "btn_restore"))  # type: ignore[arg-type]
    text = await caption_saying(world, user, card, t(lang, "restored"))

    [after] = await world.services.repos.drafts.page(user.id)
    assert (after.id, after.listing()) == (before.id, before.listing())
    assert after.title in text
    card_now = world.tg.message(user, card.message_id)
    assert card_now is not None and t(lang, "btn_approve") in card_now.button_texts


async def test_a_restore_pressed_twice_or_by_someone_else_is_refused(world: World) -> None:
    card = await a_card(world, SELLER)
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    await world.services.editor.delete(SELLER.id, draft.id or 0)
    forged = world.tg.user_presses(OTHER_SELLER, card, f"d:{draft.id}:rs", strict=False)
    answer = await world.tg.wait_for(lambda: world.tg.callback_answer(forged), what="an answer")
    assert answer["text"] == t("en", "err_restore_gone")
    assert await world.services.repos.drafts.page(SELLER.id) == []


async def test_an_old_card_that_cannot_be_deleted_says_where_the_card_went(world: World) -> None:
    card = await a_card(world, SELLER)
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    # The Bot API deletes only messages under 48 hours old: say so for the old card.
    world.tg.fail_next("deleteMessage", description="Bad Request: message can't be deleted")
    world.tg.user_presses(SELLER, card, f"d:{draft.id}:op", strict=False)

    moved = await caption_saying(world, SELLER, card, t("fr", "card_moved"))
    assert moved == t("fr", "card_moved")
    old = world.tg.message(SELLER, card.message_id)
    assert old is not None and not old.buttons  # nothing left to press on it
    assert len(cards_of(world, SELLER)) == 1


# ---- two albums merged into one item ------------------------------------------------------------


async def merged_card(world: World, user: User) -> ChatMessage:
    """Two albums the model judges one item: one card for both."""
    world.ai.script({"groups": [{"photo_indices": [1, 2, 3, 4], "label_photo_indices": []}]})
    world.tg.user_sends_album(user, [photo(1), photo(2)], caption="Zara taille M")
    world.tg.user_sends_album(user, [photo(3), photo(4)])
    [card] = await world.wait_cards(user, 1)
    await world.wait_done(user)
    return card


@pytest.mark.parametrize(("user", "lang"), [(SELLER, "fr"), (OTHER_SELLER, "en")])
async def test_two_albums_made_one_item_say_so_and_split_back_apart(
    world: World, user: User, lang: str
) -> None:
    card = await merged_card(world, user)
    assert t(lang, "card_merged", albums=2) in (card.caption or "")
    assert t(lang, "btn_split") in card.button_texts
    [merged] = await world.services.repos.drafts.page(user.id)
    assert len(merged.photo_ids) == 4

    world.tg.user_presses(user, card, t(lang, "btn_split"))
    await caption_saying(world, user, card, t(lang, "split_done", count=2))
    [second] = await world.tg.wait_for(
        lambda: [c for c in world.cards(user) if c.message_id > card.message_id],
        what="the second album's card",
    )

    drafts = sorted(await world.services.repos.drafts.page(user.id), key=lambda d: d.id or 0)
    assert [d.photo_ids for d in drafts] == [merged.photo_ids[:2], merged.photo_ids[2:]]
    assert all(d.title and d.error is None for d in drafts)  # each analysed again
    assert t(lang, "btn_split") not in world.tg.message(user, card.message_id).button_texts  # type: ignore[union-attr]
    assert t(lang, "card_merged", albums=2) not in (second.caption or "")


async def test_one_album_and_loose_photos_are_told_apart(world: World) -> None:
    world.ai.script({"groups": [{"photo_indices": [1, 2, 3], "label_photo_indices": []}]})
    world.tg.user_sends_album(SELLER, [photo(1), photo(2)], caption="Zara taille M")
    world.tg.user_sends_photo(SELLER, photo(3))
    [card] = await world.wait_cards(SELLER, 1)
    text = await caption_saying(world, SELLER, card, "→")
    assert t("fr", "card_merged_loose", albums=1, loose=1) in text
    assert "1 album + 1 photo → 1 article" in text  # singular, both


async def test_an_album_sent_alone_offers_no_split(world: World) -> None:
    world.tg.user_sends_album(SELLER, [photo(1), photo(2)], caption="Zara taille M")
    [card] = await world.wait_cards(SELLER, 1)
    await world.wait_done(SELLER)
    assert "→" not in (card.caption or "") and t("fr", "btn_split") not in card.button_texts
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    forged = world.tg.user_presses(SELLER, card, f"d:{draft.id}:sp", strict=False)
    answer = await world.tg.wait_for(lambda: world.tg.callback_answer(forged), what="an answer")
    assert answer["text"] == t("fr", "err_split_single")


# ---- a bulk seller's day ------------------------------------------------------------------------


async def test_a_big_batch_keeps_the_order_the_seller_sent_it_in(world: World) -> None:
    # Updates are handled concurrently; the photos must still line up as they were sent.
    for start in range(0, 40, 10):
        world.tg.user_sends_album(SELLER, [photo(start + k) for k in range(10)])
    await world.wait_done(SELLER)
    rows = await world.services.repos.db.fetchall(
        "SELECT source_name FROM photos ORDER BY position"
    )
    sent = [int(r["source_name"].split()[1].split(".")[0]) for r in rows]
    assert sent == sorted(sent) and len(sent) >= 20  # (the dataset repeats after 21 photos)


async def two_ready_drafts(world: World) -> ChatMessage:
    world.tg.user_sends_album(SELLER, [photo(1), photo(2)], caption="Zara taille M")
    world.tg.user_sends_album(SELLER, [photo(3), photo(4)])
    await world.wait_cards(SELLER, 2)
    return await world.wait_done(SELLER)


async def test_a_batchs_ready_drafts_are_approved_in_one_go_after_a_confirmation_with_undo(
    world: World,
) -> None:
    summary = await two_ready_drafts(world)
    drafts = await world.services.repos.drafts.page(SELLER.id)
    ready = [d for d in drafts if d.publish_ready and not d.to_confirm]
    assert len(ready) == 2
    offer = t("fr", "btn_approve_ready", count=2)
    assert offer in summary.button_texts

    world.tg.user_presses(SELLER, summary, offer)
    confirm = t("fr", "btn_confirm_approve_ready", count=2)
    asked = await picker_on_message(world, summary, confirm)
    assert [d.status for d in await world.services.repos.drafts.page(SELLER.id)] == [
        DraftStatus.DRAFT
    ] * 2  # nothing before the confirmation
    world.tg.user_presses(SELLER, asked, confirm)
    done = await world.tg.wait_for(
        lambda: (
            (m := world.tg.message(SELLER, summary.message_id))
            and t("fr", "bulk_approved", count=2) in m.content
            and m
        ),
        what="the approvals said",
    )
    assert t("fr", "approved_connect_first") in done.content  # nothing goes out yet: say so
    statuses = [d.status for d in await world.services.repos.drafts.page(SELLER.id)]
    assert statuses == [DraftStatus.APPROVED] * 2
    for card in world.cards(SELLER):
        await caption_saying(world, SELLER, card, t("fr", "card_approved"))

    world.tg.user_presses(SELLER, done, t("fr", "btn_undo_approve_ready"))
    await world.tg.wait_for(
        lambda: (
            t("fr", "bulk_undone", count=2)
            in (world.tg.message(SELLER, summary.message_id).content or "")
        ),  # type: ignore[union-attr]
        what="the approvals taken back",
    )
    statuses = [d.status for d in await world.services.repos.drafts.page(SELLER.id)]
    assert statuses == [DraftStatus.DRAFT] * 2


async def picker_on_message(world: World, message: ChatMessage, needle: str) -> ChatMessage:
    def shown() -> ChatMessage | None:
        current = world.tg.message(SELLER, message.message_id)
        return current if current and needle in current.button_texts else None

    return await world.tg.wait_for(shown, what=f"a button {needle!r}")


async def test_drafts_can_be_filtered_ready_to_finish_or_failed(world: World) -> None:
    await two_ready_drafts(world)
    [first, second] = await world.services.repos.drafts.page(SELLER.id)
    await world.services.repos.db.execute(  # the second one still has something to finish
        "UPDATE drafts SET publish_ready = 0, missing = '[\"size_to_confirm\"]' WHERE id = ?",
        (second.id,),
    )
    world.tg.user_sends_command(SELLER, "/drafts")
    listing = await world.tg.wait_for_message(
        SELLER, lambda m: t("fr", "drafts_filter_ready") in m.button_texts
    )
    world.tg.user_presses(SELLER, listing, t("fr", "drafts_filter_ready"))
    ready = await picker_on_message(world, listing, CURRENT + t("fr", "drafts_filter_ready"))
    entries = [b for b in ready.button_texts if b.startswith("#")]
    assert [e.split()[0] for e in entries] == [f"#{first.id}"]
    world.tg.user_presses(SELLER, ready, t("fr", "drafts_filter_failed"))
    failed = await picker_on_message(world, listing, CURRENT + t("fr", "drafts_filter_failed"))
    assert not [b for b in failed.button_texts if b.startswith("#")]
