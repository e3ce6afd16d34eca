"""The health check: open the upload page and probe every selector the publisher needs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from playwright.async_api import Locator, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.category import fetch_catalogs, first_leaf
from core.vinted.form import open_upload_page
from core.vinted.mapping import condition_id
from core.vinted.page import Run
from core.vinted.pickers import close_picker, open_picker


@dataclass
class _Checklist:
    """The selectors probed so far, those missing among them, and how long each may take."""

    checked: list[str]
    missing: list[str]
    probe_ms: int

    async def finds(self, root: Page | Locator, selector: str, state: str = "visible") -> bool:
        """Return whether the selector reaches this state within the probe time."""
        try:
            await root.locator(selector).first.wait_for(
                state=state,  # type: ignore[arg-type]
                timeout=self.probe_ms,
            )
        except PlaywrightTimeout:
            return False
        return True

    def note(self, selector: str, present: bool) -> bool:
        """Record a probed selector, and whether it is missing; return whether it is present."""
        self.checked.append(selector)
        if not present:
            self.missing.append(selector)
        return present

    async def probe(self, root: Page | Locator, selector: str, state: str = "visible") -> bool:
        """Probe one selector and record the result."""
        return self.note(selector, await self.finds(root, selector, state))


async def health_check(
    run: Run, category_path: list[str] | None, missing: list[str], checked: list[str]
) -> None:
    """Probe each selector of the form and of a leaf category's pickers."""
    page = run.page
    form = [sel.PHOTO_INPUT, sel.TITLE, sel.DESCRIPTION, sel.CATALOG_INPUT, sel.PRICE]
    await open_upload_page(run, [*form, sel.SAVE_BUTTON])
    run.step = "health_check"
    checklist = _Checklist(checked, missing, min(run.config.timeout_ms, 5_000))

    # The whole form is rendered at once: probe it all together, so one renamed control
    # costs one timeout rather than one each.
    static = [(sel.PHOTO_INPUT, "attached"), (sel.PHOTO_GRID, "attached")]
    static += [(s, "visible") for s in (*form[1:], sel.SAVE_BUTTON, sel.SAVE_DRAFT_BUTTON)]
    for size in (1, 2, 3):
        static += [(sel.package_cell(size), "visible"), (sel.package_radio(size), "attached")]
    static.append((sel.BUMP, "attached"))
    found = await asyncio.gather(*(checklist.finds(page, s, state) for s, state in static))
    for (selector, _), present in zip(static, found, strict=True):
        checklist.note(selector, present)
    if sel.CATALOG_INPUT in missing:
        return

    run.step = "category"
    leaf_ids = first_leaf(await fetch_catalogs(run), category_path)
    if not leaf_ids:
        missing.append(f"{sel.CATALOGS_API} (no leaf for {category_path})")
        return
    content = await open_picker(run, sel.CATALOG_PICKER)
    for catalog_id in leaf_ids:
        if not await checklist.probe(content, sel.catalog_row(catalog_id)):
            return
        await content.locator(sel.catalog_row(catalog_id)).first.click()
    chosen = f"{sel.CATALOG_INPUT}[{sel.CATALOG_ID_ATTRIBUTE}]"
    checked.append(chosen)
    category = page.locator(sel.CATALOG_INPUT)
    try:
        await expect(category).to_have_attribute(
            sel.CATALOG_ID_ATTRIBUTE, str(leaf_ids[-1]), timeout=checklist.probe_ms
        )
    except AssertionError:
        missing.append(chosen)

    inside = {
        sel.BRAND_PICKER: [sel.BRAND_SEARCH, sel.NO_BRAND],
        sel.SIZE_PICKER: [sel.SIZE_OPTION],
        sel.CONDITION_PICKER: [sel.condition_option(condition_id(Condition.VERY_GOOD))],
        sel.COLOUR_PICKER: [sel.colour_row(9), sel.colour_checkbox(9)],
        sel.MATERIAL_PICKER: [sel.MATERIAL_ROW],
    }
    for key, options in inside.items():
        run.step = key
        if not await checklist.probe(page, sel.picker_input(key)):
            continue
        await page.locator(sel.picker_input(key)).click()
        if await checklist.probe(page, sel.picker_content(key)):
            for selector in options:
                await checklist.probe(page.locator(sel.picker_content(key)), selector, "attached")
            await close_picker(run, key)
