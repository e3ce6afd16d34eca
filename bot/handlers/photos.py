"""Photos, files and everything else a seller attaches."""

from __future__ import annotations

from telegram import Document, Message, Update

from bot.context import BotContext
from bot.handlers.session import MAX_COOKIE_FILE, take_cookies
from bot.intake import BOT_API_DOWNLOAD_LIMIT, Incoming
from core.sellers.models import AwaitKind

# Attachments that are never photos, with the text key that names them.
_NOT_PHOTOS = {
    "video": "skip_video",
    "video_note": "skip_video",
    "animation": "skip_animation",
    "sticker": "skip_sticker",
    "voice": "skip_voice",
    "audio": "skip_audio",
}


def classify(message: Message) -> Incoming:
    """Return what this message carries, and why it will be skipped if it is not a photo."""
    album, caption = message.media_group_id, message.caption
    if message.photo:
        largest = message.photo[-1]
        return Incoming(
            name=f"photo {message.message_id}.jpg",
            file_id=largest.file_id,
            size=largest.file_size,
            album_key=album,
            caption=caption,
        )
    for attr, reason in _NOT_PHOTOS.items():
        media = getattr(message, attr)
        if media is not None:
            name = getattr(media, "file_name", None) or attr.replace("_", " ")
            return Incoming(name=name, album_key=album, caption=caption, skip=reason)
    document = message.document
    assert document is not None
    incoming = Incoming(
        name=document.file_name or "file",
        file_id=document.file_id,
        size=document.file_size,
        album_key=album,
        caption=caption,
    )
    mime = (document.mime_type or "").lower()
    if document.file_size == 0:
        incoming.skip = "skip_empty"
    elif document.file_size and document.file_size > BOT_API_DOWNLOAD_LIMIT:
        incoming.skip = "skip_too_big"
    elif mime and not mime.startswith("image/") and mime != "application/octet-stream":
        incoming.skip = "skip_not_image"  # a PDF or a zip: no need to download it to know
    return incoming


async def receive(update: Update, context: BotContext) -> None:
    """Add the attachment to the draft whose card it replies to, else to the current batch."""
    state = context.state
    message = update.effective_message
    assert message is not None
    seller, lang = context.seller, context.lang
    document = message.document
    if document and _is_cookie_file(document):
        awaiting = await state.services.sellers.awaited(seller.user_id)
        if awaiting and awaiting.kind is AwaitKind.COOKIES:
            # The seller sends the cookie-editor export as a file (too long for one message).
            data = await (await document.get_file()).download_as_bytearray()
            text = data.decode("utf-8", "replace")
            await take_cookies(state, message, seller.user_id, lang, text)
            return
    incoming = classify(message)
    incoming.order = update.update_id  # the seller's order, whatever order handlers run in
    replied = message.reply_to_message
    if replied is not None:  # photos for a card's draft, not a new item
        draft = await state.services.drafts.by_card(
            message.chat_id, replied.message_id, seller.user_id
        )
        if draft is not None:
            await state.card_photos.receive(seller.user_id, message.chat_id, lang, draft, incoming)
            return
    await state.intake.receive(seller, message.chat_id, lang, incoming)


def _is_cookie_file(document: Document) -> bool:
    """Return True for a small text or JSON file: a cookie export, not a photo."""
    name = (document.file_name or "").lower()
    mime = (document.mime_type or "").lower()
    textual = mime.startswith("text/") or mime == "application/json"
    return (textual or name.endswith((".json", ".txt"))) and (
        (document.file_size or 0) <= MAX_COOKIE_FILE
    )
