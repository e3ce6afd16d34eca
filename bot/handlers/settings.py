"""/settings: languages, grouping, publishing mode, relisting and the footer, with buttons."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import cards, keyboards
from bot.context import BotContext
from bot.state import BotState
from bot.texts import LANGUAGES, t
from core.config import Settings
from core.models import GroupingMode
from core.quality import DESCRIPTION_MAX_CHARS
from core.quality.footer import FOOTER_LINE_MAX, FOOTER_MAX_LINES, FooterRefused
from core.relisting.models import AFTER_DAYS_CHOICES, RELIST_MODES
from core.sellers.models import AwaitKind, Seller
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
    footer = user.settings.footer
    shown = cards.footer_shown(footer) if footer else t(lang, "settings_footer_none")
    text += "\n" + t(lang, "settings_footer", footer=shown)

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
    footer_row = [InlineKeyboardButton(t(lang, "btn_footer"), callback_data="s:0:ft:ask")]
    if footer:
        remove = t(lang, "btn_footer_remove")
        footer_row.append(InlineKeyboardButton(remove, callback_data="s:0:ft:rm"))
    rows.append(footer_row)
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
    if callback is not None and callback.action == "ft" and callback.arg == "ask":
        assert isinstance(query.message, Message)  # a text message, checked above
        await ask_footer(state, query.message, seller.user_id, context.lang)
        await query.answer()
        return
    try:
        if callback is not None and callback.action == "ft" and callback.arg == "rm":
            seller = await sellers.set_footer(seller.user_id, None)
            await recheck_drafts(state, seller.user_id, context.lang)
        elif callback is not None and callback.action == "ll":
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


# ---- the footer, typed by the seller ---------------------------------------------------------


async def ask_footer(state: BotState, message: Message, user_id: int, lang: str) -> None:
    """Ask for the footer's lines and wait for them."""
    prompt = await message.reply_text(
        t(lang, "footer_ask", lines=FOOTER_MAX_LINES, chars=FOOTER_LINE_MAX)
    )
    await state.services.sellers.await_answer(
        user_id, AwaitKind.FOOTER, prompt_message_id=prompt.message_id
    )


async def take_footer(
    state: BotState, message: Message, user_id: int, lang: str, typed: str
) -> None:
    """Set the footer the seller typed ("-" removes it), or say what is wrong and wait on."""
    sellers = state.services.sellers
    try:
        seller = await sellers.set_footer(user_id, typed)
    except FooterRefused as exc:
        await message.reply_text(refusal(exc, lang))
        return
    await sellers.stop_waiting(user_id, AwaitKind.FOOTER)
    footer = seller.settings.footer
    if footer:
        said = t(lang, "footer_saved", footer="\n".join(map(html.escape, footer)))
    else:
        said = t(lang, "footer_removed")
    too_long = await recheck_drafts(state, user_id, lang)
    if too_long:
        limit = f"{DESCRIPTION_MAX_CHARS:,}".replace(",", " " if lang == "fr" else ",")
        said += "\n\n" + t(lang, "footer_drafts_too_long", count=too_long, max=limit)
    await message.reply_text(said)


def refusal(exc: FooterRefused, lang: str) -> str:
    """Say in the seller's language what is wrong with the footer they typed."""
    limit = FOOTER_MAX_LINES if exc.reason == "too_many_lines" else FOOTER_LINE_MAX
    return t(lang, f"footer_{exc.reason}", line=exc.line, count=exc.count, max=limit)


async def recheck_drafts(state: BotState, user_id: int, lang: str) -> int:
    """Hold the open drafts to the new footer, refresh the cards whose verdict changed, and
    return how many drafts are now too long."""
    changed, too_long = await state.services.footers.recheck_open(user_id)
    for draft in changed:
        await state.sender.refresh_card(draft, lang)
    return too_long
