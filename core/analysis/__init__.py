"""The vision model port: prompts, structured outputs, batching and grouping of photos."""

from core.analysis.errors import (
    AnalysisBadAnswer,
    AnalysisError,
    AnalysisUnavailable,
    UnavailableReason,
)
from core.analysis.grouping import Group, VisionImage
from core.analysis.prompts import LANGUAGE_NAMES
from core.analysis.schemas import (
    DraftOut,
    EditOut,
    GroupingContinuedOut,
    GroupingOut,
    GroupOut,
    apply_edit,
    strict_schema,
    to_listing,
)
from core.analysis.tokens import image_tokens
from core.analysis.vision import VisionAnalyser

__all__ = [
    "LANGUAGE_NAMES",
    "AnalysisBadAnswer",
    "AnalysisError",
    "AnalysisUnavailable",
    "DraftOut",
    "EditOut",
    "Group",
    "GroupOut",
    "GroupingContinuedOut",
    "GroupingOut",
    "UnavailableReason",
    "VisionAnalyser",
    "VisionImage",
    "apply_edit",
    "image_tokens",
    "strict_schema",
    "to_listing",
]
