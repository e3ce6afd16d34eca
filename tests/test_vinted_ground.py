"""The Vinted adapter stands only on what UPLOAD-FORM.md states, and keeps it in one module.

Every selector, test id, #id, attribute, API path and page path the adapter uses is named in
the facts document; and no module of core/vinted/ but selectors.py spells one out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FACTS = (REPO.parent / "shared" / "vinted" / "UPLOAD-FORM.md").read_text("utf-8")
VINTED = REPO / "core" / "vinted"
SELECTORS = VINTED / "selectors.py"

# Plain words of CSS, attributes HTML itself defines, and the document's own notation.
CSS_WORDS = {"role", "button", "iframe", "src", "img", "alt", "aria-label", "id", "data-testid"}


def strings_of(path: Path) -> list[str]:
    """Return every string constant of a module (f-string parts included)."""
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
    return found


def names_in(text: str) -> set[str]:
    """Return the hooks a string names: test ids, #ids, data- attributes, /paths."""
    names: set[str] = set()
    names.update(re.findall(r'data-testid[\^*$]?="([^"{]+)', text))
    names.update(re.findall(r"(?<![\w&])#([A-Za-z][\w-]*)", text))
    names.update(re.findall(r"\b(data-(?!testid)[a-z-]+)", text))
    names.update(p.rstrip("/") for p in re.findall(r"^(/[\w/.-]*)", text))
    names.update(re.findall(r"\[([a-z-]+)[\^*$]?=", text))
    return {n for n in names if n and n.strip("-/")}


def documented(name: str) -> bool:
    return name in CSS_WORDS or name in FACTS or name.rstrip("-") in FACTS


def test_every_hook_of_the_selectors_module_is_in_the_facts_document() -> None:
    undocumented = sorted(
        name for text in strings_of(SELECTORS) for name in names_in(text) if not documented(name)
    )
    assert undocumented == [], f"not in UPLOAD-FORM.md: {undocumented}"


def test_test_ids_built_by_the_selectors_module_are_documented() -> None:
    source = SELECTORS.read_text("utf-8")
    built = re.findall(r'test_id\(\s*f?"([^"{]*)', source)
    missing = sorted(b for b in built if b and not documented(b))
    assert missing == [], f"test ids not in UPLOAD-FORM.md: {missing}"


def test_no_other_module_of_the_adapter_spells_out_a_selector() -> None:
    for path in sorted(VINTED.glob("*.py")):
        if path == SELECTORS:
            continue
        for text in strings_of(path):
            hooks = [n for n in names_in(text) if n.startswith(("data-", "#", "/api"))]
            selector_like = re.search(r"\[(data-testid|id|role|aria-label)[\^*$]?=", text)
            assert not hooks and not selector_like, f"{path.name} spells out {text!r}"
