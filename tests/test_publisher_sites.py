"""The publisher on what UPLOAD-FORM.md leaves open: other trees, languages, spellings, answers.

Each test reads the site's own tree through the publisher, places our category in it with the
resolver, publishes through real Chromium, and checks every field on the replica's side, by
the site's own ids and labels: nothing here is told how the page is laid out beyond the document.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from core.catalog import get_category
from core.catalogs.resolver import resolve
from core.config import Settings
from core.marketplace import CatalogNode, Published, RateLimited, SavedAsDraft
from core.models import Condition
from core.vinted.publisher import ListingToPublish, VintedPublisher
from tests.fakes.vinted import CreatedItem, FakeVinted
from tests.test_publisher import CALM, JEANS_PHOTOS, Seller, join, publisher_for

pytestmark = pytest.mark.asyncio(loop_scope="module")


# Our category, the leaf each site should get, and how the site labels white and cotton.
EXPECTED: dict[str, dict[str, Any]] = {
    "fr": {
        "women_tshirts": ["Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts"],
        "men_jeans": ["Hommes", "Vêtements", "Jeans"],
        "white": "Blanc",
        "cotton": "Coton",
        "currency": "EUR",
    },
    "fr_renamed": {
        "women_tshirts": ["Femmes", "Vêtements", "Hauts", "T-shirts et débardeurs", "T-shirts"],
        "men_jeans": ["Hommes", "Vêtements", "Pantalons et jeans", "Jeans"],
        "white": "Blanc",
        "cotton": "Coton",
        "currency": "EUR",
    },
    "de": {
        "women_tshirts": ["Damen", "Kleidung", "Tops & T-Shirts", "T-Shirts"],
        "men_jeans": ["Herren", "Kleidung", "Jeans"],
        "white": "Weiß",
        "cotton": "Baumwolle",
        "currency": "EUR",
    },
    "uk": {
        "women_tshirts": ["Women", "Clothing", "Tops & t-shirts", "T-shirts"],
        "men_jeans": ["Men", "Clothing", "Jeans"],
        "white": "White",
        "cotton": "Cotton",
        "currency": "GBP",
    },
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def vinted() -> AsyncIterator[FakeVinted]:
    async with FakeVinted(switches=CALM) as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publisher(
    vinted: FakeVinted, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[VintedPublisher]:
    async with publisher_for(vinted, tmp_path_factory.mktemp("screenshots")) as started:
        yield started


@pytest.fixture
def seller(vinted: FakeVinted) -> Iterator[Seller]:
    yield join(vinted)
    vinted.set_switches(**dataclasses.asdict(CALM))


async def placed(publisher: VintedPublisher, seller: Seller, category: str) -> dict[str, Any]:
    """Read the site's tree as the seller's session sees it and place our category in it."""
    tree = await publisher.read_catalog(seller.cookies)
    assert isinstance(tree, list), tree
    ours = get_category(category)
    assert ours is not None
    found = resolve(tree, ours)
    assert found.sure and found.choice is not None, (category, found)
    return {"category_ids": list(found.choice.ids), "category_titles": list(found.choice.titles)}


def listing(where: dict[str, Any], **changes: Any) -> ListingToPublish:
    base = ListingToPublish(
        title="T-shirt Nike blanc logo brodé",
        description="Porté deux fois, comme neuf.\n\n#nike #tshirt",
        price=12.5,
        brand="nike",
        size="M",
        condition=Condition.VERY_GOOD,
        colours=["white"],
        material="cotton",
        photos=JEANS_PHOTOS,
        package_size=1,
        **where,
    )
    return dataclasses.replace(base, **changes)


def only_item(vinted: FakeVinted, seller: Seller) -> CreatedItem:
    [item] = [i for i in vinted.items if i.user_id == seller.user_id]
    return item


def size_label(vinted: FakeVinted, path: list[str], size_id: int | None) -> str:
    group = vinted.site.size_group(vinted.site.catalog.by_path(path))
    assert group is not None, path
    return next(label for i, label in group.sizes if i == size_id)


def tree_as_served(vinted: FakeVinted) -> list[tuple[int, str, int]]:
    """Return (id, title, depth) of every node of the active site, in walking order."""
    out: list[tuple[int, str, int]] = []

    def walk(node: Any, depth: int) -> None:
        out.append((node.id, node.title, depth))
        for child in node.children:
            walk(child, depth + 1)

    for root in vinted.catalog_tree():
        walk(root, 0)
    return out


def tree_as_read(tree: list[CatalogNode]) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []

    def walk(node: CatalogNode, depth: int) -> None:
        out.append((node.id, node.title, depth))
        for child in node.children:
            walk(child, depth + 1)

    for root in tree:
        walk(root, 0)
    return out


# ---------------------------------------------------------------- other sites, other trees
@pytest.mark.parametrize("site", ["fr_renamed", "de", "uk"])
async def test_the_sites_own_tree_is_read_whole(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller, site: str
) -> None:
    vinted.set_switches(site=site)

    tree = await publisher.read_catalog(seller.cookies)

    assert isinstance(tree, list)
    assert tree_as_read(tree) == tree_as_served(vinted)


@pytest.mark.parametrize("site", ["fr", "fr_renamed", "de", "uk"])
@pytest.mark.parametrize(
    ("category", "size", "label"),
    [("women_tshirts", "M", "M"), ("men_jeans", "W32", "W32")],
)
async def test_a_listing_lands_whole_on_each_site_in_its_language(
    publisher: VintedPublisher,
    vinted: FakeVinted,
    seller: Seller,
    site: str,
    category: str,
    size: str,
    label: str,
) -> None:
    vinted.set_switches(site=site)
    expected = EXPECTED[site]
    where = await placed(publisher, seller, category)

    result = await publisher.publish(seller.cookies, listing(where, size=size))

    assert isinstance(result.outcome, Published), result.outcome
    item = only_item(vinted, seller)
    path = expected[category]
    assert (item.catalog_id, item.catalog_path, item.site) == (vinted.leaf_id(path), path, site)
    assert (item.brand_id, item.brand) == (vinted.brand_id("Nike"), "Nike")
    assert size_label(vinted, path, item.size_id).split(" / ")[0] == label
    assert item.condition_id == 2
    assert item.color_ids == [vinted.color_id(expected["white"])]
    assert item.material_ids == [vinted.material_id(expected["cotton"])]
    assert (item.price, item.item["currency"]) == (12.5, expected["currency"])
    assert (item.package_size_id, item.push_up) == (1, False)
    assert item.title == "T-shirt Nike blanc logo brodé"
    assert [p.data for p in item.photos] == [p.read_bytes() for p in JEANS_PHOTOS]


async def test_a_whole_price_and_a_german_draft(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("site_de")
    where = await placed(publisher, seller, "women_tshirts")
    created: list[int] = []

    async def remember(draft_id: int) -> None:
        created.append(draft_id)

    result = await publisher.publish(
        seller.cookies, listing(where, price=20.0), mode="draft", on_created=remember
    )

    assert isinstance(result.outcome, SavedAsDraft), result.outcome
    [draft] = [d for d in vinted.drafts if d.user_id == seller.user_id]
    assert created == [draft.id] == [result.outcome.draft_id]
    assert (draft.price, draft.catalog_path) == (20.0, EXPECTED["de"]["women_tshirts"])
    assert [i for i in vinted.items if i.user_id == seller.user_id and not i.is_draft] == []


# ---------------------------------------------------------------- spellings the site chooses
@pytest.mark.parametrize("written", ["LEVI’S", "Levis", "levi's"])
async def test_brands_spelt_in_lower_case_are_matched_whatever_we_wrote(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller, written: str
) -> None:
    vinted.set_variant("lowercase_brands")
    where = await placed(publisher, seller, "women_tshirts")

    result = await publisher.publish(seller.cookies, listing(where, brand=written))

    assert isinstance(result.outcome, Published), result.outcome
    item = only_item(vinted, seller)
    assert (item.brand_id, item.brand) == (vinted.brand_id("levi's"), "levi's")


async def test_a_brand_the_site_does_not_know_and_cannot_take_is_left_out_and_said(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("no_custom_brand")
    where = await placed(publisher, seller, "women_tshirts")

    result = await publisher.publish(seller.cookies, listing(where, brand="Atelier Inconnu"))

    assert isinstance(result.outcome, Published), result.outcome
    item = only_item(vinted, seller)
    assert (item.brand_id, item.brand or None) == (None, None)
    assert any("Atelier Inconnu" in note and "without a brand" in note for note in result.notes)
    assert result.left_out == {"brand": "Atelier Inconnu"}


# ---------------------------------------------------------------- the page's own answers
async def test_photo_uploads_answering_429_are_a_rate_limit_at_once(
    vinted: FakeVinted, seller: Seller, tmp_path: Path
) -> None:
    vinted.set_variant("photos_rate_limited")
    vinted.set_switches(retry_after=120)
    patient = VintedPublisher(
        vinted.base_url,
        executable_path=Settings(_env_file=None).chromium_executable(),  # type: ignore[call-arg]
        screenshots_dir=tmp_path,
        timeout_ms=600_000,  # a publisher that waited for a tile would outlive the bound below
        slow_typing_ms=(0, 2),
    )
    async with patient:
        where = await placed(patient, seller, "women_tshirts")
        result = await asyncio.wait_for(patient.publish(seller.cookies, listing(where)), 60)

    assert isinstance(result.outcome, RateLimited), result.outcome
    assert (result.outcome.retry_after, result.outcome.step) == (120.0, "photos")
    assert not result.maybe_created
    assert [i for i in vinted.items if i.user_id == seller.user_id] == []


@pytest.mark.parametrize("site", ["fr_renamed", "de"])
async def test_a_crash_on_the_first_save_is_reloaded_and_every_field_filled_again(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller, site: str
) -> None:
    vinted.set_switches(site=site, critical_error_once=True)
    where = await placed(publisher, seller, "women_tshirts")

    result = await publisher.publish(seller.cookies, listing(where))

    assert isinstance(result.outcome, Published), result.outcome
    item = only_item(vinted, seller)
    path = EXPECTED[site]["women_tshirts"]
    assert item.catalog_path == path
    assert (item.brand_id, item.condition_id) == (vinted.brand_id("Nike"), 2)
    assert size_label(vinted, path, item.size_id).split(" / ")[0] == "M"
    assert item.color_ids == [vinted.color_id(EXPECTED[site]["white"])]
    assert item.material_ids == [vinted.material_id(EXPECTED[site]["cotton"])]
    assert [p.data for p in item.photos] == [p.read_bytes() for p in JEANS_PHOTOS]
    assert any("reloaded" in note for note in result.notes)


@pytest.mark.parametrize("site", ["fr_renamed", "de", "uk"])
async def test_a_category_photo_recognition_chose_is_replaced_by_ours(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller, site: str
) -> None:
    vinted.set_switches(site=site, photo_recognition=True)
    where = await placed(publisher, seller, "men_jeans")

    result = await publisher.publish(seller.cookies, listing(where, size="W32"))

    assert isinstance(result.outcome, Published), result.outcome
    item = only_item(vinted, seller)
    path = EXPECTED[site]["men_jeans"]
    assert (item.catalog_id, item.catalog_path) == (vinted.leaf_id(path), path)
    assert size_label(vinted, path, item.size_id) == "W32"
    assert item.material_ids == [vinted.material_id(EXPECTED[site]["cotton"])]
