"""The Vinted replica, driven by a real headless Chromium the way the publisher will drive it.

The replica exposes only what UPLOAD-FORM.md names, and its variants move what the document
leaves open (titles, depth and ids of the catalog, the site's language and price format, brand
spelling, photo upload limits), so a publisher relying on anything else fails somewhere here.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Frame, Page, Route, async_playwright, expect

from core.catalog import categories
from tests.fakes.vinted import FakeVinted, Switches, browser_cookies, run_in_thread
from tests.fakes.vinted.sites import SITES, site

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
UPLOAD_FORM_DOC = SHARED / "vinted" / "UPLOAD-FORM.md"
TESTDATA = SHARED / "testdata"
JEANS_PHOTOS = [
    TESTDATA / "clothes" / "01033304-f9a4-48c4-af65-677512880fae.jpg",
    TESTDATA / "clothes" / "361cbb64-95f4-4be3-a01c-3aba98fa509f.jpg",
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SELLER_ID = 5_123_456
OTHER_ID = 5_123_999
WOMEN_JEANS = ["Femmes", "Vêtements", "Jeans"]
MEN_JEANS = ["Hommes", "Vêtements", "Jeans"]
WOMEN_TSHIRTS = ["Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts"]
PICKERS = [
    "catalog-select-dropdown",
    "brand-select-dropdown",
    "category-size-single-grid",
    "category-condition-single-list",
    "color-select-dropdown",
    "category-material-multi-list",
]
LEAF_ONLY_PICKERS = [f"{key}-input" for key in PICKERS[1:]]

# ---------------------------------------------------------------- what UPLOAD-FORM.md names
# Written as the document writes them; {i}, {id}, {g}, {n} stand for digits.
DOCUMENTED_TEST_IDS = [
    "user-menu-button",
    "header--login-button",
    "prohibited-listing-education-upload-button",
    "add-photos-input",
    "image-wrapper-{i}",
    "media-upload-grid",
    "title--input",
    "description--input",
    "catalog-select-dropdown-input",
    "catalog-select-dropdown-content",
    "catalog-suggestion-{id}",
    "brand-select-dropdown-input",
    "custom-select-brand",
    "brand-search--input",
    "category-size-single-grid-input",
    "size-group-{g}-grid-option-{id}",
    "category-condition-single-list-input",
    "color-select-dropdown-input",
    "color-{id}",
    "color-checkbox-{id}",
    "category-material-multi-list-input",
    "material-{id}",
    "material-checkbox-{id}",
    "price-input--input",
    "{n}-package-size--cell",
    "package_type_selector_{n}--input",
    "upload-form-save-button",
    "upload-form-save-draft-button",
    "bump-checkbox--input",
    "item-upload-critical-error-dialog--overlay",
]
DOCUMENTED_IDS = [
    "title",
    "description",
    "catalog-{id}",
    "catalog-search-input",
    "brand",
    "brand-{id}",
    "empty-brand",
    "size",
    "condition",
    "condition-{id}",
    "price",
    "datadome-captcha",
]
# "Every picker follows one pattern: `<x>-input` opens `<x>-content`; `<x>--loader` shows while
# loading", and "Field errors render as `[data-testid$="--error"]`".
PICKER_PATTERN = "`<x>-input` opens `<x>-content`; `<x>--loader`"
ERROR_SUFFIX = "--error"
# Ids that are markup of the page itself, not a hook: none so far. Add one only with its reason.
FRAMEWORK_IDS: dict[str, str] = {}


def _pattern(names: list[str]) -> re.Pattern[str]:
    return re.compile(
        "|".join(re.sub(r"\\\{\w+\\\}", r"\\d+", re.escape(n)) for n in names), re.ASCII
    )


DOCUMENTED_TEST_ID = _pattern(
    DOCUMENTED_TEST_IDS + [f"{k}-content" for k in PICKERS] + [f"{k}--loader" for k in PICKERS]
)
DOCUMENTED_ID = _pattern(DOCUMENTED_IDS)

COLLECT_HOOKS = """() => {
    const found = {testids: [], ids: [], data: []};
    for (const node of document.querySelectorAll("*")) {
        for (const attr of node.attributes) {
            if (attr.name === "data-testid") found.testids.push(attr.value);
            else if (attr.name === "id") found.ids.push(attr.value);
            else if (attr.name.startsWith("data-")) found.data.push(attr.name);
        }
    }
    return found;
}"""


class Hooks:
    """Every data-testid, id and other data-* attribute seen on the pages, checked at the end."""

    def __init__(self) -> None:
        self.testids: set[str] = set()
        self.ids: set[str] = set()
        self.data: set[str] = set()

    async def collect(self, page: Page) -> None:
        frames: list[Frame] = page.frames
        for frame in frames:
            found = await frame.evaluate(COLLECT_HOOKS)
            self.testids.update(found["testids"])
            self.ids.update(found["ids"])
            self.data.update(found["data"])

    def undocumented(self) -> dict[str, list[str]]:
        return {
            "data-testid": sorted(
                t
                for t in self.testids
                if not DOCUMENTED_TEST_ID.fullmatch(t) and not t.endswith(ERROR_SUFFIX)
            ),
            "id": sorted(
                i for i in self.ids if not DOCUMENTED_ID.fullmatch(i) and i not in FRAMEWORK_IDS
            ),
            "data-*": sorted(self.data),
        }


# ---------------------------------------------------------------- fixtures
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="module")
async def vinted() -> AsyncIterator[FakeVinted]:
    # Short picker delays keep the module fast; one test slows them down to see the loader.
    async with FakeVinted(switches=Switches(picker_delay=0.05)) as fake:
        yield fake


@pytest.fixture
def seller_cookies(vinted: FakeVinted) -> dict[str, str]:
    return vinted.add_account(user_id=SELLER_ID, login="seller42")


@pytest_asyncio.fixture(loop_scope="module")
async def page(
    browser: Browser, vinted: FakeVinted, seller_cookies: dict[str, str]
) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="fr-FR")
    await context.add_cookies(browser_cookies(seller_cookies, vinted.base_url))
    tab = await context.new_page()
    tab.set_default_timeout(8_000)
    yield tab
    await context.close()


class Member:
    """A member calling the API directly (no browser), with their cookies and CSRF token."""

    def __init__(self, vinted: FakeVinted, user_id: int, cookies: dict[str, str]) -> None:
        self.vinted = vinted
        self.user_id = user_id
        self.cookies = cookies

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        photo: Path | None = None,
        csrf: bool = True,
    ) -> tuple[int, Any, dict[str, str]]:
        """Return the status, the JSON body (or the text) and the headers of the answer."""
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "x-anon-id": self.cookies.get("anon_id", ""),
            "x-upload-form": "true",
        }
        if csrf:
            headers["x-csrf-token"] = self.vinted.csrf_token(self.user_id)
        data: aiohttp.FormData | None = None
        if photo is not None:
            data = aiohttp.FormData()
            data.add_field("photo[type]", "item")
            data.add_field("photo[temp_uuid]", "7d3e0e0a-0000-4000-8000-000000000000")
            content = await asyncio.to_thread(photo.read_bytes)
            data.add_field("photo[file]", content, filename=photo.name)
        async with (
            aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session,
            session.request(
                method,
                self.vinted.base_url + path,
                headers=headers,
                json=body,
                data=data,
                allow_redirects=False,
            ) as response,
        ):
            text = await response.text()
            try:
                answer: Any = json.loads(text)
            except ValueError:
                answer = text
            return response.status, answer, dict(response.headers)

    async def list_item(self, title: str, *, draft: bool = False, price: float = 15) -> int:
        """Publish (or save as a draft) a listing of women's jeans through the API."""
        status, photo, _ = await self.call("POST", "/api/v2/photos", photo=JEANS_PHOTOS[0])
        assert status == 200, photo
        path = "/api/v2/item_upload/drafts" if draft else "/api/v2/item_upload/items"
        status, answer, _ = await self.call(
            "POST", path, body=listing_body(self.vinted, title, photo["id"], price)
        )
        assert status == 200, answer
        return int(answer["draft" if draft else "item"]["id"])


def listing_body(
    vinted: FakeVinted, title: str, photo_id: int, price: float = 15
) -> dict[str, Any]:
    return {
        "item": {
            "id": None,
            "currency": "EUR",
            "title": title,
            "description": f"{title}, porté deux fois.",
            "catalog_id": vinted.leaf_id(WOMEN_JEANS),
            "price": price,
            "package_size_id": 1,
            "color_ids": [9],
            "assigned_photos": [{"id": photo_id, "orientation": 0}],
            "item_attributes": [{"code": "condition", "ids": [2]}, {"code": "size", "ids": [4]}],
        },
        "push_up": False,
    }


@pytest.fixture
def seller(vinted: FakeVinted, seller_cookies: dict[str, str]) -> Member:
    return Member(vinted, SELLER_ID, seller_cookies)


@pytest.fixture
def other_member(vinted: FakeVinted) -> Member:
    return Member(vinted, OTHER_ID, vinted.add_account(user_id=OTHER_ID, login="other"))


# ---------------------------------------------------------------- how a seller works the form
async def open_form(page: Page, vinted: FakeVinted) -> None:
    # goto waits for the load event, after the form's deferred module scripts have run.
    await page.goto(f"{vinted.base_url}/items/new")
    await expect(page.get_by_test_id("title--input")).to_be_visible()


async def add_photos(page: Page, photos: list[Path]) -> None:
    await page.get_by_test_id("add-photos-input").set_input_files(photos)
    await expect(page.get_by_test_id(f"image-wrapper-{len(photos) - 1}")).to_be_visible()


async def fetch_json(
    page: Page,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """Call the API from inside the page, with the browser's cookies."""
    return await page.evaluate(
        """async ([path, method, headers, body]) => {
            const init = {method, headers};
            if (body !== null) init.body = JSON.stringify(body);
            const response = await fetch(path, init);
            const text = await response.text();
            let json = null;
            try { json = JSON.parse(text); } catch (_) {}
            return {status: response.status, body: json, text};
        }""",
        [path, method, headers or {}, body],
    )


async def choose_category(page: Page, titles: list[str]) -> None:
    """Walk the category picker root to leaf by titles, with ids read from the catalogs API."""
    tree = await fetch_json(page, "/api/v2/item_upload/catalogs")
    level = tree["body"]["catalogs"]
    await page.get_by_test_id("catalog-select-dropdown-input").click()
    content = page.get_by_test_id("catalog-select-dropdown-content")
    for title in titles:
        node = next(n for n in level if n["title"] == title)
        await content.locator(f"#catalog-{node['id']}").click()
        level = node["catalogs"]
    await expect(content).to_have_count(0)


async def open_picker(page: Page, key: str) -> None:
    await page.get_by_test_id(f"{key}-input").click()
    await expect(page.get_by_test_id(f"{key}-content")).to_be_visible()
    await expect(page.get_by_test_id(f"{key}--loader")).to_have_count(0)


async def close_picker(page: Page, key: str) -> None:
    await page.get_by_test_id(f"{key}-input").click()
    await expect(page.get_by_test_id(f"{key}-content")).to_have_count(0)


async def type_price(page: Page, text: str) -> None:
    price = page.get_by_test_id("price-input--input")
    await price.click()
    await price.press("ControlOrMeta+a")
    await price.press_sequentially(text)
    await price.press("Tab")


async def choose_brand(page: Page, typed: str, label: str) -> None:
    await page.get_by_test_id("brand-select-dropdown-input").click()
    await page.get_by_test_id("brand-search--input").press_sequentially(typed)
    await page.locator(f'[role="button"][aria-label="{label}"]').click()


async def choose_size(page: Page, label: str) -> None:
    await open_picker(page, "category-size-single-grid")
    content = page.get_by_test_id("category-size-single-grid-content")
    await content.get_by_role("button", name=label, exact=True).click()


async def fill_listing(page: Page, *, type_the_price: bool = True) -> None:
    """Fill every field of an open form like a person: clicks and typing."""
    await add_photos(page, JEANS_PHOTOS)
    await page.get_by_test_id("title--input").fill("Jean Levi's 501 taille haute")
    await page.get_by_test_id("description--input").fill("Porté quelques fois, aucun défaut.")
    await choose_category(page, WOMEN_JEANS)
    await choose_brand(page, "levi", "Levi's")
    await page.get_by_test_id("category-size-single-grid-input").click()
    await page.get_by_test_id("size-group-4-grid-option-3").click()
    await page.get_by_test_id("category-condition-single-list-input").click()
    await page.locator("#condition-2").click()
    await page.get_by_test_id("color-select-dropdown-input").click()
    await page.get_by_test_id("color-checkbox-9").click()
    await page.get_by_test_id("color-12").click()
    await page.get_by_test_id("color-select-dropdown-input").click()
    await page.get_by_test_id("category-material-multi-list-input").click()
    await page.get_by_test_id("material-303").click()
    await page.get_by_test_id("category-material-multi-list-input").click()
    if type_the_price:
        await type_price(page, "12,50")
    else:
        await page.get_by_test_id("price-input--input").fill("12,50")
        await page.get_by_test_id("price-input--input").press("Tab")
    await page.get_by_test_id("2-package-size--cell").click()


async def publish(page: Page) -> tuple[int, dict[str, Any]]:
    """Click publish and return the create call's status and body (read before navigation)."""
    answers: list[tuple[int, dict[str, Any]]] = []

    async def keep(route: Route) -> None:
        response = await route.fetch()
        answers.append((response.status, await response.json()))
        await route.fulfill(response=response)

    await page.route("**/api/v2/item_upload/items", keep)
    async with page.expect_response("**/api/v2/item_upload/items"):
        await page.get_by_test_id("upload-form-save-button").click()
    await page.unroute("**/api/v2/item_upload/items", keep)
    return answers[0]


async def click_publish(page: Page) -> int:
    async with page.expect_response("**/api/v2/item_upload/items") as info:
        await page.get_by_test_id("upload-form-save-button").click()
    return (await info.value).status


async def cookie_jar(page: Page) -> dict[str, str]:
    return {c["name"]: c["value"] for c in await page.context.cookies()}


def get_json(url: str, cookie_header: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Cookie": cookie_header})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


# ---------------------------------------------------------------- session
async def test_signed_in_seller_sees_their_menu_and_the_api_knows_them(
    page: Page, vinted: FakeVinted
) -> None:
    await page.goto(vinted.base_url)

    await expect(
        page.get_by_test_id("user-menu-button").locator('img[alt="seller42"]')
    ).to_be_visible()
    await expect(page.get_by_test_id("header--login-button")).to_have_count(0)
    sell = page.get_by_test_id("prohibited-listing-education-upload-button")
    await expect(sell).to_have_attribute("href", "/items/new")
    current = await fetch_json(page, "/api/v2/users/current")
    assert current["status"] == 200
    assert (current["body"]["user"]["id"], current["body"]["user"]["login"]) == (
        SELLER_ID,
        "seller42",
    )


async def test_visitor_without_cookies_sees_the_login_button_and_is_sent_to_sign_up(
    browser: Browser, vinted: FakeVinted
) -> None:
    context = await browser.new_context()
    visitor = await context.new_page()
    try:
        await visitor.goto(f"{vinted.base_url}/items/new")

        await expect(visitor).to_have_url(re.compile(r"/member/signup/select_type"))
        await expect(visitor.get_by_test_id("header--login-button")).to_be_visible()
        await expect(visitor.get_by_test_id("user-menu-button")).to_have_count(0)
        assert (await fetch_json(visitor, "/api/v2/users/current"))["status"] == 401
    finally:
        await context.close()


async def test_logged_out_variant_ignores_the_sellers_cookies(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("logged_out")

    await page.goto(vinted.base_url)

    await expect(page.get_by_test_id("header--login-button")).to_be_visible()
    assert (await fetch_json(page, "/api/v2/users/current"))["status"] == 401


async def test_expired_access_token_is_refreshed_and_the_old_refresh_token_dies(
    browser: Browser, page: Page, vinted: FakeVinted, seller_cookies: dict[str, str]
) -> None:
    vinted.expire_access_token(SELLER_ID)

    await open_form(page, vinted)

    assert [r.status for r in vinted.requests_to("/session-refresh")] == [302]
    jar = await cookie_jar(page)
    assert jar["access_token_web"] != seller_cookies["access_token_web"]
    assert jar["refresh_token_web"] != seller_cookies["refresh_token_web"]
    assert jar == vinted.account_cookies(SELLER_ID)
    assert len(await page.context.cookies()) == len(seller_cookies)  # replaced, not added
    assert (await fetch_json(page, "/api/v2/users/current"))["status"] == 200

    stale_context = await browser.new_context()
    await stale_context.add_cookies(browser_cookies(seller_cookies, vinted.base_url))
    stale = await stale_context.new_page()
    try:
        await stale.goto(f"{vinted.base_url}/items/new")

        await expect(stale).to_have_url(re.compile(r"/session-refresh\?ref_url="))
        await expect(stale.get_by_role("progressbar")).to_be_visible()
        assert (await fetch_json(stale, "/api/v2/users/current"))["status"] == 401
    finally:
        await stale_context.close()


async def test_each_upload_page_load_rotates_the_session_cookies(
    page: Page, vinted: FakeVinted, seller_cookies: dict[str, str]
) -> None:
    vinted.set_variant("rotate_cookies")

    seen = []
    for _ in range(2):
        await open_form(page, vinted)
        seen.append((await cookie_jar(page))["refresh_token_web"])

    assert len({seller_cookies["refresh_token_web"], *seen}) == 3
    assert [new for _, _, new in vinted.rotations] == seen
    assert await cookie_jar(page) == vinted.account_cookies(SELLER_ID)
    assert (await fetch_json(page, "/api/v2/users/current"))["status"] == 200


# ---------------------------------------------------------------- the form
async def test_seller_fills_every_field_and_publishes_one_item_then_lands_on_the_wardrobe(
    page: Page, vinted: FakeVinted, seller_cookies: dict[str, str]
) -> None:
    await open_form(page, vinted)
    await fill_listing(page)
    await expect(page.get_by_test_id("price-input--input")).to_have_value("12,50")
    await expect(page.get_by_test_id("bump-checkbox--input")).not_to_be_checked()

    status, answer = await publish(page)

    await expect(page).to_have_url(f"{vinted.base_url}/member/{SELLER_ID}")
    assert (status, answer["code"]) == (200, 0)
    [item] = vinted.items
    assert item.id == answer["item"]["id"]
    assert (item.title, item.description) == (
        "Jean Levi's 501 taille haute",
        "Porté quelques fois, aucun défaut.",
    )
    assert (item.catalog_id, item.catalog_path) == (vinted.leaf_id(WOMEN_JEANS), WOMEN_JEANS)
    assert (item.brand_id, item.brand) == (vinted.brand_id("Levi's"), "Levi's")
    assert (item.size_id, item.condition_id, item.color_ids, item.material_ids) == (
        3,
        2,
        [9, 12],
        [303],
    )
    assert (item.price, item.item["currency"], item.package_size_id, item.push_up) == (
        12.5,
        "EUR",
        2,
        False,
    )
    assert (item.is_draft, item.site) == (False, "fr")
    assert [p.data for p in item.photos] == [p.read_bytes() for p in JEANS_PHOTOS]
    assert [p["id"] for p in item.item["assigned_photos"]] == [p.id for p in item.photos]
    assert {p.temp_uuid for p in item.photos} == {item.item["temp_uuid"]}
    assert item.headers["x-csrf-token"] == vinted.csrf_token(SELLER_ID)
    assert item.headers["x-anon-id"] == seller_cookies["anon_id"]
    assert item.headers["x-upload-form"] == "true"
    assert item.cookies["access_token_web"] == seller_cookies["access_token_web"]
    for upload in vinted.requests_to("/api/v2/photos", "POST"):
        assert upload.headers["x-upload-form"] == "true"
        assert upload.headers["x-csrf-token"] == vinted.csrf_token(SELLER_ID)
    await expect(page.get_by_text("Jean Levi's 501 taille haute")).to_be_visible()
    wardrobe = await fetch_json(page, f"/api/v2/wardrobe/{SELLER_ID}/items")
    [listed] = wardrobe["body"]["items"]
    assert (listed["id"], listed["is_draft"], listed["price"]) == (
        item.id,
        False,
        {"amount": "12.50", "currency_code": "EUR"},
    )

    await page.goto(f"{vinted.base_url}/items/{item.id}")

    await expect(page).to_have_url(
        f"{vinted.base_url}/items/{item.id}-jean-levi-s-501-taille-haute"
    )
    await expect(page.get_by_role("heading", name="Jean Levi's 501 taille haute")).to_be_visible()
    await expect(page.get_by_text("12,50 €")).to_be_visible()


async def test_attribute_pickers_appear_only_once_a_leaf_category_is_chosen(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    for test_id in LEAF_ONLY_PICKERS:
        await expect(page.get_by_test_id(test_id)).to_have_count(0)

    await page.get_by_test_id("catalog-select-dropdown-input").click()
    content = page.get_by_test_id("catalog-select-dropdown-content")
    await content.get_by_role("button", name="Femmes", exact=True).click()
    await content.get_by_role("button", name="Sacs", exact=True).click()
    for test_id in LEAF_ONLY_PICKERS:
        await expect(page.get_by_test_id(test_id)).to_have_count(0)

    await content.get_by_role("button", name="Sacs à main", exact=True).click()
    for test_id in LEAF_ONLY_PICKERS:
        # Handbags have no size on Vinted; every other attribute shows up.
        expected = 0 if test_id == "category-size-single-grid-input" else 1
        await expect(page.get_by_test_id(test_id)).to_have_count(expected)

    await choose_category(page, WOMEN_JEANS)
    vinted.set_switches(picker_delay=1.0)
    await page.get_by_test_id("category-size-single-grid-input").click()
    await expect(page.get_by_test_id("category-size-single-grid--loader")).to_be_visible()
    await expect(page.get_by_test_id("size-group-4-grid-option-4")).to_have_text("M / 38 / 10")
    await expect(page.get_by_test_id("category-size-single-grid--loader")).to_have_count(0)


async def test_category_search_finds_a_leaf_and_the_input_shows_only_its_name(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    sneakers = vinted.leaf_id(["Femmes", "Chaussures", "Baskets"])

    await page.get_by_test_id("catalog-select-dropdown-input").click()
    await page.locator("#catalog-search-input").press_sequentially("basket")
    await expect(page.locator(f"#catalog-{sneakers}")).to_contain_text("Femmes > Chaussures")
    await page.locator(f"#catalog-{sneakers}").click()

    category = page.get_by_test_id("catalog-select-dropdown-input")
    await expect(category).to_have_value("Baskets")
    attributes = await category.evaluate("n => [...n.attributes].map(a => a.value).join(' ')")
    assert str(sneakers) not in attributes and "Chaussures" not in attributes


async def test_category_picker_goes_back_a_level_with_its_arrow(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    content = page.get_by_test_id("catalog-select-dropdown-content")

    await page.get_by_test_id("catalog-select-dropdown-input").click()
    await content.get_by_role("button", name="Hommes", exact=True).click()
    await content.get_by_role("button", name="Vêtements", exact=True).click()
    await expect(content.get_by_role("button", name="Costumes et blazers")).to_be_visible()
    await content.get_by_role("button", name="‹").click()
    await content.get_by_role("button", name="‹").click()

    await expect(content.locator(f"#catalog-{vinted.catalog_id(['Femmes'])}")).to_be_visible()
    await expect(content.get_by_role("button", name="‹")).to_have_count(0)


async def test_brand_search_asks_the_api_and_accepts_unknown_or_no_brand(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    await choose_category(page, WOMEN_JEANS)
    brand = page.get_by_test_id("brand-select-dropdown-input")

    await brand.click()
    await expect(page.locator("#brand-12")).to_have_attribute("aria-label", "Zara")
    await page.get_by_test_id("brand-search--input").press_sequentially("lacos")
    await expect(page.locator("#brand-12")).to_have_count(0)
    lacoste = page.locator('[role="button"][aria-label="Lacoste"]')
    await expect(lacoste).to_have_attribute("id", "brand-304")
    keywords = [r.query.get("keyword") for r in vinted.requests_to("/api/v2/item_upload/brands")]
    assert keywords[0] == "" and keywords[-1] == "lacos"
    await lacoste.click()
    await expect(brand).to_have_value("Lacoste")

    await brand.click()
    await page.get_by_test_id("brand-search--input").fill("Atelier Dupont")
    await page.get_by_test_id("custom-select-brand").click()
    await expect(brand).to_have_value("Atelier Dupont")

    await brand.click()
    await page.locator("#empty-brand").click()
    await expect(brand).to_have_value("Sans marque")


async def test_options_are_labelled_by_their_visible_text(page: Page, vinted: FakeVinted) -> None:
    await open_form(page, vinted)
    await choose_category(page, WOMEN_JEANS)

    await open_picker(page, "category-size-single-grid")
    size = page.get_by_test_id("size-group-4-grid-option-4")
    await expect(size).to_have_text("M / 38 / 10")
    assert await size.get_attribute("aria-label") is None
    await close_picker(page, "category-size-single-grid")
    await open_picker(page, "category-condition-single-list")
    await expect(page.locator("#condition-6")).to_contain_text("Neuf avec étiquette")
    await close_picker(page, "category-condition-single-list")
    await open_picker(page, "category-material-multi-list")
    await expect(page.get_by_test_id("material-303")).to_have_text("Denim")


async def test_colours_stop_at_two(page: Page, vinted: FakeVinted) -> None:
    await open_form(page, vinted)
    await choose_category(page, WOMEN_JEANS)

    await page.get_by_test_id("color-select-dropdown-input").click()
    await page.get_by_test_id("color-1").click()
    await page.get_by_test_id("color-9").click()

    await expect(page.get_by_test_id("color-checkbox-12")).to_be_disabled()
    await expect(page.get_by_test_id("color-select-dropdown-input")).to_have_value("Noir, Bleu")


async def test_publishing_an_empty_form_shows_an_error_under_each_missing_field(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)

    assert await click_publish(page) == 400

    for field in ("photos", "title", "description", "catalog", "price", "package-size"):
        await expect(page.get_by_test_id(f"{field}--error")).to_be_visible()
    await expect(page).to_have_url(f"{vinted.base_url}/items/new")
    assert vinted.items == []


async def test_write_calls_need_the_csrf_token_and_a_parcel_size(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    await add_photos(page, JEANS_PHOTOS[:1])
    html_token = re.search(r'"CSRF_TOKEN":"([0-9a-f-]{36})"', await page.content())
    assert html_token is not None and html_token[1] == vinted.csrf_token(SELLER_ID)
    item = {
        "title": "Jean droit bleu brut",
        "description": "Très bon état, peu porté.",
        "catalog_id": vinted.leaf_id(WOMEN_JEANS),
        "price": 15,
        "assigned_photos": [{"id": vinted.photos[0].id, "orientation": 0}],
        "item_attributes": [{"code": "condition", "ids": [2]}, {"code": "size", "ids": [4]}],
    }
    json_type = {"content-type": "application/json"}

    without_token = await fetch_json(
        page, "/api/v2/item_upload/items", method="POST", headers=json_type, body={"item": item}
    )
    without_parcel = await fetch_json(
        page,
        "/api/v2/item_upload/items",
        method="POST",
        headers={**json_type, "x-csrf-token": html_token[1]},
        body={"item": item},
    )

    assert without_token["status"] == 403
    assert without_token["body"]["code"] == 106
    assert without_token["body"]["message_code"] == "access_denied"
    assert without_parcel["status"] == 400
    assert without_parcel["body"]["code"] == 99
    assert [e["field"] for e in without_parcel["body"]["errors"]] == ["package_size_id"]
    assert vinted.items == []


async def test_flat_size_and_status_ids_count_as_much_as_item_attributes(
    vinted: FakeVinted, seller: Member
) -> None:
    _, photo, _ = await seller.call("POST", "/api/v2/photos", photo=JEANS_PHOTOS[0])
    body = listing_body(vinted, "Jean flare délavé", photo["id"])
    del body["item"]["item_attributes"]
    body["item"].update(size_id=5, status_id=3)

    status, answer, _ = await seller.call("POST", "/api/v2/item_upload/items", body=body)

    assert status == 200, answer
    [item] = vinted.items
    assert (item.size_id, item.condition_id, item.status_id) == (5, 3, 3)


async def test_saving_a_vinted_draft_records_a_draft_that_can_be_completed(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    await fill_listing(page)

    async with page.expect_response("**/api/v2/item_upload/drafts"):
        await page.get_by_test_id("upload-form-save-draft-button").click()

    await expect(page).to_have_url(f"{vinted.base_url}/member/{SELLER_ID}")
    [draft] = vinted.drafts
    assert vinted.items == []
    assert (draft.title, draft.price, draft.package_size_id, draft.is_draft) == (
        "Jean Levi's 501 taille haute",
        12.5,
        2,
        True,
    )
    assert (draft.catalog_path, draft.brand, draft.size_id, draft.color_ids) == (
        WOMEN_JEANS,
        "Levi's",
        3,
        [9, 12],
    )
    assert [p.data for p in draft.photos] == [p.read_bytes() for p in JEANS_PHOTOS]
    drafts = page.locator("h2", has_text="Brouillons").locator("xpath=following-sibling::ul[1]")
    await expect(drafts.get_by_role("listitem")).to_have_text(["Jean Levi's 501 taille haute"])
    wardrobe = await fetch_json(page, f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [(i["id"], i["is_draft"]) for i in wardrobe["body"]["items"]] == [(draft.id, True)]

    completed = await fetch_json(
        page,
        f"/api/v2/item_upload/drafts/{draft.id}/completion",
        method="POST",
        headers={"x-csrf-token": vinted.csrf_token(SELLER_ID)},
    )

    assert completed["status"] == 200 and completed["body"]["item"]["id"] == draft.id
    assert [i.id for i in vinted.items] == [draft.id]
    wardrobe = await fetch_json(page, f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [(i["id"], i["is_draft"]) for i in wardrobe["body"]["items"]] == [(draft.id, False)]


# ---------------------------------------------------------------- wardrobe, edit, delete
async def test_wardrobe_api_pages_through_the_items_newest_first(
    vinted: FakeVinted, seller: Member, other_member: Member
) -> None:
    ids = [await seller.list_item(f"Jean numéro {n}") for n in range(5)]
    await other_member.list_item("Jean d'un autre membre")

    pages_seen = []
    for number in (1, 2, 3, 4):
        status, answer, _ = await seller.call(
            "GET", f"/api/v2/wardrobe/{SELLER_ID}/items?page={number}&per_page=2"
        )
        assert status == 200
        pages_seen.append(answer)

    assert [[i["id"] for i in p["items"]] for p in pages_seen] == [
        ids[4:2:-1],
        ids[2:0:-1],
        ids[:1],
        [],
    ]
    assert [p["pagination"] for p in pages_seen[:2]] == [
        {"current_page": 1, "total_pages": 3, "total_entries": 5, "per_page": 2},
        {"current_page": 2, "total_pages": 3, "total_entries": 5, "per_page": 2},
    ]
    first = pages_seen[0]["items"][0]
    assert {"id", "title", "price", "is_draft", "url", "photos"} <= set(first)
    assert first["price"] == {"amount": "15.00", "currency_code": "EUR"}
    assert re.fullmatch(rf"{vinted.base_url}/items/{ids[4]}-jean-numero-4", first["url"])
    assert first["photos"][0]["url"].endswith(".jpg")
    _, everything, _ = await seller.call("GET", f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [i["id"] for i in everything["items"]] == ids[::-1]
    assert everything["pagination"]["per_page"] == 20
    status, _, _ = await seller.call("GET", "/api/v2/wardrobe/777/items")
    assert status == 404


async def test_wardrobe_api_shows_open_drafts_to_their_owner_only(
    vinted: FakeVinted, seller: Member, other_member: Member
) -> None:
    live = await seller.list_item("Jean en ligne")
    draft = await seller.list_item("Jean en brouillon", draft=True)
    gone = await seller.list_item("Jean jeté", draft=True)
    status, _, _ = await seller.call("DELETE", f"/api/v2/item_upload/drafts/{gone}")
    assert status == 200

    _, owner_view, _ = await seller.call("GET", f"/api/v2/wardrobe/{SELLER_ID}/items")
    _, other_view, _ = await other_member.call("GET", f"/api/v2/wardrobe/{SELLER_ID}/items")

    assert [(i["id"], i["is_draft"]) for i in owner_view["items"]] == [
        (draft, True),
        (live, False),
    ]
    assert owner_view["pagination"]["total_entries"] == 2
    assert [i["id"] for i in other_view["items"]] == [live]
    assert vinted.draft(gone) is not None and not vinted.draft(gone).is_open
    status, _, _ = await seller.call("DELETE", f"/api/v2/item_upload/drafts/{gone}")
    assert status == 404
    status, _, _ = await other_member.call("DELETE", f"/api/v2/item_upload/drafts/{draft}")
    assert status == 404


async def test_an_edit_replaces_the_listing_for_its_owner_only(
    vinted: FakeVinted, seller: Member, other_member: Member
) -> None:
    item_id = await seller.list_item("Jean à modifier")
    body = vinted.item(item_id).body
    changed = {"item": {**body["item"], "title": "Jean modifié", "price": 11}}

    without_csrf = await seller.call(
        "PUT", f"/api/v2/item_upload/items/{item_id}", body=changed, csrf=False
    )
    by_other = await other_member.call("PUT", f"/api/v2/item_upload/items/{item_id}", body=changed)
    status, answer, _ = await seller.call(
        "PUT", f"/api/v2/item_upload/items/{item_id}", body=changed
    )

    assert (without_csrf[0], without_csrf[1]["code"]) == (403, 106)
    assert by_other[0] == 404
    assert (status, answer["item"]["id"], answer["item"]["title"]) == (
        200,
        item_id,
        "Jean modifié",
    )
    [item] = vinted.items
    assert (item.id, item.title, item.price) == (item_id, "Jean modifié", 11.0)
    assert item.edited_at is not None
    _, wardrobe, _ = await seller.call("GET", f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [(i["title"], i["price"]["amount"]) for i in wardrobe["items"]] == [
        ("Jean modifié", "11.00")
    ]


async def test_relisting_draft_first_deletes_the_old_listing_then_completes_the_copy(
    vinted: FakeVinted, seller: Member
) -> None:
    old = await seller.list_item("Jean à relister")
    copy = await seller.list_item("Jean à relister", draft=True)
    twin = await seller.call("POST", f"/api/v2/item_upload/drafts/{copy}/completion")
    assert twin[0] == 400 and "identique" in twin[1]["errors"][0]["value"]

    status, _, _ = await seller.call("POST", f"/api/v2/items/{old}/delete")
    completed = await seller.call("POST", f"/api/v2/item_upload/drafts/{copy}/completion")

    assert status == 200 and completed[0] == 200
    assert [(i.id, i.is_live) for i in vinted.items] == [(old, False), (copy, True)]
    assert [i.id for i in vinted.live_items] == [copy]
    _, wardrobe, _ = await seller.call("GET", f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [(i["id"], i["is_draft"]) for i in wardrobe["items"]] == [(copy, False)]
    assert (await seller.call("GET", f"/items/{old}"))[0] == 404
    assert (await seller.call("GET", f"/api/v2/items/{old}"))[0] == 404
    assert (await seller.call("POST", f"/api/v2/items/{old}/delete"))[0] == 404


# ---------------------------------------------------------------- variants: push-back
async def test_datadome_serves_a_captcha_page_and_blocks_the_api(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("datadome")

    response = await page.goto(f"{vinted.base_url}/items/new")

    assert response is not None and response.status == 403
    await expect(page.locator('iframe[src*="captcha-delivery"]')).to_be_visible()
    await expect(page.locator("#datadome-captcha")).to_be_visible()
    await expect(page.get_by_text("Please verify you are human").first).to_be_visible()
    api = await fetch_json(page, "/api/v2/users/current")
    assert api["status"] == 403 and "captcha-delivery" in api["text"]


async def test_rate_limits_answer_429_with_retry_after(page: Page, vinted: FakeVinted) -> None:
    vinted.set_switches(rate_limited=True, retry_after=90)
    await open_form(page, vinted)

    async with page.expect_response("**/api/v2/item_upload/items") as info:
        await page.get_by_test_id("upload-form-save-button").click()

    create = await info.value
    assert (create.status, await create.header_value("retry-after")) == (429, "90")
    await expect(page.get_by_test_id("upload-form--error")).to_contain_text("Trop de requêtes")
    assert vinted.items == []

    vinted.set_variant("rate_limited_pages")
    response = await page.goto(f"{vinted.base_url}/items/new")
    assert response is not None and response.status == 429
    await expect(page.get_by_role("heading", name="Too many requests")).to_be_visible()


async def test_photos_rate_limited_variant_refuses_every_photo_with_a_visible_error(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("photos_rate_limited")
    await open_form(page, vinted)

    async with page.expect_response("**/api/v2/photos") as info:
        await page.get_by_test_id("add-photos-input").set_input_files(JEANS_PHOTOS[:1])

    upload = await info.value
    assert (upload.status, await upload.header_value("retry-after")) == (429, "120")
    grid = page.get_by_test_id("media-upload-grid")
    await expect(grid.get_by_role("alert")).to_have_text(
        "Trop de photos envoyées. Réessaie plus tard."
    )
    await expect(page.get_by_test_id("image-wrapper-0")).to_have_count(0)
    await expect(page.locator('[data-testid$="--error"]')).to_have_count(0)
    await expect(page.get_by_test_id("upload-form-save-button")).to_be_enabled()
    assert vinted.photos == []


async def test_field_error_variant_shows_the_error_under_the_title(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("field_error")
    await open_form(page, vinted)
    await fill_listing(page)

    assert await click_publish(page) == 400

    await expect(page.get_by_test_id("title--error")).to_be_visible()
    await expect(page.locator('[data-testid$="--error"]')).to_have_count(1)
    await expect(page).to_have_url(f"{vinted.base_url}/items/new")
    assert vinted.items == []


async def test_critical_error_shows_the_crash_dialog_once_and_a_reload_fixes_it(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("critical_error_once")
    await open_form(page, vinted)

    assert await click_publish(page) == 500

    dialog = page.get_by_test_id("item-upload-critical-error-dialog--overlay")
    await expect(dialog).to_contain_text("Sorry, something went wrong")
    assert vinted.items == []

    async with page.expect_navigation():
        await dialog.get_by_role("button", name="Recharger").click()
    await expect(dialog).to_have_count(0)
    await fill_listing(page)
    await publish(page)

    await expect(page).to_have_url(f"{vinted.base_url}/member/{SELLER_ID}")
    assert len(vinted.items) == 1


async def test_crash_after_create_leaves_the_item_on_the_wardrobe_and_refuses_a_twin(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("crash_after_create_once")
    await open_form(page, vinted)
    await fill_listing(page)

    assert await click_publish(page) == 500

    await expect(page.get_by_test_id("item-upload-critical-error-dialog--overlay")).to_be_visible()
    [item] = vinted.items
    await page.goto(f"{vinted.base_url}/member/{SELLER_ID}")
    await expect(
        page.get_by_role("link").filter(has=page.get_by_alt_text(item.title))
    ).to_be_visible()

    await open_form(page, vinted)
    twin = await fetch_json(
        page,
        "/api/v2/item_upload/items",
        method="POST",
        headers={"content-type": "application/json", "x-csrf-token": vinted.csrf_token(SELLER_ID)},
        body=item.body,
    )
    assert twin["status"] == 400
    assert "identique" in twin["body"]["errors"][0]["value"]
    assert len(vinted.items) == 1


async def test_slow_photo_processing_shows_a_loader_until_the_tile_arrives(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("slow_photos")
    await open_form(page, vinted)

    await page.get_by_test_id("add-photos-input").set_input_files(JEANS_PHOTOS[:1])

    grid = page.get_by_test_id("media-upload-grid")
    await expect(grid.locator(".tile.loading")).to_be_visible()
    await expect(page.get_by_test_id("image-wrapper-0")).to_have_count(0)
    await expect(page.get_by_test_id("upload-form-save-button")).to_be_disabled()
    await expect(grid.get_by_test_id("image-wrapper-0")).to_be_visible()
    await expect(page.get_by_test_id("upload-form-save-button")).to_be_enabled()


async def test_strict_price_saves_the_listing_at_zero_when_the_price_was_not_typed(
    page: Page, vinted: FakeVinted
) -> None:
    await open_form(page, vinted)
    price = page.get_by_test_id("price-input--input")
    await price.fill("12,50")
    await price.press("Tab")
    await expect(price).to_have_value("12,50")

    vinted.set_variant("strict_price")
    await open_form(page, vinted)
    await fill_listing(page, type_the_price=False)
    await expect(price).to_have_value("0,00")
    await publish(page)
    # The page leaves for the wardrobe once the create call answers: let it land before the
    # next goto, or that navigation interrupts ours.
    await expect(page).to_have_url(f"{vinted.base_url}/member/{SELLER_ID}")

    [item] = vinted.items
    assert item.price == 0.0

    await open_form(page, vinted)
    await type_price(page, "12,50")
    await expect(price).to_have_value("12,50")


async def test_verification_variant_sends_the_seller_to_verify_the_account(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("verification")

    await page.goto(f"{vinted.base_url}/items/new")

    await expect(page).to_have_url(f"{vinted.base_url}/users/verification")
    await expect(page.get_by_role("heading", name="Vérifie ton compte")).to_be_visible()


async def test_upload_page_opened_directly_bounces_home_but_the_sell_button_works(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("upload_redirects_home")

    await page.goto(f"{vinted.base_url}/items/new")
    await expect(page).to_have_url(f"{vinted.base_url}/")
    await page.get_by_test_id("prohibited-listing-education-upload-button").click()

    await expect(page).to_have_url(f"{vinted.base_url}/items/new")
    await expect(page.get_by_test_id("add-photos-input")).to_have_count(1)


async def test_broken_selector_variant_renames_one_test_id(page: Page, vinted: FakeVinted) -> None:
    vinted.set_variant("broken_selector")

    await page.goto(f"{vinted.base_url}/items/new")

    await expect(page.get_by_test_id("title--input")).to_have_count(0)
    await expect(page.locator("#title")).to_be_visible()


# ---------------------------------------------------------------- variants: what the page shows
async def test_photo_recognition_prefills_another_leaf_and_resets_the_picker_to_its_root(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("photo_recognition")
    await open_form(page, vinted)
    await choose_category(page, WOMEN_TSHIRTS)
    # The picker is open a level down when the photo lands.
    content = page.get_by_test_id("catalog-select-dropdown-content")
    category = page.get_by_test_id("catalog-select-dropdown-input")
    await category.click()
    await content.get_by_role("button", name="Hommes", exact=True).click()

    await add_photos(page, JEANS_PHOTOS[:1])

    # Its first guess is the seller's T-shirts: it takes its next one instead.
    guess = vinted.leaf_id(MEN_JEANS)
    await expect(category).to_have_value("Jeans")
    await expect(content.locator(f"#catalog-{vinted.catalog_id(['Femmes'])}")).to_be_visible()
    await expect(content.get_by_role("button", name="‹")).to_have_count(0)
    await expect(page.get_by_test_id(f"catalog-suggestion-{guess}")).to_be_visible()
    outside = await category.evaluate("n => n.outerHTML")
    assert str(guess) not in outside and "Hommes" not in outside
    await category.click()
    await expect(page.get_by_test_id("category-size-single-grid-input")).to_be_visible()

    await open_picker(page, "category-size-single-grid")
    await (
        page.get_by_test_id("category-size-single-grid-content")
        .get_by_role("button", name="W32", exact=True)
        .click()
    )
    await page.get_by_test_id("title--input").fill("Jean brut homme")
    await page.get_by_test_id("description--input").fill("Très peu porté.")
    await page.get_by_test_id("category-condition-single-list-input").click()
    await page.locator("#condition-2").click()
    await type_price(page, "20")
    await page.get_by_test_id("1-package-size--cell").click()
    await publish(page)

    [item] = vinted.items
    assert (item.catalog_id, item.catalog_path) == (guess, MEN_JEANS)
    assert item.size_id == vinted.size_id(MEN_JEANS, "W32")


async def test_photo_recognition_then_a_new_walk_keeps_the_sellers_leaf(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("photo_recognition")
    await open_form(page, vinted)
    await add_photos(page, JEANS_PHOTOS[:1])
    category = page.get_by_test_id("catalog-select-dropdown-input")
    await expect(category).to_have_value("T-shirts")

    await choose_category(page, WOMEN_JEANS)
    await expect(category).to_have_value("Jeans")
    await page.get_by_test_id("title--input").fill("Jean taille haute bleu")
    await page.get_by_test_id("description--input").fill("Porté deux fois.")
    await choose_size(page, "S / 36 / 8")
    await page.get_by_test_id("category-condition-single-list-input").click()
    await page.locator("#condition-3").click()
    await type_price(page, "9")
    await page.get_by_test_id("1-package-size--cell").click()
    await publish(page)

    [item] = vinted.items
    assert item.catalog_path == WOMEN_JEANS and item.size_id == 3


async def test_catalog_renamed_variant_moves_titles_depth_and_ids(
    page: Page, vinted: FakeVinted
) -> None:
    default_ids = {n.id for n in site("fr").catalog.nodes()}
    vinted.set_variant("catalog_renamed")
    await open_form(page, vinted)
    tree = (await fetch_json(page, "/api/v2/item_upload/catalogs"))["body"]["catalogs"]

    women_clothes = next(c for c in tree[0]["catalogs"] if c["title"] == "Vêtements")
    titles = [c["title"] for c in women_clothes["catalogs"]]
    assert "Hauts" in titles and "Hauts et t-shirts" not in titles and "Jeans" not in titles
    assert vinted.catalog_id(["Femmes", "Chaussures", "Baskets"]) is None
    assert vinted.catalog_id(["Hommes", "Vêtements", "T-shirts et tops"]) is not None
    assert not default_ids & {n.id for n in vinted.site.catalog.nodes()}
    path = ["Femmes", "Vêtements", "Hauts", "T-shirts et débardeurs", "T-shirts"]

    await add_photos(page, JEANS_PHOTOS[:1])
    await page.get_by_test_id("title--input").fill("T-shirt rayé marinière")
    await page.get_by_test_id("description--input").fill("Coton épais, jamais porté.")
    await choose_category(page, path)
    await choose_size(page, "M / 38 / 10")
    await page.get_by_test_id("category-condition-single-list-input").click()
    await page.locator("#condition-6").click()
    await type_price(page, "8,00")
    await page.get_by_test_id("1-package-size--cell").click()
    await publish(page)

    [item] = vinted.items
    assert (item.catalog_id, item.catalog_path, item.site) == (
        vinted.leaf_id(path),
        path,
        "fr_renamed",
    )
    assert (item.condition_id, item.price) == (6, 8.0)


async def test_german_site_speaks_german_and_takes_a_decimal_comma(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("site_de")
    path = ["Herren", "Kleidung", "Pullover & Sweater"]
    await open_form(page, vinted)

    await expect(page.locator("html")).to_have_attribute("lang", "de")
    await expect(page.get_by_test_id("upload-form-save-button")).to_have_text("Hochladen")
    await add_photos(page, JEANS_PHOTOS[:1])
    await page.get_by_test_id("title--input").fill("Pullover aus Wolle, grau")
    await page.get_by_test_id("description--input").fill("Kaum getragen, keine Mängel.")
    await choose_category(page, path)
    await choose_brand(page, "levi", "Levi's")
    await choose_size(page, "L")
    await open_picker(page, "category-condition-single-list")
    await expect(page.locator("#condition-2")).to_contain_text("Sehr gut")
    await page.locator("#condition-2").click()
    await open_picker(page, "color-select-dropdown")
    await expect(page.get_by_test_id("color-3")).to_have_text("Grau")
    await page.get_by_test_id("color-checkbox-3").click()
    await close_picker(page, "color-select-dropdown")
    await open_picker(page, "category-material-multi-list")
    await page.get_by_test_id(f"material-{vinted.material_id('Wolle')}").click()
    await close_picker(page, "category-material-multi-list")
    price = page.get_by_test_id("price-input--input")
    await type_price(page, "12.50")
    await expect(price).to_have_value("")
    await type_price(page, "12,50")
    await expect(price).to_have_value("12,50")
    await page.get_by_test_id("2-package-size--cell").click()
    await publish(page)

    [item] = vinted.items
    assert (item.catalog_id, item.catalog_path) == (vinted.leaf_id(path), path)
    assert (item.brand_id, item.brand) == (vinted.brand_id("Levi's"), "Levi's")
    assert item.brand_id != site("fr").brands()[4][0]  # brand ids differ between sites
    assert (item.size_id, item.condition_id, item.color_ids) == (
        vinted.size_id(path, "L"),
        2,
        [vinted.color_id("Grau")],
    )
    assert (item.material_ids, item.price, item.item["currency"]) == ([46], 12.5, "EUR")
    await expect(page.get_by_text("12,50 €")).to_be_visible()


async def test_uk_site_speaks_english_and_takes_a_decimal_point(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("site_uk")
    path = ["Women", "Clothing", "Dresses", "Midi dresses"]
    await open_form(page, vinted)

    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_test_id("upload-form-save-button")).to_have_text("Upload")
    await add_photos(page, JEANS_PHOTOS[:1])
    await page.get_by_test_id("title--input").fill("Floral midi dress")
    await page.get_by_test_id("description--input").fill("Worn once to a wedding.")
    await choose_category(page, path)
    await choose_size(page, "M / UK 10")
    await open_picker(page, "category-condition-single-list")
    await expect(page.locator("#condition-1")).to_contain_text("New without tags")
    await page.locator("#condition-1").click()
    await open_picker(page, "color-select-dropdown")
    await expect(page.get_by_test_id("color-9")).to_have_text("Blue")
    await page.get_by_test_id("color-9").click()
    await close_picker(page, "color-select-dropdown")
    price = page.get_by_test_id("price-input--input")
    await type_price(page, "12,50")
    await expect(price).to_have_value("")
    await type_price(page, "12.50")
    await expect(price).to_have_value("12.50")
    await page.get_by_test_id("3-package-size--cell").click()
    await publish(page)

    [item] = vinted.items
    assert (item.catalog_path, item.size_id, item.condition_id) == (
        path,
        vinted.size_id(path, "M / UK 10"),
        1,
    )
    assert (item.color_ids, item.price, item.item["currency"]) == ([9], 12.5, "GBP")
    await expect(page.get_by_text("£12.50")).to_be_visible()
    wardrobe = await fetch_json(page, f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert wardrobe["body"]["items"][0]["price"] == {"amount": "12.50", "currency_code": "GBP"}


async def test_lowercase_brands_variant_spells_brands_in_lower_case(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("lowercase_brands")
    await open_form(page, vinted)
    await choose_category(page, WOMEN_JEANS)

    await page.get_by_test_id("brand-select-dropdown-input").click()
    await expect(page.locator('[role="button"][aria-label="zara"]')).to_be_visible()
    await page.get_by_test_id("brand-search--input").press_sequentially("levi")
    await expect(page.locator('[role="button"][aria-label="levi\'s"]')).to_be_visible()
    await expect(page.locator('[role="button"][aria-label="Levi\'s"]')).to_have_count(0)
    await expect(page.get_by_test_id("custom-select-brand")).to_have_count(0)
    answers = [
        b["title"]
        for keyword in ("levi", "nike", "adidas")
        for b in (await fetch_json(page, f"/api/v2/item_upload/brands?keyword={keyword}"))["body"][
            "brands"
        ]
    ]
    assert {"levi's", "nike", "adidas"} <= set(answers)
    assert all(title == title.lower() for title in answers)
    await page.locator('[role="button"][aria-label="levi\'s"]').click()
    await expect(page.get_by_test_id("brand-select-dropdown-input")).to_have_value("levi's")


# ---------------------------------------------------------------- only the document's hooks
async def test_every_name_the_replica_allows_is_written_in_upload_form_md() -> None:
    doc = UPLOAD_FORM_DOC.read_text("utf-8")

    for name in DOCUMENTED_TEST_IDS:
        assert re.search(rf'[`"]{re.escape(name)}[`"]', doc), name
    for name in DOCUMENTED_IDS:
        assert f"`#{name}`" in doc, name
    assert PICKER_PATTERN in doc
    assert f'[data-testid$="{ERROR_SUFFIX}"]' in doc
    for key in PICKERS:
        assert f"{key}-input" in DOCUMENTED_TEST_IDS, key


async def test_upload_page_marks_only_the_hooks_the_document_names(
    page: Page, vinted: FakeVinted
) -> None:
    hooks = Hooks()
    vinted.set_switches(photo_recognition=True)
    await open_form(page, vinted)
    await hooks.collect(page)
    assert await click_publish(page) == 400
    await expect(page.get_by_test_id("title--error")).to_be_visible()
    await hooks.collect(page)

    await add_photos(page, JEANS_PHOTOS)
    await page.get_by_test_id("catalog-select-dropdown-input").click()
    content = page.get_by_test_id("catalog-select-dropdown-content")
    await expect(content.get_by_test_id(re.compile(r"^catalog-suggestion-"))).not_to_have_count(0)
    await hooks.collect(page)
    await content.get_by_role("button", name="Femmes", exact=True).click()
    await content.get_by_role("button", name="Vêtements", exact=True).click()
    await hooks.collect(page)
    await page.locator("#catalog-search-input").press_sequentially("jean")
    await expect(content.get_by_role("button", name=re.compile("^Jeans"))).not_to_have_count(0)
    await hooks.collect(page)
    await page.get_by_test_id("catalog-select-dropdown-input").click()
    await choose_category(page, WOMEN_JEANS)
    await hooks.collect(page)

    vinted.set_switches(picker_delay=0.5)
    await page.get_by_test_id("brand-select-dropdown-input").click()
    await expect(page.get_by_test_id("brand-select-dropdown--loader")).to_be_visible()
    await hooks.collect(page)
    await expect(page.get_by_test_id("brand-select-dropdown--loader")).to_have_count(0)
    await page.get_by_test_id("brand-search--input").press_sequentially("Atelier")
    await expect(page.get_by_test_id("custom-select-brand")).to_be_visible()
    await hooks.collect(page)
    vinted.set_switches(picker_delay=0.0)
    for key in PICKERS[2:]:
        await open_picker(page, key)
        await hooks.collect(page)
        await close_picker(page, key)

    vinted.set_variant("photos_rate_limited")
    await page.get_by_test_id("add-photos-input").set_input_files(JEANS_PHOTOS[:1])
    await expect(page.get_by_test_id("media-upload-grid").get_by_role("alert")).to_be_visible()
    await hooks.collect(page)
    vinted.set_switches(rate_limited=True)
    await click_publish(page)
    await expect(page.get_by_test_id("upload-form--error")).to_be_visible()
    await hooks.collect(page)
    vinted.set_switches(rate_limited=False, critical_error_once=True)
    await click_publish(page)
    await expect(page.get_by_test_id("item-upload-critical-error-dialog--overlay")).to_be_visible()
    await hooks.collect(page)

    assert hooks.undocumented() == {"data-testid": [], "id": [], "data-*": []}
    assert {
        "image-wrapper-1",
        "catalog-select-dropdown-content",
        "color-checkbox-12",
    } <= hooks.testids
    assert {f"catalog-{vinted.catalog_id(['Femmes'])}", "brand", "empty-brand"} <= hooks.ids


async def test_other_pages_mark_only_the_hooks_the_document_names(
    browser: Browser, page: Page, vinted: FakeVinted, seller: Member
) -> None:
    hooks = Hooks()
    item_id = await seller.list_item("Jean pour la vitrine")
    await seller.list_item("Jean en brouillon", draft=True)
    for path in (
        "/",
        f"/member/{SELLER_ID}",
        f"/items/{item_id}",
        "/items/1",
        "/users/verification",
    ):
        await page.goto(vinted.base_url + path)
        await hooks.collect(page)
    await page.goto(f"{vinted.base_url}/session-refresh?ref_url=%2F")
    await hooks.collect(page)

    context = await browser.new_context()
    visitor = await context.new_page()
    try:
        for path in ("/", "/member/signup/select_type", f"/member/{SELLER_ID}"):
            await visitor.goto(vinted.base_url + path)
            await hooks.collect(visitor)
        await visitor.goto(f"{vinted.base_url}/session-refresh?ref_url=%2F")
        await expect(visitor.get_by_role("progressbar")).to_be_visible()
        await hooks.collect(visitor)
    finally:
        await context.close()
    vinted.set_variant("rate_limited_pages")
    await page.goto(vinted.base_url)
    await hooks.collect(page)
    vinted.set_switches(rate_limited_pages=False, datadome=True)
    await page.goto(vinted.base_url)
    await expect(page.frame_locator("iframe").get_by_text("Please verify")).to_be_visible()
    await hooks.collect(page)

    assert hooks.undocumented() == {"data-testid": [], "id": [], "data-*": []}
    assert {"user-menu-button", "header--login-button"} <= hooks.testids
    assert "datadome-captcha" in hooks.ids


# ---------------------------------------------------------------- the trees of each site
# A plausible leaf for common items under women and men, on every site.
COMMON_LEAVES: dict[str, dict[str, list[list[str]]]] = {
    "fr": {
        "t-shirt": [WOMEN_TSHIRTS, ["Hommes", "Vêtements", "Hauts et t-shirts", "T-shirts"]],
        "jeans": [WOMEN_JEANS, MEN_JEANS],
        "sweater": [
            ["Femmes", "Vêtements", "Sweats et pulls", "Pulls"],
            ["Hommes", "Vêtements", "Sweats et pulls", "Pulls"],
        ],
        "coat": [
            ["Femmes", "Vêtements", "Manteaux et vestes", "Manteaux"],
            ["Hommes", "Vêtements", "Manteaux et vestes", "Manteaux"],
        ],
        "dress": [["Femmes", "Vêtements", "Robes"]],
        "sneakers": [["Femmes", "Chaussures", "Baskets"], ["Hommes", "Chaussures", "Baskets"]],
        "bag": [["Femmes", "Sacs", "Sacs à main"], ["Hommes", "Sacs et sacoches", "Sacs à dos"]],
        "shirt": [
            ["Femmes", "Vêtements", "Hauts et t-shirts", "Chemises"],
            ["Hommes", "Vêtements", "Hauts et t-shirts", "Chemises"],
        ],
        "shorts": [["Femmes", "Vêtements", "Shorts"], ["Hommes", "Vêtements", "Shorts"]],
        "skirt": [["Femmes", "Vêtements", "Jupes"]],
        "hat": [
            ["Femmes", "Accessoires", "Chapeaux et casquettes"],
            ["Hommes", "Accessoires", "Chapeaux et casquettes"],
        ],
    },
    "fr_renamed": {
        "t-shirt": [
            ["Femmes", "Vêtements", "Hauts", "T-shirts et débardeurs", "T-shirts"],
            ["Hommes", "Vêtements", "T-shirts et tops", "T-shirts"],
        ],
        "jeans": [
            ["Femmes", "Vêtements", "Pantalons et jeans", "Jeans"],
            ["Hommes", "Vêtements", "Pantalons et jeans", "Jeans"],
        ],
        "sweater": [
            ["Femmes", "Vêtements", "Pulls, gilets et sweats", "Pulls"],
            ["Hommes", "Vêtements", "Pulls et sweats", "Pulls"],
        ],
        "coat": [
            ["Femmes", "Vêtements", "Vestes et manteaux", "Manteaux"],
            ["Hommes", "Vêtements", "Vestes et manteaux", "Manteaux"],
        ],
        "dress": [["Femmes", "Vêtements", "Robes", "Robes midi"]],
        "sneakers": [["Femmes", "Chaussures", "Sneakers"], ["Hommes", "Chaussures", "Sneakers"]],
        "bag": [["Femmes", "Sacs", "Sacs à main"], ["Hommes", "Sacs et sacoches", "Sacs à dos"]],
        "shirt": [
            ["Femmes", "Vêtements", "Hauts", "Chemises et blouses", "Chemises"],
            ["Hommes", "Vêtements", "T-shirts et tops", "Chemises"],
        ],
        "shorts": [
            ["Femmes", "Vêtements", "Shorts et bermudas"],
            ["Hommes", "Vêtements", "Shorts et bermudas"],
        ],
        "skirt": [["Femmes", "Vêtements", "Jupes", "Jupes courtes"]],
        "hat": [
            ["Femmes", "Accessoires", "Chapeaux et bonnets"],
            ["Hommes", "Accessoires", "Casquettes"],
        ],
    },
    "de": {
        "t-shirt": [
            ["Damen", "Kleidung", "Tops & T-Shirts", "T-Shirts"],
            ["Herren", "Kleidung", "T-Shirts & Tops", "T-Shirts"],
        ],
        "jeans": [["Damen", "Kleidung", "Jeans"], ["Herren", "Kleidung", "Jeans"]],
        "sweater": [
            ["Damen", "Kleidung", "Pullover & Sweater", "Pullover"],
            ["Herren", "Kleidung", "Pullover & Sweater"],
        ],
        "coat": [
            ["Damen", "Kleidung", "Jacken & Mäntel", "Mäntel"],
            ["Herren", "Kleidung", "Jacken & Mäntel", "Mäntel"],
        ],
        "dress": [["Damen", "Kleidung", "Kleider"]],
        "sneakers": [["Damen", "Schuhe", "Sneaker"], ["Herren", "Schuhe", "Sneaker"]],
        "bag": [["Damen", "Taschen", "Handtaschen"], ["Herren", "Taschen", "Rucksäcke"]],
        "shirt": [
            ["Damen", "Kleidung", "Tops & T-Shirts", "Hemden"],
            ["Herren", "Kleidung", "Hemden"],
        ],
        "shorts": [["Damen", "Kleidung", "Shorts"], ["Herren", "Kleidung", "Shorts"]],
        "skirt": [["Damen", "Kleidung", "Röcke"]],
        "hat": [["Damen", "Accessoires", "Hüte & Mützen"], ["Herren", "Accessoires", "Caps"]],
    },
    "uk": {
        "t-shirt": [
            ["Women", "Clothing", "Tops & t-shirts", "T-shirts"],
            ["Men", "Clothing", "Tops & t-shirts", "T-shirts"],
        ],
        "jeans": [["Women", "Clothing", "Jeans"], ["Men", "Clothing", "Jeans"]],
        "sweater": [
            ["Women", "Clothing", "Jumpers & sweaters", "Jumpers"],
            ["Men", "Clothing", "Jumpers & sweaters", "Jumpers"],
        ],
        "coat": [
            ["Women", "Clothing", "Outerwear", "Coats"],
            ["Men", "Clothing", "Outerwear", "Coats"],
        ],
        "dress": [["Women", "Clothing", "Dresses", "Maxi dresses"]],
        "sneakers": [["Women", "Shoes", "Trainers"], ["Men", "Shoes", "Trainers"]],
        "bag": [["Women", "Bags", "Handbags"], ["Men", "Bags", "Backpacks"]],
        "shirt": [
            ["Women", "Clothing", "Tops & t-shirts", "Shirts"],
            ["Men", "Clothing", "Tops & t-shirts", "Shirts"],
        ],
        "shorts": [["Women", "Clothing", "Shorts"], ["Men", "Clothing", "Shorts"]],
        "skirt": [["Women", "Clothing", "Skirts"]],
        "hat": [["Women", "Accessories", "Hats & caps"], ["Men", "Accessories", "Hats & caps"]],
    },
}


@pytest.mark.parametrize("name", sorted(SITES))
async def test_each_site_has_a_realistic_tree_with_leaves_for_common_items(name: str) -> None:
    catalog = SITES[name].catalog

    assert 60 <= len(catalog.leaves()) <= 150
    assert COMMON_LEAVES[name].keys() == COMMON_LEAVES["fr"].keys()
    for kind, paths in COMMON_LEAVES[name].items():
        for path in paths:
            node = catalog.by_path(path)
            assert node is not None and node.is_leaf, (kind, path)
            # Siblings, so a walk by titles chooses among real alternatives.
            assert node.parent is not None and len(node.parent.children) >= 2, (kind, path)
    clothes = [n for n in catalog.leaves() if n.size_kind in ("women", "men")]
    assert all(SITES[name].size_group(n) is not None for n in clothes)


async def test_the_sites_share_no_catalog_id() -> None:
    seen: dict[int, str] = {}
    for name, one in SITES.items():
        for node in one.catalog.nodes():
            assert node.id not in seen, (node.id, seen.get(node.id), name)
            seen[node.id] = name


async def test_the_catalog_helpers_follow_the_active_site(vinted: FakeVinted) -> None:
    assert vinted.catalog_path(2632) == ["Femmes", "Chaussures", "Baskets"]
    with pytest.raises(LookupError):
        vinted.leaf_id(["Femmes", "Vêtements"])

    vinted.set_variant("site_uk")

    [women, *_] = vinted.catalog_tree()
    assert women.title == "Women" and vinted.catalog_path(2632) is None
    trainers = vinted.leaf_id(["Women", "Shoes", "Trainers"])
    assert vinted.catalog_path(trainers) == ["Women", "Shoes", "Trainers"]
    assert vinted.size_id(["Women", "Shoes", "Trainers"], "UK 5") > 0
    assert (vinted.color_id("Grey"), vinted.brand_id("nike")) == (3, 900_053)


async def test_catalog_tree_holds_every_category_path_of_ours() -> None:
    catalog = site("fr").catalog
    for category in categories():
        node = catalog.by_path(category.path_fr)
        assert node is not None and node.is_leaf, category.id


# ---------------------------------------------------------------- ways to run it
async def test_replica_serves_synchronous_callers_from_a_thread() -> None:
    handle = await asyncio.to_thread(run_in_thread)
    try:
        cookies = handle.add_account(user_id=7, login="bob")
        header = "; ".join(f"{k}={v}" for k, v in cookies.items())

        status, body = await asyncio.to_thread(
            get_json, f"{handle.base_url}/api/v2/users/current", header
        )

        assert (status, body["user"]["login"]) == (200, "bob")
        assert [r.path for r in handle.requests] == ["/api/v2/users/current"]
    finally:
        await asyncio.to_thread(handle.stop)


async def test_command_line_prints_the_url_and_a_signed_in_cookie_header() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.vinted",
        "--port",
        "0",
        "--login",
        "alice",
        "--variant",
        "site_de",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        url = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()
        cookie_line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()

        status, body = await asyncio.to_thread(
            get_json, f"{url}/api/v2/users/current", cookie_line.removeprefix("Cookie: ")
        )

        assert url.startswith("http://127.0.0.1:")
        assert (status, body["user"]["login"], body["user"]["country_code"]) == (
            200,
            "alice",
            "DE",
        )
    finally:
        process.terminate()
        await process.wait()
