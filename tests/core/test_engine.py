from __future__ import annotations

import pickle
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.core.engine import Engine, Selection, apply_edits, english_vocabulary, fix, select
from repair.core.model import Edit, Evidence, Safety, StaleEditError
from repair.core.vocabulary import VOCABULARY_SIZE
from repair.core.wordlists import load_path, parse

from ..conftest import CLEAN_SEED, SPUN_SEED


@pytest.fixture
def engine(small_wordlist: Path) -> Engine:
    return Engine([load_path(small_wordlist)])


def test_findings_carry_span_case_and_reason(engine: Engine) -> None:
    text = "Talks resumed in Would possibly.\nThe squaddies left."
    findings = engine.scan(text)
    by_spun = {f.spun: f for f in findings}
    may = by_spun["Would possibly"]
    assert text[may.start : may.end] == "Would possibly"
    assert may.suggestions == ("May",)
    assert (may.line, may.column) == (1, 18)
    soldiers = by_spun["squaddies"]
    assert soldiers.suggestions == ("soldiers",) and (soldiers.line, soldiers.column) == (2, 5)
    assert soldiers.reason.startswith("'squaddies' → 'soldiers'; listed as a spinner's swap")
    assert all(0.0 <= f.confidence <= 1.0 for f in findings)


def test_ambiguous_words_need_evidence(engine: Engine) -> None:
    lonely = engine.scan("A spherical table stood in the hall.")
    assert [f.safety for f in lonely] == [Safety.CHOOSE]
    assert lonely[0].confidence < 0.3
    assert "reads as mostly clean" in lonely[0].reason
    dense = engine.scan(
        "A 3rd spherical of talks resumed in Would possibly; the squaddies and our bodies "
        "were in opposition to it, and Russia helps to keep insisting."
    )
    round_ = next(f for f in dense if f.spun == "spherical")
    assert round_.confidence > lonely[0].confidence + 0.3
    assert "reads as spun" in round_.reason
    # In a whole spun page, the same ordinary word is fixed without a reviewer.
    seed = next(f for f in Engine().scan(SPUN_SEED.read_text(encoding="utf-8")) if f.spun == "spherical")
    assert seed.safety is Safety.AUTO


def test_context_conditions_gate_entries(engine: Engine) -> None:
    assert [f.spun for f in engine.scan("US fingers deliveries")] == ["fingers"]
    assert engine.scan("her fingers were cold") == []


def test_doc_and_veto_conditions() -> None:
    wl = parse(
        "bosom -> breast ; doc=cancer\nnaive bayes -> naive bayes classifier ; not-doc=classifier\n"
        "gatherings -> clusters ; near=clustering ; window=3\n",
        name="t",
    )
    engine = Engine([wl])
    assert engine.scan("bosom pain") == []
    assert [f.suggestions for f in engine.scan("bosom cancer screening")] == [("breast",)]
    assert engine.scan("a naive bayes classifier") == []
    assert [f.spun for f in engine.scan("gatherings of the clustering kind")] == ["gatherings"]
    assert engine.scan("gatherings of people who like the clustering kind") == []


SOFT_VETO_LIST = (
    "in opposition to -> against\n"
    "mentioned -> said ; evidence ; not-after=that\n"
    "our bodies -> bodies\n"
    "squaddie -> soldier\n"
    "would possibly -> may\n"
    "zinger -> quip ; not-after=that\n"
)
DENSE_SPUN = (
    "The squaddies were in opposition to the plan in Would possibly, and our bodies of squaddies "
    "were in opposition to it. The commander mentioned that the squaddies would leave in Would possibly."
)


def test_a_fired_veto_on_an_evidence_entry_asks_for_strong_evidence() -> None:
    engine = Engine([parse(SOFT_VETO_LIST, name="t")], thesaurus=False)
    # Clean text: the veto holds, and the vetoed match is not even offered.
    assert engine.scan("The report mentioned that sales fell.") == []
    # Spun text: a vetoed match is kept only where the scorer would apply it unreviewed ...
    for finding in engine.scan(DENSE_SPUN):
        if finding.spun == "mentioned":
            assert finding.safety is Safety.AUTO
    # ... and the reason says why it needed more: with an auto threshold of 0 it is always kept.
    vetoed = Engine([parse(SOFT_VETO_LIST, name="t")], model=_always_auto(), thesaurus=False)
    mentioned = next(f for f in vetoed.scan(DENSE_SPUN) if f.spun == "mentioned")
    assert "usually meant" in mentioned.reason and mentioned.suggestions == ("said",)


def _always_auto():  # type: ignore[no-untyped-def]
    """The shipped model with an auto threshold of 0: every match is kept, so a vetoed one can be looked at."""
    from dataclasses import replace

    from repair.core.spinmodel import load_model

    return replace(load_model(), auto=0.0)


def test_the_thesaurus_is_asked_only_where_the_document_looks_spun(monkeypatch: pytest.MonkeyPatch) -> None:
    import repair.core.engine

    asked: list[int] = []
    real = repair.core.engine.thesaurus_spans

    def counting(text: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(repair.core.engine, "thesaurus_spans", counting)
    engine = Engine()
    clean = CLEAN_SEED.read_text(encoding="utf-8")
    assert not any(f.rule.startswith("thesaurus:") for f in engine.scan(clean)) and asked == []
    spun = SPUN_SEED.read_text(encoding="utf-8")
    assert any(f.rule.startswith("thesaurus:") for f in engine.scan(spun)) and asked[0] == len(spun)
    # recall mode looks closely at every document
    asked.clear()
    Engine(discover=True).scan(clean)
    assert asked == [len(clean)]


def test_vetoes_on_certain_entries_stay_hard() -> None:
    engine = Engine([parse(SOFT_VETO_LIST, name="t")])
    assert not [f for f in engine.scan(DENSE_SPUN.replace("mentioned", "zinger")) if f.spun == "zinger"]


def test_doc_phrases_must_occur_as_a_run_of_words() -> None:
    engine = Engine([parse("bosom -> breast ; doc=breast cancer\n", name="t")])
    assert engine.scan("bosom pain; cancer of the breast") == []
    assert [f.spun for f in engine.scan("bosom pain; breast-cancer screening")] == ["bosom"]


def test_ignore_skips_rules(small_wordlist: Path) -> None:
    engine = Engine([load_path(small_wordlist)], ignore=["small:squaddie"])
    assert engine.scan("the squaddies") == []


def test_apostrophe_style_follows_the_document() -> None:
    engine = Engine([parse("do now not -> don't\n", name="t")])
    assert engine.scan("I do now not know; it’s fine")[0].suggestions == ("don’t",)
    assert engine.scan("I do now not know; it's fine")[0].suggestions == ("don't",)


def test_fix_keeps_everything_outside_the_edits(engine: Engine) -> None:
    text = "\ufeffThe squaddies\r\nwere in opposition to it.\r\n"
    fixed, applied = fix(text, engine)
    assert fixed == "\ufeffThe soldiers\r\nwere against it.\r\n"
    assert len(applied) == 2


def test_selection_by_threshold_and_safety(engine: Engine) -> None:
    findings = engine.scan("A spherical table; the squaddies.")
    assert {f.spun for f in select(findings)} == {"squaddies"}
    assert {f.spun for f in select(findings, Selection(threshold=0.0, safety=Safety.CHOOSE))} == {
        "spherical",
        "squaddies",
    }
    assert select(findings, Selection(threshold=0.999)) == []


def test_stale_and_overlapping_edits_are_refused() -> None:
    with pytest.raises(StaleEditError):
        apply_edits("abc", [Edit(0, 1, "x", "y")])
    with pytest.raises(StaleEditError):
        apply_edits("abcdef", [Edit(0, 3, "abc", "x"), Edit(2, 4, "cd", "y")])
    with pytest.raises(StaleEditError):
        apply_edits("abc", [Edit(2, 9, "c", "y")])


@given(st.text())
def test_no_edits_returns_the_input_unchanged(text: str) -> None:
    assert apply_edits(text, []) == text


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(min_size=1))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if edits and a < edits[-1].end:
            continue
        edits.append(Edit(a, b, text[a:b], draw(st.text(max_size=5))))
    return text, edits


@given(text_and_edits())
def test_edits_change_nothing_outside_their_spans(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    out = apply_edits(text, edits)
    cursor_in = cursor_out = 0
    for edit in edits:
        gap = edit.start - cursor_in
        assert out[cursor_out : cursor_out + gap] == text[cursor_in : edit.start]
        cursor_out += gap
        assert out[cursor_out : cursor_out + len(edit.replacement)] == edit.replacement
        cursor_out += len(edit.replacement)
        cursor_in = edit.end
    assert out[cursor_out:] == text[cursor_in:]


@cache
def _tiny_engine() -> Engine:
    return Engine([parse("squaddie -> soldier\nwould possibly -> may\n", name="t")])


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab squaddies Would possibly-\n\r’'.,\ufeff"), max_size=80))
def test_fix_on_any_text_only_touches_findings(text: str) -> None:
    fixed, applied = fix(text, _tiny_engine())  # one engine for every example: it keeps no state between scans
    assert apply_edits(text, [Edit.from_finding(f) for f in applied]) == fixed
    if not applied:
        assert fixed == text


def test_shipped_engine_on_the_seeds() -> None:
    """The shipped list finds spins in the spun seed and (almost) nothing to fix in the clean one."""
    engine = Engine()
    spun = SPUN_SEED.read_text(encoding="utf-8")
    clean = CLEAN_SEED.read_text(encoding="utf-8")
    assert len(select(engine.scan(spun))) >= 40
    words = len(clean.split())
    assert len(select(engine.scan(clean))) <= words / 1000


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        # "Chapter" before a number is the US bankruptcy code's chapter, however it is introduced
        ("The restaurant chain's Chapter 11 case was funded with new debt.", []),
        ("The retailer's Chapter 7 filing came a week later.", []),
        ("The company filed for Chapter 11 protection.", []),
        # the spinner's "chapter" for "bankruptcy" is still restored
        ("The restaurant chain's chapter was expected.", ["chapter"]),
        ("The firm filed for chapter protection last week.", ["chapter"]),
    ],
)
def test_chapter_is_a_spin_of_bankruptcy_only_without_a_number_after_it(text: str, fixed: list[str]) -> None:
    assert [f.spun for f in select(Engine().scan(text))] == fixed


def test_shorter_phrase_gets_its_turn_when_the_longer_ones_conditions_fail() -> None:
    lines = "genuine -> true ; near=tp\ngenuine positive -> true positive ; doc=classifier\n"
    engine = Engine([parse(lines, name="t")])
    assert [(f.spun, f.suggestions) for f in engine.scan("a genuine positive (tp) rate")] == [("genuine", ("true",))]


def test_an_entrys_base_form_beats_another_entrys_inflection() -> None:
    # "proceed -> continue" inflects to "proceeded -> continued"; the entry written for "proceeded" wins.
    wordlist = parse("proceed -> continue\nproceeded -> went on\n", name="t")
    assert Engine([wordlist]).scan("talks proceeded")[0].rule == "t:proceeded"
    assert Engine([wordlist]).scan("talks proceeded")[0].suggestions[0] == "went on"
    assert Engine([wordlist]).scan("talks proceeds")[0].suggestions == ("continues",)


def test_document_conditions_are_judged_per_document() -> None:
    # The phrase lookup is memoised per scan; a result must never leak into the next document.
    engine = Engine([parse("bosom -> breast ; doc=breast cancer\n", name="t")])
    many = "bosom pain. " * 50
    assert len(engine.scan(many + "breast cancer")) == 50
    assert engine.scan(many) == []
    assert len(engine.scan("breast cancer. " + many)) == 50


def test_each_document_condition_is_answered_for_itself() -> None:
    # The answer to a `doc=` condition is kept per document and per condition: one
    # condition's answer must never stand in for another's.
    engine = Engine([parse("bosom -> breast ; doc=cancer\ngrowth -> tumour ; doc=oncology\n", name="t")])
    text = "bosom and growth. bosom and growth. "
    assert [f.spun for f in engine.scan(text + "cancer")] == ["bosom", "bosom"]
    assert [f.spun for f in engine.scan(text + "oncology")] == ["growth", "growth"]
    assert [f.spun for f in engine.scan("cancer oncology " + text)] == ["bosom", "growth"] * 2


def test_evidence_counts_the_likely_swaps_around_a_finding(engine: Engine) -> None:
    # "in opposition to" is a likely swap a few words after "squaddies": it counts as evidence
    # nearby there, but not for a squaddie far away (beyond ~40 words) in the same document.
    near = engine.scan("The squaddies were in opposition to the plan.")[0]
    assert near.spun == "squaddies" and near.evidence["nearby"] > 0.5
    far_text = "The squaddies left. " + "Nothing else happened that day. " * 40 + "They were in opposition to it."
    far = engine.scan(far_text)[0]
    assert far.spun == "squaddies" and far.evidence["nearby"] < 0.05
    assert far.confidence <= near.confidence
    with pytest.raises(KeyError):
        near.evidence["no such feature"]
    # findings stay hashable values: equal findings, equal hashes
    again = engine.scan("The squaddies were in opposition to the plan.")[0]
    assert again == near and hash(again) == hash(near) and again.evidence == near.evidence


def test_findings_come_back_equal_from_a_worker_process() -> None:
    # `-j N` workers send findings back pickled; "LM not consulted" is None in the evidence,
    # and a finding must still equal itself (and hash alike) after the trip.
    findings = Engine().scan(SPUN_SEED.read_text(encoding="utf-8"))
    assert all(f.evidence["lm"] is not None for f in findings if f.suggestions)
    findings.append(Engine([parse("our bodies -> ; flag\n", name="t")]).scan("our bodies")[0])
    assert findings[-1].evidence["lm"] is None
    again = pickle.loads(pickle.dumps(findings))
    assert again == findings and list(map(hash, again)) == list(map(hash, findings))
    assert again[0].safety is findings[0].safety  # enum members come back as themselves


def test_a_pickled_engine_leaves_behind_its_memo_keyed_by_this_process_objects() -> None:
    engine = Engine()
    text = SPUN_SEED.read_text(encoding="utf-8")
    findings = engine.scan(text)
    assert engine._proposals  # filled by the scan
    copy = pickle.loads(pickle.dumps(engine))
    assert copy._proposals == {} and copy.scan(text) == findings


def test_evidence_names_and_values_must_pair_up() -> None:
    with pytest.raises(ValueError, match="2 evidence names for 1 values"):
        Evidence(("a", "b"), (1.0,))
    assert dict(Evidence(("a",), (1.0,))) == {"a": 1.0} and dict(Evidence()) == {}
    assert Evidence(("a",), (None,)) == Evidence(("a",), (None,))


def test_the_reason_reports_the_language_models_preference_in_nats(engine: Engine) -> None:
    text = (
        "A 3rd spherical of talks resumed in Would possibly; the squaddies and our bodies were in opposition to it, "
        "and Russia helps to keep insisting."
    )
    spherical = next(f for f in engine.scan(text) if f.spun == "spherical")
    nats = spherical.evidence["lm"]
    assert nats is not None and nats > 0
    assert f"the language model prefers 'round' by {nats:.1f} nats" in spherical.reason
    moment = Engine([parse("moment -> second ; evidence\n", name="t")]).scan("It was the moment of truth.")[0]
    assert moment.evidence["lm"] < 0 and "prefers the text as written by" in moment.reason


def test_near_conditions_match_words_and_phrases_on_either_side() -> None:
    engine = Engine([parse("spherical -> round ; near=peace talks,negotiations ; window=4\n", name="t")])
    assert [f.spun for f in engine.scan("the third spherical of peace talks began")] == ["spherical"]
    assert [f.spun for f in engine.scan("negotiations: a new spherical began")] == ["spherical"]
    assert engine.scan("a spherical table near the peace garden where talks began") == []


def test_the_vocabulary_is_wordfreqs_top_words() -> None:
    top_n_list = pytest.importorskip("wordfreq").top_n_list  # a test-time dependency only
    assert english_vocabulary() == frozenset(top_n_list("en", VOCABULARY_SIZE, wordlist="large"))


CHAIN_LIST = (
    "squaddie -> soldier\nthru -> via ; evidence\nvia -> by\nin opposition to -> against\nwould possibly -> may\n"
)
CHAIN_TEXT = (
    "The squaddies were in opposition to the plan in Would possibly; the squaddies came thru the gate, "
    "and the squaddies stood in opposition to it again in Would possibly."
)


def test_a_chain_of_fixes_is_one_finding_so_a_second_fix_changes_nothing() -> None:
    # "thru" -> "via" writes a phrase the same lists would fix again ("via" -> "by"): the scan folds
    # the two into one finding of the original text, so fixing once leaves nothing to fix.
    engine = Engine([parse(CHAIN_LIST, name="t")], model=_always_auto(), thesaurus=False)
    once, applied = fix(CHAIN_TEXT, engine)
    assert "came by the gate" in once
    folded = next(f for f in applied if f.spun == "thru")
    assert folded.suggestions == ("by",) and "; then " in folded.reason
    again, more = fix(once, engine)
    assert (again, more) == (once, [])


def test_a_fix_that_makes_a_neighbours_condition_hold_is_applied_in_the_same_pass() -> None:
    # Fixing "mighty" writes "crucial", and "enhance" after "crucial" is "support": the scan places the
    # neighbour's finding in the original text, so fixing once leaves nothing to fix.
    lines = "mighty -> crucial\nenhance -> support ; before=crucial\n"
    engine = Engine([parse(lines, name="t")], model=_always_auto(), thesaurus=False)
    text = "Allies pledged mighty enhance to Kyiv.\nAnother line keeps the offsets honest."
    assert [f.spun for f in engine.scan(text)] == ["mighty", "enhance"]
    once, applied = fix(text, engine)
    assert once.startswith("Allies pledged crucial support to Kyiv.")
    neighbour = applied[1]
    assert (neighbour.start, neighbour.line, neighbour.column) == (22, 1, 23)
    assert text[neighbour.start : neighbour.end] == "enhance"
    assert fix(once, engine) == (once, [])


def test_a_fix_that_raises_a_far_finding_is_applied_in_the_same_pass() -> None:
    # Fuzz seed 12460 (tests/benchmarks/fuzz.py): on the fixed text a thesaurus finding some 60 characters from
    # any replacement rose from 0.41 (choose) to 0.83 (auto), so a second `fix` changed it.
    import random

    from ..fuzzing import random_text

    engine = Engine()
    text = random_text(random.Random(12460))
    once, _ = fix(text, engine)
    assert fix(once, engine)[0] == once


@pytest.mark.parametrize("least", [0.3, 0.5, 0.9])
def test_findings_below_least_are_left_out_unmade_and_the_rest_are_the_same(
    least: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clean seed has many ordinary-English spans far below any threshold; the spun one has
    # `auto` fixes that settling needs whatever `least` is (0.9 is above `auto`).
    engine = Engine()
    real = Engine._finding
    made = 0

    def counted(self: Engine, doc: object, s: object) -> object:
        nonlocal made
        made += 1
        return real(self, doc, s)  # type: ignore[arg-type]

    for seed in (CLEAN_SEED, SPUN_SEED):
        text = seed.read_text(encoding="utf-8")
        everything = engine.scan(text)
        made = 0
        monkeypatch.setattr(Engine, "_finding", counted)
        some = engine.scan(text, least=least)
        monkeypatch.setattr(Engine, "_finding", real)
        assert [f for f in some if f.confidence >= least] == [f for f in everything if f.confidence >= least]
        assert {f for f in everything if f.safety is Safety.AUTO} <= set(some)
        assert made < len(everything)  # not made at all, rather than made and dropped


def test_the_reason_counts_the_likely_swaps_around_in_words(engine: Engine) -> None:
    # "about 0 other likely swaps" reads as a slip: a lone finding says there is none around it.
    lone = engine.scan("The squaddies went home.")[0]
    assert lone.evidence["nearby"] < 0.5
    assert "no other likely swap within ~40 words" in lone.reason and "about 0" not in lone.reason
    text = "A 3rd spherical of talks resumed in Would possibly; the squaddies and our bodies were in opposition to it."
    crowded = next(f for f in engine.scan(text) if f.spun == "squaddies")
    assert crowded.evidence["nearby"] >= 1.5
    assert f"about {crowded.evidence['nearby']:.0f} other likely swaps within ~40 words" in crowded.reason
