"""The trigram language model wrapper: normalisation, numbers, unknown words, and preferences in context."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.core import lm
from repair.core.lm import OOV_FLOOR, lm_tokens, spoken_number


@pytest.fixture(scope="module")
def model() -> lm.LanguageModel:
    return lm.load()


# --- normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "words"),
    [
        ("0", ["zero"]),
        ("7", ["seven"]),
        ("11", ["eleven"]),
        ("40", ["forty"]),
        ("42", ["forty", "two"]),
        ("100", ["one", "hundred"]),
        ("305", ["three", "hundred", "five"]),
        ("1900", ["nineteen", "hundred"]),
        ("2024", ["twenty", "twenty", "four"]),
        ("3000", ["three", "thousand"]),
        ("12500", ["twelve", "thousand", "five", "hundred"]),
        ("98765432", ["million"]),
    ],
)
def test_numbers_are_spelled_out(digits: str, words: list[str]) -> None:
    assert spoken_number(digits) == words


def test_tokens_are_lower_case_with_straight_apostrophes_and_split_hyphens() -> None:
    assert lm_tokens("Don\u2019t") == ["don't"]
    assert lm_tokens(["Face-to-face", "talks"]) == ["face", "to", "face", "talks"]
    assert lm_tokens(["<s>", "In", "2024", "</s>"]) == ["<s>", "in", "twenty", "twenty", "four", "</s>"]
    assert lm_tokens("U.S.") == ["u", "s"]
    assert lm_tokens("...") == []


# --- the model ---------------------------------------------------------------------------------


def test_model_is_shared_and_read_only(model: lm.LanguageModel) -> None:
    assert lm.load() is model
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.path = "elsewhere"  # type: ignore[misc]


def test_prefers_the_original_in_context(model: lm.LanguageModel) -> None:
    assert model.compare(["a"], "round", "spherical", ["of", "talks"]) > 3
    assert model.compare(["the"], "company", "corporate", ["said"]) > 0
    assert model.compare(["in", "the"], "country", "rustic", []) > 0
    # Antisymmetric: swapping the candidates flips the sign.
    forward = model.compare(["a"], "round", "spherical", ["of", "talks"])
    assert model.compare(["a"], "spherical", "round", ["of", "talks"]) == pytest.approx(-forward)


def test_candidates_of_different_lengths_compete_fairly(model: lm.LanguageModel) -> None:
    # "against" vs the three-word "in opposition to": the right context is scored after each.
    assert model.compare(["voted"], "against", "in opposition to", ["the", "bill"]) > 0
    assert model.compare(["voted"], "against", ["in", "opposition", "to"], ["the", "bill"]) == pytest.approx(
        model.compare(["voted"], "against", "in opposition to", ["the", "bill"])
    )


def test_known_and_unknown_words(model: lm.LanguageModel) -> None:
    assert model.known("company")
    assert not model.known("zzqxv")
    # An unknown word gets a finite estimate: from wordfreq if it has one, else the floor.
    assert model.logprob("zzqxv") == OOV_FLOOR
    assert OOV_FLOOR < model.logprob("squaddies") < model.logprob("company") < 0
    total = model.score(["the", "zzqxv", "said"])
    assert math.isfinite(total) and total < model.score(["the", "company", "said"])


def test_numbers_in_context_are_scored(model: lm.LanguageModel) -> None:
    assert math.isfinite(model.score(["in", "2024"]))
    assert model.score(["in", "2024"]) > model.score(["in", "zzqxv"])


def test_context_only_conditions(model: lm.LanguageModel) -> None:
    # The left context is given, not scored: more of it cannot lower the score of the same words.
    assert model.score(["talks"], ["round", "of"]) > model.score(["talks"])
    assert model.logprob("<s>") == 0.0


_VOCABULARY = ["<s>", "the", "company", "said", "round", "of", "talks", "zzqxv", "2024", "in", "opposition", "to"]


@settings(max_examples=60, deadline=None)
@given(
    left=st.lists(st.sampled_from(_VOCABULARY), max_size=3),
    middle=st.lists(st.sampled_from(_VOCABULARY[1:]), min_size=1, max_size=3),
    right=st.lists(st.sampled_from([*_VOCABULARY[1:], "</s>"]), max_size=3),
)
def test_window_agrees_with_score(left: list[str], middle: list[str], right: list[str]) -> None:
    # `window` is the hot path of discovery; it must give what `score` gives for the same words.
    model = lm.load()
    left_tokens, middle_tokens, right_tokens = lm_tokens(left), lm_tokens(middle), lm_tokens(right)
    expected = model.score([*middle_tokens, *right_tokens[:2]], left_tokens)
    assert model.window(left_tokens, middle_tokens, right_tokens) == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(
    history=st.lists(st.sampled_from(_VOCABULARY), max_size=3),
    words=st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=4),
)
def test_nats_is_the_sum_of_logprobs_in_turn(history: list[str], words: list[str]) -> None:
    # `nats` is the scorer's hot path: exactly what adding `logprob` word by word gives,
    # to the last bit, so the scorer's confidences do not move when it is used.
    model = lm.load()
    tokens, before = lm_tokens(words), lm_tokens(history)
    total, seen = 0.0, list(before)
    for token in tokens:
        total += model.logprob(token, seen[-2:])
        seen.append(token)
    assert model.nats(tokens, before) == total
