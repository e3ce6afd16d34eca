"""The upload form: open it, then fill it like a person would, checking every field."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import expect

from core.marketplace import CatalogNode, FieldRejected, PageChanged, Timeout
from core.vinted import selectors as sel
from core.vinted.category import category_and_attributes, category_is
from core.vinted.errors import Stop
from core.vinted.helpers import parse_price, same_text
from core.vinted.listing import ListingToPublish
from core.vinted.page import Run


async def open_upload_page(run: Run, ready: list[str]) -> None:
    """Open /items/new, through the header's sell button when sent home; wait for the form."""
    run.step = "open_upload_page"
    page = run.page
    await run.goto(run.url(sel.UPLOAD_PATH))
    if urlparse(page.url).path != sel.UPLOAD_PATH:
        sell = page.locator(sel.SELL_BUTTON).first
        await run.wait(sell, sel.SELL_BUTTON)
        try:
            async with page.expect_navigation(wait_until="load") as navigation:
                await sell.click()
            response = await navigation.value
        except PlaywrightTimeout as exc:
            raise Stop(Timeout(step=run.step, detail="the sell button led nowhere")) from exc
        await run.check_blockers(response)
        if urlparse(page.url).path != sel.UPLOAD_PATH:
            raise Stop(PageChanged(run.step, sel.SELL_BUTTON))
        run.notes.append("the upload page sent us home: went through the sell button")
    form = page.locator(ready[0])
    for selector in ready[1:]:
        form = form.or_(page.locator(selector))
    await run.wait(form.first, " | ".join(ready), state="attached")


async def fill_form(run: Run, listing: ListingToPublish, nodes: list[CatalogNode]) -> None:
    """Fill every field like a person would, checking each one."""
    await add_photos(run, listing.photos)
    run.step = "title"
    # A line break in a one-line field would press Enter: the title is one line.
    await type_field(run, sel.TITLE, " ".join(listing.title.split()), "title")
    run.step = "description"
    await type_field(run, sel.DESCRIPTION, listing.description, "description")
    await category_and_attributes(run, listing, nodes)
    await type_price(run, listing.price)
    await choose_package_size(run, listing.package_size)
    await untick_bump(run)
    # Photo recognition can still swap the category late: check it before sending.
    run.step = "category"
    if not await category_is(run, nodes):
        run.notes.append("the category changed before sending: walked it again")
        await category_and_attributes(run, listing, nodes)


async def add_photos(run: Run, photos: list[Path]) -> None:
    """Upload the photos in order and wait for each tile, however slow the processing.

    A refused upload or a rate limit answered by the photos API ends the wait at once.
    """
    run.step = "photos"
    page = run.page
    photo_input = page.locator(sel.PHOTO_INPUT)
    await run.wait(photo_input, sel.PHOTO_INPUT, state="attached")
    await photo_input.set_input_files([str(p) for p in photos])
    for index in range(len(photos)):
        tile = page.locator(sel.photo_tile(index)).first
        await run.wait(tile, sel.photo_tile(index), timeout_ms=run.config.photo_timeout_ms)


async def type_field(run: Run, selector: str, text: str, name: str) -> None:
    """Type a text field and check the page kept exactly that."""
    box = run.page.locator(selector)
    await run.wait(box, selector)
    await run.type_text(box, text)
    kept = await box.input_value()
    if same_text(kept) != same_text(text):
        raise Stop(FieldRejected(name, f"the page kept {kept!r} instead of {text!r}"))


async def type_price(run: Run, price: float) -> None:
    """Type the price like a person, leave the field, and read it back.

    UPLOAD-FORM.md fixes only the French decimal comma: the page's language gives the first
    guess (a point for English pages), and a value read back wrong is typed again with the
    other separator. A whole price is typed without one.
    """
    run.step = "price"
    box = run.page.locator(sel.PRICE)
    await run.wait(box, sel.PRICE)
    language = await run.page.evaluate("document.documentElement.lang || ''")
    first, second = (".", ",") if str(language).lower().startswith("en") else (",", ".")
    amount = f"{price:.2f}"
    texts = [amount.replace(".", first), amount.replace(".", second)]
    if amount.endswith(".00"):
        texts.insert(0, amount[:-3])
    shown = ""
    for text in texts:
        await run.type_text(box, text)
        await run.page.keyboard.press("Tab")
        shown = await box.input_value()
        if parse_price(shown) == round(price, 2):
            return
        run.notes.append(f"the price field showed {shown!r} after {text!r}")
    raise Stop(FieldRejected("price", f"typed {texts[-1]} but the page shows {shown!r}"))


async def choose_package_size(run: Run, size: int) -> None:
    """Pick the parcel size (1 small, 2 medium, 3 large) and check its radio."""
    run.step = "package_size"
    cell = run.page.locator(sel.package_cell(size)).first
    await run.wait(cell, sel.package_cell(size))
    await cell.click()
    radio = run.page.locator(sel.package_radio(size)).first
    await run.expect(expect(radio).to_be_checked(), sel.package_radio(size))


async def untick_bump(run: Run) -> None:
    """Make sure the paid boost stays off."""
    run.step = "bump"
    bump = run.page.locator(sel.BUMP).first
    if await bump.count() and await bump.is_checked():
        await bump.uncheck()
        run.notes.append("the boost box was ticked: unticked it")
    if await bump.count():
        await run.expect(expect(bump).not_to_be_checked(), sel.BUMP)
