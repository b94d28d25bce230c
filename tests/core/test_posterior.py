"""The document mixture model: how spun a document is, from all its spans' likelihood ratios."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from repair.core.posterior import PI_FLOOR, MixturePrior, nearby, repeat_weights, spin_rate


def test_a_clean_document_comes_out_near_zero_and_its_spans_stay_unlikely() -> None:
    # A 300-word article with three mildly odd words: nothing to explain with spinning.
    rate, posterior = spin_rate(np.array([3.0, 2.0, 0.5]), 300)
    assert rate < 0.005
    assert posterior.max() < 0.05


def test_a_spun_document_unlocks_its_weak_evidence() -> None:
    # Sixty strong spans in 300 words: the document is spun, and a weak span there is likely a swap too.
    strong = np.full(60, 200.0)
    rate, posterior = spin_rate(np.concatenate([strong, [3.0]]), 300)
    assert 0.1 < rate < 0.4
    _, clean_posterior = spin_rate(np.array([3.0]), 300)
    assert posterior[-1] > 0.3 > clean_posterior[0]


def test_a_short_text_needs_more_than_one_hit() -> None:
    one, _ = spin_rate(np.array([50.0]), 30)
    many, _ = spin_rate(np.full(8, 50.0), 30)
    assert one < many


@given(st.lists(st.floats(min_value=0.01, max_value=1e4), min_size=1, max_size=40), st.integers(1, 2000))
def test_the_posterior_is_a_probability_and_grows_with_the_likelihood_ratio(ratios: list[float], words: int) -> None:
    likelihood = np.array(ratios)
    rate, posterior = spin_rate(likelihood, words, MixturePrior())
    assert PI_FLOOR <= rate <= 0.9
    assert np.all((posterior >= 0) & (posterior <= 1))
    order = np.argsort(likelihood)
    assert np.all(np.diff(posterior[order]) >= -1e-12)


def test_a_phrase_repeated_through_a_document_counts_less_with_repeat_damping() -> None:
    # A licence: "shall" fifteen times, each mildly odd, and nothing else. Counted in full it reads as spun.
    phrases = ["shall"] * 15 + ["notice"] * 5
    likelihood = np.full(20, 20.0)
    full, _ = spin_rate(likelihood, 400)
    damped, _ = spin_rate(likelihood, 400, MixturePrior(repeat_damping=1.0), weights=repeat_weights(phrases, 1.0))
    assert full > 0.03 and damped < 0.005
    # Twenty different phrases, each once, are twenty pieces of evidence whatever the damping.
    distinct = [f"word{i}" for i in range(20)]
    assert spin_rate(likelihood, 400, weights=repeat_weights(distinct, 1.0))[0] == full


def test_repeat_weights() -> None:
    assert repeat_weights(["a", "b", "a"], 0.0).tolist() == [1.0, 1.0, 1.0]  # no damping: every span counts in full
    assert repeat_weights(["a", "b", "a", "a"], 1.0).tolist() == [1 / 3, 1.0, 1 / 3, 1 / 3]
    assert repeat_weights(["a", "a", "a", "a"], 0.5).tolist() == [0.5] * 4


def test_nearby_sums_the_other_spans_within_reach() -> None:
    starts = np.array([0.0, 100.0, 150.0, 1000.0])
    posterior = np.array([0.5, 0.25, 0.125, 1.0])
    assert nearby(starts, posterior, 100).tolist() == [0.25, 0.625, 0.25, 0.0]
    assert nearby(np.zeros(0), np.zeros(0), 10).tolist() == []


def test_a_model_file_keeps_its_repeat_damping_and_the_shipped_one_has_none() -> None:
    from dataclasses import replace

    from repair.core.spinmodel import SpinModel, load_model

    shipped = load_model()
    assert "repeat_damping" not in shipped.to_dict()["prior"]  # the file as shipped: every occurrence counts
    damped = replace(shipped, prior=replace(shipped.prior, repeat_damping=0.5))
    assert SpinModel.from_dict(damped.to_dict()).prior.repeat_damping == 0.5
