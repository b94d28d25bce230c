"""`repair eval`: the metric definitions on invented pairs, the command, the seed gold and the dev pairs."""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
from pathlib import Path

import pytest

from repair.cli.eval import configure, run
from repair.core.engine import Engine, Selection
from repair.core.model import Finding, Safety
from repair.core.wordlists import load_path
from repair.edge.documents import InputError
from repair.tools.align import Alignment, GoldEdit, Region, align
from repair.tools.evaluate import (
    CleanResult,
    PairResult,
    calibration,
    evaluate_clean,
    evaluate_pair,
    judge,
    load_split,
    totals,
)

from ..conftest import CLEAN_SEED, REPO, SPUN_SEED

SEED_ORIGINAL = REPO / "tests" / "data" / "seed000.original.txt"
SPLIT_FILE = REPO / "wordlists" / "devpairs-split.toml"


def finding(text: str, phrase: str, replacement: str, *, nth: int = 0, confidence: float = 0.95) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Finding(start, start + len(phrase), phrase, (replacement,), confidence, Safety.AUTO, "", f"t:{phrase}")


def statuses(text: str, original: str, findings: list[Finding]) -> tuple[list[str], list[bool]]:
    verdicts, golds = judge(text, align(text, original), findings)
    return [v.status for v in verdicts], [ok for _, ok, _ in golds]


SPUN = "The squaddies marched into the town at dawn. They ate at two eating places near the square."
ORIGINAL = "The soldiers marched into the town at dawn. They ate at two restaurants near the square."


def test_an_exact_restoration_is_right_and_restored() -> None:
    assert statuses(SPUN, ORIGINAL, [finding(SPUN, "squaddies", "soldiers")]) == (["right"], [True, False])


def test_restoration_is_case_insensitive() -> None:
    assert statuses(SPUN, ORIGINAL, [finding(SPUN, "squaddies", "SOLDIERS")]) == (["right"], [True, False])


def test_an_edit_covering_part_of_a_gold_span_restores_nothing() -> None:
    # "eating places" -> "restaurants": fixing "places" alone leaves "eating restaurants". The edit wrote
    # the original's word in its place (right), but the gold edit is not restored.
    partial = finding(SPUN, "places", "restaurants")
    assert statuses(SPUN, ORIGINAL, [partial]) == (["right"], [False, False])
    wrong = finding(SPUN, "places", "cafes")
    assert statuses(SPUN, ORIGINAL, [wrong]) == (["wrong"], [False, False])
    whole = finding(SPUN, "eating places", "restaurants")
    assert statuses(SPUN, ORIGINAL, [whole]) == (["right"], [False, True])


def test_an_edit_reaching_past_a_gold_span_must_get_the_extra_words_right() -> None:
    right = finding(SPUN, "two eating places", "two restaurants")
    assert statuses(SPUN, ORIGINAL, [right]) == (["right"], [False, True])
    # The gold span itself came out right, so it is restored; the edit as a whole is wrong.
    wrong = finding(SPUN, "two eating places", "three restaurants")
    assert statuses(SPUN, ORIGINAL, [wrong]) == (["wrong"], [False, True])


BANKRUPT_SPUN = "The firm filed for chapter safety on Sunday in New Jersey."
BANKRUPT_ORIGINAL = "The firm filed for bankruptcy protection on Sunday in New Jersey."


def test_one_edit_covering_two_gold_spans() -> None:
    both = finding(BANKRUPT_SPUN, "chapter safety", "bankruptcy protection")
    assert statuses(BANKRUPT_SPUN, BANKRUPT_ORIGINAL, [both]) == (["right"], [True, True])
    # It changed only "chapter", and rightly: one gold edit restored, and the edit is right.
    half = finding(BANKRUPT_SPUN, "chapter safety", "bankruptcy safety")
    assert statuses(BANKRUPT_SPUN, BANKRUPT_ORIGINAL, [half]) == (["right"], [True, False])
    # Half right, half wrong: the right half still restores its gold edit, but the edit is wrong.
    mixed = finding(BANKRUPT_SPUN, "chapter safety", "bankruptcy shield")
    assert statuses(BANKRUPT_SPUN, BANKRUPT_ORIGINAL, [mixed]) == (["wrong"], [True, False])


def test_two_edits_restoring_one_gold_span_together() -> None:
    text = BANKRUPT_SPUN
    start = text.index("chapter safety")
    gold = GoldEdit(start, start + 14, "chapter safety", "bankruptcy protection", start, start + 21)
    alignment = Alignment((Region(0, len(text), 0, len(BANKRUPT_ORIGINAL), 0.9),), (gold,), ())
    edits = [finding(text, "chapter", "bankruptcy"), finding(text, "safety", "protection")]
    verdicts, golds = judge(text, alignment, edits)
    assert [v.status for v in verdicts] == ["right", "right"]
    assert [ok for _, ok, _ in golds] == [True]
    verdicts, golds = judge(text, alignment, edits[:1])
    assert [v.status for v in verdicts] == ["right"]
    assert [ok for _, ok, _ in golds] == [False]


def test_edits_outside_gold_spans_count_against_precision() -> None:
    edits = [
        finding(SPUN, "squaddies", "soldiers"),
        finding(SPUN, "marched", "walked"),
        finding(SPUN, "square", "plaza"),
    ]
    verdicts, golds = judge(SPUN, align(SPUN, ORIGINAL), edits)
    assert [v.status for v in verdicts] == ["right", "wrong", "wrong"]
    assert verdicts[1].expected == "marched"
    result = PairResult("x", 17, len(golds), sum(ok for _, ok, _ in golds), tuple(verdicts), ())
    assert result.recall == pytest.approx(1 / 2)
    assert result.precision == pytest.approx(1 / 3)


def test_edits_outside_the_aligned_text_are_not_judged() -> None:
    spun = SPUN + "\nMeanwhile, rival chains have been opening branches in every single county across the land."
    edits = [finding(spun, "squaddies", "soldiers"), finding(spun, "rival", "competing")]
    verdicts, _ = judge(spun, align(spun, ORIGINAL), edits)
    assert [v.status for v in verdicts] == ["right", "unjudged"]
    result = PairResult("x", 30, 2, 1, tuple(verdicts), ())
    assert (result.judged, result.precision) == (1, 1.0)


@pytest.fixture
def engine(small_wordlist: Path) -> Engine:
    return Engine([load_path(small_wordlist)])


def test_evaluate_pair_runs_the_batch_fixer(engine: Engine) -> None:
    spun = (
        "Talks resumed in Would possibly after a long pause. The squaddies were sent home.\n"
        "The party voted in opposition to the plan. Observers called the vote a serious blow."
    )
    original = (
        "Talks resumed in May after a long pause. The soldiers were sent home.\n"
        "The party voted against the plan. Observers called the vote a heavy blow."
    )
    result = evaluate_pair("invented", spun, original, engine, Selection())
    assert (result.gold, result.restored, result.judged, result.count("right")) == (4, 3, 3, 3)
    assert [(m.gold.spun, m.gold.original, m.why) for m in result.misses] == [("serious", "heavy", "not found")]
    assert result.recall == pytest.approx(0.75)
    assert result.precision == 1.0


def test_clean_text_false_fixes_per_thousand_words(engine: Engine) -> None:
    text = " ".join(["The council met again today and nothing much happened at all."] * 19)
    text += " Two members voted in opposition to the motion, then everyone went home."
    words = len(text.split())
    assert words == 221
    result = evaluate_clean("clean", text, engine, Selection())
    assert [f.spun for f in result.edits] == ["in opposition to"]
    assert result.per_1000 == pytest.approx(1000 / 221)


def test_calibration_counts_clean_edits_as_wrong() -> None:
    text = SPUN
    verdicts, _ = judge(text, align(text, ORIGINAL), [finding(text, "squaddies", "soldiers", confidence=0.97)])
    pair = PairResult("x", 17, 2, 1, tuple(verdicts), ())
    clean = CleanResult("c", 100, (finding(text, "marched", "walked", confidence=0.42),))
    buckets = calibration([pair], [clean])
    assert [(b.low, b.edits, b.right) for b in buckets] == [(0.4, 1, 0), (0.9, 1, 1)]
    assert totals([pair])["recall"] == 0.5


# ---------------------------------------------------------------- the command


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="repair eval")
    configure(parser)
    return parser.parse_args(argv)


def invoke(argv: list[str]) -> str:
    out = io.StringIO()
    assert run(parse(argv), out) == 0
    return out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    texts = {
        "one": (
            "Talks resumed in Would possibly after a long pause. The squaddies were sent home.",
            "Talks resumed in May after a long pause. The soldiers were sent home.",
        ),
        "two": (
            "The party voted in opposition to the plan. Observers called the vote a serious blow.",
            "The party voted against the plan. Observers called the vote a heavy blow.",
        ),
        "three": (
            "The delegates voted in opposition to the motion, and the meeting ended early.",
            "The delegates voted in opposition to the motion, and the meeting ended early.",
        ),
    }
    for name, (spun, original) in texts.items():
        (pairs / f"{name}.spun.txt").write_text(spun, encoding="utf-8")
        (pairs / f"{name}.orig.txt").write_text(original, encoding="utf-8")
    split = tmp_path / "split.toml"
    split.write_text('tune = ["one"]\nreport = ["two", "three"]\ncontrast = []\n', encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text("A quiet day. " * 10 + "They argued in opposition to it.", encoding="utf-8")
    return {"pairs": pairs, "split": split, "clean": clean}


def test_eval_of_one_pair_prints_figures_misses_and_wrong_edits(files: dict[str, Path], small_wordlist: Path) -> None:
    pairs = files["pairs"]
    argv = ["--spun", str(pairs / "two.spun.txt"), "--original", str(pairs / "two.orig.txt")]
    text = invoke([*argv, "--wordlist", str(small_wordlist), "--clean", str(files["clean"])])
    assert "gold edits   2" in text
    assert "restored     1" in text
    assert "recall       0.500" in text
    assert "precision    1.000" in text
    assert "wrong edits  0" in text and "false fixes  " not in text  # false fixes: edits on clean text only
    assert "[serious → heavy]" in text
    assert "clean clean.txt: 36 words, 1 false fixes, 27.78 per 1,000 words" in text


def test_eval_json_over_a_split(files: dict[str, Path], small_wordlist: Path) -> None:
    argv = ["--pairs", str(files["pairs"]), "--split", "report", "--split-file", str(files["split"])]
    data = json.loads(invoke([*argv, "--wordlist", str(small_wordlist), "--format", "json", "--details"]))
    assert data["schema"] == 1
    assert data["selection"] == {"threshold": 0.0, "safety": "auto"}
    assert [p["name"] for p in data["pairs"]] == ["two", "three"]
    report = data["totals"]["report"]
    # "three" is unspun: its fix of "in opposition to" is wrong, and so it is on its original.
    assert (report["gold"], report["restored"], report["judged"], report["right"]) == (2, 1, 2, 1)
    assert report["precision"] == 0.5
    assert data["clean"]["false_fixes"] == 1
    [wrong] = data["pairs"][1]["wrong"]
    assert wrong["spun"] == "in opposition to"
    assert {b["low"] for b in data["calibration"]} <= {round(0.1 * k, 1) for k in range(10)}


def test_eval_all_pairs_prints_a_table_with_group_totals(files: dict[str, Path], small_wordlist: Path) -> None:
    argv = ["--pairs", str(files["pairs"]), "--split-file", str(files["split"]), "--wordlist", str(small_wordlist)]
    text = invoke(argv)
    assert "one (tune)" in text
    assert "micro: report (2 pairs)" in text
    assert "calibration" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--spun", "a.txt"], "--spun and --original go together"),
        ([], "nothing to evaluate"),
        (["--clean", "/no/such/file.txt"], "no such file"),
    ],
)
def test_eval_user_errors_are_input_errors(argv: list[str], message: str, small_wordlist: Path) -> None:
    with pytest.raises(InputError, match=message):
        run(parse([*argv, "--wordlist", str(small_wordlist)]), io.StringIO())


def test_eval_refuses_a_split_naming_a_missing_pair(files: dict[str, Path], small_wordlist: Path) -> None:
    files["split"].write_text('report = ["two", "absent"]\n', encoding="utf-8")
    argv = ["--pairs", str(files["pairs"]), "--split", "report", "--split-file", str(files["split"])]
    with pytest.raises(InputError, match="'absent'"):
        run(parse([*argv, "--wordlist", str(small_wordlist)]), io.StringIO())


def test_eval_through_the_cli(files: dict[str, Path], small_wordlist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("repair.cli") is None:
        pytest.skip("repair.cli is not written yet")
    from repair.cli import main

    pairs = files["pairs"]
    argv = ["eval", "--spun", str(pairs / "one.spun.txt"), "--original", str(pairs / "one.orig.txt")]
    assert main([*argv, "--wordlist", str(small_wordlist), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["all"]["recall"] == 1.0
    assert main(["eval", "--spun", str(pairs / "one.spun.txt"), "--wordlist", str(small_wordlist)]) == 2
    assert "--spun and --original go together" in capsys.readouterr().err


def test_split_file_names_the_three_groups() -> None:
    groups = load_split(SPLIT_FILE)
    assert set(groups) == {"tune", "report", "contrast"}
    assert (len(groups["tune"]), len(groups["report"]), len(groups["contrast"])) == (8, 8, 3)
    names = [n for g in groups.values() for n in g]
    assert len(names) == len(set(names))


# ---------------------------------------------------------------- the seed gold and the dev pairs


def oracle(alignment: Alignment) -> list[Finding]:
    """Findings that make exactly the gold edits: they must score perfectly."""
    return [Finding(g.start, g.end, g.spun, (g.original,), 1.0, Safety.AUTO, "", "gold") for g in alignment.edits]


def test_seed_gold_scores_an_oracle_perfectly_and_a_small_list_partly(engine: Engine) -> None:
    if not SEED_ORIGINAL.is_file():
        pytest.skip("tests/data/seed000.original.txt is not written yet")
    spun = SPUN_SEED.read_text(encoding="utf-8")
    original = SEED_ORIGINAL.read_text(encoding="utf-8")
    alignment = align(spun, original)
    verdicts, golds = judge(spun, alignment, oracle(alignment))
    assert all(v.status == "right" for v in verdicts)
    assert all(ok for _, ok, _ in golds)
    result = evaluate_pair("seed000", spun, original, engine, Selection())
    restored = {m.gold.spun for m in result.misses}
    assert "squaddies" not in restored
    assert "Would possibly" not in restored
    assert result.count("right") >= 10
    # "development in opposition to a ceasefire" was "progress towards": the list's fix is a false fix.
    [wrong] = [v for v in result.verdicts if v.status == "wrong"]
    assert (wrong.finding.spun, wrong.expected) == ("in opposition to", "progress towards")
    clean = evaluate_clean("seed004", CLEAN_SEED.read_text(encoding="utf-8"), engine, Selection())
    assert clean.words > 1000


@pytest.mark.shared
def test_dev_pairs_align_and_score_an_oracle_perfectly(shared: Path) -> None:
    raw = shared / "devpairs" / "raw"
    if not raw.is_dir():
        pytest.skip("../shared/devpairs is not present")
    groups = load_split(SPLIT_FILE)
    for group, names in groups.items():
        for name in names:
            spun = (raw / f"{name}.spun.txt").read_text(encoding="utf-8")
            original = (raw / f"{name}.orig.txt").read_text(encoding="utf-8")
            alignment = align(spun, original)
            # Thesaurus spinners leave dozens of swaps in a 300-word opening; translation far fewer.
            assert len(alignment.edits) >= (20 if group == "contrast" else 25), name
            verdicts, golds = judge(spun, alignment, oracle(alignment))
            assert all(v.status == "right" for v in verdicts), name
            assert all(ok for _, ok, _ in golds), name


@pytest.mark.shared
def test_eval_command_over_the_dev_pairs(shared: Path, small_wordlist: Path) -> None:
    raw = shared / "devpairs" / "raw"
    if not raw.is_dir():
        pytest.skip("../shared/devpairs is not present")
    argv = ["--pairs", str(raw), "--split", "contrast", "--wordlist", str(small_wordlist), "--format", "json"]
    data = json.loads(invoke(argv))
    assert [p["name"] for p in data["pairs"]] == list(load_split(SPLIT_FILE)["contrast"])
    assert data["totals"]["contrast"]["pairs"] == 3
    assert data["clean"]["texts"] == 3


def test_eval_refuses_an_unreadable_split_file(files: dict[str, Path], small_wordlist: Path) -> None:
    argv = ["--pairs", str(files["pairs"]), "--split", "tune", "--split-file", str(files["pairs"] / "none.toml")]
    with pytest.raises(InputError, match="cannot read the split file"):
        run(parse([*argv, "--wordlist", str(small_wordlist)]), io.StringIO())


def test_a_noted_topic_is_grouped_by_its_broad_field() -> None:
    from repair.tools.evaluate_text import broad_topic

    assert broad_topic("retail / bankruptcy: Party City files for bankruptcy") == "retail"
    assert broad_topic("fashion retail: Gap Q2 FY24 (CNBC, Aug 2024)") == "fashion retail"
    assert broad_topic("") == "(no topic noted)"
