"""Draft -> card caption; the callback_data protocol (the buttons are in bot.keyboards)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, Message

from bot.texts import LANGUAGES, day_month, money, t
from core.catalog import Category, get_category
from core.drafts.fields import CARD_FACTS
from core.drafts.lookalike import Lookalike
from core.drafts.models import Draft, DraftStatus
from core.drafts.split import Albums
from core.market.models import Basis
from core.models import Condition
from core.quality.footer import footer_to_add

CAPTION_LIMIT = 1024


# ---- callback_data: "d:<draft_id>:<action>[:<arg>]", "b:<batch_id>:<action>", "s:<k>:<v>" ------


@dataclass(frozen=True)
class Callback:
    kind: str  # "d" draft, "b" batch, "s" settings, "l" list page
    target: int
    action: str
    arg: str = ""


def encode(kind: str, target: int, action: str, arg: str = "") -> str:
    """Return compact callback data, always under Telegram's 64 bytes."""
    data = f"{kind}:{target}:{action}" + (f":{arg}" if arg else "")
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


_ID = re.compile(r"#?(-?[0-9]{1,15})")  # ASCII digits only ("²".isdigit() is True)


def as_id(text: str) -> int | None:
    """Return the id a seller or a button wrote ("12", "#12"), or None for anything else."""
    match = _ID.fullmatch(text.strip())
    return int(match[1]) if match else None


def is_text_message(message: object) -> bool:
    """True when a button sits on a text message (a list, the settings), not on a card."""
    return isinstance(message, Message) and message.text is not None


def decode(data: str) -> Callback | None:
    """Parse callback data; None for anything that is not ours (an old format, forged data)."""
    parts = data.split(":", 3)
    target = as_id(parts[1]) if len(parts) >= 3 and not parts[1].startswith("#") else None
    if target is None:
        return None
    return Callback(parts[0], target, parts[2], parts[3] if len(parts) == 4 else "")


def draft_button(
    lang: str, draft_id: int, action: str, label_key: str, arg: str = "", **params: object
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t(lang, label_key, **params), callback_data=encode("d", draft_id, action, arg)
    )


# ---- caption -----------------------------------------------------------------------------------


def format_price(value: float, lang: str, currency: str = "EUR") -> str:
    """Return a price as the seller writes it: "12,50 €" in French, "€12.50" in English."""
    return money(lang, value, currency)


def category_label(category_id: str, lang: str) -> str:
    category: Category | None = get_category(category_id)
    if category is None:
        return category_id or "-"
    return category.label(lang)


def condition_label(condition: Condition | None, lang: str) -> str:
    return t(lang, f"cond_{condition.value}") if condition else "-"


def left_out_line(draft: Draft, lang: str) -> str:
    """Return what the listing went out without (not on the marketplace's list), or ""."""
    left_out = draft.publication.left_out if draft.publication else {}
    if not left_out:
        return ""
    fields = ", ".join(
        t(lang, "left_out_field", field=t(lang, f"field_{name}").lower(), value=escape(value))
        for name, value in left_out.items()
    )
    return t(lang, "left_out_line", fields=fields)


def status_line(draft: Draft, lang: str) -> str:
    """Return the card's last line: ready, what is missing, or where it is in publishing."""
    if draft.status is DraftStatus.FAILED and draft.error and not draft.title:
        return t(lang, "card_failed", reason=t(lang, f"err_{draft.error}"))
    if draft.status is DraftStatus.FAILED:
        kind, _, detail = (draft.error or "").partition(":")
        return t(lang, "card_publish_failed", reason=publish_reason(kind, detail.strip(), lang))
    if draft.status is DraftStatus.APPROVED:
        return t(lang, "card_approved")
    if draft.status is DraftStatus.PUBLISHING:
        return t(lang, "card_publishing")
    if draft.status is DraftStatus.PUBLISHED:
        url = draft.publication.url if draft.publication else None
        line = t(lang, "card_published", url=escape(url or ""))
        left_out = left_out_line(draft, lang)
        return f"{line}\n{left_out}" if left_out else line
    if draft.publish_ready:
        return t(lang, "card_ready")
    return t(lang, "card_missing", items=missing_words(draft.missing, lang))


def publish_reason(kind: str, detail: str, lang: str) -> str:
    """Return why publishing failed, in words, with Vinted's own message where it gave one.

    Only a refused field carries a message (the site's own words about the seller's value);
    other details are ours, for the log, and internal codes never reach the chat.
    """
    key = f"reason_{kind}"
    words = t(lang, key) if key in LANGUAGES["en"] else t(lang, "reason_unknown")
    if kind != "field_rejected" or not detail:
        return words
    field, _, message = detail.partition(":")
    name = f"field_{field.strip()}"
    if name not in LANGUAGES["en"]:
        return f"{words} ({escape(message.strip())})" if message.strip() else words
    label = escape(t(lang, name).lower())
    if message.strip():
        return f"{words} ({label} : {escape(message.strip())})"
    return f"{words} ({label})"


def missing_words(missing: list[str], lang: str) -> str:
    return ", ".join(t(lang, f"missing_{key}") for key in missing) or "-"


@dataclass(frozen=True)
class Placement:
    """Where the draft sits in the marketplace's own tree, as the card shows it."""

    path: tuple[str, ...] = ()  # the site's titles, root to leaf; empty when not placed
    to_choose: bool = False  # the seller must choose the leaf


def merged_line(merged: Albums | None, lang: str) -> str:
    """Say that auto-grouping made one item of several albums ("2 albums → 1 article")."""
    if merged is None or merged.parts < 2:
        return ""
    if merged.loose:
        return t(lang, "card_merged_loose", albums=merged.albums, loose=merged.loose)
    return t(lang, "card_merged", albums=merged.albums)


def lookalike_line(lookalike: Lookalike | None, lang: str) -> str:
    """Ask whether the item is already listed: its photos match a published draft's."""
    if lookalike is None:
        return ""
    return t(
        lang,
        "card_lookalike",
        id=lookalike.draft_id,
        date=day_month(lang, lookalike.published_on),
    )


def price_basis_line(basis: Basis | None, lang: str) -> str:
    """Say why the draft has its price: what sold, or the rules (and why not the market)."""
    if basis is None:
        return ""
    if basis.kind == "sold":
        return t(
            lang,
            "price_basis_sold",
            count=basis.count,
            days=basis.days,
            low=money(lang, basis.low, basis.currency),
            high=money(lang, basis.high, basis.currency),
            median=money(lang, basis.median, basis.currency),
        )
    line = t(
        lang,
        "price_basis_rules",
        brand=escape(basis.brand or t(lang, "card_no_brand")),
        condition=condition_label(basis.condition, lang).lower(),
    )
    why = t(lang, "price_basis_" + (basis.reason or "few"))
    return f"{line} ({why})"


def render_caption(
    draft: Draft,
    lang: str,
    note: str | None = None,
    placement: Placement | None = None,
    merged: Albums | None = None,
    basis: Basis | None = None,
    lookalike: Lookalike | None = None,
    footer: Sequence[str] = (),
) -> str:
    """Return the card caption (HTML), always within Telegram's 1024-character limit; the
    seller's footer, added when it is published, is said on a line of its own."""
    if draft.status is DraftStatus.FAILED and not draft.title:
        return _fit([], "", [f"#{draft.id}", status_line(draft, lang)])
    confirm = f" ({t(lang, 'card_to_confirm')})"
    head = [f"<b>{escape(draft.title)}</b>"]
    if draft.price:
        head.append(
            t(
                lang,
                "card_price",
                target=format_price(draft.price.target, lang, draft.price.currency),
                min=format_price(draft.price.min, lang, draft.price.currency),
                max=format_price(draft.price.max, lang, draft.price.currency),
            )
        )
        if line := price_basis_line(basis, lang):
            head[-1] += f"\n<i>{line}</i>"

    placed = placement or Placement()
    facts = [line for name in CARD_FACTS if (line := _fact(draft, name, lang, confirm, placed))]
    head.append("\n".join([*facts, *filter(None, [merged_line(merged, lang)])]))
    status = f"#{draft.id} · {status_line(draft, lang)}"
    if warning := lookalike_line(lookalike, lang):  # by "ready", where approving is decided
        status = f"{warning}\n{status}"
    tail = [status]
    if note:  # already HTML: the change lines escape the values they show
        tail.insert(0, f"<i>{note}</i>")
    if added := footer_to_add(draft.description, footer):  # never cut, unlike the body
        tail.insert(0, f"<i>{t(lang, 'card_footer', footer=footer_shown(added))}</i>")
    body = escape(draft.description)
    if draft.hashtags:
        body += "\n" + escape(" ".join(draft.hashtags))
    return _fit(head, body, tail)


def footer_shown(footer: Sequence[str]) -> str:
    """Return the footer's lines on one line of HTML, as the settings and the card show it."""
    return " · ".join(escape(line) for line in footer)


def _fact(draft: Draft, name: str, lang: str, confirm: str, placed: Placement) -> str:
    """Return one "Label: value" line of the card, or "" for an empty optional fact."""
    value = getattr(draft, name)
    if name == "brand":
        shown = escape(value or t(lang, "card_no_brand"))
    elif name == "category" and placed.path:
        shown = escape(" > ".join(placed.path))  # the site's own path: what buyers will see
    elif name == "category":
        shown = escape(category_label(value, lang))
        if placed.to_choose:
            shown += f" ({t(lang, 'card_category_to_choose')})"
    elif name == "condition":
        shown = condition_label(value, lang)
    elif name == "size":
        shown = escape(value or "-")
    elif isinstance(value, list):
        if not value:
            return ""
        shown = escape(("; " if name == "defects" else ", ").join(value))
    elif not value:
        return ""
    else:
        shown = escape(str(value))
    line = t(lang, "card_fact", label=t(lang, f"card_{name}"), value=shown)
    return line + (confirm if name in draft.to_confirm else "")


def _fit(head: list[str], body: str, tail: list[str]) -> str:
    """Join the parts, shortening the description first so the caption fits."""

    def join(text: str) -> str:
        return "\n\n".join(part for part in [*head, text, *tail] if part)

    caption = join(body)
    if len(caption) <= CAPTION_LIMIT:
        return caption
    room = CAPTION_LIMIT - len(join("")) - 4
    # Cut on a line break (or a space) so no HTML entity is split.
    cut = body[: max(room, 0)]
    for sep in ("\n", " "):
        if sep in cut:
            cut = cut[: cut.rindex(sep)]
            break
    if "&" in cut[-6:]:
        cut = cut[: cut.rindex("&")]
    return join(cut + " ...")
