"""The scorer's bulk steps give what their one-option definitions give."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from repair.core.candidates import FEATURES, LM_CLIP, RIVALRY, Span, relative_columns, with_lm
from repair.core.engine import Analysis, Engine
from repair.core.score import _lms, _order, _rows

from ..conftest import SPUN_SEED

_LM, _ZIPF_GAIN, _LM_MARGIN, _ALTERNATIVES, _LM_BEST, _ZIPF_MARGIN = (
    FEATURES.index(n) for n in ("lm", "zipf_gain", *RIVALRY)
)


def _rivalry(options: list[tuple[float, float]]) -> list[list[float]]:
    """`relative_columns`' definition, one option at a time: for each (lm, zipf_gain) of a span's options, its
    lm_margin, alternatives, lm_best and zipf_margin."""
    out = []
    for k, (lm, zipf_gain) in enumerate(options):
        rivals = options[:k] + options[k + 1 :]
        out.append(
            [
                lm - max(r[0] for r in rivals) if rivals else lm,
                float(bool(rivals)),
                float(all(r[0] <= lm for r in rivals)),
                zipf_gain - max(r[1] for r in rivals) if rivals else 0.0,
            ]
        )
    return out


@cache
def analysis() -> tuple[Analysis, list[Span]]:
    text = SPUN_SEED.read_text(encoding="utf-8")
    found = Engine().analyse(text)
    return found, found.thesaurus([(s.start, s.end) for s in found.spans])


def test_rows_are_each_options_features_with_its_language_model_terms() -> None:
    found, extra = analysis()
    spans = [s for s in [*found.spans, *extra] if s.options]
    assert any(s.thesaurus for s in spans) and any(not s.thesaurus for s in spans)
    lms = [_lms(s, found.low, {}) for s in spans]
    lms[0] = [None] * len(lms[0])  # not consulted
    lms[1] = [3 * LM_CLIP] * len(lms[1])  # beyond the clip
    lms[2] = [-3 * LM_CLIP] * len(lms[2])
    pairs = [(o, lm) for s, ls in zip(spans, lms, strict=True) for o, lm in zip(s.options, ls, strict=True)]
    expected = [with_lm(o.features, lm) for o, lm in pairs]
    at = 0
    for s in spans:
        own = expected[at : at + len(s.options)]
        for row, rivalry in zip(own, _rivalry([(r[_LM], r[_ZIPF_GAIN]) for r in own]), strict=True):
            row[_LM_MARGIN], row[_ALTERNATIVES], row[_LM_BEST], row[_ZIPF_MARGIN] = rivalry
        at += len(s.options)
    assert any(r[_ALTERNATIVES] and not r[_LM_BEST] for r in expected)  # rivalry is exercised
    assert any(r[_ALTERNATIVES] and r[_LM_MARGIN] == 0 and r[_LM_BEST] for r in expected)  # ... with ties
    rows = _rows(spans, lms)
    assert rows.shape == (len(expected), len(FEATURES)) and rows.tolist() == expected
    assert _rows([], []).shape == (0, len(FEATURES))


_VALUE = st.sampled_from([-10.0, -2.5, 0.0, 0.0, 1.5, 4.0, 10.0])  # few values: ties are common


@given(st.lists(st.lists(st.tuples(_VALUE, _VALUE), min_size=1, max_size=6), min_size=1, max_size=8))
def test_rivalry_columns_compare_each_option_with_the_others_of_its_span(
    spans: list[list[tuple[float, float]]],
) -> None:
    rows = np.zeros((sum(map(len, spans)), len(FEATURES)))
    rows[:, [_LM, _ZIPF_GAIN]] = [pair for options in spans for pair in options]
    relative_columns(rows, np.array([len(options) for options in spans]))
    expected = [rivalry for options in spans for rivalry in _rivalry(options)]
    assert rows[:, [_LM_MARGIN, _ALTERNATIVES, _LM_BEST, _ZIPF_MARGIN]].tolist() == expected


class _Option:
    def __init__(self, preferred: bool) -> None:
        self.preferred = preferred


@given(st.lists(st.tuples(st.sampled_from([0.1, 0.5, 0.75, 0.9, 0.99]), st.booleans()), min_size=1, max_size=8))
def test_options_are_ordered_by_confidence_ties_in_list_order_and_the_reviewers_own_first(
    options: list[tuple[float, bool]],
) -> None:
    conf = [c for c, _ in options]
    preferred = [_Option(p) for _, p in options]
    by_confidence = np.argsort(-np.array(conf), kind="stable").tolist()
    assert _order(conf, preferred) == tuple(sorted(by_confidence, key=lambda i: not preferred[i].preferred))
