"""Learning wordlist entries from spun/original pairs and from review decisions (repair.tools.learn*)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.cli import main
from repair.core.engine import Engine, Selection, fix
from repair.core.model import Safety
from repair.core.wordlists import format_entry, lint, parse
from repair.edge.decisions import Action, Decision, DecisionFile, save
from repair.tools.align import align
from repair.tools.judge import judge
from repair.tools.learn import Pair, learn, merge_into, observe
from repair.tools.learn_decisions import propose_from_decisions, tally

from ..conftest import SPUN_SEED

# Pairs written for these tests (not real articles).
ORIGINAL_1 = (
    "The soldiers said the company will keep its stores open all winter. Many customers were happy about it.\n"
    "The council met in May to discuss the plan for the old harbour.\n"
)
SPUN_1 = (
    "The squaddies mentioned the corporate will helps to keep its shops open all winter. Many shoppers were "
    "satisfied about it.\nThe council met in Would possibly to talk about the plan for the old harbour.\n"
)
ORIGINAL_2 = (
    "Red Harbour said the company sold 2020 boats last year. The soldiers stood against the wall of the fort.\n"
    "Its stores will stay open while the company looks for a buyer.\n"
)
SPUN_2 = (
    "Purple Harbour mentioned the corporate sold 2021 boats final yr. The squaddies stood in opposition to the "
    "wall of the fort.\nIts shops will keep open whilst the corporate seems for a purchaser.\n"
)
PAIRS = [Pair("one", SPUN_1, ORIGINAL_1), Pair("two", SPUN_2, ORIGINAL_2)]


def _lines() -> dict[str, str]:
    return {e.spun: format_entry(e) for e in learn(PAIRS).entries}


def test_swaps_are_counted_across_pairs_with_an_example() -> None:
    lines = _lines()
    assert lines["squaddies"].startswith("squaddies -> soldiers ; count=2 ; stories=2 ; example=")
    assert "corporate" in lines and "count=3" in lines["corporate"]
    assert lines["in opposition to"].startswith("in opposition to -> against ; count=1")
    assert lines["helps to keep"].startswith("helps to keep -> keep ;")
    assert lines["talk about"].startswith("talk about -> discuss ;")
    for entry in learn(PAIRS).entries:
        assert entry.spun in " ".join(entry.example.lower().split()), entry


def test_noise_is_dropped_and_reported() -> None:
    learned = learn(PAIRS)
    spuns = {e.spun for e in learned.entries}
    assert "purple" not in spuns  # a name: capitalised inside a sentence
    assert "would possibly" not in spuns  # "in Would possibly" stands for the month
    assert not any(ch.isdigit() for s in spuns for ch in s)
    reasons = {(d.spun, d.reason.split(":")[0]) for d in learned.dropped}
    assert ("purple", "name") in reasons
    assert ("2021", "number") in reasons
    assert learned.dropped_by_reason()["name"] >= 2


def test_ordinary_words_need_evidence_and_rare_ones_do_not() -> None:
    learned = {e.spun: e for e in learn(PAIRS).entries}
    assert learned["squaddies"].ambiguous is False
    assert learned["mentioned"].ambiguous is True  # common English
    assert learned["shops"].ambiguous is True


def test_learned_list_is_lint_clean_and_fixes_its_pairs() -> None:
    learned = learn(PAIRS)
    text = "".join(format_entry(e) + "\n" for e in learned.entries)
    wordlist = parse(text, name="learned")
    assert lint(wordlist) == []
    engine = Engine([wordlist], near=False)
    fixed, _ = fix(SPUN_2, engine, Selection(threshold=0.0, safety=Safety.CHOOSE))
    assert "The soldiers stood against the wall" in fixed
    assert "the company sold" in fixed and "Its stores" in fixed


def test_observe_splits_at_punctuation() -> None:
    pair = Pair("p", "The corporate, however, mentioned it.", "The company, but, said it.")
    kept, dropped = observe(pair)
    assert {(o.spun, o.original) for o in kept} >= {("corporate", "company"), ("however", "but")}
    assert dropped == []


def test_a_line_per_original_with_how_often_the_spun_phrase_was_left_alone() -> None:
    spun = "The corporate said it. The corporate sold it. The corporate stayed. We met the corporate."
    original = "The company said it. The firm sold it. The corporate stayed. We met the company."
    entries = [e for e in learn([Pair("x", spun, original)]).entries if e.spun == "corporate"]
    assert [(e.originals, e.count, e.kept, e.stories) for e in entries] == [
        (("company",), 2, 1, 1),
        (("firm",), 1, 1, 1),
    ]
    assert all(e.ambiguous for e in entries)  # two originals and once left alone: the scorer must decide


def test_pairs_of_one_story_count_as_one_story_and_examples_can_be_left_out() -> None:
    pairs = [Pair("a", SPUN_1, ORIGINAL_1, story="s"), Pair("b", SPUN_2, ORIGINAL_2, story="s")]
    learned = learn(pairs, examples=False)
    squaddies = next(e for e in learned.entries if e.spun == "squaddies")
    assert (squaddies.count, squaddies.stories) == (2, 1)
    assert all(e.example == "" for e in learned.entries)


def test_rare_swaps_can_be_required_twice() -> None:
    spuns = {e.spun for e in learn(PAIRS, min_count=2).entries}
    assert "squaddies" in spuns and "in opposition to" not in spuns


# ---------------------------------------------------------------- merging


def test_merge_keeps_comments_sorts_and_skips_duplicates() -> None:
    existing = "# header\nalpha -> a\n# a note about m\nmentioned -> said ; evidence\nzulu -> z\n"
    learned = learn(PAIRS).entries
    result = merge_into(existing, learned, name="mine")
    lines = result.text.splitlines()
    assert lines[0] == "# header" and "# a note about m" in lines and lines[-1] == "zulu -> z"
    assert "mentioned -> said ; evidence" in lines  # the existing line wins, untouched
    assert [e.spun for e in result.present] == ["mentioned"]
    merged = parse(result.text, name="mine")
    assert lint(merged) == []
    assert len(merged.entries) == 3 + len(result.added)
    # merging again changes nothing
    again = merge_into(result.text, learned, name="mine")
    assert again.text == result.text and again.added == ()


# ---------------------------------------------------------------- decisions


def _decision(key: str, action: Action, spun: str, replacement: str, rule: str) -> Decision:
    return Decision(key, 1, action, spun, replacement, rule, "2025-01-01T00:00:00Z")


DECISIONS = [
    _decision("k1", Action.EDIT, "squaddies", "troops", "news:squaddie"),
    _decision("k2", Action.EDIT, "squaddies", "troops", "news:squaddie"),
    _decision("k3", Action.REJECT, "spherical", "", "news:spherical"),
    _decision("k4", Action.REJECT, "Spherical", "", "news:spherical"),
    _decision("k5", Action.ACCEPT, "would possibly", "may", "news:would possibly"),
    _decision("k6", Action.REJECT, "would possibly", "", "news:would possibly"),
    _decision("k7", Action.EDIT, "brand new", "new", ""),
]
LIST = "spherical -> round ; evidence\nsquaddie -> soldier\nwould possibly -> may\n"


def test_decisions_become_a_patch_and_an_ignore_list() -> None:
    proposal = propose_from_decisions(tally([DECISIONS]), {"news": ("wordlists/news.txt", LIST)})
    assert proposal.ignore == ("news:spherical",)
    patch = proposal.patch
    assert patch.startswith("--- a/wordlists/news.txt\n+++ b/wordlists/news.txt\n")
    assert "-squaddie -> soldier\n" in patch
    assert "+squaddie -> troops, soldier ; choose\n" in patch  # typed more often than accepted
    assert "-would possibly -> may\n" in patch
    assert '+would possibly -> may ; choose ; reason="reviewers often reject it"\n' in patch  # rejected as often
    assert "-spherical" not in patch and "+spherical" not in patch  # ignored instead
    assert '+brand new -> new ; evidence ; reason="a reviewer\'s replacement" ; count=1\n' in patch
    assert [e.spun for e in proposal.additions] == ["brand new"]


def test_one_rejection_is_not_enough_to_ignore() -> None:
    proposal = propose_from_decisions(tally([DECISIONS[2:3]]), {"news": ("news.txt", LIST)})
    assert proposal.ignore == () and proposal.patch == ""


# ---------------------------------------------------------------- command line


def _pair_folder(root: Path) -> Path:
    folder = root / "pairs"
    folder.mkdir()
    for pair in PAIRS:
        (folder / f"{pair.name}.spun.txt").write_text(pair.spun, encoding="utf-8")
        (folder / f"{pair.name}.orig.txt").write_text(pair.original, encoding="utf-8")
    (folder / "lonely.spun.txt").write_text("no original here", encoding="utf-8")
    return folder


def test_cli_learn_from_a_folder_and_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _pair_folder(tmp_path)
    out = tmp_path / "learned.txt"
    assert main(["learn", str(folder), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Proposed by `repair learn` from 2 pairs")
    assert "squaddies -> soldiers ; count=2" in text
    assert lint(parse(text, name="learned")) == []
    assert "dropped" in capsys.readouterr().err
    spun, orig = folder / "two.spun.txt", folder / "two.orig.txt"
    assert main(["learn", "--spun", str(spun), "--original", str(orig)]) == 0
    assert "squaddies -> soldiers ; count=1" in capsys.readouterr().out


def test_cli_learn_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _pair_folder(tmp_path)
    target = tmp_path / "mine.txt"
    target.write_text("# mine\nzebra -> horse\n", encoding="utf-8")
    assert main(["learn", str(folder), "--merge", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and "zebra -> horse" in text and "squaddies -> soldiers" in text
    assert "merged" in capsys.readouterr().err
    assert main(["learn", str(folder), "--merge", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text


def test_cli_learn_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["learn"]) == 2
    assert main(["learn", "--spun", "a.txt"]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["learn", str(empty)]) == 2
    assert "no NAME.spun.txt" in capsys.readouterr().err


def test_cli_learn_decisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    news = tmp_path / "news.txt"
    news.write_text(LIST, encoding="utf-8")
    saved = tmp_path / "article.repair-decisions.jsonl"
    save(saved, DecisionFile("article.txt", "0" * 64, {d.slot: d for d in DECISIONS}))
    patch, ignore = tmp_path / "news.patch", tmp_path / "ignore.txt"
    args = ["learn", "--decisions", str(saved), "--against", str(news), "-o", str(patch), "--ignore-out", str(ignore)]
    assert main(args) == 0
    assert "+squaddie -> troops, soldier ; choose" in patch.read_text(encoding="utf-8")
    assert ignore.read_text(encoding="utf-8").splitlines()[1:] == ["news:spherical"]
    assert "7 decisions on 4 rules" in capsys.readouterr().err


def test_a_learned_swap_in_its_examples_very_words_is_fixed_by_default() -> None:
    # One pair's list has count=1 everywhere: the model alone trusts such a swap little. Where the
    # example's neighbouring words are the text's, the list saw this very sentence (the page it was
    # learned from, or another copy the spinner made of the article): the fix is applied.
    example = "United said it plans to chop flights starting this summer"
    line = f'chop -> cut ; evidence ; count=1 ; stories=1 ; example="{example}"\n'
    engine = Engine([parse(line, name="learned")], thesaurus=False)
    here = engine.scan("Delta plans to chop flights starting in May.")
    assert [(f.spun, f.safety, f.replacement) for f in here] == [("chop", Safety.AUTO, "cut")]
    assert here[0].confidence >= 0.95 and "these very words" in here[0].reason
    elsewhere = engine.scan("They chop wood behind the barn.")
    assert [f.spun for f in elsewhere] == ["chop"]
    assert elsewhere[0].safety is Safety.CHOOSE and "these very words" not in elsewhere[0].reason


def test_a_list_learned_from_the_seed_restores_most_of_the_seed_with_default_fix() -> None:
    original = (Path(__file__).parents[1] / "data" / "seed000.original.txt").read_text(encoding="utf-8")
    spun = SPUN_SEED.read_text(encoding="utf-8")
    learned = learn([Pair("seed", spun, original)])
    wordlist = parse("".join(format_entry(e) + "\n" for e in learned.entries), name="learned")
    engine = Engine([wordlist])
    alignment = align(spun, original)
    fixed = [f for f in engine.scan(spun) if f.safety is Safety.AUTO]
    verdicts, golds = judge(spun, alignment, fixed)
    restored = sum(ok for _, ok, _ in golds) / len(golds)
    right = sum(v.status == "right" for v in verdicts) / sum(v.status in ("right", "wrong") for v in verdicts)
    assert restored >= 0.75 and right >= 0.95  # 0.50 and 1.00 before examples counted as evidence
