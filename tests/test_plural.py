"""Counts agree in number, in French and English, through the one plural helper."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts import LANGUAGES, PLURAL, plural, t


def fields(template: str) -> set[str]:
    plain = PLURAL.sub("", template)
    return {name for _, name, _, _ in string.Formatter().parse(plain) if name}


def test_french_counts_zero_and_one_as_singular_english_only_one() -> None:
    assert [plural("fr", n, "brouillon", "brouillons") for n in (0, 1, 2)] == [
        "brouillon",
        "brouillon",
        "brouillons",
    ]
    assert [plural("en", n, "draft", "drafts") for n in (0, 1, 2)] == ["drafts", "draft", "drafts"]
    assert plural("fr", "1,5", "euro", "euros") == "euro"


@pytest.mark.parametrize(
    ("lang", "count", "done"),
    [
        ("fr", 1, "Terminé : 1 brouillon à partir de 1 photo (1 prêt à valider)."),
        ("fr", 0, "Terminé : 0 brouillon à partir de 0 photo (0 prêt à valider)."),
        ("fr", 2, "Terminé : 2 brouillons à partir de 2 photos (2 prêts à valider)."),
        ("en", 1, "Done: 1 draft from 1 photo (1 ready to approve)."),
        ("en", 2, "Done: 2 drafts from 2 photos (2 ready to approve)."),
    ],
)
def test_the_batch_summary_agrees_with_its_counts(lang: str, count: int, done: str) -> None:
    assert t(lang, "batch_done", drafts=count, photos=count, ready=count) == done


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_text_has_its_placeholders_and_agrees_for_any_count(lang: str) -> None:
    english = LANGUAGES["en"]
    for key, template in LANGUAGES[lang].items():
        assert fields(template) == fields(english[key]), key  # same values in every language
        for match in PLURAL.finditer(template):
            assert match.group(1) in fields(template), f"{key}: {match.group(0)} counts nothing"
        names = fields(template)
        for n in (0, 1, 2, 5):
            text = t(lang, key, **dict.fromkeys(names, n))
            assert "|" not in text or "{" not in text, key
            for _, one, many in (m.groups() for m in PLURAL.finditer(template)):
                wrong = many if plural(lang, n, one, many) == one else one
                assert not re.search(rf"\b{n} {re.escape(wrong)}\b", text), (key, text)
