"""The health check: open the upload page and probe every selector the publisher needs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.catalog import Category
from core.catalogs.resolver import resolve
from core.marketplace import CatalogNode
from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.category import catalog_node, fetch_catalogs, shown_category, shows_leaf
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
    run: Run, sample: Category | None, missing: list[str], checked: list[str]
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
    tree = [catalog_node(n) for n in await fetch_catalogs(run)]
    choice = resolve(tree, sample).choice if sample is not None else None
    nodes = _first_leaf(tree) if choice is None else _nodes(tree, list(choice.ids))
    if not nodes:
        missing.append(f"{sel.CATALOGS_API} (no leaf)")
        return
    content = await open_picker(run, sel.CATALOG_PICKER)
    for node in nodes:
        if not await checklist.probe(content, sel.catalog_row(node.id)):
            return
        await content.locator(sel.catalog_row(node.id)).first.click()
    # A chosen leaf reveals its fields and shows its name in the category input.
    if not await checklist.probe(page, sel.picker_input(sel.CONDITION_PICKER)):
        return
    if await content.is_visible():
        await close_picker(run, sel.CATALOG_PICKER)
    chosen = f"{sel.CATALOG_INPUT} shows {nodes[-1].title!r}"
    checklist.note(chosen, shows_leaf(await shown_category(run), [n.title for n in nodes]))

    inside = {
        sel.BRAND_PICKER: [sel.BRAND_SEARCH, sel.NO_BRAND],
        sel.SIZE_PICKER: [sel.SIZE_OPTION],
        sel.CONDITION_PICKER: [sel.condition_option(condition_id(Condition.VERY_GOOD))],
        sel.COLOUR_PICKER: [sel.COLOUR_ROW, sel.colour_checkbox(9)],
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


def _first_leaf(tree: list[CatalogNode]) -> list[CatalogNode]:
    """Return the path down the first child of each level, to a leaf."""
    nodes: list[CatalogNode] = []
    level = tuple(tree)
    while level:
        nodes.append(level[0])
        level = level[0].children
    return nodes


def _nodes(tree: list[CatalogNode], ids: list[int]) -> list[CatalogNode]:
    nodes: list[CatalogNode] = []
    level = tuple(tree)
    for catalog_id in ids:
        node = next(n for n in level if n.id == catalog_id)
        nodes.append(node)
        level = node.children
    return nodes
