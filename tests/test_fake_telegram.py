"""The fake Telegram server speaks the real Bot API: proven with the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from PIL import Image
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    MessageEntity,
    PhotoSize,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.telegram import FakeTelegram, User

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))
SELLER = User(1001, "Sofia", "fr")
STRANGER = User(2002, "Mallory", "en")
APPROVE = InlineKeyboardMarkup([[InlineKeyboardButton("Approve", callback_data="d:7:approve")]])


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(
        fake.token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"
    ) as b:
        yield b


def build_app(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(f"{fake.url}/bot")
        .base_file_url(f"{fake.url}/file/bot")
        .build()
    )


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application the way run_polling does, with a short long-poll."""
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=1)  # type: ignore[union-attr]
        try:
            yield app
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


def sha1(data: bytes | bytearray) -> str:
    return hashlib.sha1(data).hexdigest()


# -- long polling ------------------------------------------------------------------------------


async def test_echo_bot_sees_each_message_once_and_answers_in_order(fake: FakeTelegram) -> None:
    seen: list[int] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        await update.message.reply_text(f"echo: {update.message.text}")  # type: ignore[union-attr]

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        for text in ("jean", "pull", "robe"):
            fake.user_sends_text(SELLER, text)
        await fake.wait_for(lambda: len(fake.messages(SELLER)) == 3, what="three echoes")
        await fake.wait_until_delivered()

    assert [m.text for m in fake.messages(SELLER)] == ["echo: jean", "echo: pull", "echo: robe"]
    assert len(seen) == len(set(seen)) == 3
    delivered = [u["update_id"] for c in fake.calls("getUpdates") if c.ok for u in c.result]
    assert sorted(delivered) == sorted(seen)  # nothing went over the wire twice
    assert fake.errors == []


async def test_long_poll_waits_for_the_next_update(fake: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: fake.waiting_polls == 1, what="the poll to park")
    assert not poll.done()

    fake.user_sends_text(SELLER, "bonjour")

    updates = await poll
    assert [u.message.text for u in updates] == ["bonjour"]  # type: ignore[union-attr]


async def test_long_poll_answers_empty_when_its_timeout_passes(bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_offset_confirms_updates_and_limit_caps_a_batch(
    fake: FakeTelegram, bot: Bot
) -> None:
    for text in ("a", "b", "c"):
        fake.user_sends_text(SELLER, text)

    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["a", "b"]  # type: ignore[union-attr]
    assert len(await bot.get_updates()) == 3  # nothing confirmed yet
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["c"]  # type: ignore[union-attr]
    assert fake.pending_updates == 1

    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert fake.pending_updates == 0


async def test_allowed_updates_leaves_out_other_kinds(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)
    card = await bot.send_message(SELLER.id, "Draft #7", reply_markup=APPROVE)
    fake.user_presses(SELLER, card.message_id, "Approve")
    fake.user_sends_text(SELLER, "25")

    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["25"]  # type: ignore[union-attr]

    poll = asyncio.create_task(bot.get_updates(offset=updates[-1].update_id + 1, timeout=5))
    await fake.wait_for(lambda: fake.waiting_polls == 1, what="the poll to park")
    fake.user_presses(SELLER, card.message_id, "Approve")  # not asked for: the poll goes on
    fake.user_sends_text(SELLER, "30")
    assert [u.message.text for u in await poll] == ["30"]  # type: ignore[union-attr]


async def test_a_second_poller_terminates_the_first_with_conflict(
    fake: FakeTelegram, bot: Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: fake.waiting_polls == 1, what="the first poll to park")

    async with Bot(fake.token, base_url=f"{fake.url}/bot") as second_instance:
        assert await second_instance.get_updates() == ()

    with pytest.raises(Conflict, match="only one bot instance"):
        await first


async def test_stop_answers_a_pending_long_poll_instead_of_waiting(
    fake: FakeTelegram, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await fake.wait_for(lambda: fake.waiting_polls == 1, what="the poll to park")

    await asyncio.wait_for(fake.stop(), timeout=3)

    assert await poll == ()


# -- what the user sees ------------------------------------------------------------------------


async def test_send_edit_delete_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)
    sent = await bot.send_message(SELLER.id, "Draft ready", reply_markup=APPROVE)
    card = fake.messages(SELLER)[0]
    assert (card.message_id, card.text, card.button_texts) == (
        sent.message_id,
        "Draft ready",
        ["Approve"],
    )
    assert sent.reply_markup == APPROVE and sent.chat.id == SELLER.id
    assert sent.from_user is not None and sent.from_user.is_bot

    edited = await sent.edit_text("Draft approved")
    assert isinstance(edited, Message)
    assert edited.edit_date is not None
    card = fake.messages(SELLER)[0]
    assert card.text == "Draft approved"
    assert card.buttons == []  # an edit without reply_markup drops the keyboard, as Telegram does

    with pytest.raises(BadRequest, match="(?i)^message is not modified: specified new message"):
        await edited.edit_text("Draft approved")

    assert await edited.delete() is True
    assert fake.messages(SELLER) == []
    assert fake.history(SELLER)[0].deleted
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await edited.delete()
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await edited.edit_text("Too late")


async def test_caption_and_keyboard_edits_on_a_photo_card(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)
    photo = CLOTHES[0].read_bytes()
    sent = await bot.send_photo(
        SELLER.id, photo, caption="Jean Levi's, 25 €", reply_markup=APPROVE
    )

    await sent.edit_caption("Jean Levi's, 22 €", reply_markup=APPROVE)
    assert fake.messages(SELLER)[0].caption == "Jean Levi's, 22 €"
    await bot.edit_message_reply_markup(SELLER.id, sent.message_id, reply_markup=None)
    assert fake.messages(SELLER)[0].buttons == []
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(SELLER.id, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="(?i)there is no text in the message to edit"):
        await sent.edit_text("text on a photo")

    other = CLOTHES[1].read_bytes()
    await sent.edit_media(InputMediaPhoto(other, caption="Jean, back"))
    card = fake.messages(SELLER)[0]
    assert (card.data, card.caption) == (other, "Jean, back")


async def test_sent_photo_and_album_keep_the_uploaded_bytes(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)
    photo = CLOTHES[0].read_bytes()

    sent = await bot.send_photo(SELLER.id, photo, caption="Jean")

    assert fake.calls("sendPhoto")[0].files["photo"].data == photo  # a real multipart upload
    assert fake.messages(SELLER)[0].data == photo
    assert [p.width for p in sent.photo] == sorted(p.width for p in sent.photo)
    assert sent.photo[-1].file_size == len(photo)

    album_files = [path.read_bytes() for path in CLOTHES[1:4]]
    media = [
        InputMediaPhoto(data, caption="Lot" if i == 0 else None)
        for i, data in enumerate(album_files)
    ]
    album = await bot.send_media_group(SELLER.id, media)

    assert len(album) == 3 and len({m.media_group_id for m in album}) == 1
    call = fake.calls("sendMediaGroup")[0]
    assert len(call.files) == 3 and all(
        m["media"].startswith("attach://") for m in call.params["media"]
    )
    shown = fake.messages(SELLER)[1:]
    assert [m.data for m in shown] == album_files
    assert [m.caption for m in shown] == ["Lot", None, None]

    resent = await bot.send_photo(SELLER.id, sent.photo[-1].file_id)
    assert fake.messages(SELLER)[-1].data == photo
    assert resent.photo[-1].file_unique_id == sent.photo[-1].file_unique_id


async def test_photo_handler_downloads_the_original_bytes(fake: FakeTelegram) -> None:
    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        data = await (await message.photo[-1].get_file()).download_as_bytearray()
        await message.reply_text(f"{len(message.photo)} sizes, sha1 {sha1(data)}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    original = CLOTHES[2].read_bytes()
    async with polling(app):
        sent = fake.user_sends_photo(SELLER, original, caption="jean")
        reply = await fake.wait_for_message(SELLER, "sha1", since=sent)

    assert reply.text == f"{len(sent['photo'])} sizes, sha1 {sha1(original)}"
    assert fake.downloads == [sent["photo"][-1]["file_id"]]  # only the largest, only once


async def test_a_button_press_reaches_the_callback_handler_and_is_answered(
    fake: FakeTelegram,
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text("Draft #7", reply_markup=APPROVE)  # type: ignore[union-attr]

    async def approve(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Approved")
        await query.edit_message_text(f"Draft #7 approved by {query.from_user.first_name}")

    app = build_app(fake)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(approve, pattern=r"^d:\d+:approve$"))
    async with polling(app):
        fake.user_sends_command(SELLER, "/start")
        card = await fake.wait_for_message(SELLER, "Draft #7")
        press = fake.user_presses(SELLER, card, "Approve")
        await fake.wait_for_message(SELLER, "approved by Sofia")

    assert fake.callback_answer(press) == {"text": "Approved"}
    answer = fake.calls("answerCallbackQuery")[0]
    assert answer.params["callback_query_id"] == press["callback_query"]["id"]
    assert fake.messages(SELLER)[0].buttons == []


def test_pressing_a_button_that_is_not_there_fails_the_test(fake: FakeTelegram) -> None:
    fake.user_sends_text(SELLER, "hello")
    with pytest.raises(AssertionError, match="has no button 'Publish'"):
        fake.user_presses(SELLER, 1, "Publish")


async def test_wait_for_message_times_out_with_the_chat_transcript(fake: FakeTelegram) -> None:
    fake.user_sends_text(SELLER, "is anyone there?")
    with pytest.raises(AssertionError, match=r"(?s)Approve.*#1 Sofia: text 'is anyone there\?'"):
        await fake.wait_for_message(SELLER, "Approve", timeout=0.2)


# -- shapes: everything the fake injects parses as a real PTB Update ---------------------------


async def test_injected_messages_parse_as_real_updates(fake: FakeTelegram, bot: Bot) -> None:
    heic = (TESTDATA / "heic" / "IMG_2927.HEIC").read_bytes()
    fake.user_sends_command(SELLER, "/start", ["ref42"])
    album = fake.user_sends_album(
        SELLER, [CLOTHES[0].read_bytes(), CLOTHES[1].read_bytes()], caption="two views"
    )
    fake.user_sends_document(SELLER, heic, "IMG_2927.HEIC", "image/heic")
    fake.user_sends_video(SELLER, duration=4)
    fake.user_sends_sticker(SELLER)

    updates = await bot.get_updates()
    command, front, back, document, video, sticker = (u.message for u in updates)

    assert command is not None and command.text == "/start ref42"
    assert filters.COMMAND.check_update(updates[0])
    assert command.entities == (MessageEntity("bot_command", 0, 6),)
    assert front is not None and back is not None
    assert front.media_group_id == back.media_group_id == album[0]["media_group_id"]
    assert (front.caption, back.caption) == ("two views", None)
    assert all(isinstance(size, PhotoSize) for size in front.photo)
    assert document is not None and document.document is not None
    assert (document.document.mime_type, document.document.file_size) == ("image/heic", len(heic))
    assert video is not None and video.video is not None and video.video.to_dict()["duration"] == 4
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "👍"


def test_photo_sizes_are_real_thumbnails_with_the_original_as_largest(fake: FakeTelegram) -> None:
    original = CLOTHES[3].read_bytes()
    width, height = Image.open(io.BytesIO(original)).size

    sizes = fake.user_sends_photo(SELLER, original)["photo"]

    assert fake.file(sizes[-1]["file_id"]).data == original
    assert (sizes[-1]["width"], sizes[-1]["height"]) == (width, height)
    for size in sizes[:-1]:
        thumbnail = Image.open(io.BytesIO(fake.file(size["file_id"]).data))
        assert thumbnail.size == (size["width"], size["height"])
        assert max(thumbnail.size) < max(width, height)
        assert size["file_size"] == len(fake.file(size["file_id"]).data)
    assert len({s["file_unique_id"] for s in sizes}) == len(sizes) >= 2


# -- faithful errors ---------------------------------------------------------------------------


async def test_limits_on_text_caption_and_button_data(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)
    photo = CLOTHES[0].read_bytes()

    with pytest.raises(BadRequest, match="(?i)^message text is empty$"):
        await bot.send_message(SELLER.id, "  ")
    await bot.send_message(SELLER.id, "x" * 4096)
    with pytest.raises(BadRequest, match="(?i)^message is too long$"):
        await bot.send_message(SELLER.id, "x" * 4097)
    await bot.send_photo(SELLER.id, photo, caption="c" * 1024)
    with pytest.raises(BadRequest, match="(?i)^message caption is too long$"):
        await bot.send_photo(SELLER.id, photo, caption="c" * 1025)

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])

    await bot.send_message(SELLER.id, "ok", reply_markup=keyboard("d" * 64))
    with pytest.raises(BadRequest, match="(?i)^button_data_invalid$"):
        await bot.send_message(SELLER.id, "too much", reply_markup=keyboard("d" * 65))
    assert [m.kind for m in fake.messages(SELLER)] == ["text", "photo", "text"]


async def test_file_errors_match_the_bot_api(fake: FakeTelegram, bot: Bot) -> None:
    big = fake.user_sends_document(
        SELLER, b"%PDF-1.4", "scan.pdf", "application/pdf", file_size=25 * 1024 * 1024
    )
    empty = fake.user_sends_document(SELLER, b"", "empty.jpg", "image/jpeg")

    with pytest.raises(BadRequest, match="(?i)^file is too big$"):
        await bot.get_file(big["document"]["file_id"])
    assert (await bot.get_file(empty["document"]["file_id"])).file_size == 0
    with pytest.raises(BadRequest, match="(?i)^invalid file_id$"):
        await bot.get_file("no-such-file")
    with pytest.raises(BadRequest, match="(?i)can't use file of type document as photo"):
        await bot.send_photo(SELLER.id, big["document"]["file_id"])
    with pytest.raises(BadRequest, match="(?i)^image_process_failed$"):
        await bot.send_photo(SELLER.id, b"not a jpeg")
    with pytest.raises(BadRequest, match="(?i)^file must be non-empty$"):
        await bot.send_document(SELLER.id, b"", filename="empty.txt")
    assert fake.downloads == []


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    intruder = Bot("999:WRONG", base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot")
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await intruder.get_me()


async def test_unknown_and_blocked_chats(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)^chat not found$"):
        await bot.send_message(STRANGER.id, "hello?")
    fake.user_sends_text(SELLER, "hi")
    fake.user_blocks_bot(SELLER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(SELLER.id, "still there?")


async def test_reply_to_a_missing_message_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    question = fake.user_sends_text(SELLER, "price?")
    answer = await bot.send_message(SELLER.id, "25 €", reply_to_message_id=question["message_id"])
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "price?"
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(SELLER.id, "lost", reply_to_message_id=999)


# PTB's own RetryAfter constructor reads its deprecated int-valued attribute.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_switch_answers_429_with_retry_after(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.register(SELLER)
    fake.rate_limit("sendMessage", retry_after=3)

    with pytest.raises(RetryAfter, match=r"Retry in (3 seconds|0:00:03)"):
        await bot.send_message(SELLER.id, "too fast")
    await bot.send_message(SELLER.id, "after waiting")

    assert [m.text for m in fake.messages(SELLER)] == ["after waiting"]
    assert [c.status for c in fake.calls("sendMessage")] == [429, 200]


async def test_parse_modes_become_plain_text_with_entities(fake: FakeTelegram, bot: Bot) -> None:
    fake.register(SELLER)

    html = await bot.send_message(SELLER.id, "<b>Jean</b> &amp; veste: 25 €", parse_mode="HTML")
    assert html.text == "Jean & veste: 25 €"
    assert html.entities == (MessageEntity("bold", 0, 4),)
    with pytest.raises(BadRequest, match='(?i)unsupported start tag "3"'):
        await bot.send_message(SELLER.id, "Size <3 years", parse_mode="HTML")

    md = await bot.send_message(SELLER.id, r"*Prix* : 25\.00 €", parse_mode="MarkdownV2")
    assert md.text == "Prix : 25.00 €"
    with pytest.raises(BadRequest, match="(?i)character '.' is reserved"):
        await bot.send_message(SELLER.id, "*Prix* : 25.00 €", parse_mode="MarkdownV2")


async def test_commands_chat_actions_and_unknown_methods_are_recorded(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.register(SELLER)
    await bot.set_my_commands([("start", "Commencer"), ("cancel", "Annuler")])
    commands = await bot.get_my_commands()
    await bot.send_chat_action(SELLER.id, "upload_photo")
    assert await bot.set_chat_menu_button() is True  # not implemented by the fake

    assert [(c.command, c.description) for c in commands] == [
        ("start", "Commencer"),
        ("cancel", "Annuler"),
    ]
    assert fake.calls("sendChatAction")[0].params == {
        "chat_id": SELLER.id,
        "action": "upload_photo",
    }
    assert fake.unknown_methods == ["setChatMenuButton"]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "capital letters are refused")])


# -- running beside a bot process --------------------------------------------------------------


async def test_thread_handle_serves_a_bot_on_another_loop() -> None:
    with FakeTelegram().run_in_thread() as server:
        async with Bot(
            server.token, base_url=server.base_url, base_file_url=server.base_file_url
        ) as bot:
            server.user_sends_text(SELLER, "hello from the test thread")
            (update,) = await bot.get_updates()
            await update.message.reply_text("hello back")  # type: ignore[union-attr]

            reply = await asyncio.to_thread(server.wait_for_message, SELLER, "hello back")

    assert reply.text == "hello back"
    assert [m.text for m in server.history(SELLER)] == ["hello from the test thread", "hello back"]


async def test_command_line_server_plays_the_user_over_http() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.telegram",
        "--port",
        "0",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
        match = re.search(r"on (http://127\.0\.0\.1:\d+) token (\S+)", banner)
        assert match, banner
        url, token = match.groups()
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{url}/_fake/send_text", json={"user_id": SELLER.id, "text": "manual"}
            ) as response,
        ):
            assert response.status == 200
        async with Bot(token, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot") as bot:
            (update,) = await bot.get_updates()
        assert update.message is not None and update.message.text == "manual"
    finally:
        process.terminate()
        await process.wait()
