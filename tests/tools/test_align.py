"""Alignment of spun texts with their originals, on small invented pairs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from repair.core.engine import apply_edits
from repair.core.model import Edit
from repair.core.text import phrase_key
from repair.tools.align import align, aligned_regions, gold_edits, phrase_swaps, sentences

from ..conftest import REPO, SPUN_SEED

SEED_ORIGINAL = REPO / "tests" / "data" / "seed000.original.txt"


def pairs(spun: str, original: str) -> list[tuple[str, str]]:
    return [(e.spun, e.original) for e in gold_edits(spun, original)]


def test_single_word_swap_has_its_span_and_original() -> None:
    spun = "The squaddies marched into the town at dawn. Nobody saw them leave."
    original = "The soldiers marched into the town at dawn. Nobody saw them leave."
    [edit] = gold_edits(spun, original)
    assert (edit.spun, edit.original) == ("squaddies", "soldiers")
    assert spun[edit.start : edit.end] == "squaddies"
    assert original[edit.orig_start : edit.orig_end] == "soldiers"


def test_phrase_swaps_of_different_lengths() -> None:
    spun = "Talks resumed in Would possibly after the vote. The party voted in opposition to the plan on Monday."
    original = "Talks resumed in May after the vote. The party voted against the plan on Monday."
    assert pairs(spun, original) == [("Would possibly", "May"), ("in opposition to", "against")]


def test_a_dropped_word_is_widened_to_a_phrase_swap() -> None:
    # "skin" became "pores and skin": the deletion is anchored on the content word it sits against.
    spun = "The lobster grows by shedding its pores and skin every single year."
    original = "The lobster grows by shedding its skin every single year."
    assert pairs(spun, original) == [("pores and skin", "skin")]
    spun = "He was one in every of the first to arrive at the hall that night."
    original = "He was one of the first to arrive at the hall that night."
    assert pairs(spun, original) == [("one in every of", "one of")]


def test_word_for_word_swaps_are_separate_gold_edits_but_one_phrase_swap() -> None:
    spun = "The firm filed for chapter safety on Sunday in New Jersey."
    original = "The firm filed for bankruptcy protection on Sunday in New Jersey."
    assert pairs(spun, original) == [("chapter", "bankruptcy"), ("safety", "protection")]
    [swap] = phrase_swaps(spun, original, context=2)
    assert (swap.spun, swap.original) == ("chapter safety", "bankruptcy protection")
    assert swap.before == ("filed", "for")
    assert swap.after == ("on", "sunday")
    assert "chapter safety" in swap.sentence


def test_style_only_differences_are_not_edits() -> None:
    spun = "The U.S. firm said it “won’t” close. THE SHOPS STAY OPEN, it said."
    original = 'The US firm said it "won\'t" close. The shops stay open, it said.'
    assert gold_edits(spun, original) == []


def test_furniture_and_an_extra_paragraph_are_not_aligned() -> None:
    spun = (
        "Skip to content\n"
        "The corporate mentioned on Friday it would close ten stores in the state.\n"
        "Shoppers were told to use their gift cards before the end of the month.\n"
        "Meanwhile, the chain's rivals have been opening new branches across the country and beyond."
    )
    original = (
        "Click the button to read more. Advertisement\n"
        "The company said on Friday it would close ten stores in the state.\n"
        "Shoppers were told to use their gift cards before the end of the month."
    )
    alignment = align(spun, original)
    assert [(e.spun, e.original) for e in alignment.edits] == [("corporate", "company"), ("mentioned", "said")]
    assert len(alignment.regions) == 2
    extra = spun.index("Meanwhile")
    furniture = spun.index("Skip")
    assert not alignment.judges(extra, extra + 9)
    assert not alignment.judges(furniture, furniture + 4)
    inside = spun.index(" ten ") + 1
    assert alignment.judges(inside, inside + 3)
    assert all(r.similarity > 0.5 for r in aligned_regions(spun, original))


def test_a_rewritten_stretch_is_divergent_not_gold() -> None:
    spun = "The retailer said on Tuesday that sales fell sharply, hurt by inflation and weak demand over the holidays."
    original = (
        "The retailer said on Tuesday that revenue dropped because customers spent far less on furniture "
        "over the holidays."
    )
    alignment = align(spun, original)
    assert alignment.edits == ()
    [(start, end)] = alignment.divergent
    assert spun[start:end] == "sales fell sharply, hurt by inflation and weak demand"
    assert not alignment.judges(spun.index("inflation"), spun.index("inflation") + 9)


def test_sentences_split_at_line_breaks_and_sentence_ends() -> None:
    text = "Headline here\nFirst one. Second one! “Third,” he said. The U.S. economy grew, the U.S. said."
    spans = [text[s.start : s.end] for s in sentences(text)]
    # Spans run from the first word to the last; a full stop before a lower-case word ends nothing.
    assert spans == [
        "Headline here",
        "First one",
        "Second one",
        "Third,” he said",
        "The U.S. economy grew, the U.S. said",
    ]


def test_sentences_split_differently_still_align() -> None:
    spun = "The corporate mentioned it deliberate to cut back its places. It will sell most of its property."
    original = "The company said it planned to reduce its locations and will sell most of its assets."
    got = pairs(spun, original)
    assert ("corporate", "company") in got
    assert ("property", "assets") in got


def test_a_lone_heavily_spun_sentence_between_aligned_ones_is_paired() -> None:
    spun = (
        "The host opened the programme with the news from Washington today.\n"
        "Hiya, Brian.\n"
        "The reporter said that the chain would close more stores next year."
    )
    original = (
        "The host opened the programme with the news from Washington today.\n"
        "Hey, Brian.\n"
        "The reporter said that the chain would close more stores next year."
    )
    assert pairs(spun, original) == [("Hiya", "Hey")]


# Distinct invented words, so the aligner has exactly one right answer.
VOCAB = [f"w{i}x" for i in range(60)]
SPUNS = [f"z{i}q" for i in range(60)]


@settings(max_examples=60, deadline=None)
@given(
    length=st.integers(min_value=12, max_value=40),
    picks=st.sets(st.integers(min_value=0, max_value=39), max_size=12),
)
def test_isolated_swaps_are_recovered_exactly(length: int, picks: set[int]) -> None:
    # Swapped positions at least three apart, so each is anchored by agreeing words.
    chosen: list[int] = []
    for p in sorted(picks):
        if p < length and (not chosen or p - chosen[-1] >= 3):
            chosen.append(p)
    words = VOCAB[:length]
    spun_words = [SPUNS[i] if i in chosen else w for i, w in enumerate(words)]
    original, spun = " ".join(words) + ".", " ".join(spun_words) + "."
    edits = gold_edits(spun, original)
    assert [(e.spun, e.original) for e in edits] == [(SPUNS[i], VOCAB[i]) for i in chosen]
    restored = apply_edits(spun, [Edit(e.start, e.end, e.spun, e.original) for e in edits])
    assert restored == original


def test_seed_gold_edits_restore_the_hand_restored_original() -> None:
    import pytest

    if not SEED_ORIGINAL.is_file():
        pytest.skip("tests/data/seed000.original.txt is not written yet")
    from rapidfuzz.distance import Indel

    spun = SPUN_SEED.read_text(encoding="utf-8")
    original = SEED_ORIGINAL.read_text(encoding="utf-8")
    alignment = align(spun, original)
    found = {(e.spun, e.original) for e in alignment.edits}
    assert {("squaddies", "soldiers"), ("Would possibly", "May"), ("mins", "minutes")} <= found
    assert ("our bodies", "bodies") in found
    restored = apply_edits(spun, [Edit(e.start, e.end, e.spun, e.original) for e in alignment.edits])
    before = Indel.normalized_similarity(phrase_key(spun), phrase_key(original))
    after = Indel.normalized_similarity(phrase_key(restored), phrase_key(original))
    # Applying the gold edits brings the spun seed most of the way back; what is left is divergent text.
    assert before < 0.75
    assert after > 0.95
    assert len(alignment.edits) > 200


def test_a_long_document_aligns_sentence_by_sentence() -> None:
    spun = "The squaddies marched into the town at dawn. Nobody saw them leave the square.\n" * 300
    original = "The soldiers marched into the town at dawn. Nobody saw them leave the square.\n" * 300
    edits = gold_edits(spun, original)
    assert len(edits) == 300
    assert {(e.spun, e.original) for e in edits} == {("squaddies", "soldiers")}
