"""Confidence from evidence and learned statistics: the probability that a suggestion is the original wording.

Three steps per document (the model's numbers come from `wordlists/model.json`,
fitted by `repair.tools.train` on real spun pages and their originals, validated
on stories it was not fitted on):

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
   paper is still fixed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from repair.core.candidates import CERTAIN, FEATURES, LOG_RATE, Span, with_lm, zipf
from repair.core.model import Evidence, Safety
from repair.core.posterior import MixturePrior, nearby, spin_rate
from repair.core.text import words_between

__all__ = ["FINAL_FEATURES", "Linear", "ScoredSpan", "SpinModel", "lm_gain", "load_model", "score_spans", "zipf"]

MODEL_FILE = "model.json"
NEARBY_CHARS = 250  # "around a span": about forty words either side
LM_CONTEXT_CHARS = 48  # how far to look for the two neighbouring words on each side
FINAL_FEATURES = ("local", "spin_rate", "posterior", "nearby", "lm", "certain", "log_rate")
# What a finding's evidence shows, in this order.
EVIDENCE = ("confidence_raw", "local", "spin_rate", "posterior", "nearby", "lm", "count", "kept", "stories", "words")
_DIGIT = re.compile(r"\d")


def _logit(p: np.ndarray | float) -> Any:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True)
class Linear:
    """A logistic model over named, standardised inputs."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_arrays", (np.array(self.mean), np.array(self.scale), np.array(self.coef)))

    def logits(self, x: np.ndarray) -> np.ndarray:
        mean, scale, coef = self._arrays
        return ((x - mean) / scale) @ coef + self.intercept

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Linear:
        return cls(
            tuple(data["features"]),
            tuple(map(float, data["mean"])),
            tuple(map(float, data["scale"])),
            tuple(map(float, data["coef"])),
            float(data["intercept"]),
        )


@dataclass(frozen=True)
class SpinModel:
    """Everything the scorer learned, as one immutable value (read from and written to a model file)."""

    local: Linear  # FEATURES -> is this option the original?
    base_rate: float  # share of right options among the local model's training rows
    prior: MixturePrior
    final: Linear  # FINAL_FEATURES -> is this option the original?
    certain: tuple[float, float]  # a certain spin's floor: sigmoid(intercept + slope * lm)
    calibration: tuple[tuple[float, ...], tuple[float, ...]]  # isotonic map: raw probability -> confidence
    auto: float  # a confidence at least this is safe to apply without a reviewer
    report: float  # `check` reports findings at least this confident by default
    thesaurus_rate: float  # the thesaurus is consulted where the document's spin rate is at least this
    notes: dict[str, Any] = field(default_factory=dict, compare=False)  # how and on what it was trained

    def __post_init__(self) -> None:
        names = [*FEATURES]
        unknown = set(self.local.features) - set(names)
        if unknown:
            raise ValueError(f"model names unknown features: {', '.join(sorted(unknown))}")
        if set(self.final.features) - set(FINAL_FEATURES):
            raise ValueError("final model names unknown features")

    def calibrate(self, p: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(p, xs, ys) if xs else p

    def to_dict(self) -> dict[str, object]:
        return {
            "format": 1,
            "local": self.local.to_dict(),
            "base_rate": self.base_rate,
            "prior": {
                "no_candidate_ratio": self.prior.no_candidate_ratio,
                "alpha": self.prior.alpha,
                "beta": self.prior.beta,
                "iterations": self.prior.iterations,
            },
            "final": self.final.to_dict(),
            "certain": list(self.certain),
            "calibration": [list(self.calibration[0]), list(self.calibration[1])],
            "thresholds": {"auto": self.auto, "report": self.report, "thesaurus": self.thesaurus_rate},
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpinModel:
        if data.get("format") != 1:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        t = data["thresholds"]
        return cls(
            local=Linear.from_dict(data["local"]),
            base_rate=float(data["base_rate"]),
            prior=MixturePrior(**data["prior"]),
            final=Linear.from_dict(data["final"]),
            certain=(float(data["certain"][0]), float(data["certain"][1])),
            calibration=(tuple(data["calibration"][0]), tuple(data["calibration"][1])),
            auto=float(t["auto"]),
            report=float(t["report"]),
            thesaurus_rate=float(t["thesaurus"]),
            notes=dict(data.get("notes", {})),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


def read_model(path: str | Path) -> SpinModel:
    return SpinModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def load_model() -> SpinModel:
    """The shipped model (wordlists/model.json), read once per process."""
    from repair.core.wordlists import wordlist_dir

    return read_model(wordlist_dir() / MODEL_FILE)


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
    memo: dict[tuple[str, ...], float] | None = None,
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> float:
    """Nats by which the LM prefers `original` over `spun` between the same two-word neighbours.

    `words` are the neighbouring words when the caller has them (the matcher does).
    """
    if words is not None and (words[0] or words[1]):
        left, right = words[0][-2:], words[1][:2]
    else:
        left = words_between(low, max(0, start - LM_CONTEXT_CHARS), start)[-2:]
        right = words_between(low, end, end + LM_CONTEXT_CHARS)[:2]
    key = (*left, "|", spun, "|", original, "|", *right)
    if memo is not None and (gain := memo.get(key)) is not None:
        return gain
    gain = _lm_gain(tuple(left), tuple(right), spun, original)
    if memo is not None:
        memo[key] = gain
    return gain


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


def _rows(spans: Sequence[Span], lms: Sequence[Sequence[float | None]]) -> np.ndarray:
    rows = [
        with_lm(o.features, lm) for s, ls in zip(spans, lms, strict=True) for o, lm in zip(s.options, ls, strict=True)
    ]
    return np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))


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
    model: SpinModel, p: np.ndarray, owners: np.ndarray, n_spans: int, words: int, floor: float = 0.0
) -> tuple[float, np.ndarray]:
    """The spin rate and each span's posterior, from the options' local probabilities."""
    if n_spans == 0:
        return spin_rate(np.zeros(0), words, model.prior, floor)
    best = np.clip(_span_max(p, owners, n_spans), 1e-4, 1 - 1e-4)
    base = model.base_rate
    likelihood = (best / (1 - best)) / (base / (1 - base))
    return spin_rate(likelihood, words, model.prior, floor)


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
    memo: dict[tuple[str, ...], float] | None = None,
    rate_floor: float = 0.0,
) -> DocumentScore:
    """Score every option of every span of one document.

    `more_spans(taken)` returns extra spans (the thesaurus pass) and is called only
    where the document's spin rate reaches `model.thesaurus_rate`. `rate_floor` is a
    spin rate the document is known to have at least (the text before its first fixes).
    """
    spans = [s for s in spans if s.options or s.flag is not None]
    if not spans:
        return DocumentScore(0.0, False, ())
    scored = [s for s in spans if s.options]
    lms = [_lms(s, low, memo) for s in scored]
    owners, rows, p, rate, posterior = _local_pass(model, scored, lms, words, rate_floor)
    closer = rate >= model.thesaurus_rate and more_spans is not None
    if closer:
        extra = [s for s in more_spans([(s.start, s.end) for s in spans]) if s.options]
        if extra:
            both = sorted(zip([*scored, *extra], [*lms, *(_lms(s, low, memo) for s in extra)], strict=True), key=_start)
            scored, lms = [s for s, _ in both], [lm for _, lm in both]
            owners, rows, p, rate, posterior = _local_pass(model, scored, lms, words, rate_floor)
    starts = np.array([s.start for s in scored], dtype=float)
    around = nearby(starts, posterior, NEARBY_CHARS)
    raw = _sigmoid(model.final.logits(final_rows(p, rate, posterior, around, owners, rows)))
    confidence = model.calibrate(raw)
    a, b = model.certain
    floor = _sigmoid(a + b * rows[:, FEATURES.index("lm")]) * rows[:, CERTAIN] if len(rows) else np.zeros(0)
    confidence = np.maximum(confidence, floor)
    out: list[ScoredSpan] = []
    at = 0
    near = FEATURES.index("near")
    for k, s in enumerate(scored):
        n = len(s.options)
        conf = confidence[at : at + n]
        order = tuple(sorted(np.argsort(-conf, kind="stable").tolist(), key=lambda i: not s.options[i].preferred))
        first = order[0] + at
        option = s.options[order[0]]
        safety = option.safety
        if safety is Safety.AUTO and (conf[order[0]] < model.auto or option.features[near]):
            safety = Safety.CHOOSE
        lm = lms[k][order[0]]
        values = (
            float(raw[first]),
            float(p[first]),
            rate,
            float(posterior[k]),
            float(around[k]),
            lm,
            *_counts(option.features),
            float(words),
        )
        out.append(ScoredSpan(s, order, tuple(float(conf[i]) for i in order), safety, Evidence(EVIDENCE, values), lm))
        at += n
    shown_only = Evidence(EVIDENCE, (0.5, 0.5, rate, 0.0, 0.0, None, 0.0, 0.0, 0.0, float(words)))
    flagged = [ScoredSpan(s, (), (), Safety.FLAG, shown_only, None) for s in spans if not s.options]
    ordered = sorted([*out, *flagged], key=lambda x: x.span.start)
    return DocumentScore(rate, closer, tuple(ordered))


def _start(pair: tuple[Span, object]) -> int:
    return pair[0].start


def _lms(span: Span, low: str, memo: dict[tuple[str, ...], float] | None) -> list[float | None]:
    """The language model's preference for each option over the text as written (nats)."""
    if span.lm:
        return list(span.lm)
    return [
        lm_gain(low, span.start, span.end, span.spun, o.original, memo, (span.left, span.right)) for o in span.options
    ]


def _local_pass(
    model: SpinModel, spans: Sequence[Span], lms: Sequence[Sequence[float | None]], words: int, floor: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Rows, local probabilities, the spin rate and each span's posterior."""
    owners = np.array([k for k, s in enumerate(spans) for _ in s.options], dtype=int)
    rows = _rows(spans, lms) if spans else np.zeros((0, len(FEATURES)))
    p = local_probabilities(model, rows)
    rate, posterior = document_posterior(model, p, owners, len(spans), words, floor)
    return owners, rows, p, rate, posterior


def _counts(features: tuple[float, ...]) -> tuple[float, float, float]:
    index = {name: i for i, name in enumerate(FEATURES)}
    count = math.expm1(features[index["log_count"]])
    kept = math.expm1(features[index["log_kept"]])
    return round(count), round(kept), features[index["stories"]]


def explain(scored: ScoredSpan) -> str:
    """What a person reads: the swap, what the lists say of it, the document, the spans around it, the LM."""
    span = scored.span
    if not scored.order:
        variant = span.flag
        own = variant.reason if variant is not None else ""
        return f"'{span.spun}': shown, never applied" + (f"; {own}" if own else "")
    option = span.options[scored.order[0]]
    f = dict(zip(FEATURES, option.features, strict=True))
    ev = scored.evidence
    parts = [f"'{span.spun}' → '{option.original}'"]
    if f["thesaurus"]:
        parts[0] += " (thesaurus candidate: no list has this word)"
    elif f["near"]:
        parts[0] += " (near match of a listed phrase)"
    facts = []
    if f["certain"]:
        facts.append("listed as a spinner's swap")
    elif f["choose"]:
        facts.append("listed as a choice")
    elif f["listed"]:
        facts.append("listed as ordinary English: needs evidence")
    if f["vetoed"]:
        facts.append("in a context where the word is usually meant")
    if f["learned"]:
        count, kept, stories = (int(ev["count"] or 0), int(ev["kept"] or 0), int(ev["stories"] or 0))
        facts.append(
            f"seen swapped {count} time{'s' * (count != 1)} in {stories} stor{'ies' if stories != 1 else 'y'}"
            f", left alone {kept} time{'s' * (kept != 1)}"
        )
    if facts:
        parts.append(", ".join(facts))
    rate, words = float(ev["spin_rate"] or 0.0), int(ev["words"] or 0)
    estimate = f"the model's estimate: {100 * rate:.0f}% of its {words:,} words swapped"
    parts.append(f"the document reads as {'spun' if rate >= 0.05 else 'mostly clean'} ({estimate})")
    around = float(ev["nearby"] or 0.0)
    parts.append(f"about {around:.0f} other likely swap{'s' * (round(around) != 1)} within ~40 words")
    lm = scored.lm
    if lm is None:
        parts.append("language model not consulted")
    elif lm >= 0:
        parts.append(f"the language model prefers '{option.original}' by {lm:.1f} nats")
    else:
        parts.append(f"the language model prefers the text as written by {-lm:.1f} nats")
    if option.reason:
        parts.append(option.reason)
    return "; ".join(parts)
