"""Confidence from evidence.

A spinner swaps words everywhere, so one unambiguous spin ("squaddies",
"in opposition to") makes every other odd word around it more suspect, and a
clean article has next to none. The scorer turns that into numbers:

* certain spins: matches of unconditional or condition-satisfied entries that
  are not marked `evidence`; they score high on their own;
* ambiguous spins (`evidence` entries: ordinary English such as "fingers",
  "aspect", "enhance") are fixed only when certain spins are dense around them
  and in the document, and the original is a better fit by word frequency.

Scorers are swappable: anything with `score(candidates, context)` will do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from repair.model import Safety

LOCAL_WINDOW = 300  # characters either side (about 50 words) that count as "around" a match
AUTO_FLOOR = 0.6  # an auto entry below this confidence is only offered as a choice
CERTAIN_BASE = 0.93
NEAR_PENALTY = 0.35  # near matches are never certain
AMBIGUOUS_BASE = 0.15


@dataclass(frozen=True, slots=True)
class Candidate:
    """A match that passed its conditions, before scoring."""

    start: int  # character offsets
    end: int
    spun_norm: str
    originals: tuple[str, ...]
    safety: Safety  # the entry's safety class
    ambiguous: bool
    conditional: bool  # the entry had conditions and they held
    similarity: float  # 100 for exact matches
    reason: str  # the entry's own reason, if any


@dataclass(frozen=True, slots=True)
class Scored:
    confidence: float
    safety: Safety
    reason: str
    evidence: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class DocumentContext:
    words: int  # word tokens in the document
    certain_positions: tuple[int, ...]  # start offset of every certain spin, sorted


class Scorer(Protocol):
    def score(self, candidates: Sequence[Candidate], context: DocumentContext) -> list[Scored]: ...


def is_certain(candidate: Candidate) -> bool:
    return candidate.safety is Safety.AUTO and not candidate.ambiguous and candidate.similarity >= 100.0


@lru_cache(maxsize=65536)
def zipf(phrase: str) -> float:
    """Word frequency on the Zipf scale (0 = unseen, 7 = "the")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en")


def _count_between(positions: Sequence[int], low: int, high: int) -> int:
    from bisect import bisect_left, bisect_right

    return bisect_right(positions, high) - bisect_left(positions, low)


class EvidenceScorer:
    """The default scorer: entry class, spin density and word-frequency fit."""

    def score(self, candidates: Sequence[Candidate], context: DocumentContext) -> list[Scored]:
        positions = context.certain_positions
        total = len(positions)
        per_k = 1000.0 * total / max(context.words, 1)
        return [self._one(c, positions, total, per_k, context.words) for c in candidates]

    def _one(self, c: Candidate, positions: Sequence[int], total: int, per_k: float, words: int) -> Scored:
        certain = is_certain(c)
        own = 1 if certain else 0
        local = _count_between(positions, c.start - LOCAL_WINDOW, c.end + LOCAL_WINDOW) - own
        others = total - own
        original = c.originals[0] if c.originals else ""
        fit = zipf(original.lower()) - zipf(c.spun_norm) if original else 0.0
        evidence = (
            ("local_certain", float(local)),
            ("document_certain", float(others)),
            ("per_1000_words", round(1000.0 * others / max(words, 1), 1)),
            ("frequency_gain", round(fit, 2)),
        )
        swap = f"spinner swap '{c.spun_norm}' → '{original}'" if original else f"'{c.spun_norm}'"
        density = f"{local} other certain spin{'s' if local != 1 else ''} within ~50 words"
        if c.safety is Safety.FLAG:
            return Scored(0.5, Safety.FLAG, f"{swap}: {c.reason or 'flagged for review'}", evidence)

        if certain or (c.conditional and not c.ambiguous):
            confidence = CERTAIN_BASE + 0.06 * (1 - math.exp(-local / 2))
            if c.conditional:
                confidence -= 0.03
            reason = f"{swap}; {density}"
        else:
            # Evidence from the surroundings: saturating in the number of
            # certain spins nearby and their rate in the whole document.
            strength = 1 - math.exp(-(local / 2.0 + min(others, 3 * per_k) / 12.0))
            base = AMBIGUOUS_BASE if c.ambiguous else CERTAIN_BASE - NEAR_PENALTY
            fit_term = 1 / (1 + math.exp(-fit))  # 0.5 when equally common
            confidence = base + (0.95 - base) * strength * (0.4 + 0.6 * fit_term)
            if c.similarity < 100.0:
                confidence *= c.similarity / 100.0
            kind = "ordinary English, fixed on evidence" if c.ambiguous else "near match"
            if c.similarity < 100.0:
                kind = f"near match ({c.similarity:.0f}% similar)"
            gain = f"'{original}' is {fit:+.1f} Zipf more common"
            reason = f"{swap} ({kind}); {density}, {others} in the document; {gain}"
        confidence = max(0.0, min(1.0, confidence))
        safety = c.safety
        if safety is Safety.AUTO and (confidence < AUTO_FLOOR or c.similarity < 100.0):
            safety = Safety.CHOOSE
        return Scored(confidence, safety, reason, evidence)
