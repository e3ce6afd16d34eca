"""Commands: /start, /help, /drafts, /queue, /stats, /export, /one, /cancel, unknown ones."""

from __future__ import annotations

import logging
import math
import tempfile
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import cards
from bot.context import BotContext
from bot.handlers import session
from bot.handlers.drafts import regenerate_on_card
from bot.keyboards import CURRENT
from bot.state import BotState
from bot.texts import LANGUAGES, money, t
from core.drafts.export import CSV_COLUMNS, CsvStyle, write_export_parts
from core.drafts.models import DraftStatus
from core.models import Condition
from core.quality import MISSING_KEYS

PAGE_SIZE = 8
FAILED_SHOWN = 10
log = logging.getLogger(__name__)

BOT_API_UPLOAD_LIMIT = 50 * 2**20  # bots may send files up to 50 MB
EXPORT_PART_BYTES = 45 * 2**20  # planned part size, with room under the limit


async def _reply(update: Update, text: str, **kwargs: object) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, **kwargs)  # type: ignore[arg-type]


async def start(update: Update, context: BotContext) -> None:
    """Welcome the seller with a three-step how-to."""
    user = update.effective_user
    assert user is not None
    await _reply(update, t(context.lang, "welcome", name=escape(user.first_name)))


async def help_(update: Update, context: BotContext) -> None:
    """List the commands."""
    await _reply(update, t(context.lang, "help"))


async def list_drafts(update: Update, context: BotContext) -> None:
    """Show the seller's open drafts, a page at a time, each reopening its card."""
    text, markup = await _drafts_page(context.state, context.seller.user_id, context.lang, 0)
    await _reply(update, text, reply_markup=markup)


async def on_page(update: Update, context: BotContext) -> None:
    """Turn a page of /drafts."""
    query = update.callback_query
    assert query is not None and query.data is not None
    callback = cards.decode(query.data)
    if callback is None or not cards.is_text_message(query.message):
        await query.answer(t(context.lang, "old_button"))  # forged, or not on a /drafts list
        return
    page, kind = callback.target, callback.arg if callback.arg in FILTERS else "all"
    text, markup = await _drafts_page(
        context.state, context.seller.user_id, context.lang, page, kind
    )
    await query.edit_message_text(text, reply_markup=markup)
    await query.answer()


# /drafts filters: what a bulk seller looks for among hundreds of drafts.
FILTERS = {
    "all": lambda d: True,
    "ready": lambda d: d.status is DraftStatus.DRAFT and d.publish_ready,
    "confirm": lambda d: d.status is DraftStatus.DRAFT and not d.publish_ready,
    "failed": lambda d: d.status is DraftStatus.FAILED,
}
LISTED_AT_MOST = 2000  # drafts read to filter one page


async def _drafts_page(
    state: BotState, user_id: int, lang: str, page: int, kind: str = "all"
) -> tuple[str, InlineKeyboardMarkup | None]:
    drafts_of = state.services.drafts
    if await drafts_of.count(user_id) == 0:
        return t(lang, "drafts_empty"), None
    found = [d for d in await drafts_of.page(user_id, limit=LISTED_AT_MOST) if FILTERS[kind](d)]
    total = len(found)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    drafts = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    filters = [
        InlineKeyboardButton(
            (CURRENT if k == kind else "") + t(lang, f"drafts_filter_{k}"),
            callback_data=cards.encode("l", 0, "dr", k),
        )
        for k in FILTERS
    ]
    rows = [filters]
    for draft in drafts:
        assert draft.id is not None
        if draft.status is DraftStatus.DRAFT:
            status = t(lang, "status_ready" if draft.publish_ready else "status_to_fix")
        else:
            status = t(lang, f"status_{draft.status.value}")
        label = f"#{draft.id} {draft.title or '-'}"[:48] + f" · {status}"
        rows.append([InlineKeyboardButton(label, callback_data=cards.encode("d", draft.id, "op"))])
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                t(lang, "btn_prev"), callback_data=cards.encode("l", page - 1, "dr", kind)
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(
                t(lang, "btn_next"), callback_data=cards.encode("l", page + 1, "dr", kind)
            )
        )
    if nav:
        rows.append(nav)
    header = t(lang, "drafts_header", count=total, page=page + 1, pages=pages)
    return header, InlineKeyboardMarkup(rows)


async def queue(update: Update, context: BotContext) -> None:
    """List the approved drafts waiting to be published, oldest first."""
    lang = context.lang
    user_id = context.seller.user_id
    view = await context.state.queue.queue_view(user_id)
    drafts = [*view.publishing, *(entry.draft for entry in view.entries)]
    # Publishes that failed stay in sight, with why and a way out, until retried or deleted.
    failed = [
        d
        for d in await context.state.services.drafts.page(
            user_id, [DraftStatus.FAILED], limit=FAILED_SHOWN
        )
        if d.title
    ]
    if not drafts and not failed:
        await _reply(update, t(lang, "queue_empty"))
        return
    lines = [t(lang, "queue_header", count=len(drafts))] if drafts else []
    for pos, draft in enumerate(drafts, start=1):
        price = (
            cards.format_price(draft.price.target, lang, draft.price.currency)
            if draft.price
            else "-"
        )
        lines.append(
            t(lang, "queue_line", pos=pos, id=draft.id, title=escape(draft.title), price=price)
        )
    if drafts:
        lines.append("")
        lines.append(
            t(lang, "queue_next", when=session.next_text(view, ZoneInfo(view.timezone), lang))
        )
    buttons = []
    if failed:
        lines += ["", t(lang, "queue_failed_header", count=len(failed))]
        for draft in failed:
            assert draft.id is not None
            reason = cards.status_line(draft, lang)
            lines.append(
                t(lang, "queue_failed_line", id=draft.id, title=escape(draft.title), reason=reason)
            )
            buttons.append(
                [
                    cards.draft_button(lang, draft.id, "pr", "btn_retry_id", id=draft.id),
                    cards.draft_button(lang, draft.id, "op", "btn_open_id", id=draft.id),
                ]
            )
    markup = InlineKeyboardMarkup(buttons) if buttons else None
    await _reply(update, "\n".join(lines).strip(), reply_markup=markup)


async def stats(update: Update, context: BotContext) -> None:
    """Show this month's figures: photos, drafts, ready share, published, tokens and cost."""
    lang = context.lang
    now = datetime.now(UTC)
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    activity = await context.state.services.stats.since(context.seller.user_id, month)
    publishing = activity.publishing
    await _reply(
        update,
        t(
            lang,
            "stats",
            photos=activity.photos_analysed,
            drafts=activity.drafts,
            ready_share=round(100 * activity.ready_share),
            published=publishing.published + publishing.saved_as_draft,
            failed=activity.failed_analyses + publishing.failed,
            tokens=f"{activity.tokens:,}".replace(",", " "),
            cost=money(lang, activity.cost_usd, "USD"),
        )
        + failures_line(publishing.failures, lang)
        + await market_lines(context, now, lang),
    )


async def market_lines(context: BotContext, now: datetime, lang: str) -> str:
    """Per month, the asking price against the sold median for what was published."""
    since = (now - timedelta(days=183)).replace(day=1, hour=0, minute=0, second=0)
    months = await context.state.services.market.asked_against_sold(context.seller.user_id, since)
    if not months:
        return ""
    lines = [t(lang, "stats_market_header")]
    for month, asked, sold, count in months:
        year, _, number = month.partition("-")
        gap = round(100 * (asked - sold) / sold) if sold else 0
        lines.append(
            t(
                lang,
                "stats_market_month",
                month=f"{number}/{year}",
                asked=money(lang, asked),
                sold=money(lang, sold),
                gap=f"{gap:+d} %" if lang == "fr" else f"{gap:+d}%",
                count=count,
            )
        )
    return "\n" + "\n".join(lines)


def failures_line(failures: dict[str, int], lang: str) -> str:
    """Return "Publish failures by reason: captcha 1, timeout 2", or nothing."""
    if not failures:
        return ""
    reasons = ", ".join(
        f"{cards.publish_reason(kind, '', lang)} {count}"
        for kind, count in sorted(failures.items())
    )
    return "\n" + t(lang, "stats_failures", reasons=reasons)


async def export(update: Update, context: BotContext) -> None:
    """Send a ZIP of the seller's drafts (JSON and CSV) with their photos."""
    services, lang, user_id = context.state.services, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None
    if await services.drafts.count(user_id, None) == 0:
        await _reply(update, t(lang, "export_empty"))
        return
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        try:
            parts = await write_export_parts(
                services.exporter,
                user_id,
                Path(tmp),
                max_bytes=EXPORT_PART_BYTES,
                style=csv_style(lang),
            )
        except OSError as exc:
            log.warning("export of user %s failed: %s", user_id, exc)
            await _reply(update, t(lang, "export_failed"))
            return
        for n, (path, summary) in enumerate(parts, start=1):
            if summary.size_bytes > BOT_API_UPLOAD_LIMIT:
                size = f"{summary.size_bytes / 2**20:.0f}"
                await _reply(update, t(lang, "export_too_big", size=size))
                continue
            caption = t(lang, "export_caption")
            if len(parts) > 1:
                caption = t(lang, "export_part", n=n, total=len(parts)) + " " + caption
            with path.open("rb") as fh:
                await message.reply_document(fh, filename=path.name, caption=caption)


def csv_style(lang: str) -> CsvStyle:
    """drafts.csv as the seller's spreadsheet reads it: words for headers and codes."""
    headers = {
        column: t(lang, f"field_{column}") if f"field_{column}" in LANGUAGES["en"] else column
        for column in CSV_COLUMNS
    }
    headers.update({c: t(lang, f"csv_{c}") for c in CSV_COLUMNS if f"csv_{c}" in LANGUAGES["en"]})
    words = {f"condition:{c.value}": t(lang, f"cond_{c.value}") for c in Condition}
    words |= {f"status:{s.value}": t(lang, f"status_{s.value}") for s in DraftStatus}
    words |= {f"missing:{key}": t(lang, f"missing_{key}") for key in MISSING_KEYS}
    words |= {"ready:yes": t(lang, "csv_yes"), "ready:no": t(lang, "csv_no")}
    french = lang == "fr"  # French spreadsheets split on semicolons, read decimal commas
    return CsvStyle(
        delimiter=";" if french else ",",
        decimal="," if french else ".",
        headers=headers,
        words=words,
    )


async def one(update: Update, context: BotContext) -> None:
    """Make the next batch of photos a single item."""
    await context.state.services.sellers.arm_one_item(context.seller.user_id)
    await _reply(update, t(context.lang, "one_armed"))


async def cancel(update: Update, context: BotContext) -> None:
    """Stop a field edit in progress (and a pending /one)."""
    sellers, user_id = context.state.services.sellers, context.seller.user_id
    waited = await sellers.stop_waiting(user_id)
    armed = await sellers.take_one_item(user_id)
    await _reply(update, t(context.lang, "cancelled" if waited or armed else "nothing_to_cancel"))


async def unknown(update: Update, context: BotContext) -> None:
    """Answer a command the bot does not have."""
    await _reply(update, t(context.lang, "unknown_command"))


async def regenerate(update: Update, context: BotContext) -> None:
    """Analyse a draft's photos again with the seller's hint: /regen 12 Zara, taille M."""
    state, lang, user_id = context.state, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None
    args = context.args or []
    draft_id = cards.as_id(args[0]) if args else None
    if draft_id is None:
        await _reply(update, t(lang, "usage_regen"))
        return
    hint = " ".join(args[1:]).strip() or None
    before = await state.services.drafts.get(user_id, draft_id)
    if before is None:
        await _reply(update, t(lang, "draft_gone"))
        return
    await _reply(update, t(lang, "regenerating"))
    draft = await regenerate_on_card(state, before, lang, hint)
    if draft.card_chat_id is None:
        await state.sender.send_card(message.chat_id, draft, lang)
    await _reply(update, t(lang, "regenerated"))
