"""User-facing strings: one module per interface language, looked up by key."""

from __future__ import annotations

import re
from datetime import date

from bot.texts import en, fr

LANGUAGES = {"en": en.TEXTS, "fr": fr.TEXTS}


def ui_language(code: str | None) -> str:
    """Return the interface language for a stored choice or a Telegram language_code."""
    return "fr" if code and code.lower().startswith("fr") else "en"


# "{count|photo|photos}": the word that agrees with the number in `count`.
PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def plural(lang: str, count: object, one: str, many: str) -> str:
    """Return the form that agrees with `count`: French counts 0 and 1 as singular."""
    try:
        number = abs(float(str(count).replace(",", ".")))
    except ValueError:
        return many
    singular = number < 2 if lang == "fr" else number == 1
    return one if singular else many


# The sign of each currency a Vinted site prices in; any other currency is shown by its code.
_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "PLN": "zł", "CZK": "Kč", "SEK": "kr", "DKK": "kr"}
_SIGN_FIRST = {"€", "£", "$"}  # English writes these before the amount: €19.50, £12


def money(lang: str, amount: float, currency: str = "EUR") -> str:
    """Return an amount as the seller writes it: "19,50 €" in French, "€19.50" in English.

    Whole amounts lose their cents ("25 €"); thousands are grouped ("1 250 €", "€1,250").
    """
    value = round(float(amount), 2)
    number = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    sign = _SIGNS.get(currency.upper(), currency.upper())
    if lang == "fr":
        number = number.replace(",", " ").replace(".", ",")
        return f"{number} {sign}"
    return f"{sign}{number}" if sign in _SIGN_FIRST else f"{number} {sign}"


def day_month(lang: str, day: date, today: date | None = None) -> str:
    """Return a day as the seller writes it: "3 Nov" / "3 nov.", with the year when it is not
    this year's ("3 Nov 2024")."""
    month = t(lang, "months_short").split()[day.month - 1]
    this_year = (today or date.today()).year
    return f"{day.day} {month}" + ("" if day.year == this_year else f" {day.year}")


def t(lang: str, key: str, **params: object) -> str:
    """Return the text for key in lang (English when missing), formatted with params.

    A `{name|one|many}` in a text is replaced by the form agreeing with the number `name`.
    """
    table = LANGUAGES.get(lang, en.TEXTS)
    language = lang if lang in LANGUAGES else "en"
    if not table.get(key):
        table, language = en.TEXTS, "en"
    template = table[key]
    if params and "|" in template:
        template = PLURAL.sub(
            lambda m: plural(language, params.get(m.group(1), 2), m.group(2), m.group(3)),
            template,
        )
    return template.format(**params) if params else template
