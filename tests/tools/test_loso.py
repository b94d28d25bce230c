"""Leave one story out on the development pairs (skipped where ../shared is absent; slow: it fits models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.tools.evaluate import clean_totals, totals
from repair.tools.loso import leave_one_story_out, read_corpus


@pytest.mark.slow
def test_held_out_stories_are_restored_and_their_originals_left_alone(shared: Path) -> None:
    corpus = read_corpus([shared / "devpairs" / "more"])
    # Two stories, each fixed by a list and model that never saw it.
    results = leave_one_story_out(corpus, stories=["gap", "dollargeneral"])
    assert [r.story for r in results] == ["gap", "dollargeneral"]
    target = [p for r in results for p in r.pairs if p.group == "target"]
    figures = totals(target)
    assert figures["recall"] >= 0.3 and figures["precision"] >= 0.85, figures
    assert clean_totals([c for r in results for c in r.clean])["false_fixes"] <= 1


def test_a_story_never_teaches_its_own_learned_list() -> None:
    from repair.tools.loso import Corpus

    corpus = Corpus()
    corpus.add("a-1", "a", "The squaddies left.", "The soldiers left.")
    corpus.add("b-1", "b", "The corporate left. They mentioned it.", "The company left. They said it.")
    without_a = {e.spun for e in corpus.learned(frozenset({"a"})).entries}
    assert "squaddies" not in without_a and "corporate" in without_a
    assert {d.story for d in corpus.docs} == {"a", "b"} and len(corpus.docs) == 4  # two spun pages, two originals
