"""Fitting the scorer's model (`repair.core.score.SpinModel`) on spun pages and their originals.

The rows a model learns from are made by the engine itself (`Engine.analyse` and the
same feature code the scorer runs), so training and use cannot drift apart. An option
is labelled right when applying it alone makes the spun text read as the original
there (`repair.tools.judge`, the measure `repair eval` reports); options in text the
alignment cannot judge are left out, and every option on a clean text is wrong.

Honesty about unseen stories is built in: a document's learned-list evidence comes
from a list learned without its own story (`learned_without`), the final model is
fitted on local probabilities predicted by models that did not see the document's
story (group folds), and the calibration map is fitted on final predictions for
stories held out of the fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from repair.core.candidates import FEATURES, Span
from repair.core.engine import Analysis, Engine
from repair.core.model import Finding, Safety
from repair.core.posterior import MixturePrior, nearby
from repair.core.score import NEARBY_CHARS, _rows, document_posterior, final_rows, lm_gain
from repair.core.spinmodel import FINAL_FEATURES, Linear, SpinModel
from repair.core.text import carry_case
from repair.tools.align import Alignment, align
from repair.tools.judge import judge

DEFAULT_PRIOR = MixturePrior()
FOLDS = 5
L2 = 1.0  # ridge on standardised inputs
AUTO = 0.73  # calibrated confidence at which a fix is safe without a reviewer (docs/benchmarks.md: "Options compete")
REPORT = 0.5  # `check` reports findings at least this confident by default
THESAURUS_RATE = 0.10  # the thesaurus is consulted where a document's spin rate is at least this (docs/benchmarks.md)


@dataclass(frozen=True, slots=True)
class TrainingDoc:
    """A spun page with its original (`original` set), or a clean text (`original` None)."""

    name: str
    story: str  # documents of one story are never on both sides of a split
    text: str
    original: str | None = None
    family: str = "target"  # the spinner family (target, heavy, other), for reports
    topic: str = ""

    @property
    def spun(self) -> bool:
        return self.original is not None


@dataclass(frozen=True)
class Table:
    """One document's options as rows of FEATURES, with labels (1 right, 0 wrong, -1 not judged)."""

    doc: TrainingDoc
    spans: tuple[Span, ...]
    rows: np.ndarray
    owners: np.ndarray  # the span each row belongs to
    labels: np.ndarray
    words: int


# ---------------------------------------------------------------- rows


_LABELS: dict[tuple[str, str, int, int, str], int] = {}  # labels do not depend on the engine: kept across folds
_ALIGNMENTS: dict[tuple[str, str], Alignment] = {}


def table(engine: Engine, doc: TrainingDoc) -> Table:
    """Every option the engine sees in `doc` (the thesaurus pass included), with its label."""
    analysis = engine.analyse(doc.text)
    spans = list(analysis.spans)
    if engine.thesaurus:
        spans = sorted([*spans, *analysis.thesaurus([(s.start, s.end) for s in spans])], key=lambda s: s.start)
    spans = [s for s in spans if s.options]
    lms = [_lms(analysis, s) for s in spans]
    rows = _rows(spans, lms) if spans else np.zeros((0, len(FEATURES)))
    owners = np.array([k for k, s in enumerate(spans) for _ in s.options], dtype=int)
    labels = np.zeros(len(rows), dtype=int)
    if doc.original is not None:
        key = (doc.text, doc.original)
        alignment = _ALIGNMENTS.get(key) or _ALIGNMENTS.setdefault(key, align(doc.text, doc.original))
        labels = np.array([_label(doc, alignment, s, o.wording) for s in spans for o in s.options], dtype=int)
    return Table(doc, tuple(spans), rows, owners, labels, analysis.words)


def _lms(analysis: Analysis, span: Span) -> list[float | None]:
    if span.lm:
        return list(span.lm)
    return [
        lm_gain(analysis.low, span.start, span.end, span.spun, o.original, None, (span.left, span.right))
        for o in span.options
    ]


def _label(doc: TrainingDoc, alignment: Alignment, span: Span, wording: str) -> int:
    """1 when applying this option alone restores the original there, 0 when it does not, -1 when not judged."""
    key = (doc.name, doc.text[:64], span.start, span.end, wording)
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = _judge_one(doc.text, alignment, span, wording)
    return found


def _judge_one(text: str, alignment: Alignment, span: Span, wording: str) -> int:
    # Only the gold edits this span overlaps can decide its verdict: judge against those alone.
    near = tuple(g for g in alignment.edits if g.start < span.end and span.start < g.end)
    alignment = replace(alignment, edits=near)
    spun = text[span.start : span.end]
    finding = Finding(
        start=span.start,
        end=span.end,
        spun=spun,
        suggestions=(carry_case(spun, wording),),
        confidence=1.0,
        safety=Safety.AUTO,
        reason="",
        rule="",
    )
    status = judge(text, alignment, [finding])[0][0].status
    return -1 if status == "unjudged" else int(status == "right")


# ---------------------------------------------------------------- fitting


def fit_logistic(x: np.ndarray, y: np.ndarray, names: Sequence[str], l2: float = L2, iterations: int = 60) -> Linear:
    """Ridge logistic regression on standardised inputs, by Newton's method."""
    mean = x.mean(axis=0) if len(x) else np.zeros(x.shape[1])
    scale = x.std(axis=0) if len(x) else np.ones(x.shape[1])
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return Linear(
        tuple(names), tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, w[1:])), float(w[0])
    )


def fit_isotonic(p: np.ndarray, y: np.ndarray, points: int = 24) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A monotone map from raw probability to the share right (pool-adjacent-violators), as breakpoints."""
    if len(p) == 0:
        return ((), ())
    order = np.argsort(p, kind="stable")
    ps, ys = p[order], y[order].astype(float)
    blocks: list[list[float]] = []  # [sum of y, count, sum of p]
    for pi, yi in zip(ps, ys, strict=True):
        blocks.append([yi, 1.0, pi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, n, q = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][2] += q
    xs = [b[2] / b[1] for b in blocks]
    vs = [b[0] / b[1] for b in blocks]
    if len(xs) > points:  # thin out, keeping the shape
        keep = sorted({round(i) for i in np.linspace(0, len(xs) - 1, points)})
        xs, vs = [xs[i] for i in keep], [vs[i] for i in keep]
    return (tuple(float(v) for v in [0.0, *xs, 1.0]), tuple(float(v) for v in [0.0, *vs, vs[-1]]))


def _stack(tables: Sequence[Table], spun_only: bool) -> tuple[np.ndarray, np.ndarray]:
    chosen = [t for t in tables if t.doc.spun or not spun_only]
    x = np.vstack([t.rows for t in chosen]) if chosen else np.zeros((0, len(FEATURES)))
    y = np.concatenate([t.labels for t in chosen]) if chosen else np.zeros(0, dtype=int)
    keep = y >= 0
    return x[keep], y[keep]


def _fold_of(stories: Iterable[str], folds: int) -> dict[str, int]:
    return {story: k % folds for k, story in enumerate(sorted(set(stories)))}


def _local_fit(tables: Sequence[Table], features: Sequence[str] = FEATURES) -> tuple[Linear, float]:
    # Clean texts too: a word the spinner often writes is also common in plain prose, and its
    # likelihood ratio must say how much likelier it is spun than written (not only than kept).
    x, y = _stack(tables, spun_only=False)
    # All of them: the rows as they stand (a copy of the columns sums in another order: the last bits differ).
    x = x if tuple(features) == FEATURES else x[:, [FEATURES.index(name) for name in features]]
    return fit_logistic(x, y, tuple(features)), float(y.mean()) if len(y) else 0.1


def _final_inputs(model: SpinModel, t: Table) -> np.ndarray:
    from repair.core.score import local_probabilities

    p = local_probabilities(model, t.rows)
    rate, posterior = document_posterior(model, p, t.owners, t.spans, t.words)
    starts = np.array([s.start for s in t.spans], dtype=float)
    return final_rows(p, rate, posterior, nearby(starts, posterior, NEARBY_CHARS), t.owners, t.rows)


def fit_model(
    tables: Sequence[Table],
    *,
    folds: int = FOLDS,
    prior: MixturePrior | None = None,
    calibrate: bool = True,
    notes: dict[str, object] | None = None,
    features: Sequence[str] = FEATURES,
) -> SpinModel:
    """A model from labelled tables; see the module docstring for how each part stays honest.

    `features`: the FEATURES the local model weighs (all by default; a benchmark tries fewer).
    """
    prior = prior or DEFAULT_PRIOR  # read here, so that a benchmark can set it (quality.py --repeat-damping)
    local, base = _local_fit(tables, features)
    identity: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
    blank = Linear(FINAL_FEATURES, (0.0,) * 7, (1.0,) * 7, (0.0,) * 7, 0.0)
    model = SpinModel(local, base, prior, blank, (0.0, 0.0), identity, AUTO, REPORT, THESAURUS_RATE, dict(notes or {}))
    fold = _fold_of((t.doc.story for t in tables), folds)
    # Final inputs from local models that did not see the document's story.
    inputs: list[np.ndarray] = []
    for k in range(folds):
        inside = [t for t in tables if fold[t.doc.story] != k]
        outside = [t for t in tables if fold[t.doc.story] == k]
        if not outside:
            continue
        fl, fb = _local_fit(inside, features)
        fold_model = replace(model, local=fl, base_rate=fb)
        inputs.extend(_final_inputs(fold_model, t) for t in outside)
    ordered = [t for k in range(folds) for t in tables if fold[t.doc.story] == k]
    fx = np.vstack(inputs) if inputs else np.zeros((0, len(FINAL_FEATURES)))
    fy = np.concatenate([t.labels for t in ordered]) if ordered else np.zeros(0, dtype=int)
    keep = fy >= 0
    final = fit_logistic(fx[keep], fy[keep], FINAL_FEATURES)
    certain = _certain_floor(tables)
    model = replace(model, final=final, certain=certain)
    if calibrate:
        raw, labels = held_out_predictions(tables, model, folds=folds)
        model = replace(model, calibration=fit_isotonic(raw, labels))
    return model


def _certain_floor(tables: Sequence[Table]) -> tuple[float, float]:
    """P(right | a certain spin, the LM's preference): the floor of a certain spin's confidence."""
    x, y = _stack(tables, spun_only=False)
    certain = x[:, FEATURES.index("certain")] > 0
    if certain.sum() < 10 or len(set(y[certain])) < 2:
        return (2.0, 0.3)
    fit = fit_logistic(x[certain][:, [FEATURES.index("lm")]], y[certain], ("lm",))
    slope = fit.coef[0] / fit.scale[0]
    return (fit.intercept - slope * fit.mean[0], slope)


def held_out_predictions(
    tables: Sequence[Table], model: SpinModel, *, folds: int = FOLDS
) -> tuple[np.ndarray, np.ndarray]:
    """Raw final probabilities for every judged option, each from a model fitted without its story."""
    fold = _fold_of((t.doc.story for t in tables), folds)
    raws, labels = [], []
    for k in range(folds):
        inside = [t for t in tables if fold[t.doc.story] != k]
        outside = [t for t in tables if fold[t.doc.story] == k]
        if not outside or not inside:
            continue
        fitted = fit_model(inside, folds=folds, prior=model.prior, calibrate=False, features=model.local.features)
        for t in outside:
            raw = 1.0 / (1.0 + np.exp(-fitted.final.logits(_final_inputs(fitted, t))))
            keep = t.labels >= 0
            raws.append(raw[keep])
            labels.append(t.labels[keep])
    if not raws:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(raws), np.concatenate(labels)


def tables_without_own_story(
    docs: Sequence[TrainingDoc],
    engine_without: Callable[[frozenset[str]], Engine],
    exclude: frozenset[str] = frozenset(),
) -> list[Table]:
    """A table per document, each made by an engine whose learned list did not see the document's story.

    `engine_without(stories)` builds an engine whose learned list leaves those stories out.
    """
    out: list[Table] = []
    by_story: dict[str, list[TrainingDoc]] = {}
    for doc in docs:
        by_story.setdefault(doc.story, []).append(doc)
    for story, group in sorted(by_story.items()):
        engine = engine_without(exclude | {story})
        out.extend(table(engine, doc) for doc in group)
    return out


def log_odds(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
