"""The fake model: with no scripted reply, a request gets the default answer for its schema name.

Each answer is deterministic and plausible: one module per schema (answer_grouping,
answer_draft, answer_correction, answer_edit, answer_rewrite, answer_category); an unknown
schema name gets `{}`. The draft,
correction and edit answers are shaped by the schema the request carries (schema_values.py):
its properties, in its order, with the realistic value where the answer module has one and the
plainest valid value elsewhere, so a new listing field needs no change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.fakes.openai.answer_category import category_answer
from tests.fakes.openai.answer_correction import correction_answer
from tests.fakes.openai.answer_draft import draft_answer
from tests.fakes.openai.answer_edit import edit_answer
from tests.fakes.openai.answer_grouping import grouping_answer
from tests.fakes.openai.answer_rewrite import rewrite_answer
from tests.fakes.openai.recording import ReceivedRequest
from tests.fakes.openai.schema_values import request_schema, shaped_answer


def default_answer(received: ReceivedRequest, draft_fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answer to this request; draft_fields are merged over every default draft."""
    name = received.schema_name or ""
    if name.startswith("grouping"):
        return grouping_answer(received)
    schema = request_schema(received.json_schema)
    if name == "draft":
        return {**shaped_answer(schema, draft_answer(received)), **draft_fields}
    if name == "correction":
        return shaped_answer(schema, correction_answer(received))
    if name == "edit":
        return shaped_answer(schema, edit_answer(received))
    if name == "rewrite":
        return shaped_answer(schema, rewrite_answer(received))
    if name == "category_choice":
        return shaped_answer(schema, category_answer(received))
    return {}
