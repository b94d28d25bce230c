"""Fitting the scorer's model: the logistic fit, the isotonic map, and rows labelled by the judge."""

from __future__ import annotations

import numpy as np

from repair.core.candidates import FEATURES
from repair.core.engine import Engine
from repair.core.score import local_probabilities
from repair.core.spinmodel import SpinModel
from repair.core.wordlists import parse
from repair.tools.train import TrainingDoc, fit_isotonic, fit_logistic, fit_model, table


def test_the_logistic_fit_recovers_known_weights() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20000, 2)) * [1.0, 3.0] + [0.0, 5.0]
    z = -0.5 + 2.0 * x[:, 0] - 0.25 * x[:, 1]
    y = (rng.random(len(z)) < 1 / (1 + np.exp(-z))).astype(int)
    fit = fit_logistic(x, y, ("a", "b"), l2=0.0)
    slope = np.array(fit.coef) / np.array(fit.scale)
    assert np.allclose(slope, [2.0, -0.25], atol=0.1)
    probability = 1 / (1 + np.exp(-fit.logits(np.array([[0.0, 5.0]]))))
    assert abs(float(probability[0]) - 1 / (1 + np.exp(-(-0.5 - 1.25)))) < 0.03


def test_the_isotonic_map_is_monotone_and_matches_the_share_right() -> None:
    rng = np.random.default_rng(2)
    p = rng.random(5000)
    y = (rng.random(5000) < p**2).astype(int)  # overconfident: the truth is p squared
    xs, ys = fit_isotonic(p, y)
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys)
    assert abs(float(np.interp(0.8, xs, ys)) - 0.64) < 0.08


def test_rows_are_labelled_by_whether_the_option_restores_the_original() -> None:
    wordlist = parse("squaddie -> soldier\nmentioned -> said ; evidence\nfingers -> arms ; evidence\n", name="t")
    engine = Engine([wordlist], thesaurus=False)
    spun = "The squaddies mentioned their fingers were cold. The squaddies mentioned it."
    original = "The soldiers said their fingers were cold. The soldiers said it."
    t = table(engine, TrainingDoc("p", "story", spun, original))
    by_span = {spun[s.start : s.end]: int(t.labels[k]) for k, s in enumerate(t.spans)}
    assert by_span == {"squaddies": 1, "mentioned": 1, "fingers": 0}
    clean = table(engine, TrainingDoc("c", "story", original, None))
    assert clean.labels.tolist() == [0] * len(clean.rows)


def test_a_model_can_weigh_some_features_only() -> None:
    # tests/benchmarks/feature_trial.py compares models without some features on the same tables.
    wordlist = parse("squaddie -> soldier\nmentioned -> said ; evidence\nfingers -> arms ; evidence\n", name="t")
    engine = Engine([wordlist], thesaurus=False)
    docs = []
    for k in range(6):
        spun = f"The squaddies mentioned their fingers were cold on day {k}. The squaddies mentioned it."
        original = f"The soldiers said their fingers were cold on day {k}. The soldiers said it."
        docs += [TrainingDoc(f"p{k}", f"story{k}", spun, original), TrainingDoc(f"c{k}", f"story{k}", original)]
    tables = [table(engine, doc) for doc in docs]
    fewer = tuple(name for name in FEATURES if name not in ("lm_margin", "zipf_margin"))
    model = fit_model(tables, features=fewer)
    assert model.local.features == fewer and fit_model(tables).local.features == FEATURES
    p = local_probabilities(model, tables[0].rows)  # the model picks its columns from full rows by name
    assert p.shape == (len(tables[0].rows),) and ((p > 0) & (p < 1)).all()


def test_the_shipped_model_round_trips_through_its_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repair.core.spinmodel import load_model, read_model

    model = load_model()
    model.save(tmp_path / "m.json")
    again = read_model(tmp_path / "m.json")
    assert isinstance(again, SpinModel) and again.to_dict() == model.to_dict()
