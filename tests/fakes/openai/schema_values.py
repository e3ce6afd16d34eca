"""Answers shaped by the JSON schema a request carries (strict Structured Outputs shape).

The default answers know realistic values for the fields they understand; every other field the
schema lists gets the plainest value valid for it. So a field added to the listing's schema
shows up in the fake's answers without editing the fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The plainest value of each JSON type ("null" is handled first: it wins wherever admitted).
_EMPTY: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False}


def request_schema(json_schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Return the schema inside a request's `response_format.json_schema`, if it carries one."""
    schema = json_schema.get("schema")
    return schema if isinstance(schema, Mapping) else None


def shaped_answer(schema: Mapping[str, Any] | None, known: Mapping[str, Any]) -> dict[str, Any]:
    """Return an object with the schema's properties, in its order: known values, else plain ones.

    Known values for fields the schema does not list are left out (strict schemas forbid extra
    fields). Without a schema that lists properties, the known values are returned as they are.
    """
    properties = schema.get("properties") if schema is not None else None
    if not isinstance(properties, Mapping):
        return dict(known)
    return {
        name: known[name] if name in known else plain_value(sub)
        for name, sub in properties.items()
    }


def plain_value(schema: Mapping[str, Any]) -> Any:
    """Return the plainest value valid for a schema node.

    null where the node admits null, else the first enum value, else the first `anyOf` branch's
    value, else by type: "" / 0 / false / [] / an object of plain values.
    """
    if admits_null(schema):
        return None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return plain_value(schema[key][0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "array":
        return []
    if kind == "object":
        return shaped_answer(schema, {})
    return _EMPTY.get(kind) if isinstance(kind, str) else None


def admits_null(schema: Mapping[str, Any]) -> bool:
    """Return whether null is valid for this schema node (one without a type admits anything)."""
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if "enum" in schema:
        return None in schema["enum"]
    if "const" in schema:
        return schema["const"] is None
    branches = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
    if branches:
        return any(admits_null(branch) for branch in branches)
    return kind is None
