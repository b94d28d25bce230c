"""Mining spun pages without originals for recurring swaps (repair.tools.mine), and how the mined swaps flow."""

from __future__ import annotations

from pathlib import Path

from repair.core.candidates import FEATURES
from repair.core.engine import Engine
from repair.core.wordlists import Wordlist, format_entry, parse_line
from repair.tools.loso import Corpus
from repair.tools.mine import MIN_STORIES, mined_swaps, recurring, survey

# Pages of different stories, each with the spinner's "mentioned" for "said"; one of them also has a one-off.
RECURRING = "The chief executive mentioned on Tuesday that sales had fallen."
ONE_OFF = "He made the announcement at a information conference."
PAGES = {
    "alpha": f"Alpha Corp cut its forecast. {RECURRING} {ONE_OFF}",
    "beta": f"Beta Foods closed ten stores. {RECURRING}",
    "gamma": f"Gamma Air added new routes. {RECURRING}",
}


def _surveyed() -> list:
    return [survey(f"{story}-page", story, text) for story, text in PAGES.items()]


def test_a_swap_sighted_in_several_stories_is_mined_and_a_one_off_is_not() -> None:
    pages = _surveyed()
    sighted = {(s.spun, s.original) for p in pages for s in p.sightings}
    one_off = {swap for swap in sighted if swap[0] == "information"}
    assert one_off, sighted  # the LM wants "information" replaced on its page ...
    mined = {(spun, original): stories for spun, original, stories in mined_swaps(pages)}
    assert ("mentioned", "said") in mined and mined["mentioned", "said"] == len(PAGES)
    assert not one_off & set(mined)  # ... but one story is not a habit
    assert all(stories >= MIN_STORIES for stories in mined.values())


def test_pages_of_one_story_count_once() -> None:
    same_story = [survey(f"alpha-{k}", "alpha", PAGES["alpha"]) for k in range(len(PAGES))]
    assert recurring(same_story) == {}
    pages = [*_surveyed(), survey("alpha-copy", "alpha", PAGES["alpha"])]
    observations = [o for found in recurring(pages).values() for o in found if o.spun == "mentioned"]
    assert len(observations) == len(PAGES) and all(o.mined for o in observations)


def test_the_held_out_story_is_never_mined_and_mined_swaps_are_marked_in_the_learned_list() -> None:
    corpus = Corpus()
    for story, text in PAGES.items():
        corpus.add_unpaired(f"{story}-page", story, text)
    corpus.add_unpaired("other-page", "other", PAGES["beta"], family="other")  # not a thesaurus spinner: not read
    assert len(corpus.surveyed) == len(PAGES)
    learned = {e.spun: e for e in corpus.learned().entries}
    assert learned["mentioned"].originals == ("said",)
    assert learned["mentioned"].mined == learned["mentioned"].count == learned["mentioned"].stories == len(PAGES)
    # Holding out one story leaves two stories' sightings: too few, so nothing of it is mined.
    for story in PAGES:
        held = frozenset({story})
        assert corpus.mined(held) == []
        assert all(e.mined == 0 for e in corpus.learned(held).entries)


def test_a_pair_of_the_story_is_not_counted_again_by_mining() -> None:
    corpus = Corpus()
    for story, text in PAGES.items():
        corpus.add_unpaired(f"{story}-page", story, text)
    corpus.add("alpha-pair", "alpha", "The boss mentioned it.", "The boss said it.")
    entry = next(e for e in corpus.learned().entries if e.spun == "mentioned")
    assert (entry.count, entry.mined, entry.stories) == (len(PAGES), len(PAGES) - 1, len(PAGES))


def test_mined_counts_round_trip_and_reach_the_scorer_as_a_share() -> None:
    line = "mentioned -> said ; evidence ; count=4 ; stories=3 ; mined=3"
    entry = parse_line(line, source="spinner")
    assert entry is not None and entry.mined == 3
    assert format_entry(entry) == line
    engine = Engine([Wordlist("spinner", (entry,))], thesaurus=False)
    (span,) = engine.analyse("They mentioned it.").spans
    (option,) = span.options
    assert option.features[FEATURES.index("mined")] == 3 / 4
    assert option.features[FEATURES.index("learned")] == 1.0


def test_the_development_corpus_is_mined_only_when_asked(tmp_path: Path) -> None:
    from repair.tools.loso import read_corpus

    for story, text in PAGES.items():
        (tmp_path / f"{story}-page.spun.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"{story}-page.url").write_text("spun: (a test page)\nnote: mentioned=said\n", encoding="utf-8")
    assert read_corpus([tmp_path]).surveyed == []
    mined = read_corpus([tmp_path], mine=True)
    assert sorted(p.story for p in mined.surveyed) == sorted(PAGES)
