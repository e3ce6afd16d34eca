"""Structured outputs of the vision model, their strict JSON schemas and their mapping to Listing.

The model writes the description as a list of lines (`DraftOut.description`), one fact per line:
a list keeps the "5 to 8 factual lines" shape visible to the model and easy to check, and
`to_listing` joins the lines with newlines into `Listing.description`.
"""

from __future__ import annotations

import copy
import re
from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema, field_validator

from core.catalog import category_ids
from core.drafts.fields import MODEL_EDITS_AS_IS
from core.drafts.models import Listing
from core.models import Condition, Price

MAX_COLOURS = 2
MAX_HASHTAGS = 5

# Keywords strict Structured Outputs rejects (or that local servers handle badly); the same
# limits are enforced leniently by the validators below instead.
_UNSUPPORTED_KEYWORDS = frozenset(
    {
        "default",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "title",
        "examples",
        "discriminator",
    }
)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return the model's JSON schema in the shape strict Structured Outputs accepts.

    Every object gets `additionalProperties: false` and lists all its properties as required
    (optional fields stay nullable through `anyOf [..., {"type": "null"}]`), `$ref`s are inlined
    so no `$defs` remain, `const` becomes a one-value `enum`, and keywords strict mode rejects
    (default, format, minimum, lengths, titles...) are dropped.
    """
    raw = model.model_json_schema()
    defs: dict[str, Any] = raw.pop("$defs", {})
    return _strictify(raw, defs, ())


def _strictify(node: Any, defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_strictify(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"recursive schema {name!r} cannot be inlined")
        target = copy.deepcopy(defs[name])
        extra = {k: v for k, v in node.items() if k != "$ref"}
        if "description" in extra:
            target["description"] = extra["description"]
        return _strictify(target, defs, (*seen, name))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _UNSUPPORTED_KEYWORDS:
            continue
        if key == "properties":
            out[key] = {name: _strictify(sub, defs, seen) for name, sub in value.items()}
        elif key == "const":
            out["enum"] = [value]
        else:
            out[key] = _strictify(value, defs, seen)
    if out.get("type") == "object" or "properties" in out:
        out.setdefault("properties", {})
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


# ---- grouping ------------------------------------------------------------------------------


class GroupOut(BaseModel):
    """One item: the photos that show it, by their number in the request."""

    photo_indices: list[int] = Field(description="Numbers of every photo showing this item.")
    label_photo_indices: list[int] = Field(
        description="Numbers of this item's photos that show a brand, size or care label."
    )


class GroupingOut(BaseModel):
    """The items found among the photos of one grouping call."""

    groups: list[GroupOut]


class GroupingContinuedOut(BaseModel):
    """The items found in a later chunk, and whether its photo 1 continues the reference item."""

    first_group_continues_previous: bool = Field(
        description="True when photo 1 shows the same item as the reference image."
    )
    groups: list[GroupOut]


# ---- drafting ------------------------------------------------------------------------------


_CATEGORY_SCHEMA = {"type": "string", "enum": category_ids()}
# The schema lists the ids so the model can only pick one; the validators reject the rest for
# servers that ignore the schema.
CategoryId = Annotated[str, WithJsonSchema(_CATEGORY_SCHEMA)]
OptionalCategoryId = Annotated[
    str | None, WithJsonSchema({"anyOf": [_CATEGORY_SCHEMA, {"type": "null"}]})
]


def _check_category(value: str) -> str:
    if value not in category_ids():
        raise ValueError(f"unknown category id {value!r}")
    return value


def _clean_hashtags(tags: list[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        word = re.sub(r"\s+", "", tag).lstrip("#")
        if word and f"#{word}".lower() not in (s.lower() for s in seen):
            seen.append(f"#{word}")
    return seen[:MAX_HASHTAGS]


def _clean_lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


class DraftOut(BaseModel):
    """A listing as the model writes it from the photos, in the target language."""

    title: str = Field(description="At most 70 characters: brand + item type + size.")
    description: list[str] = Field(
        description="5 to 8 short factual lines, one fact per line, no emoji."
    )
    hashtags: list[str] = Field(
        default_factory=list, description="3 to 5 hashtags, each one word starting with #."
    )
    brand: str | None = Field(
        default=None, description="Brand as printed on the label or logo; else null."
    )
    category: CategoryId = Field(description="One category id from the list.")
    size_on_label: str | None = Field(
        default=None,
        description="Size exactly as printed on a readable label, e.g. 'US 8'; else null.",
    )
    size: str | None = Field(
        default=None,
        description="The size in the French system as Vinted France lists it, e.g. '38' for a "
        "label 'US 8', 'M', 'W32 L34', '42' for shoes; null when no label is readable.",
    )
    condition: Condition | None = Field(
        default=None, description="Null when the photos do not make it clear."
    )
    colours: list[str] = Field(default_factory=list, description="The one or two main colours.")
    material: str | None = Field(
        default=None, description="From the composition label; else null."
    )
    defects: list[str] = Field(
        default_factory=list, description="Every visible defect; empty when none is visible."
    )
    measurements: str | None = Field(
        default=None, description="Only when a tape measure is visible; else null."
    )
    price_min: float = Field(description="Lowest sensible asking price in EUR.")
    price_target: float = Field(description="Suggested asking price in EUR.")
    price_max: float = Field(description="Highest sensible asking price in EUR.")
    confidence: float = Field(description="0 to 1: how sure you are of the fields above.")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        return _check_category(value)

    @field_validator("description", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        # Local models sometimes write one string with newlines despite the schema.
        if isinstance(value, str):
            return _clean_lines(value.splitlines())
        if isinstance(value, list):
            return _clean_lines([str(v) for v in value])
        return value

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return _clean_hashtags(value)

    @field_validator("colours")
    @classmethod
    def _two_colours(cls, value: list[str]) -> list[str]:
        return [c.strip() for c in value if c.strip()][:MAX_COLOURS]

    @field_validator("brand", "size_on_label", "size", "material", "measurements")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @field_validator("confidence")
    @classmethod
    def _clamp(cls, value: float) -> float:
        return min(1.0, max(0.0, value))


def to_listing(out: DraftOut) -> tuple[Listing, list[str]]:
    """Map a model draft to a Listing and the fields the seller must confirm.

    A null size or condition is left empty ("" / None) and named in the to-confirm list, so the
    quality gates fill it with a visible default instead of the model inventing one.
    """
    to_confirm: list[str] = []
    size = out.size or out.size_on_label or ""
    if not size:
        to_confirm.append("size")
    if out.condition is None:
        to_confirm.append("condition")
    low, target, high = sorted((out.price_min, out.price_target, out.price_max))
    listing = Listing(
        title=out.title.strip(),
        description="\n".join(out.description),
        hashtags=list(out.hashtags),
        brand=out.brand,
        category=out.category,
        size=size,
        condition=out.condition,
        colours=list(out.colours),
        material=out.material,
        defects=list(out.defects),
        measurements=out.measurements,
        price=Price(min=low, target=target, max=high),
    )
    return listing, to_confirm


def listing_for_prompt(listing: Listing) -> dict[str, Any]:
    """Return the listing as the model reads it back: description as lines, price flattened."""
    data = listing.model_dump(mode="json", exclude={"price", "description"})
    data["description"] = _clean_lines(listing.description.splitlines())
    # Empty means unknown to the model, as in its own answers.
    data["size"] = listing.size or None
    data["category"] = listing.category or None
    if listing.price is not None:
        data["price_min"] = listing.price.min
        data["price_target"] = listing.price.target
        data["price_max"] = listing.price.max
    return data


# ---- choosing a marketplace category -------------------------------------------------------


class CategoryPickOut(BaseModel):
    """Which candidate category of the marketplace fits the item (0: none does)."""

    choice: int = Field(description="The number of the fitting candidate, or 0 for none.")
    confidence: float = Field(description="0 to 1: how sure you are.")


# ---- editing -------------------------------------------------------------------------------


class RewriteOut(BaseModel):
    """Description lines rewritten to agree with one change, one for one."""

    lines: list[str] = Field(description="The lines given, in order, each rewritten or kept.")


class EditOut(BaseModel):
    """The changes a seller asked for: null means unchanged."""

    title: str | None = None
    description: list[str] | None = None
    hashtags: list[str] | None = None
    brand: str | None = None
    category: OptionalCategoryId = Field(
        default=None, description="A category id from the list, or null."
    )
    size: str | None = None
    condition: Condition | None = None
    colours: list[str] | None = None
    material: str | None = None
    measurements: str | None = None
    price_min: float | None = None
    price_target: float | None = None
    price_max: float | None = None
    add_defects: list[str] = Field(
        default_factory=list, description="Defects to add; empty when none."
    )
    remove_defects: list[str] = Field(
        default_factory=list,
        description="Existing defects to remove, copied exactly; empty when none.",
    )
    summary: str = Field(description="One short sentence saying what changed.")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None) -> str | None:
        return None if value is None else _check_category(value)

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _clean_hashtags(value)

    @field_validator("colours")
    @classmethod
    def _two_colours(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [c.strip() for c in value if c.strip()][:MAX_COLOURS]


def apply_edit(listing: Listing, edit: EditOut) -> Listing:
    """Return the listing with the edit's non-null fields applied."""
    changes: dict[str, Any] = {}
    for name in MODEL_EDITS_AS_IS:
        value = getattr(edit, name)
        if value is not None:
            changes[name] = value
    if edit.description is not None:
        changes["description"] = "\n".join(_clean_lines(edit.description))
    if edit.add_defects or edit.remove_defects:
        removed = {d.strip().lower() for d in edit.remove_defects}
        kept = [d for d in listing.defects if d.strip().lower() not in removed]
        changes["defects"] = kept + [d for d in edit.add_defects if d not in kept]
    price = _edited_price(listing.price, edit)
    if price is not None:
        changes["price"] = price
    return listing.model_copy(update=changes)


def _edited_price(current: Price | None, edit: EditOut) -> Price | None:
    if edit.price_min is None and edit.price_target is None and edit.price_max is None:
        return None
    target = edit.price_target
    if target is None:
        target = current.target if current else (edit.price_min or edit.price_max or 0.0)
    low = edit.price_min if edit.price_min is not None else (current.min if current else target)
    high = edit.price_max if edit.price_max is not None else (current.max if current else target)
    # A new target outside the old range moves the range rather than breaking min <= target.
    return Price(min=min(low, target), target=target, max=max(high, target))
