"""UI texts: French mirrors English key for key and reads as a Vinted France seller expects."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts import LANGUAGES, PLURAL, money, t, ui_language
from bot.texts.en import TEXTS as EN
from bot.texts.fr import TEXTS as FR

ALLOWED_TAGS = {"b", "i"}
TAG = re.compile(r"<(/?)([a-zA-Z]*)>")
CARD_BUTTONS = {
    "btn_approve": ("Approve", "Valider"),
    "btn_edit": ("Edit", "Modifier"),
    "btn_regenerate": ("Regenerate", "Régénérer"),
    "btn_delete": ("Delete", "Supprimer"),
}
# Keys whose text ends up on an inline button (cards.py and the settings keyboard).
BUTTON_KEYS = sorted(
    key
    for key in EN
    if key.startswith(("btn_", "field_", "cond_")) and key not in {"btn_open", "field_updated"}
) + ["retry", "set_listing_language", "set_ui_language"]
BUTTON_LIMIT = 30


def placeholders(template: str) -> set[str]:
    """The values a text takes; its plural forms ({n|one|many}) name no value of their own."""
    plain = PLURAL.sub("", template)
    return {field for _, field, _, _ in string.Formatter().parse(plain) if field is not None}


def tag_problems(text: str) -> list[str]:
    """Return what would make Telegram refuse the text as HTML (or break our <b>/<i> rule)."""
    problems: list[str] = []
    open_tags: list[str] = []
    for closing, name in TAG.findall(text):
        if name not in ALLOWED_TAGS:
            problems.append(f"tag <{closing}{name}> is not <b> or <i>")
        elif not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            problems.append(f"</{name}> closes nothing")
    problems += [f"<{name}> never closed" for name in open_tags]
    if text.count("<") != len(TAG.findall(text)):
        problems.append("a bare '<' that is not a tag")
    return problems


def test_french_has_exactly_the_english_keys() -> None:
    assert set(FR) - set(EN) == set()
    assert set(EN) - set(FR) == set()


def test_french_is_a_translation_not_a_copy() -> None:
    words = {key: re.sub(r"\{[^}]*\}", "", text) for key, text in EN.items()}
    same = {key for key, text in words.items() if EN[key] == FR[key] and re.search(r"\w", text)}

    # Words French shares with English.
    assert same <= {"field_description", "field_hashtags", "card_photos_count", "btn_photos"}


def test_every_string_keeps_its_placeholders() -> None:
    differ = {key: (placeholders(EN[key]), placeholders(FR.get(key, ""))) for key in EN}

    assert {key: pair for key, pair in differ.items() if pair[0] != pair[1]} == {}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_html_is_only_balanced_bold_and_italic(lang: str) -> None:
    problems = {key: tag_problems(text) for key, text in LANGUAGES[lang].items()}

    assert {key: found for key, found in problems.items() if found} == {}


def test_tag_check_catches_what_telegram_would_refuse() -> None:
    assert tag_problems("<b>Bonjour</b> <i>Zara</i>") == []
    assert tag_problems("<b>Bonjour") == ["<b> never closed"]
    assert tag_problems("<b><i>x</b></i>") != []
    assert tag_problems('<a href="x">lien</a>') != []
    assert tag_problems("<u>x</u>") == ["tag <u> is not <b> or <i>", "tag </u> is not <b> or <i>"]


def test_card_buttons_read_approve_edit_regenerate_delete_in_english() -> None:
    for key, (word, _) in CARD_BUTTONS.items():
        assert word in EN[key]


def test_card_buttons_read_valider_modifier_regenerer_supprimer_in_french() -> None:
    assert {key: FR[key] for key in CARD_BUTTONS} == {
        key: french for key, (_, french) in CARD_BUTTONS.items()
    }
    assert FR["btn_photos"].format(count=4) == "Photos (4)"
    assert FR["btn_back"] == "Retour"


def test_conditions_use_vinted_frances_own_words() -> None:
    assert [
        FR[f"cond_{name}"]
        for name in ("new_with_tags", "new_without_tags", "very_good", "good", "satisfactory")
    ] == [
        "Neuf avec étiquette",
        "Neuf sans étiquette",
        "Très bon état",
        "Bon état",
        "Satisfaisant",
    ]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("key", BUTTON_KEYS)
def test_button_labels_fit_on_a_telegram_button(lang: str, key: str) -> None:
    longest_language = max((t(lang, k) for k in LANGUAGES[lang] if k.startswith("lang_")), key=len)

    label = t(lang, key, count=12, value=longest_language, id=123456, price="1 250,50 €")

    assert len(label) < BUTTON_LIMIT, label


def test_french_puts_a_space_before_colons_question_and_exclamation_marks() -> None:
    # Placeholders are dropped first: a format spec like "{x:>3}" is not French text; nor is
    # the example of a Cookie header ("nom=valeur; nom2=valeur2"), nor a time ("18:30").
    def french(text: str) -> str:
        text = re.sub(r"\w+=\w+; ", "", re.sub(r"\{[^}]*\}", "x", text))
        return re.sub(r"\d:\d", "", text)

    glued = {key: re.findall(r"\S[:?!;]", french(text)) for key, text in FR.items()}

    assert {key: found for key, found in glued.items() if found} == {}


def test_french_says_vous_never_tu() -> None:
    tu = {key: re.findall(r"\b(tu|toi|ton|ta|tes|te)\b", text.lower()) for key, text in FR.items()}

    assert {key: found for key, found in tu.items() if found} == {}
    assert "vous" in FR["welcome"]


def test_seller_sees_the_french_ack_and_change_line() -> None:
    assert t("fr", "batch_received", count=12) == "12 photos reçues, analyse en cours..."
    assert (
        t("fr", "field_updated", field=t("fr", "field_price"), before="30 EUR", after="25 EUR")
        == "Prix : 30 EUR -> 25 EUR"
    )
    assert t("fr", "welcome", name="Léa").startswith("<b>Bonjour Léa !</b>")


def test_english_reads_the_same_story() -> None:
    assert t("en", "batch_received", count=12) == "12 photos received, analysing..."
    assert (
        t("en", "field_updated", field=t("en", "field_price"), before="30 EUR", after="25 EUR")
        == "Price: 30 EUR -> 25 EUR"
    )


@pytest.mark.parametrize("lang", ["es", "de", "", "xx"])
def test_an_unknown_language_falls_back_to_english(lang: str) -> None:
    assert t(lang, "btn_approve") == "Approve"
    assert t(lang, "batch_received", count=3) == "3 photos received, analysing..."


@pytest.mark.parametrize("code", ["fr-FR", "fr", "FR", "fr-BE"])
def test_a_french_telegram_gets_the_french_interface(code: str) -> None:
    assert ui_language(code) == "fr"


@pytest.mark.parametrize("code", ["en", "en-GB", "de-DE", "es", "", None])
def test_any_other_telegram_language_gets_english(code: str | None) -> None:
    assert ui_language(code) == "en"


def test_publish_reasons_are_words_never_internal_codes_or_our_english() -> None:
    from bot.cards import publish_reason

    network = publish_reason("network", "network failure at 'photos': net::ERR_FAILED", "fr")
    assert network == t("fr", "reason_network")
    assert publish_reason("session_missing", "", "fr") == t("fr", "reason_session_missing")
    assert publish_reason("something_new", "x", "en") == t("en", "reason_unknown")
    refused = publish_reason("field_rejected", "brand: Marque inconnue", "fr")
    assert refused == f"{t('fr', 'reason_field_rejected')} (marque : Marque inconnue)"
    for text in (network, refused):
        assert "_" not in text and "failure" not in text


@pytest.mark.parametrize(
    ("lang", "amount", "currency", "said"),
    [
        ("fr", 19.5, "EUR", "19,50 €"),
        ("fr", 25, "EUR", "25 €"),
        ("fr", 1250, "EUR", "1 250 €"),
        ("fr", 0.125, "USD", "0,12 $"),
        ("en", 19.5, "EUR", "€19.50"),
        ("en", 25.0, "EUR", "€25"),
        ("en", 1250.75, "GBP", "£1,250.75"),
        ("en", 40, "PLN", "40 zł"),
        ("fr", 7, "XYZ", "7 XYZ"),
    ],
)
def test_amounts_are_written_the_sellers_way(
    lang: str, amount: float, currency: str, said: str
) -> None:
    assert money(lang, amount, currency) == said


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_text_names_a_currency_by_its_code(lang: str) -> None:
    """Prices are said with their sign or in words, never as "EUR" or "USD"."""
    for key, template in LANGUAGES[lang].items():
        assert not re.search(r"\b(EUR|USD)\b", template), key


def _outcome_kinds() -> set[str]:
    import core.marketplace as marketplace

    kinds = {
        getattr(value, "kind", "")
        for value in vars(marketplace).values()
        if isinstance(value, type) and issubclass(value, marketplace.Outcome)
    }
    return kinds - {"", "published", "saved_as_draft", "dry_run"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_failure_says_what_to_do_in_the_sellers_words(lang: str) -> None:
    from bot.failures import todo_line

    for kind in sorted(_outcome_kinds() | {"session_missing", "session_unreadable"}):
        assert f"todo_{kind}" in LANGUAGES[lang] or kind == "field_rejected", kind
        line = todo_line(kind, "", lang)
        assert line and line != t(lang, "todo_unknown") or kind == "field_rejected", kind


def test_a_missing_category_offers_the_category_picker_first() -> None:
    from bot.failures import failure_keyboard, failure_text
    from core.drafts.models import Draft

    draft = Draft(id=7, user_id=1, title="Robe <Zara>")
    markup = failure_keyboard(draft, "field_rejected", "category:", "fr")
    first = markup.inline_keyboard[0][0]
    assert first.text == t("fr", "btn_marketplace_category")
    text = failure_text(draft, "field_rejected", "category:", "fr")
    assert t("fr", "todo_field_category") in text and "Robe &lt;Zara&gt;" in text
    # Another field's refusal: Retry and Edit, no category picker.
    other = failure_keyboard(draft, "field_rejected", "size:", "en")
    assert [b.text for b in other.inline_keyboard[0]] == [
        t("en", "btn_retry"),
        t("en", "btn_edit"),
    ]
    assert t("en", "todo_field", field=t("en", "field_size")) in failure_text(
        draft, "field_rejected", "size: no size matches 'XL'", "en"
    )


def test_only_the_sites_own_words_about_a_field_reach_the_seller() -> None:
    from core.marketplace import FieldRejected
    from core.publishing.policy import outcome_detail

    ours = outcome_detail(FieldRejected("size", "no size matches 'XL'"), "size", None)
    site = outcome_detail(FieldRejected("title", "Titre trop court", said_by_site=True), "", None)
    assert ours["said_by_site"] is False and site["said_by_site"] is True
    assert "no size matches" in ours["detail"]  # still in the log
    from core.drafts.models import Draft
    from core.publishing.models import QueuedDraft
    from core.publishing.policy import failed

    entry = QueuedDraft(draft=Draft(id=1, user_id=1, title="Robe"))
    assert failed(entry, ours).text == "size: "  # our English is not shown
    assert failed(entry, site).text == "title: Titre trop court"
