"""/settings: languages, grouping, publishing mode and relisting, with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import cards, keyboards
from bot.context import BotContext
from bot.texts import LANGUAGES, t
from core.config import Settings
from core.models import GroupingMode
from core.relisting.models import AFTER_DAYS_CHOICES, RELIST_MODES
from core.sellers.models import Seller
from core.sellers.service import LISTING_LANGUAGES, PUBLISH_MODES, SettingRefused

UI_LANGUAGES = tuple(LANGUAGES)


def render(user: Seller, lang: str, defaults: Settings) -> tuple[str, InlineKeyboardMarkup]:
    grouping = user.settings.grouping or GroupingMode.AUTO.value
    mode = user.settings.publish_mode or defaults.publish_mode
    relist = user.settings.relist_mode or defaults.relist_mode
    days = user.settings.relist_after_days or defaults.relist_after_days
    text = t(
        lang,
        "settings",
        listing=t(lang, f"lang_{user.language}"),
        ui=t(lang, f"lang_{lang}"),
        grouping=t(lang, f"grouping_{grouping}"),
    )
    text += "\n" + t(lang, "settings_mode", mode=t(lang, f"mode_{mode}"))
    text += "\n" + (
        t(lang, "settings_relist_off")
        if relist == "off"
        else t(
            lang,
            "settings_relist",
            mode=t(lang, f"relist_mode_{relist}"),
            days=f"{days:g}",
            percent=f"{defaults.relist_price_drop_percent:g}",
        )
    )

    def button(label: str, key: str, value: str, current: str) -> InlineKeyboardButton:
        shown = (
            keyboards.CURRENT if value == current else ""
        ) + label  # every choice, ours ticked
        return InlineKeyboardButton(shown, callback_data=cards.encode("s", 0, key, value))

    def language(key: str, code: str) -> str:
        return t(lang, key, value=t(lang, f"lang_{code}"))

    rows = [
        [
            button(language("set_listing_language", c), "ll", c, user.language)
            for c in LISTING_LANGUAGES
        ],
        [button(language("set_ui_language", c), "ul", c, lang) for c in UI_LANGUAGES],
        [
            button(t(lang, f"btn_grouping_{g}"), "gm", g, grouping)
            for g in (GroupingMode.AUTO.value, GroupingMode.ALBUM.value)
        ],
        [button(t(lang, f"btn_mode_{m}"), "pm", m, mode) for m in PUBLISH_MODES],
        [button(t(lang, f"btn_relist_mode_{m}"), "rm", m, relist) for m in RELIST_MODES],
    ]
    if relist != "off":
        rows.append(
            [
                button(t(lang, "btn_relist_days", count=d), "rd", str(d), f"{days:g}")
                for d in AFTER_DAYS_CHOICES
            ]
        )
    return text, InlineKeyboardMarkup(rows)


async def show(update: Update, context: BotContext) -> None:
    """Show the seller's settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    text, markup = render(context.seller, context.lang, context.state.settings)
    await message.reply_text(text, reply_markup=markup)


async def on_button(update: Update, context: BotContext) -> None:
    """Change one setting and show the settings again."""
    state = context.state
    query = update.callback_query
    assert query is not None and query.data is not None
    seller = context.seller
    callback = cards.decode(query.data)
    if not cards.is_text_message(query.message):
        await query.answer(t(context.lang, "old_button"))  # forged: not on the settings
        return
    sellers = state.services.sellers
    try:
        if callback is not None and callback.action == "ll":
            seller = await sellers.set_listing_language(seller.user_id, callback.arg)
        elif callback is not None and callback.action == "ul" and callback.arg in UI_LANGUAGES:
            seller = await sellers.set_ui_language(seller.user_id, callback.arg)
        elif callback is not None and callback.action == "gm":
            seller = await sellers.set_grouping(seller.user_id, callback.arg)
        elif callback is not None and callback.action == "pm":
            seller = await sellers.set_publish_mode(seller.user_id, callback.arg)
        elif callback is not None and callback.action == "rm":
            seller = await sellers.set_relisting(seller.user_id, mode=callback.arg)
        elif callback is not None and callback.action == "rd" and callback.arg.isdigit():
            seller = await sellers.set_relisting(seller.user_id, after_days=int(callback.arg))
    except SettingRefused:
        pass  # a button of an older version: show the settings as they are
    lang = seller.ui_language or "en"
    text, markup = render(seller, lang, state.settings)
    await query.edit_message_text(text, reply_markup=markup)
    await query.answer(t(lang, "settings_saved"))
