"""`repair fix --decisions`: saved review decisions applied as decided."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.core.engine import Engine, fix
from repair.edge import decisions as dec
from repair.edge.decisions import Action, Decision, DecisionFile
from repair.edge.userdata import UserData

from .helpers import (
    DOC,
    _at,
    _review,
    assert_one_error,
    run,
    snapshot,
)

# ---------------------------------------------------------------- fix --decisions


def _decide(engine: Engine, text: str, choices: dict[str, tuple[Action, str]]) -> DecisionFile:
    """Decisions for `text` as a reviewer would save them: spun text -> (action, replacement)."""
    findings = engine.scan(text)
    saved: dict[tuple[str, int], Decision] = {}
    for finding, (key, n) in zip(findings, dec.slots(findings), strict=True):
        if finding.spun in choices:
            action, replacement = choices[finding.spun]
            saved[(key, n)] = dec.decide(finding, n, action, replacement)
    assert len(saved) == len(choices)
    return DecisionFile("doc.txt", dec.content_hash(text), saved)


REVIEWED = {
    "squaddies": (Action.EDIT, "troops"),  # auto, edited
    "Would possibly": (Action.ACCEPT, "May"),  # choose: never applied by a plain fix
    "helps to keep": (Action.REJECT, ""),  # auto: a plain fix would apply it
}  # undecided: "in opposition to" (auto) and "our bodies" (flag)


def test_fix_applies_accepted_and_edited_decisions_and_never_rejected_ones(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    dec.save("review.jsonl", _decide(engine, DOC, REVIEWED))
    plain = run(capsys, "fix", "doc.txt", "--wordlist", str(wl)).out
    assert plain.startswith("Russia keeps insisting.") and "Would possibly" in plain
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "review.jsonl")
    assert result.out == (
        "Russia helps to keep insisting.\n"
        "The troops argued against the plan in May.\n"
        "The go back of our bodies was agreed.\n"
    )
    assert result.err_lines == [
        "repair: 1 file, 3 fixes applied (2 by review decisions), 1 rejected in review, 1 finding left for review"
    ]
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    choose = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions=review.jsonl", "--safety", "choose")
    assert choose.out == result.out  # a rejected auto fix stays rejected whatever the selection
    strict = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "review.jsonl", "--threshold", "1")
    assert "The troops argued" in strict.out and "in May." in strict.out  # decisions ignore --threshold
    only = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "review.jsonl", "--only-decisions")
    assert only.out == result.out.replace("against", "in opposition to")
    assert "2 fixes applied (2 by review decisions)" in only.err and "2 findings left" in only.err


def test_fix_with_decisions_matches_what_the_review_would_save(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path
) -> None:
    workspace = _review(wl)
    session = workspace.open(0)
    _at(session, "squaddies")
    session.edit("troops")
    _at(session, "Would possibly")
    session.accept()
    _at(session, "helps to keep")
    session.reject()
    reviewed = session.result_text()
    workspace.close()
    assert dec.path_for(doc).is_file()
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "--only-decisions")
    assert result.out == reviewed
    assert "Russia helps to keep" in reviewed and "The troops argued" in reviewed
    assert "warning" not in result.err


def test_fix_warns_once_about_decisions_that_no_longer_match(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    saved = _decide(engine, DOC, REVIEWED)
    stale = Decision("0" * 16, 1, Action.ACCEPT, "gone", "x", "list:gone")
    saved.decisions[stale.slot] = stale
    dec.save("review.jsonl", saved)
    doc.write_text(DOC.replace("in Would possibly.", "in June."))  # one decided phrase is gone
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "review.jsonl")
    warnings = [line for line in result.err_lines if "warning" in line]
    assert len(warnings) == 1
    assert "doc.txt: 2 saved decisions matched no finding" in warnings[0]
    assert "May" not in result.out and "x" not in result.out.split()
    assert result.out.startswith("Russia helps to keep insisting.\nThe troops argued against the plan in June.")


def test_a_bare_decisions_flag_uses_the_file_review_keeps(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine, home: UserData
) -> None:
    saved = _decide(engine, DOC, REVIEWED)
    dec.save(dec.path_for(doc, "user", home.home), saved)  # `repair review --decisions-in user`
    from_user = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions")
    assert "The troops argued" in from_user.out and "warning" not in from_user.err
    dec.save(dec.path_for(doc), _decide(engine, DOC, {"squaddies": (Action.EDIT, "soldiery")}))
    beside = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions")
    assert "The soldiery argued" in beside.out  # beside the document wins, and says so
    assert [line for line in beside.err_lines if "warning" in line and "using the decisions in" in line]
    Path("new.txt").write_text(DOC)
    unreviewed = run(capsys, "fix", "new.txt", "--wordlist", str(wl), "--decisions")
    assert unreviewed.out == fix(DOC, engine)[0]
    assert "no saved review decisions" in unreviewed.err_lines[0]


def test_a_bare_decisions_flag_takes_each_documents_own_in_a_folder(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, engine: Engine
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(DOC)
    (folder / "b.txt").write_text(DOC)
    dec.save(dec.path_for(folder / "a.txt"), _decide(engine, DOC, REVIEWED))
    Path("out").mkdir()
    result = run(capsys, "fix", "articles", "--wordlist", str(wl), "--decisions", "--output-dir", "out")
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    assert Path("out/a.txt").read_text().startswith("Russia helps to keep insisting.\nThe troops")
    assert Path("out/b.txt").read_text() == fix(DOC, engine)[0]
    assert sorted(snapshot(tmp_path / "out")) == ["a.txt", "b.txt"]  # the hidden decisions file is no input
    assert "warning" not in result.err  # an unreviewed file found in a folder is normal


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["fix", "--decisions", "doc.txt"], "put PATH before --decisions"),
        (["fix", "doc.txt", "b.txt", "--decisions", "review.jsonl", "--diff"], "one input"),
        (["fix", ".", "--decisions", "review.jsonl", "--diff"], "one input"),
        (["fix", "-", "--decisions"], "stdin has no decisions file"),
        (["fix", "doc.txt", "--only-decisions"], "needs --decisions"),
        (["fix", "doc.txt", "--decisions", "nope.jsonl"], "nope.jsonl: no such decisions file"),
        (["fix", "doc.txt", "--decisions", "broken.jsonl"], "broken.jsonl:1: not a valid decisions line"),
    ],
)
def test_decisions_usage_and_input_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine, argv: list[str], needle: str
) -> None:
    Path("b.txt").write_text(DOC)
    dec.save("review.jsonl", _decide(engine, DOC, REVIEWED))
    Path("broken.jsonl").write_text("this is not json\n")
    before = snapshot(doc.parent)
    result = run(capsys, *argv, "--wordlist", str(wl))
    assert_one_error(result, needle)
    assert result.out == ""
    assert snapshot(doc.parent) == before


def test_decisions_are_not_taken_from_a_config(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    Path(".repair.toml").write_text('[fix]\ndecisions = "review.jsonl"\n')
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), config=True)
    assert_one_error(result, ".repair.toml", "only be given on the command line")


def test_fix_with_decisions_in_place_writes_the_reviewed_text(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    dec.save(dec.path_for(doc), _decide(engine, DOC, REVIEWED))
    expected = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions").out
    run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--decisions", "--in-place")
    assert doc.read_text() == expected
    assert Path("doc.txt.bak").read_text() == DOC
