"""The fake model: with no scripted reply, a request gets the default answer for its schema name.

Each answer is deterministic and plausible: one module per schema (answer_grouping,
answer_draft, answer_correction, answer_edit); an unknown schema name gets `{}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.fakes.openai.answer_correction import correction_answer
from tests.fakes.openai.answer_draft import draft_answer
from tests.fakes.openai.answer_edit import edit_answer
from tests.fakes.openai.answer_grouping import grouping_answer
from tests.fakes.openai.recording import ReceivedRequest


def default_answer(received: ReceivedRequest, draft_fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answer to this request; draft_fields are merged over every default draft."""
    name = received.schema_name or ""
    if name.startswith("grouping"):
        return grouping_answer(received)
    if name == "draft":
        return {**draft_answer(received), **draft_fields}
    if name == "correction":
        return correction_answer(received)
    if name == "edit":
        return edit_answer(received)
    return {}
