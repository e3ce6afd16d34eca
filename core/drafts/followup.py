"""When a field changes, every place that states it follows: the title and the description.

"Taille M" in the title after the size became 38, "Très bon état, pas de tache" after a stain
was added: a listing that contradicts itself is a dispute waiting to happen. The title follows
by rule (its size, condition, colour and brand words are swapped). The description lines that
state the old value are rewritten by the model, with the change as its only instruction and
only those lines in sight; every other line stays word for word. A rewrite the checks refuse
(a different number of lines, marketing words, a line grown past reason) is not used, and the
lines that still state the old value are reported instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from core.analysis import AnalysisBadAnswer, AnalysisUnavailable, VisionAnalyser
from core.drafts.models import Listing
from core.models import Usage
from core.quality import TITLE_MAX_CHARS
from core.quality.phrases import MarketingPhrases
from core.quality.text import fold
from core.quality.titles import CONDITION_WORDS

log = logging.getLogger(__name__)

# The fields whose value a title or a description line states in words.
FOLLOWED = ("size", "condition", "colours", "material", "brand", "defects")
_LINE_MAX = 300
# "pas de tache", "aucun défaut", "no stain", "without holes", "ohne Flecken".
_NONE_STATED = re.compile(
    r"\b(pas de|pas d|aucun|aucune|sans|ni|no|without|free of|kein|keine|ohne)\b"
    r"|\b(parfait etat|impeccable|flawless|spotless|einwandfrei|comme neuf|like new)\b"
)
_LABELS = tuple(CONDITION_WORDS.values())
_CONDITION_WORDS = re.compile(r"\b(etat|condition|zustand|neuf|new|neu|porte|worn|getragen)\b")


@dataclass
class FollowUp:
    """What the change did to the title and the description, and what could not follow."""

    listing: Listing
    still_stated: list[str] = field(default_factory=list)  # lines left stating the old value
    usage: Usage = field(default_factory=Usage)


def _words(value: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", fold(value)) if w}


def _has_phrase(line: str, phrase: str) -> bool:
    folded = fold(phrase).strip()
    return bool(folded) and re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", fold(line)) is not None


def stating_lines(before: Listing, after: Listing, fields: list[str]) -> list[int]:
    """Return the numbers of the description lines that state a changed field's old value."""
    lines = before.description.split("\n")
    return [
        n for n, line in enumerate(lines) if any(_states(line, before, after, f) for f in fields)
    ]


def _states(line: str, before: Listing, after: Listing, name: str) -> bool:
    """Whether this line states the old value of the field."""
    folded = fold(line)
    if name == "size":
        return bool(before.size) and _has_phrase(line, before.size)
    if name == "condition":
        return bool(_CONDITION_WORDS.search(folded)) or any(
            _has_phrase(line, w) for labels in _LABELS for w in labels.values()
        )
    if name == "colours":
        return any(_has_phrase(line, c) for c in before.colours if c not in after.colours)
    if name in ("material", "brand"):
        old = getattr(before, name) or ""
        return bool(old) and _has_phrase(line, old)
    if name == "defects":
        added = [d for d in after.defects if d not in before.defects]
        removed = [d for d in before.defects if d not in after.defects]
        return bool(added and _NONE_STATED.search(folded)) or any(
            _words(d) & _words(line) for d in removed
        )
    return False


def change_instruction(before: Listing, after: Listing, fields: list[str]) -> str:
    """Say the change in plain words for the model: its only instruction."""
    said: list[str] = []
    for name in fields:
        if name == "defects":
            added = [d for d in after.defects if d not in before.defects]
            removed = [d for d in before.defects if d not in after.defects]
            if added:
                said.append(f"the item has these defects now: {'; '.join(added)}")
            if removed:
                said.append(f"these defects are gone: {'; '.join(removed)}")
            continue
        old, new = getattr(before, name), getattr(after, name)
        if name == "condition":
            labels = CONDITION_WORDS["en"]
            old, new = labels.get(str(old), ""), labels.get(str(new), "")
        if isinstance(old, list):
            old, new = ", ".join(old), ", ".join(new)
        said.append(f"the {name} changed from {old or 'none'!r} to {new or 'none'!r}")
    return "; ".join(said)


def retitle(before: Listing, after: Listing, fields: list[str], language: str) -> str:
    """Swap the words of the title that state a changed field's old value for the new value."""
    title = after.title
    if title != before.title:
        return title  # the seller (or the request) wrote this title: it stands as written
    swaps: list[tuple[str, str]] = []
    if "size" in fields and before.size and after.size:
        swaps.append((before.size, after.size))
    if "condition" in fields and before.condition and after.condition:
        label = CONDITION_WORDS.get(language, CONDITION_WORDS["en"])[after.condition.value]
        swaps.extend(
            (labels[before.condition.value], label) for labels in CONDITION_WORDS.values()
        )
    for name in ("brand", "material"):
        old, new = getattr(before, name), getattr(after, name)
        if name in fields and old and new:
            swaps.append((old, new))
    if "colours" in fields:
        gone = [c for c in before.colours if c not in after.colours]
        added = [c for c in after.colours if c not in before.colours]
        swaps.extend(zip(gone, added, strict=False))
    for old, new in swaps:
        if _has_phrase(title, new):
            continue  # already said (and "Bon état" inside "Très bon état" is no match)
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE)
        candidate = pattern.sub(new.replace("\\", "\\\\"), title, count=1)
        if len(candidate) <= TITLE_MAX_CHARS:
            title = candidate
    return title


class FollowThrough:
    """Bring the title and the description in line with a changed field."""

    def __init__(self, analyser: VisionAnalyser, phrases: MarketingPhrases) -> None:
        self.analyser = analyser
        self.phrases = phrases

    async def follow(
        self, before: Listing, after: Listing, fields: list[str], language: str
    ) -> FollowUp:
        """Return `after` with its title and description agreeing with the changed fields.

        A description the seller (or the request) rewrote in the same edit stands as written.
        """
        fields = [f for f in FOLLOWED if f in fields and getattr(before, f) != getattr(after, f)]
        if not fields:
            return FollowUp(after)
        listing = after.model_copy(update={"title": retitle(before, after, fields, language)})
        if after.description != before.description:
            return FollowUp(listing)
        numbers = stating_lines(before, after, fields)
        if not numbers:
            return FollowUp(listing)
        lines = before.description.split("\n")
        old = [lines[n] for n in numbers]
        instruction = change_instruction(before, after, fields)
        try:
            new, usage = await self.analyser.rewrite_lines(old, instruction, language=language)
        except (AnalysisUnavailable, AnalysisBadAnswer) as exc:
            log.warning("lines not rewritten after a change: %s", exc)
            return FollowUp(listing, still_stated=old, usage=exc.usage)
        if not self._acceptable(old, new):
            return FollowUp(listing, still_stated=old, usage=usage)
        for number, line in zip(numbers, new, strict=True):
            lines[number] = line.strip()
        description = "\n".join(line for line in lines if line.strip())
        return FollowUp(listing.model_copy(update={"description": description}), usage=usage)

    def _acceptable(self, old: list[str], new: list[str]) -> bool:
        """The model rewrote the lines it was given, one for one, with facts only."""
        if len(new) != len(old):
            return False
        for line in new:
            if not line.strip() or "\n" in line or len(line) > _LINE_MAX:
                return False
            if self.phrases.find(line):
                return False
        return True
