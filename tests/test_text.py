"""Text from anywhere is visible, normalised and bounded before it is stored or shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.drafts.models import Listing
from core.drafts.parsing import EditRejected, parse_description, parse_title
from core.models import Condition, Price
from core.quality import enforce
from core.text import DESCRIPTION_MAX, LINE_MAX, clean_line, clean_text

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u202e\u2066\u00ad"


def test_a_title_of_invisible_characters_is_no_title_and_not_ready() -> None:
    listing = Listing(
        title=INVISIBLE,
        description="Robe Zara.\nTrès bon état.",
        category="women_dresses",
        size="38",
        condition=Condition.VERY_GOOD,
        price=Price(min=8, target=10, max=12),
        hashtags=["#robe", "#zara", "#ete"],
    )
    assert listing.title == ""
    assert "title_missing" in enforce(listing, language="fr").missing


def test_a_bidi_override_cannot_turn_a_title_around() -> None:
    assert Listing(title="Robe \u202eazaR 38").title == "Robe azaR 38"
    assert clean_line("Jean\u2066 Levi's\u2069\n501\t W32", 100) == "Jean Levi's 501 W32"


def test_a_ten_thousand_character_description_is_bounded_and_not_ready() -> None:
    listing = Listing(
        title="Robe Zara 38",
        description="Robe légère.\n" + "très jolie " * 1000,
        category="women_dresses",
        size="38",
        condition=Condition.VERY_GOOD,
        price=Price(min=8, target=10, max=12),
        hashtags=["#robe", "#zara", "#ete"],
        brand="Zara" * 200,
        material="coton " * 100,
        defects=["tache " * 100] * 50,
    )
    assert len(listing.description) <= DESCRIPTION_MAX
    assert len(listing.brand or "") <= LINE_MAX["brand"]
    assert len(listing.material or "") <= LINE_MAX["material"]
    assert len(listing.defects) <= 10 and all(len(d) <= 120 for d in listing.defects)
    assert "description_too_long" in enforce(listing, language="fr").missing


def test_a_seller_edit_too_long_or_invisible_is_refused_with_the_reason() -> None:
    with pytest.raises(EditRejected) as empty:
        parse_title("\u200b\u200b")
    assert empty.value.key == "value_empty"
    with pytest.raises(EditRejected) as long:
        parse_description("Une ligne.\n" * 400)
    assert long.value.key == "description_too_long" and long.value.params["max"] == 2000


@given(st.text())
def test_cleaned_text_never_holds_invisible_or_control_characters(text: str) -> None:
    for cleaned in (clean_line(text, 100), clean_text(text, 500)):
        assert not any(c in INVISIBLE or (ord(c) < 32 and c != "\n") for c in cleaned)
        assert cleaned == cleaned.strip()
    assert "\n" not in clean_line(text, 100) and len(clean_line(text, 100)) <= 100
    assert clean_line(clean_line(text, 100), 100) == clean_line(text, 100)
