"""The pickers a leaf category reveals: brand, size, condition, colours and material.

Every picker follows one pattern: `<key>-input` opens `<key>-content`.
"""

from __future__ import annotations

import re

from playwright.async_api import Locator, expect

from core.marketplace import FieldRejected
from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.colours import colour_ids
from core.vinted.helpers import match_size
from core.vinted.listing import ListingToPublish
from core.vinted.mapping import condition_id
from core.vinted.materials import material_matches, material_names
from core.vinted.page import Run, Stop


async def open_picker(run: Run, key: str) -> Locator:
    """Open a picker (`<key>-input` opens `<key>-content`) and return its content."""
    page = run.page
    content = page.locator(sel.picker_content(key))
    if not await content.is_visible():
        trigger = page.locator(sel.picker_input(key))
        await run.wait(trigger, sel.picker_input(key))
        await trigger.click()
        await run.wait(content, sel.picker_content(key))
    return content


async def close_picker(run: Run, key: str) -> None:
    """Close a picker when it is open, and wait until it is gone."""
    page = run.page
    content = page.locator(sel.picker_content(key))
    if await content.is_visible():
        await page.locator(sel.picker_input(key)).click()
        await run.wait(content, sel.picker_content(key), state="hidden")


async def fill_attributes(run: Run, listing: ListingToPublish) -> None:
    """Fill the fields a leaf category reveals: brand, size, condition, colours, material."""
    run.step = "condition"
    condition_input = run.page.locator(sel.picker_input(sel.CONDITION_PICKER))
    # The condition shows for every leaf: once it is there, the leaf's fields are.
    await run.wait(condition_input, sel.picker_input(sel.CONDITION_PICKER))
    await choose_brand(run, listing.brand)
    await choose_size(run, listing.size)
    await choose_condition(run, listing.condition)
    await choose_colours(run, listing.colours)
    await choose_material(run, listing.material)


async def choose_brand(run: Run, brand: str | None) -> None:
    """Pick the brand by its exact name, or "no brand" when it is unknown to Vinted."""
    run.step = "brand"
    content = await open_picker(run, sel.BRAND_PICKER)
    no_brand = content.locator(sel.NO_BRAND).first
    if brand and brand.strip():
        search = content.locator(sel.BRAND_SEARCH)
        await run.wait(search, sel.BRAND_SEARCH)
        await run.type_text(search, brand.strip())
        cell = content.locator(sel.brand_cell(brand.strip())).first
        # The search is done when our brand shows, or the page offers it as a custom one.
        custom = content.locator(sel.CUSTOM_BRAND).first
        await run.wait(cell.or_(custom).first, sel.brand_cell(brand.strip()))
        if await cell.count():
            chosen = await cell.get_attribute("aria-label") or brand
            await cell.click()
            await run.expect(
                expect(run.page.locator(sel.picker_input(sel.BRAND_PICKER))).to_have_value(
                    re.compile(f"^{re.escape(chosen)}$", re.IGNORECASE)
                ),
                sel.picker_input(sel.BRAND_PICKER),
            )
            return
        run.notes.append(f"brand {brand!r} is not on Vinted's list: listed without a brand")
    await run.wait(no_brand, sel.NO_BRAND)
    await no_brand.click()
    await run.wait(content, sel.picker_content(sel.BRAND_PICKER), state="hidden")


async def choose_size(run: Run, size: str | None) -> None:
    """Pick the size option whose label holds our size ("M" in "M / 38 / 10")."""
    run.step = "size"
    trigger = run.page.locator(sel.picker_input(sel.SIZE_PICKER))
    if not await trigger.count():
        if size:
            run.notes.append(f"size {size!r} not sent: this category has no size")
        return
    if not size or not size.strip():
        raise Stop(FieldRejected("size", "this category needs a size"))
    content = await open_picker(run, sel.SIZE_PICKER)
    options = content.locator(sel.SIZE_OPTION)
    await run.wait(options.first, sel.SIZE_OPTION)
    labels: list[str] = await options.evaluate_all(
        "(els, attr) => els.map(e => e.getAttribute(attr) || e.textContent.trim())",
        sel.SIZE_OPTION_LABEL_ATTRIBUTE,
    )
    index = match_size(size, labels)
    if index is None:
        await close_picker(run, sel.SIZE_PICKER)
        offered = ", ".join(labels)
        raise Stop(FieldRejected("size", f"no size matches {size!r}; offered: {offered}"))
    await options.nth(index).click()
    await run.expect(expect(trigger).not_to_have_value(""), sel.picker_input(sel.SIZE_PICKER))


async def choose_condition(run: Run, condition: Condition) -> None:
    """Pick the condition by its Vinted status id."""
    run.step = "condition"
    content = await open_picker(run, sel.CONDITION_PICKER)
    option = content.locator(sel.condition_option(condition_id(condition))).first
    await run.wait(option, sel.condition_option(condition_id(condition)))
    await option.click()
    trigger = run.page.locator(sel.picker_input(sel.CONDITION_PICKER))
    await run.expect(expect(trigger).not_to_have_value(""), sel.picker_input(sel.CONDITION_PICKER))


async def choose_colours(run: Run, colours: list[str]) -> None:
    """Tick up to two colours, found by name in our fr/en/de table."""
    run.step = "colours"
    wanted, unknown = colour_ids(colours, sel.MAX_COLOURS)
    if unknown:
        run.notes.append(f"colours not on Vinted's list: {', '.join(unknown)}")
    if not wanted:
        return
    content = await open_picker(run, sel.COLOUR_PICKER)
    for colour in wanted:
        row = content.locator(sel.colour_row(colour)).first
        box = content.locator(sel.colour_checkbox(colour)).first
        await run.wait(row, sel.colour_row(colour))
        if not await box.is_checked():
            await row.click()
        await run.expect(expect(box).to_be_checked(), sel.colour_checkbox(colour))
    await close_picker(run, sel.COLOUR_PICKER)


async def choose_material(run: Run, material: str | None) -> None:
    """Tick the materials whose label matches ours; skip when none does."""
    run.step = "material"
    names = material_names(material or "")
    trigger = run.page.locator(sel.picker_input(sel.MATERIAL_PICKER))
    if not names:
        return
    if not await trigger.count():
        run.notes.append(f"material {material!r} not sent: this category has none")
        return
    content = await open_picker(run, sel.MATERIAL_PICKER)
    rows = content.locator(sel.MATERIAL_ROW)
    await run.wait(rows.first, sel.MATERIAL_ROW)
    offered: list[list[str]] = await rows.evaluate_all(
        "els => els.map(e => [e.getAttribute('data-testid') || '', e.innerText.trim()])"
    )
    chosen: list[int] = []
    for name in names:
        for test_id, label in offered:
            suffix = test_id.removeprefix(sel.MATERIAL_ROW_PREFIX)
            if suffix.isdigit() and material_matches(name, label):
                if int(suffix) not in chosen and len(chosen) < sel.MAX_MATERIALS:
                    chosen.append(int(suffix))
                break
    if not chosen:
        run.notes.append(f"material {material!r} is not on Vinted's list: left empty")
    for material_id in chosen:
        box = content.locator(sel.material_checkbox(material_id)).first
        if not await box.is_checked():
            await content.locator(sel.material_row(material_id)).first.click()
        await run.expect(expect(box).to_be_checked(), sel.material_checkbox(material_id))
    await close_picker(run, sel.MATERIAL_PICKER)
