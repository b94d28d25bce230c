"""Confidence from evidence.

A spinner swaps words everywhere, so one unambiguous spin ("squaddies",
"in opposition to") makes every other odd word around it more suspect, and a
clean article has next to none. The evidence for each match:

* the entry's class: certain (not marked `evidence`), ambiguous (`evidence`:
  ordinary English such as "fingers", "aspect", "enhance"), conditional, or a
  near match (a small variant of an entry); and whether one of an `evidence`
  entry's vetoes fired (its not-before/not-after/... context is where the word
  is usually meant: the match then needs much stronger evidence to be kept);
* spin density: certain spins within ~50 words, and their rate per 1,000 words
  in the whole document;
* fit: how much a trigram language model of English prefers the original over
  the spun words between the same neighbours (in nats), and how much more
  common the original is (wordfreq, Zipf scale).

`LogisticScorer` turns these into a probability that the first suggestion is
the original wording. Its weights follow the measurements described at WEIGHTS;
`tests/benchmarks/calibration.py` checks them on the tuning pairs, and on the
held-out report pairs 93% of fixes made at >= 0.9 were right (README).

Scorers are swappable: anything with `score(matches, context)` will do.
"""

from __future__ import annotations

import math
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Protocol

from repair.core.match import Match
from repair.core.model import Evidence, Safety
from repair.core.text import words_between

_DIGIT = re.compile(r"\d")

LOCAL_WINDOW = 300  # characters either side (about 50 words) that count as "around" a match
DENSE = 10.0  # certain spins per 1,000 words above which the LM cannot change a certain spin's class
PRIOR_WORDS = 250  # clean words assumed in every document, so one spin in a short text is not "dense"
LM_CONTEXT_CHARS = 48  # how far to look for the two neighbouring words on each side
AUTO_FLOOR = 0.7  # an auto entry below this confidence is only offered as a choice
LM_CLIP = 10.0  # nats: the LM term counts at most this much either way

# Log-odds weights. The tuning pairs cannot fit them alone (the curated list was
# written from those pairs, so nearly all its findings there are right), so the
# form follows the measurements in docs/THESAURUS-RESEARCH.md: the LM prefers
# the original in 83% of real swaps (mean 3.8 nats), and certain-spin density is
# near 0 on clean text but tens per 1,000 words on spun text. tests/benchmarks/calibration.py
# checks the calibration on the tuning pairs; the report pairs check it held out.
# "vetoed" (an `evidence` entry whose not-... context fired) was set on the tuning
# pairs: -1.0 to -2.0 keep the same fixes there and -3.0 loses a third of them;
# the stricter end was taken.
FEATURES = ("bias", "certain", "ambiguous", "conditional", "near", "choose", "lm", "local", "density", "gain", "vetoed")
WEIGHTS: dict[str, float] = {
    "bias": -1.2,
    "certain": 4.6,
    "ambiguous": -1.8,
    "conditional": 0.8,
    "near": -2.0,
    "choose": -0.5,
    "lm": 0.3,
    "local": 0.8,
    "density": 0.7,
    "gain": 0.3,
    "vetoed": -2.0,
}


class Scored(NamedTuple):  # one per match: a NamedTuple is the cheapest value to build
    confidence: float
    safety: Safety
    reason: str
    evidence: Evidence  # named by EVIDENCE


@dataclass(frozen=True, slots=True)
class DocumentContext:
    words: int  # word tokens in the document
    certain_positions: tuple[int, ...]  # start offset of every certain spin, sorted
    low: str = ""  # the lowered text (repair.core.text.lowered), for the neighbouring words
    lm_memo: dict[tuple[str, ...], float] = field(default_factory=dict, compare=False)  # per document
    # Worked out once per document: indexed by whether the match is itself one of the
    # certain spins (it does not count towards its own density; index 1 is only read when
    # there is a certain spin, so its value below 0 in a document without one never shows).
    per_1000: tuple[float, float] = field(init=False, compare=False)  # other certain spins per 1,000 words
    density_reason: tuple[str, str] = field(init=False, compare=False)  # how the reason words per_1000

    def __post_init__(self) -> None:
        per_1000 = tuple(1000.0 * (len(self.certain_positions) - own) / (self.words + PRIOR_WORDS) for own in (0, 1))
        object.__setattr__(self, "per_1000", per_1000)
        object.__setattr__(self, "density_reason", tuple(f"{p:.0f} per 1,000 words in the document" for p in per_1000))


class Scorer(Protocol):
    def score(self, matches: Sequence[Match], context: DocumentContext) -> list[Scored]: ...


def is_certain(match: Match) -> bool:
    """A certain spin: an exact match of an entry that is safe to apply and not ordinary English."""
    return match.variant.certain and match.similarity >= 100.0


@lru_cache(maxsize=65536)
def zipf(phrase: str) -> float:
    """Word frequency on the Zipf scale (0 = unseen, 7 = "the")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en")


@lru_cache(maxsize=65536)
def _gain(original: str, spun: str) -> float:
    """How much more common the original is than the spun phrase (Zipf units, clamped to ±4)."""
    return max(-4.0, min(4.0, zipf(original.lower()) - zipf(spun)))


@lru_cache(maxsize=1)
def _language_model():  # type: ignore[no-untyped-def]
    from repair.core.lm import load

    return load()


def lm_gain(
    low: str,
    start: int,
    end: int,
    spun: str,
    original: str,
    memo: dict[tuple[str, ...], float] | None = None,
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> float:
    """Nats by which the LM prefers `original` over `spun` between the same two-word neighbours.

    `words` are the neighbouring words when the caller has them (the matcher does).
    """
    if words is not None:
        left, right = words[0][-2:], words[1][:2]
    else:
        left = words_between(low, max(0, start - LM_CONTEXT_CHARS), start)[-2:]
        right = words_between(low, end, end + LM_CONTEXT_CHARS)[:2]
    if memo is None:
        return _lm_gain(left, right, spun, original)
    key = (*left, "|", spun, "|", original, "|", *right)
    gain = memo.get(key)
    if gain is None:
        gain = memo[key] = _lm_gain(left, right, spun, original)
    return gain


def _lm_gain(left: Sequence[str], right: Sequence[str], spun: str, original: str) -> float:
    model = _language_model()
    a, b, digits = _lm_words(spun, original)
    if digits or any(map(_DIGIT.search, left)) or any(map(_DIGIT.search, right)):
        return float(model.compare(left, original.lower(), spun, right))  # numbers are spelled out there
    # The words are already the LM's tokens (lower case, straight apostrophes, split
    # at hyphens), so skip its tokenizer: this runs once per finding.
    return model.window(left, a, right) - model.window(left, b, right)


@lru_cache(maxsize=65536)
def _lm_words(spun: str, original: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The LM's words of the original and of the (normalised) spun text, and whether any holds a digit."""
    a, b = tuple(words_between(original.lower())), tuple(spun.split())
    return a, b, any(map(_DIGIT.search, (*a, *b)))


# The evidence, in this order: the model's inputs (FEATURES), then what the reason shows.
EVIDENCE = (*FEATURES, "local_count", "per_1000", "lm_nats")


def _lm_support(local: float, per_1000: float) -> float:
    """The share of the LM's support for the original that counts, from the spin density around it."""
    return 1.0 - math.exp(-(local / 4.0 + per_1000 / 25.0))


def evidence(m: Match, context: DocumentContext, *, consult_lm: bool = True) -> tuple[float | None, ...]:
    """The evidence for one match, in EVIDENCE order; lm_nats is None when the LM was not consulted."""
    variant = m.variant
    positions = context.certain_positions
    own = 1 if is_certain(m) else 0
    local = max(0, bisect_right(positions, m.end + LOCAL_WINDOW) - bisect_left(positions, m.start - LOCAL_WINDOW) - own)
    per_1000 = context.per_1000[own]
    original = variant.originals[0] if variant.originals else ""
    gain = _gain(original, variant.spun_norm) if original else 0.0
    # A certain spin in a densely spun document is auto whatever the LM says; the LM's
    # veto matters for certain spins only where spins are rare (clean-looking text).
    lm_term, lm = 0.0, None
    if consult_lm and original and context.low and not (own and per_1000 >= DENSE):
        neighbours = (m.left, m.right) if m.left or m.right else None
        lm = lm_gain(context.low, m.start, m.end, variant.spun_norm, original, context.lm_memo, neighbours)
        # Odd-sounding text is not evidence of spinning on its own: the LM's support for
        # the original counts in proportion to the spin density around it, while its
        # preference for the text as written always counts (a veto on clean text).
        lm_term = lm if lm < 0 else lm * _lm_support(local, per_1000)
    return (
        1.0,
        float(own),
        float(variant.ambiguous),
        float(variant.conditional),
        float(m.similarity < 100.0),
        float(variant.safety is Safety.CHOOSE),
        max(-LM_CLIP, min(LM_CLIP, lm_term)),
        math.log1p(local),
        math.log1p(per_1000),
        gain,
        float(m.vetoed),
        float(local),
        per_1000,
        lm,
    )


def features(m: Match, context: DocumentContext) -> dict[str, float | None]:
    """The evidence by name (for calibration and inspection)."""
    return dict(Evidence(EVIDENCE, evidence(m, context)))


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def probability(x: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float:
    return _logistic(sum(weights[name] * x[name] for name in FEATURES))


def _reason(m: Match, v: tuple[float | None, ...], density: str) -> str:
    """What a human reads: the swap, the spins around it, `density` (DocumentContext.density_reason), the LM."""
    variant = m.variant
    original = variant.originals[0] if variant.originals else ""
    local, lm = int(v[_LOCAL_COUNT]), v[_LM_NATS]  # type: ignore[arg-type]  # local_count is always measured
    reason = (
        f"{_swap(variant.spun_norm, original, m.similarity, variant.ambiguous, m.vetoed)}; "
        f"{local} other certain spin{'s' if local != 1 else ''} within ~50 words; {density}"
    )
    if lm is not None:
        reason += (
            f"; LM prefers '{original}' by {lm:.1f} nats" if lm >= 0 else f"; LM prefers it as written by {-lm:.1f}"
        )
    return f"{reason}; {variant.reason}" if variant.reason else reason


@lru_cache(maxsize=65536)
def _swap(spun: str, original: str, similarity: float, ambiguous: bool, vetoed: bool) -> str:
    """The start of a reason, the same for every match of one entry's form."""
    swap = f"spinner swap '{spun}' → '{original}'" if original else f"'{spun}'"
    if similarity < 100.0:
        return f"{swap} (near match, {similarity:.0f}% similar)"
    if vetoed:
        return f"{swap} (ordinary English, in a context where it is usually meant: needs strong evidence)"
    return f"{swap} (ordinary English: needs evidence)" if ambiguous else swap


_CERTAIN, _LOCAL_COUNT, _PER_1000, _LM_NATS = (
    EVIDENCE.index(name) for name in ("certain", "local_count", "per_1000", "lm_nats")
)


class LogisticScorer:
    """The default scorer: a calibrated logistic model over the evidence."""

    def __init__(self, weights: dict[str, float] | None = None, auto_floor: float = AUTO_FLOOR) -> None:
        self.weights = dict(WEIGHTS if weights is None else weights)
        self._vector = tuple(self.weights[name] for name in FEATURES)
        self.auto_floor = auto_floor
        if 0.0 < auto_floor < 1.0:
            self._auto_logit = math.log(auto_floor / (1.0 - auto_floor))
        else:
            self._auto_logit = -math.inf if auto_floor <= 0.0 else math.inf

    def score(self, matches: Sequence[Match], context: DocumentContext) -> list[Scored]:
        return [self._one(m, context) for m in matches]

    def _one(self, m: Match, context: DocumentContext) -> Scored:
        if m.vetoed:
            # A vetoed match is kept only if it reaches auto; where even the most the LM
            # could add would not get it there, the LM is not consulted.
            v = evidence(m, context, consult_lm=False)
            if self._ceiling(v) < self._auto_logit:
                return self._scored(m, v, context)
        return self._scored(m, evidence(m, context), context)

    def _ceiling(self, v: tuple[float | None, ...]) -> float:
        """The highest log-odds the LM could lift evidence `v` (gathered without it) to."""
        lm = self.weights["lm"]
        local, per_1000 = v[_LOCAL_COUNT], v[_PER_1000]
        assert local is not None and per_1000 is not None  # always measured
        most = max(lm, 0.0) * LM_CLIP * _lm_support(local, per_1000) + max(-lm, 0.0) * LM_CLIP
        return sum(map(operator.mul, self._vector, v)) + most  # type: ignore[arg-type]  # the inputs are numbers

    def _scored(self, m: Match, v: tuple[float | None, ...], context: DocumentContext) -> Scored:
        variant = m.variant
        named = Evidence(EVIDENCE, v)
        density = context.density_reason[int(v[_CERTAIN])]  # type: ignore[arg-type]
        if variant.safety is Safety.FLAG:
            return Scored(0.5, Safety.FLAG, _reason(m, v, density), named)
        # map stops at the model's inputs, which come first and are always numbers
        confidence = _logistic(sum(map(operator.mul, self._vector, v)))  # type: ignore[arg-type]
        safety = variant.safety
        if safety is Safety.AUTO and (confidence < self.auto_floor or m.similarity < 100.0):
            safety = Safety.CHOOSE
        return Scored(confidence, safety, _reason(m, v, density), named)
