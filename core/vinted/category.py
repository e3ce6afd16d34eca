"""The category: a leaf of the site's own catalog tree, walked by id and checked as shown.

Rows are `#catalog-{id}` at each level, root to leaf (UPLOAD-FORM.md). What the page chose is
read the way a seller reads it: the category input shows the leaf's name, and the leaf-only
fields (brand, size, condition, material) appear once a leaf is chosen. Photo recognition may
pre-fill a category and reset the picker to its root, so every walk is checked again.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.marketplace import CatalogNode, FieldRejected, PageChanged
from core.vinted import selectors as sel
from core.vinted.errors import Stop
from core.vinted.helpers import fold
from core.vinted.listing import ListingToPublish
from core.vinted.page import Run
from core.vinted.pickers import close_picker, fill_attributes, open_picker


async def fetch_catalogs(run: Run) -> list[dict[str, Any]]:
    """Return Vinted's catalog tree (its root level), read from inside the page."""
    answer = await run.fetch_json(sel.CATALOGS_API)
    if answer.status != 200 or not isinstance(answer.body, dict):
        raise Stop(run.api_refusal(answer, sel.CATALOGS_API))
    catalogs: list[dict[str, Any]] = answer.body.get("catalogs") or []
    return catalogs


def catalog_node(node: dict[str, Any]) -> CatalogNode:
    """Return one node of the catalogs API's answer, with its children, as the port's type."""
    children = node.get("catalogs") or []
    return CatalogNode(
        id=int(node["id"]),
        title=str(node.get("title") or ""),
        children=tuple(catalog_node(child) for child in children if isinstance(child, dict)),
    )


def path_of(tree: list[CatalogNode], ids: list[int]) -> list[CatalogNode] | None:
    """Return the nodes of this id path, root to leaf, if the tree still has it as a leaf."""
    level: tuple[CatalogNode, ...] = tuple(tree)
    nodes: list[CatalogNode] = []
    for catalog_id in ids:
        node = next((n for n in level if n.id == catalog_id), None)
        if node is None:
            return None
        nodes.append(node)
        level = node.children
    return nodes if nodes and not level else None


async def leaf_path(run: Run, listing: ListingToPublish) -> list[CatalogNode]:
    """Return the listing's leaf, root first, in the live tree; refuse a category gone since."""
    run.step = "category"
    tree = [catalog_node(n) for n in await fetch_catalogs(run)]
    nodes = path_of(tree, listing.category_ids)
    if nodes is None:
        shown = " > ".join(listing.category_titles) or "?"
        raise Stop(FieldRejected("category", f"Vinted has no category {shown} any more"))
    return nodes


def shows_leaf(shown: str, titles: list[str]) -> bool:
    """Return whether a category input's text names this leaf (alone, or as its full path)."""
    value, leaf = _words(shown), _words(titles[-1])
    return bool(leaf) and (value == leaf or value.endswith(_words(" ".join(titles))))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


async def shown_category(run: Run) -> str:
    """Return what the category input shows (its value, or its text if it is no input)."""
    box = run.page.locator(sel.CATALOG_INPUT).first
    if not await box.count():
        return ""
    try:
        return await box.input_value()
    except PlaywrightError:  # not an <input>: read what it displays
        return (await box.inner_text()).strip()


async def leaf_chosen(run: Run) -> bool:
    """Return whether the leaf-only fields show, as they do once a leaf is chosen."""
    return await run.page.locator(sel.picker_input(sel.CONDITION_PICKER)).is_visible()


async def category_is(run: Run, nodes: list[CatalogNode]) -> bool:
    """Return whether the page shows our leaf chosen."""
    return shows_leaf(await shown_category(run), [n.title for n in nodes]) and await leaf_chosen(
        run
    )


async def category_and_attributes(
    run: Run, listing: ListingToPublish, nodes: list[CatalogNode]
) -> None:
    """Choose the category, then the fields it reveals; walk again if it was swapped."""
    for _ in range(2):
        await choose_category(run, nodes)
        await fill_attributes(run, listing)
        run.step = "category"
        if await category_is(run, nodes):
            return
        run.notes.append("the category changed while filling its fields: walked it again")
    raise Stop(PageChanged("category", sel.CATALOG_INPUT))


async def choose_category(run: Run, nodes: list[CatalogNode]) -> None:
    """Walk the category picker by id to our leaf, from wherever the picker opens."""
    run.step = "category"
    page = run.page
    category = page.locator(sel.CATALOG_INPUT)
    await run.wait(category, sel.CATALOG_INPUT)
    if await category_is(run, nodes):
        return
    shown = await shown_category(run)
    if shown:
        run.notes.append(f"Vinted pre-filled the category {shown!r}: replaced it")
    for attempt in range(2):
        content = await open_picker(run, sel.CATALOG_PICKER)
        start = await _first_visible_level(run, content, nodes)
        if start is None:
            start = await _found_by_search(run, content, nodes)
        if start is not None:
            break
        # Neither our path nor the search: close and open the picker afresh, once.
        await close_picker(run, sel.CATALOG_PICKER)
        if attempt:
            raise Stop(PageChanged(run.step, sel.catalog_row(nodes[0].id)))
    for node in nodes[start:]:
        row = content.locator(sel.catalog_row(node.id)).first
        await run.wait(row, sel.catalog_row(node.id))
        await row.click()
    # A chosen leaf reveals its fields; the picker may close by itself, or stay open.
    await run.wait(
        page.locator(sel.picker_input(sel.CONDITION_PICKER)).first,
        sel.picker_input(sel.CONDITION_PICKER),
    )
    await close_picker(run, sel.CATALOG_PICKER)
    if not shows_leaf(await shown_category(run), [n.title for n in nodes]):
        raise Stop(PageChanged(run.step, f"{sel.CATALOG_INPUT} shows {nodes[-1].title!r}"))


async def _first_visible_level(run: Run, content: Locator, nodes: list[CatalogNode]) -> int | None:
    """Return the deepest level of our path whose row the open picker shows, if any."""
    rows = [content.locator(sel.catalog_row(node.id)).first for node in nodes]
    shown = rows[0]
    for row in rows[1:]:
        shown = shown.or_(row)
    try:
        await shown.first.wait_for(state="visible", timeout=run.config.timeout_ms / 3)
    except PlaywrightTimeout:  # none of our rows: the search may still find the leaf
        return None
    for depth in range(len(nodes) - 1, -1, -1):
        if await rows[depth].is_visible():
            return depth
    return None


async def _found_by_search(run: Run, content: Locator, nodes: list[CatalogNode]) -> int | None:
    """Search the leaf's name; return the leaf's level if its row or suggestion shows."""
    search = content.locator(sel.CATALOG_SEARCH).first
    if not await search.count():
        return None
    await run.type_text(search, nodes[-1].title)
    leaf = nodes[-1].id
    found = content.locator(sel.catalog_row(leaf)).or_(
        content.locator(sel.catalog_suggestion(leaf))
    )
    try:
        await found.first.wait_for(state="visible", timeout=run.config.timeout_ms / 3)
    except PlaywrightTimeout:  # the search does not know it either
        return None
    if await content.locator(sel.catalog_suggestion(leaf)).first.is_visible():
        await content.locator(sel.catalog_suggestion(leaf)).first.click()
        return len(nodes)  # chosen: nothing left to click
    run.notes.append(f"found the category {nodes[-1].title!r} by searching it")
    return len(nodes) - 1
