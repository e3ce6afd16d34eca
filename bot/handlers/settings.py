"""/settings: listing language, interface language and grouping mode, with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import cards
from bot.state import state_of
from bot.texts import t
from core.models import GroupingMode
from core.store import User

LISTING_LANGUAGES = ("fr", "en", "de")
UI_LANGUAGES = ("fr", "en")
PUBLISH_MODES = ("publish", "draft")


def render(user: User, lang: str, default_mode: str) -> tuple[str, InlineKeyboardMarkup]:
    grouping = user.settings.get("grouping", GroupingMode.AUTO.value)
    mode = user.settings.get("publish_mode", default_mode)
    text = t(
        lang,
        "settings",
        listing=t(lang, f"lang_{user.language}"),
        ui=t(lang, f"lang_{lang}"),
        grouping=t(lang, f"grouping_{grouping}"),
    )
    text += "\n" + t(lang, "settings_mode", mode=t(lang, f"mode_{mode}"))

    def button(label: str, key: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=cards.encode("s", 0, key, value))

    rows = [
        [
            button(t(lang, "set_listing_language", value=t(lang, f"lang_{code}")), "ll", code)
            for code in LISTING_LANGUAGES
            if code != user.language
        ],
        [
            button(t(lang, "set_ui_language", value=t(lang, f"lang_{code}")), "ul", code)
            for code in UI_LANGUAGES
            if code != lang
        ],
        [
            button(t(lang, f"btn_grouping_{g}"), "gm", g)
            for g in (GroupingMode.AUTO.value, GroupingMode.ALBUM.value)
            if g != grouping
        ],
        [button(t(lang, f"btn_mode_{m}"), "pm", m) for m in PUBLISH_MODES if m != mode],
    ]
    return text, InlineKeyboardMarkup(rows)


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the seller's settings with buttons to change them."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None
    text, markup = render(
        await state.user(update), await state.lang(update), state.settings.publish_mode
    )
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Change one setting and show the settings again."""
    state = state_of(context)
    query = update.callback_query
    assert query is not None and query.data is not None
    user = await state.user(update)
    callback = cards.decode(query.data)
    store = state.services.store
    if callback is not None and callback.action == "ll" and callback.arg in LISTING_LANGUAGES:
        user = await store.update_user(user.user_id, language=callback.arg)
    elif callback is not None and callback.action == "ul" and callback.arg in UI_LANGUAGES:
        user = await store.update_user(user.user_id, ui_language=callback.arg)
    elif callback is not None and callback.action == "gm" and callback.arg in ("auto", "album"):
        user = await store.update_user(user.user_id, settings={"grouping": callback.arg})
    elif callback is not None and callback.action == "pm" and callback.arg in PUBLISH_MODES:
        user = await store.update_user(user.user_id, settings={"publish_mode": callback.arg})
    lang = user.ui_language or "en"
    text, markup = render(user, lang, state.settings.publish_mode)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    await query.answer(t(lang, "settings_saved"))
