"""The category: our title path as Vinted's catalog ids, and the walk of its picker.

Photo recognition may pre-fill a category and swap it late, so every walk is checked.
"""

from __future__ import annotations

from typing import Any

from core.marketplace import CatalogNode, FieldRejected, PageChanged
from core.vinted import selectors as sel
from core.vinted.helpers import fold
from core.vinted.listing import ListingToPublish
from core.vinted.page import Run, Stop
from core.vinted.pickers import fill_attributes, open_picker


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


async def catalog_ids(run: Run, path: list[str]) -> list[int]:
    """Return the catalog ids root to leaf for our title path, from the catalogs API."""
    run.step = "category"
    level = await fetch_catalogs(run)
    ids: list[int] = []
    for depth, title in enumerate(path):
        node = next((n for n in level if n.get("title") == title), None) or next(
            (n for n in level if fold(str(n.get("title", ""))) == fold(title)), None
        )
        if node is None:
            shown = " > ".join(path[: depth + 1])
            raise Stop(FieldRejected("category", f"Vinted has no category {shown}"))
        ids.append(int(node["id"]))
        level = node.get("catalogs") or []
    if level:
        # Our path stops where Vinted goes deeper: its "Autres ..." leaf is the way out.
        other = next(
            (
                n
                for n in level
                if fold(str(n.get("title", ""))).startswith(sel.CATALOG_OTHER_PREFIX)
                and not n.get("catalogs")
            ),
            None,
        )
        if other is None:
            shown = " > ".join(path)
            raise Stop(FieldRejected("category", f"{shown} is not a leaf on Vinted"))
        ids.append(int(other["id"]))
        run.notes.append(f"category {path[-1]!r} goes deeper: chose {other.get('title')!r}")
    return ids


def first_leaf(catalogs: list[dict[str, Any]], path: list[str] | None) -> list[int]:
    """Return the ids down to the leaf at path, or down the first child of each level."""
    ids: list[int] = []
    level = catalogs
    for depth in range(12):
        if not level:
            return ids
        if path is not None and depth < len(path):
            node = next((n for n in level if n.get("title") == path[depth]), None)
            if node is None:
                return []
        else:
            node = level[0]
        ids.append(int(node["id"]))
        level = node.get("catalogs") or []
    return ids if not level else []


async def category_is(run: Run, leaf_id: int) -> bool:
    """Return whether the category input holds this leaf."""
    chosen = await run.page.locator(sel.CATALOG_INPUT).get_attribute(sel.CATALOG_ID_ATTRIBUTE)
    return chosen == str(leaf_id)


async def category_and_attributes(
    run: Run, listing: ListingToPublish, leaf_ids: list[int]
) -> None:
    """Choose the category, then the fields it reveals; walk again if it was swapped."""
    for _ in range(2):
        await choose_category(run, leaf_ids)
        await fill_attributes(run, listing)
        run.step = "category"
        if await category_is(run, leaf_ids[-1]):
            return
        run.notes.append("the category changed while filling its fields: walked it again")
    raise Stop(PageChanged("category", sel.CATALOG_INPUT))


async def choose_category(run: Run, leaf_ids: list[int]) -> None:
    """Walk the category picker level by level to our leaf."""
    run.step = "category"
    page = run.page
    category = page.locator(sel.CATALOG_INPUT)
    await run.wait(category, sel.CATALOG_INPUT)
    if await category_is(run, leaf_ids[-1]):
        return
    prefilled = await category.get_attribute(sel.CATALOG_ID_ATTRIBUTE)
    if prefilled:
        shown = await category.get_attribute(sel.CATALOG_PATH_ATTRIBUTE) or prefilled
        run.notes.append(f"Vinted pre-filled the category {shown!r}: replaced it")
    content = await open_picker(run, sel.CATALOG_PICKER)
    root = content.locator(sel.catalog_row(leaf_ids[0])).first
    back = content.locator(sel.CATALOG_BACK_BUTTON).first
    # The picker may reopen at the level where it was left: go back up to the roots.
    for _ in range(8):
        await run.wait(root.or_(back).first, sel.catalog_row(leaf_ids[0]))
        if await root.is_visible():
            break
        await back.click()
    for catalog_id in leaf_ids:
        row = content.locator(sel.catalog_row(catalog_id)).first
        await run.wait(row, sel.catalog_row(catalog_id))
        await row.click()
    await run.wait(content, sel.picker_content(sel.CATALOG_PICKER), state="hidden")
    if not await category_is(run, leaf_ids[-1]):
        raise Stop(PageChanged(run.step, f"{sel.CATALOG_INPUT}[{sel.CATALOG_ID_ATTRIBUTE}]"))
