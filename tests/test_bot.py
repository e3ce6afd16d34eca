"""The bot as sellers use it: real python-telegram-bot against a fake Bot API and a fake AI."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from telegram.ext import Application

from bot.app import build_application
from bot.texts import t
from core.config import Settings, load_settings
from core.db import Database
from core.drafts.models import DraftStatus
from core.intake.models import BatchStatus
from core.marketplace import Marketplace
from core.services import Repositories, Services, build_services
from tests.fakes.openai import FakeOpenAIServer, Status
from tests.fakes.telegram import ChatMessage, FakeTelegram, User

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))
SELLER = User(id=1001, first_name="Camille", language_code="fr")
OTHER_SELLER = User(id=1002, first_name="Sam", language_code="en")
STRANGER = User(id=6666, first_name="Eve", language_code="en")

pytestmark = pytest.mark.timeout(60)


def photo(i: int) -> bytes:
    return CLOTHES[i % len(CLOTHES)].read_bytes()


@dataclass
class World:
    tg: FakeTelegram
    ai: FakeOpenAIServer
    settings: Settings
    app: Application  # type: ignore[type-arg]
    services: Services

    def cards(self, user: User) -> list[ChatMessage]:
        """Return the draft cards in the seller's chat: photos with an Approve button."""
        return [m for m in self.tg.messages(user) if m.kind == "photo" and m.buttons]

    async def wait_cards(self, user: User, count: int, timeout: float = 20) -> list[ChatMessage]:  # noqa: ASYNC109
        return await self.tg.wait_for(
            lambda: (c := self.cards(user)) and len(c) >= count and c,
            timeout,
            f"{count} draft cards",
        )

    async def wait_done(self, user: User) -> ChatMessage:
        """Wait until the progress message says the batch is done."""
        return await self.tg.wait_for_message(
            user, lambda m: m.content.startswith(("Done", "Terminé")), timeout=20
        )


async def start_bot(
    settings: Settings, marketplace: Marketplace | None = None
) -> tuple[Application, Services]:  # type: ignore[type-arg]
    """Start the production factory's Application on long polling, as `run_polling` would."""
    services = await build_services(settings, marketplace=marketplace)
    app = build_application(settings, services)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    return app, services


async def stop_bot(app: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Stop as `run_polling` does: the updater, the application, then its post_shutdown hook."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)  # closes the services


def make_settings(
    tg: FakeTelegram, ai: FakeOpenAIServer, tmp_path: Path, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_url": tg.url,
        "openai_api_key": "sk-test",
        "openai_base_url": ai.base_url,
        "data_dir": tmp_path / "data",
        "allowed_user_ids": [SELLER.id, OTHER_SELLER.id],
        "album_quiet_seconds": 0.4,
        "card_interval_seconds": 0.0,
        "openai_max_retries": 1,
        "openai_retry_base_seconds": 0.001,
        "_env_file": None,
    }
    values.update(extra)
    return load_settings(**values)


@pytest.fixture
async def world(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[World]:
    extra = getattr(request, "param", {})
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(tg, ai, tmp_path, **extra)
        app, services = await start_bot(settings)
        try:
            yield World(tg, ai, settings, app, services)
        finally:
            await stop_bot(app, services)


# ---- receiving photos ---------------------------------------------------------------------------


async def test_album_of_three_photos_gives_one_card_with_its_buttons(world: World) -> None:
    world.tg.user_sends_album(SELLER, [photo(0), photo(1), photo(2)], caption="Zara taille M")

    ack = await world.tg.wait_for_message(SELLER, "photos")
    [card] = await world.wait_cards(SELLER, 1)
    done = await world.wait_done(SELLER)

    assert ack.message_id == done.message_id  # one progress message, edited in place
    assert "3 photos" in done.content
    assert {"Valider", "Modifier", "Régénérer", "Supprimer"} <= set(card.button_texts)
    assert "Zara" in card.caption and "M" in card.caption
    assert len(card.caption) <= 1024
    assert "€" in card.caption
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert len(draft.photo_ids) == 3 and draft.card_message_id == card.message_id


async def test_photos_shown_for_the_cover_choice_are_numbered_like_the_buttons(
    world: World,
) -> None:
    world.tg.user_sends_album(SELLER, [photo(0), photo(1), photo(2)], caption="Zara taille M")
    [card] = await world.wait_cards(SELLER, 1)
    await world.wait_done(SELLER)
    world.tg.user_presses(SELLER, card, f"d:{_draft_id(card)}:f:cover", strict=False)
    await world.tg.wait_for(
        lambda: "3" in world.tg.message(SELLER, card.message_id).button_texts,  # type: ignore[union-attr]
        what="the cover buttons",
    )
    shown = [m for m in world.tg.messages(SELLER) if m.kind == "photo" and not m.buttons]
    assert [m.caption for m in shown] == ["1", "2", "3"]
    buttons = world.tg.message(SELLER, card.message_id).button_texts  # type: ignore[union-attr]
    assert [b for b in buttons if b.lstrip("✓ ").isdigit()] == ["✓ 1", "2", "3"]  # 1: the cover


async def test_an_edited_caption_is_not_a_second_item(world: World) -> None:
    sent = world.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    await world.wait_cards(SELLER, 1)
    await world.wait_done(SELLER)
    said_before = len(world.tg.messages(SELLER))
    calls_before = len(world.ai.requests)

    world.tg.user_edits(SELLER, sent, caption="Zara taille L")
    # A later photo is the sync point: it makes exactly one more item of its own.
    world.tg.user_sends_photo(SELLER, photo(3), caption="Nike")
    await world.wait_cards(SELLER, 2)
    await world.tg.wait_for_message(
        SELLER, lambda m: m.content.startswith("Terminé") and m.message_id > sent["message_id"]
    )

    drafts = await world.services.repos.drafts.page(SELLER.id)
    assert sorted(len(d.photo_ids) for d in drafts) == [1, 1]
    new = world.tg.messages(SELLER)[said_before:]
    assert len([m for m in new if m.from_bot]) == 2  # the new photo's progress and its card
    assert len(world.ai.requests) - calls_before == calls_before  # one item's AI calls


async def test_a_photo_and_150_stickers_make_one_item_and_one_short_notice(world: World) -> None:
    world.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    await world.tg.wait_for_message(SELLER, "photos")
    world.tg.fail_next("sendMessage")  # the notice cannot be sent: the batch goes on anyway
    for _ in range(150):
        world.tg.user_sends_sticker(SELLER)
    [card] = await world.wait_cards(SELLER, 1)
    await world.wait_done(SELLER)
    [batch] = await world.services.repos.batches.recent(SELLER.id)
    assert batch.status.value != "receiving"

    world.tg.user_sends_photo(SELLER, photo(3))
    for _ in range(150):
        world.tg.user_sends_sticker(SELLER)
    await world.wait_cards(SELLER, 2)
    notice = await world.tg.wait_for_message(SELLER, "ignorés", since=card)
    assert len(notice.content) <= 4096
    assert "et 140 autres (un sticker, pas une photo)" in notice.content


@pytest.mark.parametrize("world", [{"max_batch_photos": 3}], indirect=True)
async def test_photos_past_the_batch_limit_are_refused_before_any_download(world: World) -> None:
    world.tg.user_sends_album(SELLER, [photo(i) for i in range(6)], caption="Zara")
    full = await world.tg.wait_for_message(SELLER, "au maximum 3 photos", timeout=20)
    await world.wait_done(SELLER)
    assert len(world.tg.downloads) == 3  # the other three were never fetched nor decoded
    assert "Renvoyez-les" in full.content


async def test_english_seller_gets_english_buttons(world: World) -> None:
    world.tg.user_sends_photo(OTHER_SELLER, photo(3), caption="Nike size L")
    [card] = await world.wait_cards(OTHER_SELLER, 1)
    assert {"Approve", "Edit", "Regenerate", "Delete"} <= set(card.button_texts)


async def test_three_albums_of_two_items_each_give_six_cards(world: World) -> None:
    # The model sees 12 photos (3 albums of 4) and finds 2 items in each album.
    world.ai.script(
        {
            "groups": [
                {"photo_indices": [i, i + 1], "label_photo_indices": []} for i in range(1, 13, 2)
            ]
        }
    )
    for album in range(3):
        world.tg.user_sends_album(SELLER, [photo(album * 4 + k) for k in range(4)])

    cards = await world.wait_cards(SELLER, 6)
    await world.wait_done(SELLER)

    assert len(cards) == 6
    assert len(world.ai.requests_named("grouping")) == 1  # one batch, one grouping call
    drafts = await world.services.repos.drafts.page(SELLER.id)
    assert sorted(len(d.photo_ids) for d in drafts) == [2] * 6


async def test_iphone_heic_sent_as_a_file_becomes_a_card(world: World) -> None:
    heic = (TESTDATA / "heic" / "IMG_2927.HEIC").read_bytes()
    world.tg.user_sends_document(
        SELLER, heic, "IMG_2927.HEIC", "image/heic", caption="Levi's taille 32"
    )
    [card] = await world.wait_cards(SELLER, 1)
    with Image.open(io.BytesIO(card.data or b"")) as cover:
        assert cover.format == "JPEG" and max(cover.size) == 1600


async def test_video_and_empty_file_are_named_and_the_rest_is_analysed(world: World) -> None:
    world.tg.user_sends_photo(SELLER, photo(4), caption="Zara taille S")
    world.tg.user_sends_video(SELLER)
    world.tg.user_sends_document(SELLER, b"", "vide.jpg", "image/jpeg")
    world.tg.user_sends_document(SELLER, b"%PDF-1.4 not a photo", "facture.pdf", "application/pdf")

    skipped = await world.tg.wait_for_message(SELLER, "vide.jpg")
    assert "vid" in skipped.content.lower()  # the video is named too ("vidéo")
    assert "facture.pdf" in skipped.content
    [card] = await world.wait_cards(SELLER, 1)
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert len(draft.photo_ids) == 1


async def test_stranger_is_refused_and_nothing_is_downloaded(world: World) -> None:
    world.tg.user_sends_photo(STRANGER, photo(5))
    refusal = await world.tg.wait_for_message(STRANGER, "private")
    assert str(STRANGER.id) in refusal.content
    world.tg.user_sends_command(STRANGER, "/drafts")
    await world.tg.wait_for(lambda: len(world.tg.messages(STRANGER)) == 2, what="2 refusals")
    assert world.tg.downloads == []
    assert world.ai.requests == []
    assert await world.services.repos.sellers.get(STRANGER.id) is None


# ---- editing and approving ----------------------------------------------------------------------


async def first_card(
    world: World, user: User, caption: str | None = "Zara taille M"
) -> ChatMessage:
    world.tg.user_sends_photo(user, photo(6), caption=caption)
    [card] = await world.wait_cards(user, 1)
    await world.wait_done(user)
    return card


async def test_editing_the_price_with_a_decimal_comma(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_presses(SELLER, card, "Modifier")
    await world.tg.wait_for(
        lambda: "Prix" in world.tg.message(SELLER, card.message_id).button_texts,  # type: ignore[union-attr]
        what="the field menu",
    )
    world.tg.user_presses(SELLER, world.tg.message(SELLER, card.message_id), "Prix")  # type: ignore[arg-type]
    prompt = await world.tg.wait_for_message(SELLER, "prix", since=card)
    world.tg.user_sends_text(SELLER, "25,50", reply_to=prompt)

    # Said once, on the card itself; the question and the answer are cleaned up.
    caption = await card_caption(world, card, "-> 25,50 €")
    assert "<b>25,50 €</b>" not in caption  # plain text shown
    await world.tg.wait_for(
        lambda: all(
            m.deleted for m in world.tg.history(SELLER) if m.message_id >= prompt.message_id
        ),
        what="the question and the answer to be deleted",
    )
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.price is not None and draft.price.target == 25.5


async def test_a_title_with_html_signs_is_asked_about_and_shown_as_typed(world: World) -> None:
    card = await first_card(world, SELLER)
    draft_id = _draft_id(card)
    world.tg.user_presses(SELLER, card, f"d:{draft_id}:f:title", strict=False)
    prompt = await world.tg.wait_for_message(SELLER, "titre", since=card)
    world.tg.user_sends_text(SELLER, "Robe <Zara> & co 38", reply_to=prompt)
    await card_caption(world, card, "-> Robe <Zara> & co 38")

    # Asked again: the question quotes the current title, which must not be read as markup.
    world.tg.user_presses(SELLER, card, f"d:{draft_id}:f:title", strict=False)
    again = await world.tg.wait_for_message(SELLER, "(Robe <Zara> & co 38)", since=prompt)
    assert "Traceback" not in again.content


async def test_the_condition_picker_marks_the_current_condition(world: World) -> None:
    card = await first_card(world, SELLER)
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.condition is not None
    world.tg.user_presses(SELLER, card, f"d:{_draft_id(card)}:f:condition", strict=False)
    picker = await world.tg.wait_for(
        lambda: (
            (m := world.tg.message(SELLER, card.message_id))
            and any(b.startswith("✓") for b in m.button_texts)
            and m
        ),
        what="the condition picker",
    )
    marked = [b for b in picker.button_texts if b.startswith("✓")]
    assert marked == ["✓ " + t("fr", f"cond_{draft.condition.value}")]


async def test_refused_price_keeps_the_question_open(world: World) -> None:
    card = await first_card(world, SELLER)
    # The price button of the field menu, pressed straight from the card's message.
    world.tg.user_presses(SELLER, card, f"d:{_draft_id(card)}:f:price", strict=False)
    prompt = await world.tg.wait_for_message(SELLER, "prix", since=card)
    world.tg.user_sends_text(SELLER, "pas cher", reply_to=prompt)
    await world.tg.wait_for_message(SELLER, "25,50", since=prompt)  # the error shows an example
    world.tg.user_sends_text(SELLER, "19")
    await card_caption(world, card, "-> 19 €")


async def test_free_text_edit_is_confirmed_as_before_and_after(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_sends_text(
        SELLER, "prix 25, défaut : petite tache sur la manche", reply_to=card.message_id
    )
    caption = await card_caption(world, card, "-> 25 €")
    assert any(
        line.startswith("Prix :") and line.endswith("-> 25 €") for line in caption.splitlines()
    )
    assert "petite tache sur la manche" in caption
    assert t("fr", "btn_undo_edit") in world.tg.message(SELLER, card.message_id).button_texts  # type: ignore[union-attr]
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.price is not None and draft.price.target == 25
    assert any("tache" in d for d in draft.defects)
    assert draft.status is DraftStatus.DRAFT  # an edit never publishes nor approves
    assert "25 €" in (world.tg.message(SELLER, card.message_id).caption or "")  # type: ignore[union-attr]


@pytest.mark.parametrize("user", [SELLER, OTHER_SELLER], ids=["fr", "en"])
async def test_a_new_size_follows_into_the_title_and_can_be_undone(
    world: World, user: User
) -> None:
    lang = user.language_code
    card = await first_card(world, user, caption="Zara taille M")
    [draft] = await world.services.repos.drafts.page(user.id)
    world.tg.user_presses(user, card, f"d:{_draft_id(card)}:sx", strict=False)
    prompt = await world.tg.wait_for_message(user, lambda m: m.message_id > card.message_id)
    world.tg.user_sends_text(user, "38", reply_to=prompt)

    said = t(lang, "field_updated", field=t(lang, "field_size"), before="M", after="38")
    caption = await card_caption(world, card, said, user)
    [edited] = await world.services.repos.drafts.page(user.id)
    assert edited.size == "38" and edited.title != draft.title
    followed = t(
        lang, "followed_line", field=t(lang, "field_title"), before=draft.title, after=edited.title
    )
    assert followed in caption  # the title that followed is shown, before it counts
    await world.tg.wait_for(  # the question and the answer are cleaned up
        lambda: not [m for m in world.tg.messages(user) if m.message_id > card.message_id],
        what="the question to be deleted",
    )

    world.tg.user_presses(user, world.tg.message(user, card.message_id), t(lang, "btn_undo_edit"))  # type: ignore[arg-type]
    caption = await card_caption(world, card, t(lang, "edit_undone"), user)
    [undone] = await world.services.repos.drafts.page(user.id)
    assert (undone.size, undone.title, undone.description) == (
        draft.size,
        draft.title,
        draft.description,
    )
    assert t(lang, "field_updated", field=t(lang, "field_size"), before="38", after="M") in caption


async def test_a_stain_to_remove_that_is_not_there_is_said_in_one_reply(world: World) -> None:
    card = await first_card(world, SELLER)
    world.ai.script(
        {
            **dict.fromkeys(
                ("title", "description", "hashtags", "brand", "category", "size", "condition")
            ),
            **dict.fromkeys(("colours", "material", "measurements", "price_min")),
            **dict.fromkeys(("price_target", "price_max")),
            "add_defects": [],
            "remove_defects": ["tache"],
            "summary": "Tache retirée.",
        }
    )
    world.tg.user_sends_text(SELLER, "enlève la tache", reply_to=card.message_id)
    reply = await world.tg.wait_for_message(SELLER, t("fr", "err_nothing_to_edit"), since=card)
    assert t("fr", "unapplied_defect_not_found", value="tache") in reply.content


@pytest.mark.parametrize("kind", ["session_missing", "session_unreadable", "captcha"])
async def test_resume_is_offered_only_where_it_can_resume(world: World, kind: str) -> None:
    await first_card(world, SELLER)
    notifier = world.app.bot_data["state"].queue.notifier
    await notifier.paused(SELLER.id, kind, None)
    told = await world.tg.wait_for_message(
        SELLER, lambda m: m.kind == "text" and "Vinted" in m.content
    )
    offers_resume = t("fr", "btn_resume") in told.button_texts
    assert offers_resume == (kind == "captcha")  # /connect resumes the other two
    if kind != "captcha":
        assert "/connect" in told.content


async def test_approving_a_draft_whose_size_is_not_visible_asks_for_it_first(
    world: World,
) -> None:
    card = await first_card(world, SELLER, caption=None)  # no label read: size to confirm
    assert "à confirmer" in card.caption
    world.tg.user_presses(SELLER, card, "Valider")
    await world.tg.wait_for(
        lambda: "M" in world.tg.message(SELLER, card.message_id).button_texts,  # type: ignore[union-attr]
        what="the size keyboard",
    )
    world.tg.user_presses(SELLER, world.tg.message(SELLER, card.message_id), "M")  # type: ignore[arg-type]
    await world.tg.wait_for(
        lambda: "Validé" in (world.tg.message(SELLER, card.message_id).caption or ""),  # type: ignore[union-attr]
        what="the card to say approved",
    )
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.size == "M" and draft.status is DraftStatus.APPROVED


async def test_approving_without_a_vinted_account_says_to_connect_at_once(world: World) -> None:
    card = await first_card(world, SELLER)
    press = world.tg.user_presses(SELLER, card, "Valider")
    answer = await world.tg.wait_for(
        lambda: world.tg.callback_answer(press), what="the answer to the press"
    )
    assert answer.get("show_alert") is True
    assert t("fr", "approved_connect_first") == answer["text"]
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.APPROVED  # kept in the queue meanwhile


async def test_approve_then_undo(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_presses(SELLER, card, "Valider")
    approved = await world.tg.wait_for(
        lambda: (m := world.tg.message(SELLER, card.message_id)) and "Validé" in m.caption and m,
        what="approved card",
    )
    assert "Valider" not in approved.button_texts
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.APPROVED
    world.tg.user_sends_command(SELLER, "/queue")
    await world.tg.wait_for_message(SELLER, draft.title[:20], since=card)

    world.tg.user_presses(SELLER, approved, approved.buttons[0].callback_data or "")
    await world.tg.wait_for(
        lambda: "Valider" in world.tg.message(SELLER, card.message_id).button_texts,  # type: ignore[union-attr]
        what="the card back in editing",
    )
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.DRAFT


async def test_a_button_of_another_sellers_card_does_nothing(world: World) -> None:
    card = await first_card(world, SELLER)
    delete = card.button("Supprimer").callback_data or ""
    press = world.tg.user_presses(OTHER_SELLER, card, delete, strict=False)
    answer = await world.tg.wait_for(lambda: world.tg.callback_answer(press), what="an answer")
    assert "not your" in answer.get("text", "").lower()
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.DRAFT
    assert world.tg.message(SELLER, card.message_id).button_texts == card.button_texts  # type: ignore[union-attr]


async def test_button_of_a_deleted_draft_answers_politely(world: World) -> None:
    card = await first_card(world, SELLER)
    draft_id = _draft_id(card)
    world.tg.user_presses(SELLER, card, "Supprimer")
    await world.tg.wait_for(
        lambda: (
            f"d:{draft_id}:dly"
            in [b.callback_data for b in world.tg.message(SELLER, card.message_id).buttons]
        ),  # type: ignore[union-attr]
        what="delete confirmation",
    )
    world.tg.user_presses(SELLER, card.message_id, f"d:{draft_id}:dly", strict=False)
    await world.tg.wait_for(  # only the way back is left on it
        lambda: (
            world.tg.message(SELLER, card.message_id).button_texts  # type: ignore[union-attr]
            == [t("fr", "btn_restore")]
        ),
        what="card with only the restore button",
    )
    press = world.tg.user_presses(SELLER, card.message_id, f"d:{draft_id}:ap", strict=False)
    answer = await world.tg.wait_for(lambda: world.tg.callback_answer(press), what="an answer")
    assert "existe plus" in answer.get("text", "")


# ---- commands -----------------------------------------------------------------------------------


async def test_start_help_and_unknown_command(world: World) -> None:
    world.tg.user_sends_command(SELLER, "/start")
    welcome = await world.tg.wait_for_message(SELLER, "Camille")
    assert "1." in welcome.content and "3." in welcome.content
    world.tg.user_sends_command(SELLER, "/frobnicate")
    await world.tg.wait_for_message(SELLER, "/help", since=welcome)
    world.tg.user_sends_text(SELLER, "bonjour")
    await world.tg.wait_for(lambda: len(world.tg.messages(SELLER)) == 3, what="a hint")


async def test_command_menu_is_set_in_french_and_english(world: World) -> None:
    french = world.tg.commands(language_code="fr")
    english = world.tg.commands()
    assert (
        {c["command"] for c in french}
        == {c["command"] for c in english}
        >= {"start", "help", "drafts", "queue", "stats", "export", "settings", "cancel"}
    )
    assert french != english


async def test_drafts_list_reopens_a_card(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_sends_command(SELLER, "/drafts")
    listing = await world.tg.wait_for_message(
        SELLER,
        lambda m: (
            m.kind == "text"
            and any(b.callback_data and ":op" in b.callback_data for b in m.buttons)
        ),
        since=card,
    )
    entry = next(b for b in listing.buttons if b.callback_data and ":op" in b.callback_data)
    world.tg.user_presses(SELLER, listing, entry.callback_data or "")
    await world.tg.wait_for(  # sent again below the list (the old one goes: one live card)
        lambda: [c for c in world.cards(SELLER) if c.message_id > listing.message_id],
        what="the card sent again",
    )


async def test_stats_and_export(world: World) -> None:
    await first_card(world, SELLER)
    world.tg.user_sends_command(SELLER, "/stats")
    stats = await world.tg.wait_for_message(SELLER, "Tokens IA")
    assert " $)" in stats.content  # the AI cost, with its unit
    assert "1" in stats.content
    world.tg.user_sends_command(SELLER, "/export")
    doc = await world.tg.wait_for_message(SELLER, lambda m: m.kind == "document", since=stats)
    assert doc.data is not None and doc.data[:2] == b"PK"


async def test_settings_switch_interface_language(world: World) -> None:
    world.tg.user_sends_command(SELLER, "/settings")
    panel = await world.tg.wait_for_message(SELLER, "Langue")
    button = next(b for b in panel.buttons if (b.callback_data or "").endswith(":ul:en"))
    world.tg.user_presses(SELLER, panel, button.callback_data or "")
    await world.tg.wait_for(
        lambda: "Interface language" in (world.tg.message(SELLER, panel.message_id).content or ""),  # type: ignore[union-attr]
        what="settings in English",
    )
    user = await world.services.repos.sellers.get(SELLER.id)
    assert user is not None and user.ui_language == "en"


def plain(html_text: str) -> str:
    """The first words of a text as the chat shows it (its HTML tags rendered)."""
    return re.sub(r"<[^>]+>", "", html_text)[:30]


async def test_the_interface_follows_telegram_until_the_seller_chooses(world: World) -> None:
    world.tg.user_sends_command(SELLER, "/help")
    await world.tg.wait_for_message(SELLER, plain(t("fr", "help")))
    in_english = dataclasses.replace(SELLER, language_code="en")  # Telegram switched to English
    world.tg.user_sends_command(in_english, "/help")
    await world.tg.wait_for_message(SELLER, plain(t("en", "help")))

    world.tg.user_sends_command(in_english, "/settings")  # now the seller chooses French
    panel = await world.tg.wait_for_message(SELLER, "Interface language")
    button = next(
        b
        for b in panel.buttons
        if b.callback_data and b.callback_data.endswith(":fr") and ":ul:" in b.callback_data
    )
    world.tg.user_presses(in_english, panel, button.callback_data or "")
    await world.tg.wait_for(
        lambda: "Langue" in (world.tg.message(SELLER, panel.message_id).content or ""),  # type: ignore[union-attr]
        what="settings in French",
    )
    mark = max(m.message_id for m in world.tg.messages(SELLER))
    world.tg.user_sends_command(in_english, "/help")  # Telegram still English: the choice holds
    answer = await world.tg.wait_for_message(SELLER, plain(t("fr", "help")), since=mark)
    assert answer.from_bot


# ---- restart ------------------------------------------------------------------------------------


async def test_restart_between_sending_and_analysing_still_completes_the_batch(
    tmp_path: Path,
) -> None:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        # A long quiet window: the bot stops before it would close the batch.
        settings = make_settings(tg, ai, tmp_path, album_quiet_seconds=60)
        app, services = await start_bot(settings)
        tg.user_sends_album(SELLER, [photo(7), photo(8)], caption="Zara taille M")
        await tg.wait_until_delivered()
        # Stopping lets the handlers of the updates already fetched finish: both photos stored.
        await stop_bot(app, services)
        db = await Database.open(settings.db_path)
        try:
            repos = Repositories.over(db, "vinted")
            [batch] = await repos.batches.unfinished()
            assert batch.status is BatchStatus.RECEIVING and batch.id is not None
            assert len(await repos.batches.photos(batch.id)) == 2
        finally:
            await db.close()
        assert ai.requests == [] and len(tg.downloads) == 2

        app, services = await start_bot(make_settings(tg, ai, tmp_path))
        try:
            cards = await tg.wait_for(
                lambda: [m for m in tg.messages(SELLER) if m.kind == "photo" and m.buttons],
                timeout=20,
                what="the card after restart",
            )
            assert len(cards) == 1
            assert len(tg.downloads) == 2  # nothing downloaded twice
            assert await services.repos.batches.unfinished() == []
        finally:
            await stop_bot(app, services)


async def card_caption(world: World, card: ChatMessage, needle: str, user: User = SELLER) -> str:
    """Wait until the card's caption says `needle`, and return the caption."""

    def caption() -> str | None:
        message = world.tg.message(user, card.message_id)
        text = message.caption if message is not None else None
        return text if text and needle in text else None

    return await world.tg.wait_for(caption, what=f"the card to say {needle!r}")


def _draft_id(card: ChatMessage) -> int:
    data = next(b.callback_data for b in card.buttons if b.callback_data)
    assert data is not None
    return int(data.split(":")[1])


# ---- more of the seller's story -----------------------------------------------------------------


@pytest.mark.parametrize("world", [{"card_interval_seconds": 1.0}], indirect=True)
async def test_many_cards_are_spaced_about_a_second_apart(world: World) -> None:
    for i in range(3):
        world.tg.user_sends_photo(
            SELLER, photo(9 + i), caption="Zara taille M", media_group_id=f"album-{i}"
        )
    await world.wait_cards(SELLER, 3)
    times = [c.time for c in world.tg.calls("sendPhoto")]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.9, gaps


async def test_approve_of_a_draft_that_fails_a_gate_says_what_is_missing(world: World) -> None:
    # The model gives one hashtag (never padded by us), and the correction call fails.
    draft = {
        "title": "Robe Zara taille M",
        "description": [
            "Robe Zara.",
            "Couleur : bleu.",
            "Taille : M.",
            "Viscose.",
            "Très bon état.",
        ],
        "hashtags": ["#robe"],
        "brand": "Zara",
        "category": "women_dresses",
        "size_on_label": "M",
        "size": "M",
        "condition": "very_good",
        "colours": ["bleu"],
        "material": None,
        "defects": [],
        "measurements": None,
        "price_min": 15,
        "price_target": 18,
        "price_max": 22,
        "confidence": 0.8,
    }
    world.ai.script(draft, Status(500), Status(500))
    world.tg.user_sends_photo(SELLER, photo(12), caption="Zara taille M")
    await world.tg.wait_for(lambda: world.ai.requests_named("correction"), what="a correction")
    [card] = await world.wait_cards(SELLER, 1)
    assert "hashtags" in card.caption
    press = world.tg.user_presses(SELLER, card, "Valider")
    answer = await world.tg.wait_for(lambda: world.tg.callback_answer(press), what="an answer")
    assert "hashtags" in answer["text"]
    edit_menu = await world.tg.wait_for(
        lambda: (m := world.tg.message(SELLER, card.message_id)) and "Titre" in m.button_texts,
        what="the edit menu",
    )
    assert edit_menu
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status is DraftStatus.DRAFT


async def test_regenerate_writes_a_new_version_on_the_same_card(world: World) -> None:
    card = await first_card(world, SELLER)
    drafts_before = len(world.ai.requests_named("draft"))
    world.tg.user_presses(SELLER, card, "Régénérer")
    await world.tg.wait_for(
        lambda: (
            t("fr", "regenerated_same")
            in (world.tg.message(SELLER, card.message_id).caption or "")
        ),  # type: ignore[union-attr]
        what="the regenerated card",
    )
    assert len(world.ai.requests_named("draft")) == drafts_before + 1
    assert len(world.cards(SELLER)) == 1


async def test_photos_button_sends_the_album(world: World) -> None:
    world.tg.user_sends_album(SELLER, [photo(13), photo(14), photo(15)], caption="Zara taille M")
    [card] = await world.wait_cards(SELLER, 1)
    world.tg.user_presses(SELLER, card, "Photos (3)")
    call = await world.tg.wait_for_call("sendMediaGroup")
    assert len(call.files) == 3


async def test_one_makes_the_next_photos_a_single_item(world: World) -> None:
    world.tg.user_sends_command(SELLER, "/one")
    await world.tg.wait_for_message(SELLER)  # the acknowledgement
    world.tg.user_sends_photo(SELLER, photo(16), caption="Zara taille M", media_group_id="a")
    world.tg.user_sends_photo(SELLER, photo(17), media_group_id="b")
    [card] = await world.wait_cards(SELLER, 1)
    await world.wait_done(SELLER)
    assert world.ai.requests_named("grouping") == []
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert len(draft.photo_ids) == 2


async def test_cancel_stops_a_field_edit(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_presses(SELLER, card, f"d:{_draft_id(card)}:f:title", strict=False)
    prompt = await world.tg.wait_for_message(SELLER, "titre", since=card)
    world.tg.user_sends_command(SELLER, "/cancel")
    cancelled = await world.tg.wait_for_message(SELLER, "nnul", since=prompt)
    world.tg.user_sends_text(SELLER, "Nouveau titre")
    await world.tg.wait_for_message(SELLER, "photos", since=cancelled)  # the stray-text hint
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.title != "Nouveau titre"


async def test_title_over_70_characters_is_refused_with_the_count(world: World) -> None:
    card = await first_card(world, SELLER)
    world.tg.user_presses(SELLER, card, f"d:{_draft_id(card)}:f:title", strict=False)
    prompt = await world.tg.wait_for_message(SELLER, "titre", since=card)
    world.tg.user_sends_text(SELLER, "x" * 83, reply_to=prompt)
    await world.tg.wait_for_message(SELLER, "83", since=prompt)


async def test_bot_without_token_says_which_variable_is_missing(tmp_path: Path) -> None:
    import asyncio
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN",)}
    env["OPENAI_API_KEY"] = "sk-test"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    text = err.decode()
    assert proc.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in text and "BotFather" in text
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1


async def test_regenerate_with_the_sellers_hint(world: World) -> None:
    card = await first_card(world, SELLER, caption=None)
    world.tg.user_sends_text(SELLER, f"/regen {_draft_id(card)} Levi's taille 32")
    await world.tg.wait_for(
        lambda: "Levi" in (world.tg.message(SELLER, card.message_id).caption or ""),  # type: ignore[union-attr]
        what="the card rewritten with the hint",
    )
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.hint == "Levi's taille 32" and draft.size == "32"


async def test_a_failed_publish_stays_in_the_queue_with_its_reason_and_a_retry(
    tmp_path: Path,
) -> None:
    from core.marketplace import FieldRejected
    from tests.standins import StandInVinted, answer

    vinted = StandInVinted()
    vinted.script = [answer(FieldRejected(field="brand", message="Choisis une marque."))]
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(
            tg, ai, tmp_path, publish_tick_seconds=0.2, publish_min_interval_seconds=0
        )
        app, services = await start_bot(settings, marketplace=vinted)  # type: ignore[arg-type]
        try:
            await services.sessions.save(
                SELLER.id,
                [
                    {
                        "name": "access_token_web",
                        "value": "t",
                        "domain": ".vinted.fr",
                        "path": "/",
                    },
                    {"name": "v_uid", "value": "9111", "domain": ".vinted.fr", "path": "/"},
                ],
                username="camille_vend",
                account_id="9111",
            )
            tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
            card = await tg.wait_for(
                lambda: next(
                    (m for m in tg.messages(SELLER) if m.kind == "photo" and m.buttons), None
                ),
                what="the card",
            )
            tg.user_presses(SELLER, card, "Valider")
            await tg.wait_for_message(
                SELLER, t("fr", "reason_field_rejected"), since=card, timeout=30
            )
            [draft] = await services.repos.drafts.page(SELLER.id)
            assert draft.status is DraftStatus.FAILED
            mark = max(m.message_id for m in tg.messages(SELLER))
            tg.user_sends_command(SELLER, "/queue")
            listed = await tg.wait_for_message(
                SELLER,
                re.sub(r"<[^>]+>", "", t("fr", "queue_failed_header", count=1)),
                since=mark,
            )
            assert draft.title in listed.content and "marque" in listed.content
            assert t("fr", "btn_retry_id", id=draft.id) in listed.button_texts
            tg.user_sends_command(SELLER, "/status")
            await tg.wait_for_message(
                SELLER, t("fr", "status_not_published", count=1), since=listed
            )
        finally:
            await stop_bot(app, services)
