"""User-facing strings: one module per interface language, looked up by key."""

from __future__ import annotations

from bot.texts import en, fr

LANGUAGES = {"en": en.TEXTS, "fr": fr.TEXTS}


def ui_language(code: str | None) -> str:
    """Return the interface language for a stored choice or a Telegram language_code."""
    return "fr" if code and code.lower().startswith("fr") else "en"


def t(lang: str, key: str, **params: object) -> str:
    """Return the text for key in lang (English when missing), formatted with params."""
    table = LANGUAGES.get(lang, en.TEXTS)
    template = table.get(key) or en.TEXTS[key]
    return template.format(**params) if params else template
