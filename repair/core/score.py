"""Confidence from evidence and learned statistics: the probability that a suggestion is the original wording.

Three steps per document (the model's numbers, `repair.core.spinmodel`, come from
`wordlists/model.json`, fitted by `repair.tools.train` on real spun pages and their
originals, validated on stories it was not fitted on):

1. A *local* logistic model turns each option's evidence (`repair.core.candidates`)
   into the probability that it is the original, were the document spun.
2. The document's spin rate and each span's posterior probability of being a swap
   come from the mixture model of `repair.core.posterior`, fed with every span's
   likelihood ratio. Only where that rate says the document looks spun is the
   thesaurus asked about the words no list has (a clean page costs nothing more),
   and the rate is worked out again with them.
3. A *final* logistic model combines the local probability, the document's spin
   rate, the span's posterior, the posterior of the spans around it and the
   language model; an isotonic map fitted on stories held out of training makes
   the result a calibrated confidence. A certain spin ("squaddies") keeps a floor
   that depends only on the language model, so a lone tortured phrase in a clean
   paper is still fixed. Where a span's neighbour is itself a confident fix, the
   language model is asked again with the neighbour fixed (spinners swap a word in
   five, so a trigram's context is often spun too), and the scores are worked out
   once more.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any

import numpy as np

from repair.core.candidates import (
    CERTAIN,
    FEATURES,
    LEARNED,
    LISTED,
    LM,
    LM_CLIP,
    LM_LEARNED,
    LM_LISTED,
    LM_THESAURUS,
    LOG_RATE,
    THESAURUS_ONLY,
    Option,
    Span,
    relative_columns,
)
from repair.core.model import Evidence, Safety
from repair.core.posterior import nearby, repeat_weights, spin_rate
from repair.core.spinmodel import Linear, SpinModel, _logit, _sigmoid
from repair.core.text import Words, words_after, words_before, words_between, words_of

NEARBY_CHARS = 250  # "around a span": about forty words either side
LM_CONTEXT_CHARS = 48  # how far to look for the two neighbouring words on each side
# What a finding's evidence shows, in this order.
EVIDENCE = ("confidence_raw", "local", "spin_rate", "posterior", "nearby", "lm", "count", "kept", "stories", "words")
_DIGIT = re.compile(r"\d")


# ---------------------------------------------------------------- the language model


@cache
def _language_model():  # type: ignore[no-untyped-def]
    from repair.core.lm import load

    return load()


def lm_gain(
    low: str,
    start: int,
    end: int,
    spun: str,
    original: str,
    memo: dict[tuple[object, ...], float] | None = None,
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> float:
    """Nats by which the LM prefers `original` over `spun` between the same two-word neighbours.

    `words` are the neighbouring words when the caller has them (the matcher does).
    """
    return lm_gains(low, start, end, spun, (original,), memo, words)[0]


def lm_gains(
    low: str,
    start: int,
    end: int,
    spun: str,
    originals: Sequence[str],
    memo: dict[tuple[object, ...], float] | None = None,
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> list[float]:
    """`lm_gain` of each of `originals` in the same place, the neighbours read once."""
    if words is not None and (words[0] or words[1]):
        left, right = tuple(words[0][-2:]), tuple(words[1][:2])
    else:
        left = tuple(words_between(low, max(0, start - LM_CONTEXT_CHARS), start)[-2:])
        right = tuple(words_between(low, end, end + LM_CONTEXT_CHARS)[:2])
    if memo is None:
        return [_lm_gain(left, right, spun, original) for original in originals]
    out = []
    for original in originals:
        key = (left, right, spun, original)
        gain = memo.get(key)
        if gain is None:
            gain = memo[key] = _lm_gain(left, right, spun, original)
        out.append(gain)
    return out


@lru_cache(maxsize=1 << 17)
def _lm_gain(left: tuple[str, ...], right: tuple[str, ...], spun: str, original: str) -> float:
    model = _language_model()
    a, b, digits = _lm_words(spun, original)
    if digits or any(map(_DIGIT.search, left)) or any(map(_DIGIT.search, right)):
        return float(model.compare(left, original, spun, right))  # numbers are spelled out there
    return float(model.window(left, a, right) - model.window(left, b, right))


@lru_cache(maxsize=1 << 16)
def _lm_words(spun: str, original: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The LM's words of the original and of the (normalised) spun text, and whether any holds a digit."""
    a, b = tuple(words_between(original)), tuple(spun.split())
    return a, b, any(map(_DIGIT.search, (*a, *b)))


# ---------------------------------------------------------------- scoring a document


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    """A span with its options ordered by confidence, and why."""

    span: Span
    order: tuple[int, ...]  # option indices, most confident first
    confidences: tuple[float, ...]  # per option, in `order`
    safety: Safety
    evidence: Evidence
    lm: float | None  # nats for the first option, None when not consulted

    @property
    def confidence(self) -> float:
        return self.confidences[0] if self.confidences else 0.5


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """What scoring found about the document as a whole."""

    spin_rate: float  # the mixture model's estimate of the share of words swapped
    looked_closer: bool  # the document looked spun, so the thesaurus was consulted
    spans: tuple[ScoredSpan, ...]


def _static_rows(spans: Sequence[Span]) -> np.ndarray:
    """Every option's features as they stand before the language model is asked (one row per option)."""
    # Options share their features (a thesaurus word's candidate at a rank, a list entry's proposal): each
    # distinct tuple becomes an array row once, and the rows are picked from those (all in C: map and zip).
    features = list(map(_FEATURES_OF, _options_of(spans)))
    ids = list(map(id, features))
    distinct = dict(zip(ids, features, strict=True))  # one per id, in first-seen order
    row_of = dict(zip(distinct, range(len(distinct)), strict=False))
    table = np.array(list(distinct.values()), dtype=float).reshape(-1, len(FEATURES))
    return table[np.fromiter(map(row_of.__getitem__, ids), dtype=np.intp, count=len(ids))]


_FEATURES_OF, _SEEN_OF, _OPTIONS_OF = attrgetter("features"), attrgetter("seen"), attrgetter("options")


def _options_of(spans: Sequence[Span]) -> Iterator[Option]:
    """Every option of every span, in order."""
    return itertools.chain.from_iterable(map(_OPTIONS_OF, spans))


def _rows(spans: Sequence[Span], lms: Sequence[Sequence[float | None]], static: np.ndarray | None = None) -> np.ndarray:
    """Every option's FEATURES row (`candidates.with_lm` a column at a time, then `relative_columns`).

    `static`: `_static_rows(spans)`, when the caller has it (the rows differ between passes only in the LM's terms).
    """
    rows = _static_rows(spans) if static is None else static.copy()
    gains = list(itertools.chain.from_iterable(lms))
    if None in gains:
        gains = [0.0 if lm is None else lm for lm in gains]
    if len(gains) != len(rows):
        raise ValueError(f"{len(gains)} language-model values for {len(rows)} options")
    value = np.clip(np.array(gains, dtype=float), -LM_CLIP, LM_CLIP)
    rows[:, LM] = value
    rows[:, LM_LISTED] = value * rows[:, LISTED]
    rows[:, LM_LEARNED] = value * rows[:, LEARNED]
    rows[:, LM_THESAURUS] = value * rows[:, THESAURUS_ONLY]
    relative_columns(rows, np.fromiter(map(len, map(_OPTIONS_OF, spans)), dtype=np.intp, count=len(spans)))
    return rows


def _columns(model: Linear) -> list[int]:
    index = {name: i for i, name in enumerate(FEATURES)}
    return [index[name] for name in model.features]


def _span_max(values: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    best = np.full(n, -np.inf)
    np.maximum.at(best, owners, values)
    return best


def local_probabilities(model: SpinModel, rows: np.ndarray) -> np.ndarray:
    return _sigmoid(model.local.logits(rows[:, _columns(model.local)]))


def document_posterior(
    model: SpinModel, p: np.ndarray, owners: np.ndarray, spans: Sequence[Span], words: int, floor: float = 0.0
) -> tuple[float, np.ndarray]:
    """The spin rate and each span's posterior, from the options' local probabilities."""
    if not spans:
        return spin_rate(np.zeros(0), words, model.prior, floor)
    best = np.clip(_span_max(p, owners, len(spans)), 1e-4, 1 - 1e-4)
    base = model.base_rate
    likelihood = (best / (1 - best)) / (base / (1 - base))
    damping = model.prior.repeat_damping
    weights = repeat_weights([s.spun for s in spans], damping) if damping else None
    return spin_rate(likelihood, words, model.prior, floor, weights)


def final_rows(
    p: np.ndarray, rate: float, posterior: np.ndarray, around: np.ndarray, owners: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """FINAL_FEATURES per option."""
    index = {name: i for i, name in enumerate(FEATURES)}
    return np.column_stack(
        [
            _logit(p),
            np.full(len(p), _logit(rate)),
            _logit(posterior[owners]),
            np.log1p(around[owners]),
            rows[:, index["lm"]],
            rows[:, CERTAIN],
            rows[:, LOG_RATE],
        ]
    )


def score_spans(
    model: SpinModel,
    spans: Sequence[Span],
    words: int,
    low: str,
    *,
    more_spans: Any = None,
    memo: dict[tuple[object, ...], float] | None = None,
    rate_floor: float = 0.0,
    auto_only: bool = False,
    thesaurus_floor: float = 0.0,
    least: float = 0.0,
) -> DocumentScore:
    """Score every option of every span of one document.

    `more_spans(taken)` returns extra spans (the thesaurus pass) and is called only
    where the document's spin rate reaches `model.thesaurus_rate`. `rate_floor` is a
    spin rate the document is known to have at least (the text before its first fixes).
    Every span is scored (the document's spin rate depends on all), but only some are
    returned: with `auto_only`, those whose safety is `auto`; thesaurus spans only
    from `thesaurus_floor` confidence up; with `least`, a span only if its best option
    reaches `least` or `auto` (a span that can be an `auto` fix is always returned).
    The rest cost no more than their rows.
    """
    spans = [s for s in spans if s.options or s.flag is not None]
    if not spans:
        return DocumentScore(0.0, False, ())
    scored = [s for s in spans if s.options]
    lms = [_lms(s, low, memo) for s in scored]
    static = _static_rows(scored)
    owners, rows, p, rate, posterior = _local_pass(model, scored, lms, words, rate_floor, static)
    closer = rate >= model.thesaurus_rate and more_spans is not None
    if closer:
        extra = [s for s in more_spans([(s.start, s.end) for s in spans]) if s.options]
        if extra:
            both, both_lms = [*scored, *extra], [*lms, *(_lms(s, low, memo) for s in extra)]
            starts = [s.start for s in both]
            order = sorted(range(len(both)), key=starts.__getitem__)  # stable: list spans first at a tie
            # The option rows follow their spans: each span's run of rows, in the new order.
            firsts = list(itertools.accumulate((len(s.options) for s in both), initial=0))
            counts = np.diff(firsts)[order]
            # Row i of the new order is row firsts[k] + (i - where span k's rows now start), span k holding it.
            moved = np.array(firsts[:-1], dtype=np.intp)[order] - (np.cumsum(counts) - counts)
            rows_order = np.repeat(moved, counts) + np.arange(firsts[-1], dtype=np.intp)
            static = np.concatenate([static, _static_rows(extra)])[rows_order]
            scored, lms = [both[k] for k in order], [both_lms[k] for k in order]
            owners, rows, p, rate, posterior = _local_pass(model, scored, lms, words, rate_floor, static)
    confidence, raw, around = _confidences(model, scored, owners, rows, p, rate, posterior)
    if CONTEXT_ROUND and len(rows):
        # The language model judged each span between its neighbours as written; where a neighbour is
        # itself a confident fix, it judges again between the neighbours as they will read once fixed.
        again = _fixed_context_lms(model, scored, lms, confidence, owners, low, memo)
        if again is not None:
            lms = again
            owners, rows, p, rate2, posterior = _local_pass(model, scored, lms, words, max(rate_floor, rate), static)
            rate = rate2
            confidence, raw, around = _confidences(model, scored, owners, rows, p, rate, posterior)
    seen = np.fromiter(map(_SEEN_OF, _options_of(scored)), dtype=bool, count=len(confidence))
    if seen.any():
        confidence = np.where(seen, np.maximum(confidence, SEEN_HERE), confidence)
    out: list[ScoredSpan] = []
    # Python floats, read once: indexing numpy arrays one element at a time costs more than the scoring.
    conf_all, raw_all, p_all = confidence.tolist(), raw.tolist(), p.tolist()
    posterior_all, around_all = posterior.tolist(), around.tolist()
    auto = model.auto
    firsts = list(itertools.accumulate((len(s.options) for s in scored), initial=0))
    # Each span's best confidence: a span whose best is below `auto` is not `auto`; a thesaurus span's
    # confidence is its best (no reviewer's own proposal among its options).
    best_all = np.maximum.reduceat(confidence, firsts[:-1]).tolist() if len(confidence) else []
    cut = min(least, auto)  # a span whose best is below both is neither shown nor an `auto` fix
    for k, s in enumerate(scored):
        best_k = best_all[k]
        if best_k < cut or (auto_only and best_k < auto) or (s.thesaurus and best_k < thesaurus_floor):
            continue
        options = s.options
        at = firsts[k]
        n = len(options)
        conf = conf_all[at : at + n]
        order = _order(conf, options)
        best = order[0]
        first = best + at
        option = options[best]
        safety = option.safety
        if safety is Safety.AUTO and (conf[best] < auto or option.features[_NEAR]):
            safety = Safety.CHOOSE
        if auto_only and safety is not Safety.AUTO:
            continue
        lm = lms[k][best]
        values = (
            raw_all[first],
            p_all[first],
            rate,
            posterior_all[k],
            around_all[k],
            lm,
            *_counts(option.features),
            float(words),
        )
        out.append(ScoredSpan(s, order, tuple(conf[i] for i in order), safety, Evidence(EVIDENCE, values), lm))
    shown_only = Evidence(EVIDENCE, (0.5, 0.5, rate, 0.0, 0.0, None, 0.0, 0.0, 0.0, float(words)))
    flagged = (
        [] if auto_only else [ScoredSpan(s, (), (), Safety.FLAG, shown_only, None) for s in spans if not s.options]
    )
    ordered = sorted([*out, *flagged], key=lambda x: x.span.start)
    return DocumentScore(rate, closer, tuple(ordered))


def _order(conf: list[float], options: Sequence[Option]) -> tuple[int, ...]:
    """Option indices, most confident first (ties in list order), the reviewer's own proposals before all."""
    if len(conf) == 1:
        return (0,)
    by_confidence = sorted(range(len(conf)), key=conf.__getitem__, reverse=True)  # a stable sort, reversed or not
    if not any(o.preferred for o in options):
        return tuple(by_confidence)
    return tuple(sorted(by_confidence, key=lambda i: not options[i].preferred))


_NEAR = FEATURES.index("near")
CONTEXT_ROUND = True
# The confidence of a learned swap whose example has the very words around it (`candidates.seen_here`):
# its precision on other copies of the same article, measured by tests/benchmarks/seen_here.py.
SEEN_HERE = 0.98  # 503 of 505 right (2026-12-03); the lower end of its 95% interval


def _confidences(
    model: SpinModel,
    scored: Sequence[Span],
    owners: np.ndarray,
    rows: np.ndarray,
    p: np.ndarray,
    rate: float,
    posterior: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibrated confidence per option (a certain spin's floor applied), the raw probability, and `nearby`."""
    starts = np.array([s.start for s in scored], dtype=float)
    around = nearby(starts, posterior, NEARBY_CHARS)
    raw = _sigmoid(model.final.logits(final_rows(p, rate, posterior, around, owners, rows)))
    confidence = model.calibrate(raw)
    a, b = model.certain
    floor = _sigmoid(a + b * rows[:, FEATURES.index("lm")]) * rows[:, CERTAIN] if len(rows) else np.zeros(0)
    return np.maximum(confidence, floor), raw, around


def _fixed_context_lms(
    model: SpinModel,
    scored: Sequence[Span],
    lms: Sequence[Sequence[float | None]],
    confidence: np.ndarray,
    owners: np.ndarray,
    low: str,
    memo: dict[tuple[object, ...], float] | None,
) -> list[list[float | None]] | None:
    """The LM's preferences again, for spans within a few words of a confident fix, in the fixed text.

    None when no span has a confident fix for a neighbour.
    """
    fixes: list[tuple[int, int, str]] = []  # (start, end, original) of each span's confident first option
    conf_all = confidence.tolist()
    auto = model.auto
    firsts = list(itertools.accumulate((len(s.options) for s in scored), initial=0))
    # Only a span whose best confidence reaches `auto` can be a confident fix.
    best_all = np.maximum.reduceat(confidence, firsts[:-1]).tolist()
    for k in [k for k, best_conf in enumerate(best_all) if best_conf >= auto]:
        s, at = scored[k], firsts[k]
        n = len(s.options)
        best = 0 if n == 1 else max(range(n), key=conf_all[at : at + n].__getitem__)  # the first of equals
        option = s.options[best]
        if conf_all[at + best] >= auto and option.safety is Safety.AUTO and not option.features[_NEAR]:
            fixes.append((s.start, s.end, option.original))
    if not fixes:
        return None
    pieces, shifts, cursor, delta = [], [], 0, 0
    for start, end, original in fixes:
        pieces += [low[cursor:start], original]
        shifts.append((start, end, delta))
        delta += len(original) - (end - start)
        cursor = end
    pieces.append(low[cursor:])
    fixed = "".join(pieces)
    fixed_starts = [f[0] for f in fixes]
    table: Words | None = None  # the fixed text's words, cut when first needed
    changed = False
    out: list[list[float | None]] = []
    for s, old in zip(scored, lms, strict=True):
        k = bisect.bisect_left(fixed_starts, s.start)
        left_fix = k > 0 and s.start - fixes[k - 1][1] <= LM_CONTEXT_CHARS
        right_fix = k < len(fixes) and fixes[k][0] - s.end <= LM_CONTEXT_CHARS and fixes[k][0] != s.start
        if k < len(fixes) and fixes[k][0] == s.start:  # the span is itself a fix: its right neighbour is next
            right_fix = k + 1 < len(fixes) and fixes[k + 1][0] - s.end <= LM_CONTEXT_CHARS
        if not (left_fix or right_fix):
            out.append(list(old))
            continue
        shift = shifts[k - 1][2] + len(fixes[k - 1][2]) - (fixes[k - 1][1] - fixes[k - 1][0]) if k > 0 else 0
        start = s.start + shift
        own = k < len(fixes) and fixes[k][0] == s.start  # the span is itself fixed: the fix stands in the fixed text
        end = start + (len(fixes[k][2]) if own else s.end - s.start)
        # The neighbouring words in the fixed text, read once for all the span's options (as `lm_gain` reads them).
        if table is None:
            table = words_of(fixed)
        words = (
            tuple(words_before(fixed, table, start, LM_CONTEXT_CHARS, 2)),
            tuple(words_after(fixed, table, end, LM_CONTEXT_CHARS, 2)),
        )
        out.append(lm_gains(fixed, start, end, s.spun, [o.original for o in s.options], memo, words))
        changed = True
    return out if changed else None


def _lms(span: Span, low: str, memo: dict[tuple[object, ...], float] | None) -> list[float | None]:
    """The language model's preference for each option over the text as written (nats)."""
    if span.lm:
        return list(span.lm)
    originals = [o.original for o in span.options]
    return [*lm_gains(low, span.start, span.end, span.spun, originals, memo, (span.left, span.right))]


def _local_pass(
    model: SpinModel,
    spans: Sequence[Span],
    lms: Sequence[Sequence[float | None]],
    words: int,
    floor: float = 0.0,
    static: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Rows, local probabilities, the spin rate and each span's posterior; `static` as `_rows` takes it."""
    owners = np.repeat(np.arange(len(spans)), [len(s.options) for s in spans])
    rows = _rows(spans, lms, static) if spans else np.zeros((0, len(FEATURES)))
    p = local_probabilities(model, rows)
    rate, posterior = document_posterior(model, p, owners, spans, words, floor)
    return owners, rows, p, rate, posterior


_LOG_COUNT, _LOG_KEPT, _STORIES = (FEATURES.index(n) for n in ("log_count", "log_kept", "stories"))


def _counts(features: tuple[float, ...]) -> tuple[float, float, float]:
    count = math.expm1(features[_LOG_COUNT])
    kept = math.expm1(features[_LOG_KEPT])
    return round(count), round(kept), features[_STORIES]
