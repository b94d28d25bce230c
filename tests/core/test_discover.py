"""Discovery of spun words no wordlist lists: the gate, the evidence, what is skipped, and the Finding fields."""

from __future__ import annotations

from repair.core.candidates import FEATURES, Span, thesaurus_spans
from repair.core.discover import suspects
from repair.core.text import lowered

SPUN = "Officials held a spherical of talks with the union on Monday."


def find(text: str, taken: list[tuple[int, int]] | None = None) -> list[Span]:
    return thesaurus_spans(text, lowered(text), taken or [])


def by_word(spans: list[Span]) -> dict[str, Span]:
    return {s.spun: s for s in spans}


def test_a_spun_word_gets_its_original_first() -> None:
    span = by_word(find(SPUN))["spherical"]
    assert span.options[0].original == "round" and span.options[0].rule == "thesaurus:spherical"
    assert SPUN[span.start : span.end] == "spherical" and span.thesaurus
    assert len(span.lm) == len(span.options) and span.lm[0] > 0  # the LM prefers "a round of talks"


def test_options_carry_the_thesaurus_evidence() -> None:
    option = by_word(find(SPUN))["spherical"].options[0]
    features = dict(zip(FEATURES, option.features, strict=True))
    assert features["thesaurus"] == 1.0 and features["listed"] == 0.0 and features["learned"] == 0.0
    assert features["thesaurus_rank"] == 0.0 and features["log_share"] > -7


def test_the_context_ranks_the_candidates() -> None:
    # "a spherical table" is round too, but "a spherical of talks" leans on "round" much more.
    talks = by_word(find(SPUN))["spherical"]
    table = by_word(find("They sat at a spherical table."))["spherical"]
    assert talks.lm[0] > table.lm[0]


# --- what is skipped ---------------------------------------------------------------------------


def test_words_the_wordlist_matched_are_skipped() -> None:
    start = SPUN.index("spherical")
    assert "spherical" not in by_word(find(SPUN, [(start, start + len("spherical"))]))
    # A span covering the word and its neighbour counts as well.
    assert "spherical" not in by_word(find(SPUN, [(start - 2, start + 12)]))


def test_function_words_numbers_names_and_capitals_are_skipped() -> None:
    text = "The nation\u2019s leaders met in 2024 with two SPHERICAL groups and Spherical Holdings."
    flagged = {text[f.start : f.end] for f in find(text)}
    for skipped in ("The", "in", "2024", "two", "with", "and", "SPHERICAL", "Spherical", "Holdings"):
        assert skipped not in flagged


def test_quotations_are_skipped_only_when_the_spinner_left_them_alone() -> None:
    text = "The firm said: \u201cThe spherical plan is dead.\u201d Officials held a spherical of talks."
    inside, outside = text.index("spherical"), text.rindex("spherical")
    found = {f.start for f in find(text)}
    assert outside in found and inside not in found
    # A wordlist match inside a quotation shows the spinner spun quotations too.
    plan = text.index("plan")
    found = {f.start for f in find(text, [(plan, plan + 4)])}
    assert inside in found and outside in found


def test_unknown_words_give_no_finding() -> None:
    assert find("The zzqxv said qqzvx would blorf.") == []


def test_suspects_rank_by_choice_and_can_include_matched_words() -> None:
    start = SPUN.index("spherical")
    taken = [(start, start + len("spherical"))]
    assert not [s for s in suspects(SPUN, lowered(SPUN), taken) if s.word == "spherical"]
    found = [s for s in suspects(SPUN, lowered(SPUN), taken, include_taken=True) if s.word == "spherical"]
    assert found and [o.choice for o in found[0].options] == sorted((o.choice for o in found[0].options), reverse=True)


def test_a_capitalised_word_starting_a_sentence_or_line_is_looked_at_and_one_inside_a_sentence_is_not() -> None:
    text = "They met. Spherical talks ran! Spherical talks\nSpherical talks? Spherical talks, then Spherical talks."
    starts = [i for i in range(len(text)) if text.startswith("Spherical", i)]
    found = {s.start for s in find(text) if s.spun == "spherical"}
    assert found == set(starts[:4])  # after ".", "!", a line break and "?"; not after ", then"
