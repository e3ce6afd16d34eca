"""The Vinted replica, driven by a real headless Chromium the way the publisher will drive it."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, async_playwright, expect

from core.catalog import categories
from tests.fakes.vinted import FakeVinted, Switches, browser_cookies, run_in_thread
from tests.fakes.vinted.data import catalog_by_path

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
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
WOMEN_JEANS = ["Femmes", "Vêtements", "Jeans"]
MEN_JEANS = ["Hommes", "Vêtements", "Jeans"]
WOMEN_TSHIRTS = ["Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts"]
LEAF_ONLY_PICKERS = [
    "brand-select-dropdown-input",
    "category-size-single-grid-input",
    "category-condition-single-list-input",
    "color-select-dropdown-input",
    "category-material-multi-list-input",
]


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


# ---------------------------------------------------------------- how a seller works the form
async def open_form(page: Page, vinted: FakeVinted) -> None:
    await page.goto(f"{vinted.base_url}/items/new")
    await expect(page.locator("html[data-upload-ready]")).to_have_count(1)


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


async def type_price(page: Page, text: str) -> None:
    price = page.get_by_test_id("price-input--input")
    await price.click()
    await price.press("ControlOrMeta+a")
    await price.press_sequentially(text)
    await price.press("Tab")


async def fill_listing(page: Page, *, type_the_price: bool = True) -> None:
    """Fill every field of an open form like a person: clicks and typing."""
    await add_photos(page, JEANS_PHOTOS)
    await page.get_by_test_id("title--input").fill("Jean Levi's 501 taille haute")
    await page.get_by_test_id("description--input").fill("Porté quelques fois, aucun défaut.")
    await choose_category(page, WOMEN_JEANS)
    await page.get_by_test_id("brand-select-dropdown-input").click()
    await page.get_by_test_id("brand-search--input").press_sequentially("levi")
    await page.locator('[role="button"][aria-label="Levi\'s"]').click()
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
    """Click "Ajouter" and return the create call's status and body (read before navigation)."""
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
        await expect(stale.get_by_test_id("session-refresh-spinner")).to_be_visible()
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
    assert (item.catalog_id, item.brand_id, item.brand) == (
        vinted.catalog_id(WOMEN_JEANS),
        10,
        "Levi's",
    )
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
    listed = page.get_by_test_id(f"product-item-id-{item.id}--title")
    await expect(listed).to_have_text("Jean Levi's 501 taille haute")
    wardrobe = await fetch_json(page, f"/api/v2/wardrobe/{SELLER_ID}/items")
    assert [i["id"] for i in wardrobe["body"]["items"]] == [item.id]

    await page.goto(f"{vinted.base_url}/items/{item.id}")

    await expect(page).to_have_url(
        f"{vinted.base_url}/items/{item.id}-jean-levi-s-501-taille-haute"
    )
    await expect(page.get_by_test_id("item-title")).to_have_text("Jean Levi's 501 taille haute")
    await expect(page.get_by_test_id("item-price")).to_have_text("12,50 €")


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


async def test_category_search_finds_a_leaf_by_its_title(page: Page, vinted: FakeVinted) -> None:
    await open_form(page, vinted)
    sneakers = vinted.catalog_id(["Femmes", "Chaussures", "Baskets"])

    await page.get_by_test_id("catalog-select-dropdown-input").click()
    await page.locator("#catalog-search-input").press_sequentially("basket")
    await page.locator(f"#catalog-{sneakers}").click()

    category = page.get_by_test_id("catalog-select-dropdown-input")
    await expect(category).to_have_value("Baskets")
    await expect(category).to_have_attribute("data-catalog-id", str(sneakers))
    await expect(category).to_have_attribute("title", "Femmes > Chaussures > Baskets")


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
        "catalog_id": vinted.catalog_id(WOMEN_JEANS),
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
    assert (draft.title, draft.price, draft.package_size_id) == (
        "Jean Levi's 501 taille haute",
        12.5,
        2,
    )
    assert [p.data for p in draft.photos] == [p.read_bytes() for p in JEANS_PHOTOS]
    await expect(page.get_by_test_id(f"draft-item-{draft.id}")).to_be_visible()

    completed = await fetch_json(
        page,
        f"/api/v2/item_upload/drafts/{draft.id}/completion",
        method="POST",
        headers={"x-csrf-token": vinted.csrf_token(SELLER_ID)},
    )

    assert completed["status"] == 200 and completed["body"]["item"]["id"] == draft.id
    assert [i.id for i in vinted.items] == [draft.id]


# ---------------------------------------------------------------- variants
async def test_datadome_serves_a_captcha_page_and_blocks_the_api(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("datadome")

    response = await page.goto(f"{vinted.base_url}/items/new")

    assert response is not None and response.status == 403
    await expect(page.locator('iframe[src*="captcha-delivery"]')).to_be_visible()
    await expect(page.get_by_text("Please verify you are human")).to_be_visible()
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
    await expect(page.get_by_test_id("too-many-requests")).to_have_text("Too many requests")


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

    await page.reload()
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
    await expect(page.get_by_test_id(f"product-item-id-{item.id}")).to_be_visible()

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

    await expect(page.get_by_test_id("image-loader-0")).to_be_visible()
    await expect(page.get_by_test_id("image-wrapper-0")).to_have_count(0)
    await expect(page.get_by_test_id("upload-form-save-button")).to_be_disabled()
    await expect(
        page.get_by_test_id("media-upload-grid").get_by_test_id("image-wrapper-0")
    ).to_be_visible()
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
    await expect(page.get_by_test_id("verification-page")).to_be_visible()


async def test_photo_recognition_replaces_the_category_and_resets_the_picker(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("photo_recognition")
    await open_form(page, vinted)
    await choose_category(page, MEN_JEANS)

    await add_photos(page, JEANS_PHOTOS[:1])

    category = page.get_by_test_id("catalog-select-dropdown-input")
    tshirts = vinted.catalog_id(WOMEN_TSHIRTS)
    await expect(category).to_have_attribute("data-catalog-id", str(tshirts))
    await expect(category).to_have_value("T-shirts")
    await category.click()
    await expect(page.get_by_test_id(f"catalog-suggestion-{tshirts}")).to_be_visible()
    await expect(page.locator(f"#catalog-{vinted.catalog_id(['Femmes'])}")).to_be_visible()
    await category.click()

    await choose_category(page, MEN_JEANS)
    await expect(category).to_have_attribute("data-catalog-id", str(vinted.catalog_id(MEN_JEANS)))


async def test_upload_page_opened_directly_bounces_home_but_the_sell_button_works(
    page: Page, vinted: FakeVinted
) -> None:
    vinted.set_variant("upload_redirects_home")

    await page.goto(f"{vinted.base_url}/items/new")
    await expect(page).to_have_url(f"{vinted.base_url}/")
    await page.get_by_test_id("prohibited-listing-education-upload-button").click()

    await expect(page).to_have_url(f"{vinted.base_url}/items/new")
    await expect(page.get_by_test_id("add-photos-input")).to_have_count(1)


# ---------------------------------------------------------------- data and ways to run it
async def test_catalog_tree_holds_every_category_path_of_ours() -> None:
    for category in categories():
        node = catalog_by_path(category.path_fr)
        assert node is not None, category.id
        if not node.is_leaf:
            # Our path stops where Vinted goes deeper: its "Autres ..." leaf is the way out.
            other = catalog_by_path([*category.path_fr, f"Autres {node.title.lower()}"])
            assert other is not None and other.is_leaf, category.id


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
        assert (status, body["user"]["login"]) == (200, "alice")
    finally:
        process.terminate()
        await process.wait()
