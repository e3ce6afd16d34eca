"""Quality gates of a listing draft, with the deterministic repairs tried before rejecting."""

from core.quality.gates import (
    DEFAULT_CONDITION,
    DESCRIPTION_MAX_CHARS,
    DESCRIPTION_MIN_LINES,
    MISSING_KEYS,
    MODEL_FIXES,
    QualityReport,
    default_size_label,
    description_room,
    enforce,
)
from core.quality.hashtags import HASHTAGS_MAX, HASHTAGS_MIN
from core.quality.phrases import MarketingPhrases, find_marketing_phrases, load_marketing_phrases
from core.quality.text import strip_emoji
from core.quality.titles import TITLE_MAX_CHARS

__all__ = [
    "DEFAULT_CONDITION",
    "DESCRIPTION_MAX_CHARS",
    "DESCRIPTION_MIN_LINES",
    "HASHTAGS_MAX",
    "HASHTAGS_MIN",
    "MISSING_KEYS",
    "MODEL_FIXES",
    "TITLE_MAX_CHARS",
    "MarketingPhrases",
    "QualityReport",
    "default_size_label",
    "description_room",
    "enforce",
    "find_marketing_phrases",
    "load_marketing_phrases",
    "strip_emoji",
]
