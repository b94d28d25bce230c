"""Tracing a spun text back to its original (repair.tools.trace)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import main
from repair.core.engine import Engine
from repair.core.wordlists import parse
from repair.edge.setup import EngineSettings, engine_for
from repair.tools.trace import aligned_sentences, despin, rank, split_sentences

# Three short articles on one topic, written for these tests, and a spun copy of the second.
HARBOUR_A = (
    "The old harbour will close next month, the city council said on Monday. "
    "Fishing boats have used the harbour for two hundred years. "
    "Local traders fear the closure will hurt the town."
)
HARBOUR_B = (
    "The city council has voted to sell the old harbour to a private company. "
    "The soldiers who guard the fort will stay until the sale is complete. "
    "Many residents said they were against the plan and will protest in May. "
    "The company plans to build houses and shops along the water."
)
HARBOUR_C = (
    "Tourists still visit the harbour in summer, when the ferries run every hour. "
    "A new museum about the fort opened last year and drew large crowds. "
    "The council hopes the museum will bring more visitors to the water."
)
SPUN_B = (
    "The town council has voted to promote the outdated harbour to a personal corporate. "
    "The squaddies who guard the fort will keep till the sale is whole. "
    "Many citizens mentioned they had been in opposition to the plan and can protest in Would possibly. "
    "The corporate plans to construct homes and retail outlets alongside the water."
)
WORDLIST = (
    "corporate -> company\n"
    "in opposition to -> against\n"
    "mentioned -> said ; evidence\n"
    "outdated -> old ; evidence\n"
    "personal -> private ; evidence\n"
    "promote -> sell ; evidence\n"
    "retail outlets -> stores\n"
    "squaddie -> soldier\n"
    "would possibly -> may\n"
)
CORPUS = [("a.txt", HARBOUR_A), ("b.txt", HARBOUR_B), ("c.txt", HARBOUR_C)]


def _engine() -> Engine:
    return Engine([parse(WORDLIST, name="small")], near=False)


def test_the_original_ranks_first_with_a_clear_gap() -> None:
    ranked = rank(SPUN_B, CORPUS, _engine())
    assert ranked[0].name == "b.txt"
    assert ranked[0].score - ranked[1].score >= 25
    assert ranked[0].matched == 1.0


def test_despinning_raises_the_score_of_the_original() -> None:
    plain = rank(SPUN_B, CORPUS)[0]
    despun = rank(SPUN_B, CORPUS, _engine())[0]
    assert plain.name == despun.name == "b.txt"
    assert despun.score > plain.score + 5


def test_despin_applies_choices_too() -> None:
    text = despin("The corporate mentioned it.", _engine())
    assert text == "The company said it."
    assert despin("unchanged", None) == "unchanged"


def test_aligned_sentences_pair_each_spun_sentence() -> None:
    pairs = aligned_sentences(SPUN_B, HARBOUR_B, _engine())
    assert len(pairs) == 4
    assert pairs[1].spun.text.startswith("The squaddies who guard")
    assert pairs[1].despun.startswith("The soldiers who guard")
    assert pairs[1].original is not None and pairs[1].original.text.startswith("The soldiers who guard")
    assert all(p.score > 60 for p in pairs)


def test_short_lines_are_not_sentences() -> None:
    assert [s.words for s in split_sentences("Business\nThe council met today.")] == ["the council met today"]


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for name, text in CORPUS:
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "sub" / "binary.txt").write_bytes(b"\x00\x01")
    spun = tmp_path / "spun.txt"
    spun.write_text(SPUN_B, encoding="utf-8")
    wordlist = tmp_path / "small.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    return corpus, spun, wordlist


def test_cli_trace_prints_ranking_and_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, spun, wordlist = _files(tmp_path)
    assert main(["trace", str(spun), "--corpus", str(corpus), "--wordlist", str(wordlist)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split() == ["score", "matched", "file"]
    assert lines[1].endswith("b.txt")
    assert "gap to the next file" in captured.out
    assert "de-spun:  The soldiers who guard the fort will keep" in captured.out
    assert "original: The soldiers who guard the fort" in captured.out
    assert "binary" in captured.err  # unreadable files are skipped with a warning


def test_cli_trace_json_and_no_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, spun, wordlist = _files(tmp_path)
    args = ["trace", str(spun), "--corpus", str(corpus), "--wordlist", str(wordlist), "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["likely_original"].endswith("b.txt")
    assert data["matches"][0]["score"] > data["matches"][1]["score"] + 25
    (corpus / "b.txt").unlink()
    assert main(["trace", str(spun), "--corpus", str(corpus), "--no-despin"]) == 1
    assert "probably not in" in capsys.readouterr().out


def test_cli_trace_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, spun, _ = _files(tmp_path)
    assert main(["trace", str(spun), "--corpus", str(tmp_path / "nowhere")]) == 2
    assert main(["trace", str(tmp_path / "missing.txt"), "--corpus", str(corpus)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unrelated_text_scores_near_zero_and_the_true_original_first() -> None:
    """Chance similarity between unrelated English sentences is not evidence: it scores about 0, not 40-odd."""
    from ..conftest import CLEAN_SEED, REPO, SPUN_SEED

    original = (REPO / "tests" / "data" / "seed000.original.txt").read_text(encoding="utf-8")
    unrelated = CLEAN_SEED.read_text(encoding="utf-8")
    engine = engine_for(EngineSettings())
    ranked = rank(SPUN_SEED.read_text(encoding="utf-8"), [("unrelated", unrelated), ("original", original)], engine)
    assert [r.name for r in ranked] == ["original", "unrelated"]
    assert ranked[0].score > 80
    assert ranked[1].score < 5
    # The other way round: the clean article against the spun seed's original, an unrelated text.
    assert rank(unrelated, [("original", original)], engine)[0].score < 5
    assert rank(HARBOUR_A, [("c.txt", HARBOUR_C)])[0].score < 10  # same topic, different text
