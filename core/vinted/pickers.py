"""The pickers a leaf category reveals: brand, size, condition, colours and material.

Every picker follows one pattern: `<key>-input` opens `<key>-content`. What each offers is read
from the opened panel as the seller sees it (an option's id in its test id or #id, its label
as shown), never from a list of our own: the site's lists differ by country and by leaf.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.async_api import Locator, Response, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.marketplace import FieldRejected
from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.colours import DOCUMENTED_IDS, colour_id
from core.vinted.errors import Stop
from core.vinted.helpers import fold, match_size
from core.vinted.listing import ListingToPublish
from core.vinted.mapping import condition_id
from core.vinted.materials import material_matches, material_names
from core.vinted.page import Run


async def open_picker(run: Run, key: str) -> Locator:
    """Open a picker (`<key>-input` opens `<key>-content`) and return its content."""
    page = run.page
    content = page.locator(sel.picker_content(key))
    if not await content.is_visible():
        trigger = page.locator(sel.picker_input(key))
        await run.wait(trigger, sel.picker_input(key))
        await trigger.click()
        await run.wait(content, sel.picker_content(key))
    # `<key>--loader` shows while the options load: what is read after it is the whole list.
    await run.wait(
        page.locator(sel.picker_loader(key)).first, sel.picker_loader(key), state="hidden"
    )
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


# ---- brand ---------------------------------------------------------------------------------


async def choose_brand(run: Run, brand: str | None) -> None:
    """Pick the brand the search finds, whatever its case or accents; else a custom or none."""
    run.step = "brand"
    content = await open_picker(run, sel.BRAND_PICKER)
    wanted = " ".join(_APOSTROPHES.sub("'", brand or "").split())
    if wanted:
        search = content.locator(sel.BRAND_SEARCH).first
        await run.wait(search, sel.BRAND_SEARCH)
        # The whole name first; then its start, for a site that spells the rest its way
        # ("Levis" finds "Levi's" by "Levi"): the cells are matched on the whole name anyway.
        queries = [wanted]
        if len(_brand_key(wanted)) > _PREFIX:
            queries.append(wanted[:_PREFIX])
        for query in queries:
            label = await _search_brand(run, content, search, query, wanted)
            if label is not None:
                await _brand_shown(run, label)
                return
        custom = content.locator(sel.CUSTOM_BRAND).first
        if len(queries) > 1:  # the custom brand takes what the search box holds
            await _search_brand(run, content, search, wanted, wanted, patient=False)
        if await custom.count():
            run.notes.append(
                f"brand {wanted!r} is not on Vinted's list: entered as a custom brand"
            )
            await custom.click()
            await _brand_shown(run, wanted)
            return
        run.notes.append(f"brand {wanted!r} is not on Vinted's list: listed without a brand")
        run.left_out["brand"] = wanted
    no_brand = content.locator(sel.NO_BRAND).first
    await run.wait(no_brand, sel.NO_BRAND)
    await no_brand.click()
    if await content.is_visible():
        await close_picker(run, sel.BRAND_PICKER)


_PREFIX = 4
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u00b4`]")


async def _search_brand(
    run: Run, content: Locator, search: Locator, query: str, wanted: str, *, patient: bool = True
) -> str | None:
    """Type a query in the brand search; click and return the cell naming our brand, if any."""
    try:
        async with run.page.expect_response(
            lambda r: _answers_brand_search(r, query), timeout=run.config.timeout_ms
        ):
            await run.type_text(search, query)
    except PlaywrightTimeout:
        run.notes.append("the brand search sent no request: read what the panel shows")
    run.watch.check()
    loader = run.page.locator(sel.picker_loader(sel.BRAND_PICKER)).first
    await run.wait(loader, sel.picker_loader(sel.BRAND_PICKER), state="hidden")
    cells = content.locator(sel.BRAND_CELLS)
    custom = content.locator(sel.CUSTOM_BRAND).first
    no_brand = content.locator(sel.NO_BRAND).first
    await run.wait(cells.first.or_(custom).or_(no_brand).first, sel.BRAND_CELLS)
    labels: list[str] = await cells.evaluate_all(
        "(els, attr) => els.map(e => e.getAttribute(attr) || '')", sel.BRAND_CELL_LABEL
    )
    index = next((i for i, label in enumerate(labels) if _same_brand(label, wanted)), None)
    if index is None and labels and patient:
        # The answer came but the list may not show it yet: give it a moment to.
        try:
            await run.page.wait_for_function(
                _CELL_NAMES_BRAND,
                arg=[sel.BRAND_CELLS, sel.BRAND_CELL_LABEL, _brand_key(wanted)],
                timeout=_LATE_CELLS_MS,
            )
        except PlaywrightTimeout:
            return None
        labels = await cells.evaluate_all(
            "(els, attr) => els.map(e => e.getAttribute(attr) || '')", sel.BRAND_CELL_LABEL
        )
        index = next((i for i, label in enumerate(labels) if _same_brand(label, wanted)), None)
    if index is None:
        return None
    await cells.nth(index).click()
    return labels[index]


_LATE_CELLS_MS = 500
# The same folding as _brand_key, in the page: no case, accents, spaces or punctuation.
_CELL_NAMES_BRAND = r"""([cells, attr, key]) => [...document.querySelectorAll(cells)].some(e =>
    (e.getAttribute(attr) || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/ß/g, "ss").replace(/[^\p{L}\p{N}]/gu, "") === key)"""


def _answers_brand_search(response: Response, brand: str) -> bool:
    """Return whether this is the brand search's answer for the whole name we typed."""
    url = urlparse(response.url)
    if url.path != sel.BRANDS_API:
        return False
    keyword = (parse_qs(url.query).get("keyword") or [""])[0]
    return _brand_key(keyword) == _brand_key(brand)


def _brand_key(name: str) -> str:
    """Fold a brand name for matching: no case, accents, spaces or punctuation."""
    return "".join(c for c in fold(name) if c.isalnum())


def _same_brand(label: str, brand: str) -> bool:
    return bool(label) and _brand_key(label) == _brand_key(brand)


async def _brand_shown(run: Run, name: str) -> None:
    """Check the brand field now shows this name (as the site spells it)."""
    field = run.page.locator(sel.picker_input(sel.BRAND_PICKER)).first
    await run.expect(expect(field).not_to_have_value(""), sel.picker_input(sel.BRAND_PICKER))
    shown = await field.input_value()
    if _brand_key(shown) != _brand_key(name):
        raise Stop(FieldRejected("brand", f"the page shows {shown!r} instead of {name!r}"))
    content = run.page.locator(sel.picker_content(sel.BRAND_PICKER))
    if await content.is_visible():
        await close_picker(run, sel.BRAND_PICKER)


# ---- size, condition -----------------------------------------------------------------------


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
    labels: list[str] = await options.evaluate_all("els => els.map(e => e.innerText.trim())")
    index = match_size(size, labels)
    if index is None:
        await close_picker(run, sel.SIZE_PICKER)
        offered = ", ".join(labels)
        raise Stop(FieldRejected("size", f"no size matches {size!r}; offered: {offered}"))
    await options.nth(index).click()
    await run.expect(expect(trigger).not_to_have_value(""), sel.picker_input(sel.SIZE_PICKER))
    if await content.is_visible():
        await close_picker(run, sel.SIZE_PICKER)


async def choose_condition(run: Run, condition: Condition) -> None:
    """Pick the condition by its status id (UPLOAD-FORM.md section 4)."""
    run.step = "condition"
    content = await open_picker(run, sel.CONDITION_PICKER)
    options = content.locator(sel.CONDITION_OPTION)
    await run.wait(options.first, sel.CONDITION_OPTION)
    option = content.locator(sel.condition_option(condition_id(condition))).first
    if not await option.count():
        offered = await options.evaluate_all("els => els.map(e => e.innerText.trim())")
        await close_picker(run, sel.CONDITION_PICKER)
        raise Stop(
            FieldRejected(
                "condition", f"no {condition.value} condition; offered: {', '.join(offered)}"
            )
        )
    await option.click()
    trigger = run.page.locator(sel.picker_input(sel.CONDITION_PICKER))
    await run.expect(expect(trigger).not_to_have_value(""), sel.picker_input(sel.CONDITION_PICKER))
    if await content.is_visible():
        await close_picker(run, sel.CONDITION_PICKER)


# ---- colours, material ---------------------------------------------------------------------


async def _offered(content: Locator, rows: str, prefix: str) -> list[tuple[int, str]]:
    """Return the (id, label) of each option row a panel shows, ids from their test ids."""
    found: list[list[str]] = await content.locator(rows).evaluate_all(
        "(els, attr) => els.map(e => [e.getAttribute(attr) || '', e.innerText.trim()])",
        sel.TEST_ID_ATTRIBUTE,
    )
    offered = []
    for test_id, label in found:
        suffix = test_id.removeprefix(prefix)
        if suffix.isdigit():
            offered.append((int(suffix), label))
    return offered


async def choose_colours(run: Run, colours: list[str]) -> None:
    """Tick up to two colours: by the label the list shows, else by an id the document fixes."""
    run.step = "colours"
    if not colours:
        return
    content = await open_picker(run, sel.COLOUR_PICKER)
    offered = await _offered(content, sel.COLOUR_ROW, sel.COLOUR_ROW_PREFIX)
    ids = {i for i, _ in offered}
    chosen: list[int] = []
    unknown: list[str] = []
    for name in colours:
        known = colour_id(name)
        pick = None
        if known is not None:
            pick = next((i for i, label in offered if colour_id(label) == known), None)
            if pick is None and known in DOCUMENTED_IDS and known in ids:
                pick = known
        if pick is None:
            unknown.append(name)
        elif pick not in chosen and len(chosen) < sel.MAX_COLOURS:
            chosen.append(pick)
    if unknown:
        run.notes.append(f"colours not on Vinted's list: {', '.join(unknown)}")
        run.left_out["colours"] = ", ".join(unknown)
    for colour in chosen:
        row = content.locator(sel.colour_row(colour)).first
        box = content.locator(sel.colour_checkbox(colour)).first
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
    await run.wait(content.locator(sel.MATERIAL_ROW).first, sel.MATERIAL_ROW)
    offered = await _offered(content, sel.MATERIAL_ROW, sel.MATERIAL_ROW_PREFIX)
    chosen: list[int] = []
    for name in names:
        for material_id, label in offered:
            if material_matches(name, label):
                if material_id not in chosen and len(chosen) < sel.MAX_MATERIALS:
                    chosen.append(material_id)
                break
    if not chosen:
        run.notes.append(f"material {material!r} is not on Vinted's list: left empty")
        run.left_out["material"] = material or ""
    for material_id in chosen:
        box = content.locator(sel.material_checkbox(material_id)).first
        if not await box.is_checked():
            await content.locator(sel.material_row(material_id)).first.click()
        await run.expect(expect(box).to_be_checked(), sel.material_checkbox(material_id))
    await close_picker(run, sel.MATERIAL_PICKER)
