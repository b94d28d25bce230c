"""The command line, run in-process through `main(argv)` (repair/cli.py)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from repair import __version__, cli, inflections
from repair import decisions as dec
from repair.batch import load_wordlists
from repair.cli import ExitCode, main
from repair.decisions import Action, Decision, DecisionFile
from repair.engine import Engine, Selection, fix
from repair.io import MAX_BYTES
from repair.model import Finding, Safety
from repair.pps import count_words, risk_score
from repair.review import ReviewOptions, Workspace
from repair.userdata import UserData
from repair.wordlists import lint, load_path, load_shipped, shipped_names, wordlist_dir

from .conftest import SPUN_SEED

WORDLIST = """\
helps to keep -> keeps
in opposition to -> against
our bodies -> bodies ; flag ; reason="may be ordinary English"
squaddie -> soldier
would possibly -> may ; choose
"""
DOC = (
    "Russia helps to keep insisting.\n"
    "The squaddies argued in opposition to the plan in Would possibly.\n"
    "The go back of our bodies was agreed.\n"
)
CLEAN = "Nothing to see here.\nJust plain words.\n"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<spun>.+?)(?: → (?P<fix>.+?))? \((?P<details>.+)\)$")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))  # the user's own lists must not leak in


@pytest.fixture
def home(tmp_path: Path) -> UserData:
    return UserData(tmp_path / "home")


@pytest.fixture
def wl(tmp_path: Path) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(WORDLIST, encoding="utf-8")
    return path


@pytest.fixture
def engine(wl: Path) -> Engine:
    return Engine(load_wordlists([str(wl)]))


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str, config: bool = False) -> Run:
    args = list(argv)
    if not config and args and args[0] in ("check", "fix"):
        args.append("--no-config")  # a stray config above tmp_path must not leak into these tests
    code = main(args)
    captured = capsys.readouterr()
    return Run(int(code), captured.out, captured.err)


def assert_one_error(result: Run, *needles: str) -> None:
    assert result.code == ExitCode.ERROR
    assert len(result.err_lines) == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err_lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- basics


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--version")
    assert result.code == ExitCode.OK
    assert result.out.strip() == f"repair {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys)
    assert result.code == ExitCode.ERROR
    assert "check" in result.err and "fix" in result.err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--help"], "wordlist"),
        (["check", "--help"], "--threshold"),
        (["fix", "--help"], "--in-place"),
        (["wordlist", "check", "--help"], "FILE"),
    ],
)
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    result = run(capsys, *argv)
    assert result.code == ExitCode.OK
    assert needle in result.out


def test_exit_codes_are_an_int_enum() -> None:
    assert [int(c) for c in (ExitCode.OK, ExitCode.FINDINGS, ExitCode.ERROR)] == [0, 1, 2]


# ---------------------------------------------------------------- check


def test_check_reports_each_finding_in_the_human_form(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl))
    expected = engine.scan(DOC)
    assert result.code == ExitCode.FINDINGS
    lines = result.out.splitlines()
    assert len(lines) == len(expected) >= 4
    for line, finding in zip(lines, expected, strict=True):
        m = LINE.match(line)
        assert m, line
        assert m["path"] == "doc.txt"
        assert (int(m["line"]), int(m["col"])) == (finding.line, finding.column)
        assert m["spun"] == finding.spun
        assert m["fix"] == " | ".join(finding.suggestions)
        assert m["details"].startswith(f"confidence {finding.confidence:.2f}, {finding.safety.value}")
        if finding.reason:
            assert finding.reason in m["details"]
    # the positions are the text's
    first = lines[0].split(":")
    assert DOC.splitlines()[int(first[1]) - 1][int(first[2]) - 1 :].startswith(expected[0].spun)
    assert "\x1b[" not in result.out  # not a terminal: no colour
    summary = result.err_lines
    assert len(summary) == 1 and f"{len(expected)} findings in 1 file" in summary[0]


def test_check_clean_file_says_nothing_and_exits_0(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "check", "clean.txt", "--wordlist", str(wl))
    assert (result.code, result.out, result.err) == (ExitCode.OK, "", "")


def test_check_empty_file_is_not_an_error(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("empty.txt").write_bytes(b"")
    result = run(capsys, "check", "empty.txt", "--wordlist", str(wl))
    assert (result.code, result.out, result.err) == (ExitCode.OK, "", "")


def test_check_json_lines(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json")
    assert result.code == ExitCode.FINDINGS
    records = [json.loads(line) for line in result.out.splitlines()]
    expected = engine.scan(DOC)
    assert records == [{"schema": cli.JSON_SCHEMA, **f.to_dict("doc.txt")} for f in expected]
    keys = {"schema", "path", "line", "column", "start", "end", "spun", "suggestions", "confidence"}
    keys |= {"safety", "reason", "rule", "key"}
    for record in records:
        assert set(record) == keys
        assert DOC[record["start"] : record["end"]] == record["spun"]


def _safeties(findings: list[Finding]) -> set[Safety]:
    return {f.safety for f in findings}


def test_check_safety_and_threshold_filter_the_report(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    expected = engine.scan(DOC)
    assert len(_safeties(expected)) >= 2, "the test list should give mixed safety classes"
    for level in Safety:
        result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--safety", level.value)
        spans = [(r["start"], r["end"]) for r in map(json.loads, result.out.splitlines())]
        assert spans == [(f.start, f.end) for f in expected if f.safety.rank <= level.rank]
    confidences = sorted({f.confidence for f in expected})
    threshold = (confidences[0] + confidences[-1]) / 2 if len(confidences) > 1 else confidences[0]
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--threshold", str(threshold))
    spans = [(r["start"], r["end"]) for r in map(json.loads, result.out.splitlines())]
    assert spans == [(f.start, f.end) for f in expected if f.confidence >= threshold]
    assert 0 < len(spans) < len(expected) or len(confidences) == 1


def test_check_exit_zero_and_quiet(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--exit-zero", "-q")
    assert result.code == ExitCode.OK
    assert result.out and result.err == ""


def test_check_colour(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--color", "always").out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "\x1b[" in run(capsys, "check", "doc.txt", "--wordlist", str(wl)).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "check", "doc.txt", "--wordlist", str(wl)).out
    assert "\x1b[" not in run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--color", "always").out
    assert "\x1b[" not in run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--color", "never").out


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_check_reads_stdin(capsys: pytest.CaptureFixture[str], wl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, DOC.encode())
    result = run(capsys, "check", "-", "--wordlist", str(wl), "--format", "json")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records and {r["path"] for r in records} == {"<stdin>"}


def test_check_ignore_file(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    Path("ignore.txt").write_text("# not these\nsquaddies\nlist:in opposition to\n")
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--ignore", "ignore.txt", "--format", "json")
    spun = {json.loads(line)["spun"].lower() for line in result.out.splitlines()}
    assert spun and not spun & {"squaddies", "in opposition to"}


def _tree(root: Path) -> list[str]:
    (root / "articles" / "2024").mkdir(parents=True)
    (root / "articles" / ".git").mkdir()
    files = {
        "articles/a.txt": DOC,
        "articles/2024/b.md": DOC.upper(),
        "articles/2024/c.txt": CLEAN,
        "articles/page.html": DOC,
        "articles/.git/d.txt": DOC,
        "articles/.hidden.txt": DOC,
    }
    for name, text in files.items():
        (root / name).write_text(text)
    (root / "articles" / "blob.txt").write_bytes(b"\x89PNG\x00\x00 squaddies")
    return ["articles/2024/b.md", "articles/a.txt"]


def test_check_walks_folders_in_order_skipping_hidden_and_binary(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    with_findings = _tree(tmp_path)
    result = run(capsys, "check", "articles", "--wordlist", str(wl), "--format", "json")
    assert result.code == ExitCode.FINDINGS  # a skipped binary is a warning, not an error
    paths = list(dict.fromkeys(json.loads(line)["path"] for line in result.out.splitlines()))
    assert paths == with_findings
    warnings = [line for line in result.err_lines if "warning" in line]
    assert len(warnings) == 1 and "blob.txt" in warnings[0] and "binary" in warnings[0]


def test_check_glob(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    _tree(tmp_path)
    result = run(capsys, "check", "articles", "--wordlist", str(wl), "--format", "json", "--glob", "*.html,*.md")
    paths = list(dict.fromkeys(json.loads(line)["path"] for line in result.out.splitlines()))
    assert paths == ["articles/2024/b.md", "articles/page.html"]


def test_check_many_files_in_parallel_gives_the_same_report(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    lines = SPUN_SEED.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        (folder / f"f{i:02d}.txt").write_text("\n".join(lines[i:]) + "\n" + DOC)
    serial = run(capsys, "check", "many", "--wordlist", str(wl), "-j", "1", "--format", "json")
    parallel = run(capsys, "check", "many", "--wordlist", str(wl), "-j", "2", "--format", "json")
    every_core = run(capsys, "check", "many", "--wordlist", str(wl), "-j", "0", "--format", "json")
    assert serial.out and serial.out == parallel.out == every_core.out
    assert serial.code == parallel.code == ExitCode.FINDINGS
    # the workers format the human report too, colours as the parent's terminal decided
    coloured = [run(capsys, "check", "many", "--wordlist", str(wl), "--color", "always", "-j", j) for j in "12"]
    assert "\x1b[" in coloured[0].out and coloured[0].out == coloured[1].out
    assert coloured[0].err == coloured[1].err and "findings in 12 of 12 files" in coloured[0].err


def test_check_progress_bar_keeps_the_report_intact(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    plain = run(capsys, "check", "articles", "--wordlist", str(wl), "--format", "json")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with_bar = run(capsys, "check", "articles", "--wordlist", str(wl), "--format", "json")
    assert with_bar.out == plain.out


def test_check_reports_other_files_when_one_is_bad(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    result = run(capsys, "check", "missing.txt", "doc.txt", "--wordlist", str(wl), "--format", "json")
    assert result.code == ExitCode.ERROR
    assert result.out.strip()
    assert result.err_lines[0] == "repair: error: missing.txt: no such file or folder"


# ---------------------------------------------------------------- fix


def test_fix_single_file_prints_to_stdout_and_leaves_the_input(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    before = snapshot(doc.parent)
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl))
    fixed, applied = fix(DOC, engine)
    assert applied and fixed != DOC
    assert result.out == fixed
    assert snapshot(doc.parent) == before
    remaining = len(engine.scan(DOC)) - len(applied)
    assert result.err_lines == [f"repair: 1 file, {len(applied)} fixes applied, {remaining} findings left for review"]
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary


def test_fix_exit_0_when_nothing_is_left(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("only.txt").write_text("The squaddies argued in opposition to it.\n")
    result = run(capsys, "fix", "only.txt", "--wordlist", str(wl))
    assert result.code == ExitCode.OK
    assert result.out == "The soldiers argued against it.\n"


def test_fix_output_file_and_force(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    result = run(capsys, "fix", "doc.txt", "-o", "out.txt", "--wordlist", str(wl))
    assert result.out == ""
    assert Path("out.txt").read_text() == fix(DOC, engine)[0]
    assert doc.read_text() == DOC
    Path("out.txt").write_text("precious")
    refused = run(capsys, "fix", "doc.txt", "-o", "out.txt", "--wordlist", str(wl))
    assert_one_error(refused, "out.txt", "already exists", "--force")
    assert Path("out.txt").read_text() == "precious"
    forced = run(capsys, "fix", "doc.txt", "-o", "out.txt", "--force", "--wordlist", str(wl))
    assert forced.code in (ExitCode.OK, ExitCode.FINDINGS)
    assert Path("out.txt").read_text() == fix(DOC, engine)[0]


def test_fix_dash_output_is_stdout(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    assert run(capsys, "fix", "doc.txt", "-o", "-", "--wordlist", str(wl)).out == fix(DOC, engine)[0]


def test_fix_stdin_to_stdout(
    capsys: pytest.CaptureFixture[str], wl: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, DOC.encode())
    assert run(capsys, "fix", "-", "--wordlist", str(wl)).out == fix(DOC, engine)[0]


def test_fix_keeps_bom_and_crlf_byte_for_byte(
    capsysbinary: pytest.CaptureFixture[bytes], wl: Path, tmp_path: Path
) -> None:
    data = b"\xef\xbb\xbfThe squaddies\r\nargued in opposition to\r\nit.\r\nNo newline at the end"
    Path("crlf.txt").write_bytes(data)
    expected = data.replace(b"squaddies", b"soldiers").replace(b"in opposition to", b"against")
    assert main(["fix", "crlf.txt", "--wordlist", str(wl), "--no-config"]) == ExitCode.OK
    assert capsysbinary.readouterr().out == expected
    main(["fix", "crlf.txt", "--wordlist", str(wl), "-o", "out.txt", "--no-config"])
    assert Path("out.txt").read_bytes() == expected
    main(["fix", "crlf.txt", "--wordlist", str(wl), "--in-place", "--no-config"])
    assert Path("crlf.txt").read_bytes() == expected
    assert Path("crlf.txt.bak").read_bytes() == data


def test_fix_keeps_a_legacy_encoding(capsysbinary: pytest.CaptureFixture[bytes], wl: Path) -> None:
    data = "Café squaddies – in opposition to.\n".encode("cp1252")
    Path("old.txt").write_bytes(data)
    main(["fix", "old.txt", "--wordlist", str(wl), "--encoding", "cp1252", "--no-config"])
    assert capsysbinary.readouterr().out == "Café soldiers – against.\n".encode("cp1252")


def test_fix_in_place_with_and_without_backup(capsys: pytest.CaptureFixture[str], wl: Path, engine: Engine) -> None:
    Path("a.txt").write_text(DOC)
    Path("b.txt").write_text(DOC)
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "fix", "a.txt", "clean.txt", "--in-place", "--wordlist", str(wl))
    fixed = fix(DOC, engine)[0]
    assert Path("a.txt").read_text() == fixed
    assert Path("a.txt.bak").read_text() == DOC
    assert not Path("clean.txt.bak").exists()  # unchanged files are not rewritten
    assert "2 files (1 changed)" in result.err
    run(capsys, "fix", "b.txt", "--in-place", "--no-backup", "--wordlist", str(wl))
    assert Path("b.txt").read_text() == fixed
    assert not Path("b.txt.bak").exists()


def test_fix_in_place_refuses_to_replace_a_backup(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("a.txt").write_text(DOC)
    Path("a.txt.bak").write_text("older original")
    result = run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(wl))
    assert_one_error(result, "a.txt.bak", "backup already exists")
    assert Path("a.txt").read_text() == DOC
    assert Path("a.txt.bak").read_text() == "older original"
    run(capsys, "fix", "a.txt", "--in-place", "--force", "--wordlist", str(wl))
    assert Path("a.txt.bak").read_text() == DOC


def test_fix_output_dir_mirrors_relative_paths(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, engine: Engine
) -> None:
    _tree(tmp_path)
    Path("out").mkdir()
    before = snapshot(tmp_path / "articles")
    result = run(capsys, "fix", "articles", "--output-dir", "out", "--wordlist", str(wl))
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    assert sorted(snapshot(tmp_path / "out")) == ["2024/b.md", "2024/c.txt", "a.txt"]
    assert Path("out/a.txt").read_text() == fix(DOC, engine)[0]
    assert Path("out/2024/c.txt").read_text() == CLEAN
    assert snapshot(tmp_path / "articles") == before
    again = run(capsys, "fix", "articles", "--output-dir", "out", "--wordlist", str(wl))
    assert again.code == ExitCode.ERROR and all("already exists" in line for line in again.err_lines)
    assert len(again.err_lines) == 3


def test_fix_output_dir_inside_the_input_is_not_walked(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    _tree(tmp_path)
    (tmp_path / "articles" / "clean").mkdir()
    run(capsys, "fix", "articles", "--output-dir", "articles/clean", "--wordlist", str(wl))
    result = run(capsys, "fix", "articles", "--output-dir", "articles/clean", "--wordlist", str(wl), "--force")
    assert result.code != ExitCode.ERROR
    assert not (tmp_path / "articles" / "clean" / "clean").exists()


def test_fix_diff_writes_nothing(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    before = snapshot(doc.parent)
    result = run(capsys, "fix", "doc.txt", "--diff", "--wordlist", str(wl))
    assert snapshot(doc.parent) == before
    assert result.code == ExitCode.FINDINGS
    fixed = fix(DOC, engine)[0]
    lines = result.out.splitlines()
    assert lines[:2] == ["--- a/doc.txt", "+++ b/doc.txt"]
    removed = [line[1:] for line in lines[2:] if line.startswith("-")]
    added = [line[1:] for line in lines[2:] if line.startswith("+")]
    assert removed == [a for a, b in zip(DOC.splitlines(), fixed.splitlines(), strict=True) if a != b]
    assert added == [b for a, b in zip(DOC.splitlines(), fixed.splitlines(), strict=True) if a != b]
    assert "to apply" in result.err


def test_fix_diff_of_a_clean_file_is_empty(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "fix", "clean.txt", "--diff", "--wordlist", str(wl))
    assert (result.code, result.out) == (ExitCode.OK, "")


def test_fix_safety_and_threshold_choose_what_is_applied(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    auto = run(capsys, "fix", "doc.txt", "--wordlist", str(wl)).out
    choose = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--safety", "choose").out
    assert auto == fix(DOC, engine, Selection())[0]
    assert choose == fix(DOC, engine, Selection(safety=Safety.CHOOSE))[0]
    assert choose != auto  # the list has a choose entry
    top = max(f.confidence for f in engine.scan(DOC) if Selection().accepts(f))
    strict = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--threshold", str(min(1.0, top + 1e-6))).out
    assert strict == DOC


def test_fix_several_files_need_an_output_mode(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    Path("b.txt").write_text(DOC)
    assert_one_error(run(capsys, "fix", "doc.txt", "b.txt", "--wordlist", str(wl)), "--output-dir")
    assert_one_error(run(capsys, "fix", "doc.txt", "b.txt", "-o", "x.txt", "--wordlist", str(wl)), "-o")
    assert not Path("x.txt").exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["fix", "doc.txt", "--in-place", "--diff"], "not allowed with"),
        (["fix", "-", "--in-place"], "stdin cannot be fixed in place"),
        (["fix", "-", "--output-dir", "."], "stdin"),
        (["fix", "doc.txt", "--output-dir", "nowhere"], "output folder does not exist"),
        (["fix", "doc.txt", "-o", "nowhere/out.txt"], "does not exist"),
        (["fix"], "give at least one PATH"),
        (["check", "doc.txt", "--threshold", "1.5"], "expected a number from 0 to 1"),
        (["check", "doc.txt", "--safety", "sometimes"], "invalid choice"),
        (["check", "doc.txt", "-j", "-1"], "expected a whole number"),
        (["check", "doc.txt", "--encoding", "klingon"], "unknown encoding"),
        (["check", "doc.txt", "--bogus"], "unrecognized arguments"),
        (["wordlist"], "choose an action"),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, argv: list[str], needle: str
) -> None:
    before = snapshot(doc.parent)
    result = run(capsys, *argv, *(["--wordlist", str(wl)] if argv[0] in ("check", "fix") else []))
    assert_one_error(result, needle)
    assert snapshot(doc.parent) == before


# ---------------------------------------------------------------- bad input


def _denied(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # chmod is no barrier for root


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize(
    ("case", "needles"),
    [
        ("missing", ["missing.txt", "no such file"]),
        ("denied", ["secret.txt", "permission denied"]),
        ("binary", ["image.txt", "binary"]),
        ("latin1", ["latin.txt", "not valid utf-8", "--encoding"]),
        ("huge", ["huge.txt", "limit"]),
        ("bad-wordlist", ["broken.txt:2:", "expected 'spun -> original'"]),
        ("missing-wordlist", ["nope.txt", "no such wordlist"]),
        ("missing-ignore", ["ignore-nope.txt", "no such file"]),
    ],
)
def test_bad_input_is_one_line_exit_2_and_touches_nothing(
    capsys: pytest.CaptureFixture[str],
    wl: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    case: str,
    needles: list[str],
) -> None:
    Path("secret.txt").write_text(DOC)
    Path("image.txt").write_bytes(b"GIF89a\x00\x01squaddies")
    Path("latin.txt").write_bytes("Café squaddies\n".encode("latin-1"))
    Path("broken.txt").write_text("squaddie -> soldier\nthis line has no arrow\n")
    with Path("huge.txt").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    Path("doc.txt").write_text(DOC)
    path, extra = {
        "missing": ("missing.txt", []),
        "denied": ("secret.txt", []),
        "binary": ("image.txt", []),
        "latin1": ("latin.txt", []),
        "huge": ("huge.txt", []),
        "bad-wordlist": ("doc.txt", ["--wordlist", "broken.txt"]),
        "missing-wordlist": ("doc.txt", ["--wordlist", "nope.txt"]),
        "missing-ignore": ("doc.txt", ["--ignore", "ignore-nope.txt"]),
    }[case]
    if case == "denied":
        _denied(monkeypatch, "secret.txt")
    before = {name: os.stat(name).st_mtime_ns for name in os.listdir(".")}
    wordlist = [] if "wordlist" in case else ["--wordlist", str(wl)]
    output = ["-o", "out.txt"] if command == "fix" else []
    result = run(capsys, command, path, *wordlist, *extra, *output)
    assert_one_error(result, *needles)
    assert result.out == ""
    assert {name: os.stat(name).st_mtime_ns for name in os.listdir(".")} == before


def test_a_non_utf8_file_is_read_with_encoding(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("latin.txt").write_bytes("Café squaddies\n".encode("latin-1"))
    result = run(capsys, "check", "latin.txt", "--wordlist", str(wl), "--encoding", "latin-1", "--format", "json")
    assert [json.loads(line)["spun"] for line in result.out.splitlines()] == ["squaddies"]


def test_interrupt_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "scan_all", interrupted)
    for command in ("check", "fix"):
        result = run(capsys, command, "doc.txt", "--wordlist", str(wl))
        assert result.code == ExitCode.INTERRUPTED == 130
        assert result.err_lines == ["repair: error: interrupted"]
        assert doc.read_text() == DOC


@pytest.mark.slow
def test_a_50_mb_file_is_read_scanned_and_written(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    block = SPUN_SEED.read_bytes() + b"\n" + DOC.encode()
    count = 50_000_000 // len(block)
    Path("big.txt").write_bytes(block * count)
    result = run(capsys, "fix", "big.txt", "-o", "big.fixed.txt", "--wordlist", str(wl))
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    fixed = Path("big.fixed.txt").read_bytes()
    assert fixed.count(b"squaddies") == 0 and block.count(b"squaddies") > 0
    assert fixed.count(b"soldiers") == block.replace(b"squaddies", b"soldiers").count(b"soldiers") * count
    assert len(fixed.splitlines()) == len(block.splitlines()) * count
    assert Path("big.txt").read_bytes() == block * count


# ---------------------------------------------------------------- config


def _json_paths(result: Run) -> list[str]:
    return [json.loads(line)["path"] for line in result.out.splitlines()]


def test_config_from_pyproject_is_overridden_by_argv(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    Path("pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.repair]\nformat = "json"\nwordlist = ["{wl}"]\n')
    from_config = run(capsys, "check", "doc.txt", config=True)
    assert from_config.code == ExitCode.FINDINGS
    assert set(_json_paths(from_config)) == {"doc.txt"}  # JSON: the config was read
    overridden = run(capsys, "check", "doc.txt", "--format", "human", config=True)
    assert LINE.match(overridden.out.splitlines()[0])
    ignored = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--no-config", config=True)
    assert LINE.match(ignored.out.splitlines()[0])


def test_a_list_on_the_command_line_replaces_the_configs(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path
) -> None:
    Path(".repair.toml").write_text('wordlist = ["not-there.txt"]\nglob = ["*.nothing"]\n')
    assert_one_error(run(capsys, "check", "doc.txt", config=True), "not-there.txt")
    Path("folder").mkdir()
    Path("folder/a.txt").write_text(DOC)
    result = run(capsys, "check", "folder", "--wordlist", str(wl), "--glob", "*.txt", "--format", "json", config=True)
    assert set(_json_paths(result)) == {"folder/a.txt"}


def test_dotfile_is_found_upward_and_paths_are_relative_to_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "mine.txt").write_text(WORDLIST)
    (tmp_path / ".repair.toml").write_text('wordlist = ["lists/mine.txt"]\nformat = "json"\n[check]\nsafety = "auto"\n')
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nformat = "human"\n')  # the dotfile wins
    sub = tmp_path / "drafts" / "week1"
    sub.mkdir(parents=True)
    (sub / "doc.txt").write_text(DOC)
    monkeypatch.chdir(sub)
    result = run(capsys, "check", "doc.txt", config=True)
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records and {r["safety"] for r in records} == {"auto"}


def test_explicit_config_file(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "settings.toml").write_text(f'wordlist = ["{wl}"]\nformat = "json"\n')
    result = run(capsys, "check", "doc.txt", "--config", "conf/settings.toml", config=True)
    assert _json_paths(result)


def test_fix_section_and_fix_only_keys(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    Path(".repair.toml").write_text(f'wordlist = ["{wl}"]\nno-backup = true\n[fix]\nsafety = "choose"\n')
    assert run(capsys, "check", "doc.txt", config=True).code == ExitCode.FINDINGS  # no-backup is skipped
    fixed = run(capsys, "fix", "doc.txt", config=True).out
    assert fixed == fix(DOC, engine, Selection(safety=Safety.CHOOSE))[0]
    assert run(capsys, "fix", "doc.txt", "--safety", "auto", config=True).out == fix(DOC, engine)[0]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("thresold = 0.5\n", "unknown key 'thresold'"),
        ('threshold = "high"\n', "argument --threshold"),
        ("threshold = 3\n", "expected a number from 0 to 1"),
        ("in-place = true\n", "only be given on the command line"),
        ("threshold = \n", "not valid TOML"),
        ('safety = "flag"\n[fix]\nsafety = "flag"\n', "invalid choice"),
    ],
)
def test_bad_config_is_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, text: str, needle: str
) -> None:
    Path(".repair.toml").write_text(text)
    result = run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--diff", config=True)
    assert_one_error(result, ".repair.toml", needle)
    assert result.out == ""


def test_missing_explicit_config(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    result = run(capsys, "check", "doc.txt", "--config", "nope.toml", config=True)
    assert_one_error(result, "nope.toml", "no such config file")


# ---------------------------------------------------------------- wordlist


def test_wordlist_check_clean_file(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    result = run(capsys, "wordlist", "check", str(wl))
    assert (result.code, result.out) == (ExitCode.OK, "")


def test_wordlist_check_reports_problems_by_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("zebra -> horse\napple -> pear\napple -> pear\n")
    broken = tmp_path / "broken.txt"
    broken.write_text("fine -> good\nno arrow\n")
    result = run(capsys, "wordlist", "check", str(bad), str(broken))
    assert result.code == ExitCode.FINDINGS
    expected = [str(p) for p in lint(load_path(bad))]
    assert len(expected) >= 2
    assert result.out.splitlines() == [f"{broken}:2: expected 'spun -> original'", *expected]
    assert all(re.match(rf"^{re.escape(str(tmp_path))}/\w+\.txt:\d+: ", line) for line in result.out.splitlines())


def test_wordlist_check_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert_one_error(run(capsys, "wordlist", "check", "absent.txt"), "absent.txt", "no such wordlist file")


def test_wordlist_check_shipped_lists(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "wordlist", "check")
    lists = load_shipped(shipped_names())
    expected = [str(p) for wl in lists for p in lint(wl, [o for o in lists if o is not wl])]
    assert result.out.splitlines() == expected
    assert result.code == (ExitCode.FINDINGS if expected else ExitCode.OK)


def test_wordlist_check_says_when_the_inflection_table_is_stale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inflections, "TABLE_NAME", "no-such-table.tsv")
    result = run(capsys, "wordlist", "check")
    assert result.code == ExitCode.FINDINGS
    assert result.out.splitlines() == [
        f"{wordlist_dir() / 'no-such-table.tsv'}: missing for the shipped lists"
        " (run: python wordlists/build_inflections.py)"
    ]


def test_wordlist_list(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "wordlist", "list")
    assert result.code == ExitCode.OK
    rows = [line.split() for line in result.out.splitlines()]
    counts = {wl.name: len(wl.entries) for wl in load_shipped(shipped_names())}
    assert {row[0]: int(row[1]) for row in rows} == counts


@pytest.mark.skipif("news" not in shipped_names(), reason="the shipped news list is not written yet")
def test_default_wordlist_is_the_shipped_news_list(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", str(SPUN_SEED), "--format", "json")
    expected = Engine(load_shipped(["news"])).scan(SPUN_SEED.read_text(encoding="utf-8"))
    assert [json.loads(line)["key"] for line in result.out.splitlines()] == [f.key for f in expected]


# ---------------------------------------------------------------- other subcommands


def _plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str) -> None:
    (tmp_path / f"{name}.py").write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))


def test_plugins_are_registered_only_when_their_module_exists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(
        tmp_path,
        monkeypatch,
        "fake_trace_plugin",
        "def configure(parser):\n    parser.add_argument('word')\n\n"
        "def run(args):\n    print('traced', args.word)\n    return 7\n",
    )
    monkeypatch.setattr(
        cli,
        "PLUGINS",
        (
            cli.Plugin(("trace",), "fake_trace_plugin", "explain one finding"),
            cli.Plugin(("learn",), "no_such_module_anywhere", "learn"),
            cli.Plugin(("wordlist", "import-x"), "fake_trace_plugin", "import"),
        ),
    )
    listing = run(capsys, "--help").out
    assert "trace" in listing and "learn" not in listing
    result = run(capsys, "trace", "squaddies")
    assert (result.code, result.out) == (7, "traced squaddies\n")
    assert run(capsys, "wordlist", "import-x", "w").out == "traced w\n"
    assert "invalid choice" in run(capsys, "learn").err


def test_a_broken_plugin_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(tmp_path, monkeypatch, "fake_broken_plugin", "raise ImportError('half written')\n")
    monkeypatch.setattr(cli, "PLUGINS", (cli.Plugin(("eval",), "fake_broken_plugin", "evaluate"),))
    assert_one_error(run(capsys, "eval"), "repair eval", "half written")
    assert run(capsys, "--version").code == ExitCode.OK  # the rest still works


def test_plugin_input_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(
        tmp_path,
        monkeypatch,
        "fake_failing_plugin",
        "from repair.io import InputError\n\ndef configure(parser):\n    pass\n\n"
        "def run(args):\n    raise InputError('x.csv: not a catalogue')\n",
    )
    monkeypatch.setattr(cli, "PLUGINS", (cli.Plugin(("learn",), "fake_failing_plugin", "learn"),))
    assert_one_error(run(capsys, "learn"), "x.csv: not a catalogue")


def test_the_cli_module_imports_no_plugin_or_ui_until_asked() -> None:
    code = "import json, sys, repair.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert not any(name.startswith("textual") for name in loaded)
    assert not {"repair.evaluate", "repair.pps", "repair.review_cli", "repair.learn", "repair.trace"} & set(loaded)


def test_python_dash_m_repair(tmp_path: Path, wl: Path) -> None:
    (tmp_path / "doc.txt").write_text(DOC)
    done = subprocess.run(
        [sys.executable, "-m", "repair", "check", "doc.txt", "--wordlist", str(wl), "--no-config", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == ExitCode.FINDINGS
    assert done.stdout.startswith("doc.txt:")
    assert done.stderr == ""


# ---------------------------------------------------------------- the user data folder


def _json_findings(result: Run) -> list[dict[str, object]]:
    return [r for r in map(json.loads, result.out.splitlines()) if "risk" not in r]


def test_the_user_ignore_list_silences_rules_and_phrases_in_check_and_fix(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, home: UserData
) -> None:
    assert home.add_ignore("list:squaddie")  # a rule id, as "reject always" saves it
    assert home.add_ignore("In  Opposition To")  # a phrase typed by hand: compared normalised
    checked = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json")
    spun = [r["spun"] for r in _json_findings(checked)]
    assert spun and not {"squaddies", "in opposition to"} & set(spun)
    fixed = run(capsys, "fix", "doc.txt", "--wordlist", str(wl))
    assert "The squaddies argued in opposition to the plan" in fixed.out
    assert fixed.out.startswith("Russia keeps insisting.")  # the rest is still fixed
    unlisted = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--no-user-lists")
    assert {"squaddies", "in opposition to"} <= {r["spun"] for r in _json_findings(unlisted)}
    assert "The soldiers argued against" in run(capsys, "fix", "doc.txt", "--wordlist", str(wl), "--no-user-lists").out


def test_the_user_wordlist_is_scanned_too(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, home: UserData
) -> None:
    assert home.add_entry("go back", "return") is not None
    checked = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json")
    mine = [r for r in _json_findings(checked) if r["rule"] == "user:go back"]
    assert [(r["spun"], r["suggestions"]) for r in mine] == [("go back", ["return"])]
    assert "The return of our bodies" in run(capsys, "fix", "doc.txt", "--wordlist", str(wl)).out
    unlisted = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--no-user-lists")
    assert not any(str(r["rule"]).startswith("user:") for r in _json_findings(unlisted))
    Path(".repair.toml").write_text("no-user-lists = true\n")  # a config may set it too
    from_config = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", config=True)
    assert from_config.out == unlisted.out


def test_parallel_workers_get_the_user_lists(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, home: UserData
) -> None:
    home.add_ignore("list:squaddie")
    home.add_entry("go back", "return")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"f{i}.txt").write_text(f"Paragraph {i}.\n" + DOC)
    serial = run(capsys, "check", "many", "--wordlist", str(wl), "--format", "json", "-j", "1")
    parallel = run(capsys, "check", "many", "--wordlist", str(wl), "--format", "json", "-j", "2")
    assert parallel.out == serial.out
    rules = [r["rule"] for r in _json_findings(parallel)]
    assert rules.count("user:go back") == 6 and "list:squaddie" not in rules
    Path("out1").mkdir()
    Path("out2").mkdir()
    run(capsys, "fix", "many", "--wordlist", str(wl), "--output-dir", "out1", "-j", "1")
    run(capsys, "fix", "many", "--wordlist", str(wl), "--output-dir", "out2", "-j", "2")
    assert snapshot(tmp_path / "out1") == snapshot(tmp_path / "out2")
    assert all(b"The return of" in data and b"squaddies" in data for data in snapshot(tmp_path / "out2").values())


def test_a_broken_user_wordlist_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, home: UserData
) -> None:
    home.home.mkdir()
    home.wordlist_path.write_text("no arrow here\n")
    for command in ("check", "fix"):
        assert_one_error(run(capsys, command, "doc.txt", "--wordlist", str(wl)), "user.txt:1:", "--no-user-lists")
    assert run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--no-user-lists").code == ExitCode.FINDINGS


def _review(wl: Path, path: str = "doc.txt") -> Workspace:
    return Workspace(ReviewOptions(paths=(path,), wordlists=(str(wl),)))


def _at(session: object, spun: str) -> None:
    index = next(i for i, f in enumerate(session.findings) if f.spun == spun)  # type: ignore[attr-defined]
    assert session.goto(index)  # type: ignore[attr-defined]


def test_reject_always_in_a_review_silences_later_checks_and_fixes(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path
) -> None:
    workspace = _review(wl)
    session = workspace.open(0)
    _at(session, "squaddies")
    session.reject(always=True)
    workspace.close()
    Path("other.txt").write_text("More squaddies arrived.\n")  # another document: the rule stays silent
    checked = run(capsys, "check", "doc.txt", "other.txt", "--wordlist", str(wl), "--format", "json")
    assert checked.out and "squaddies" not in {r["spun"] for r in _json_findings(checked)}
    assert run(capsys, "fix", "other.txt", "--wordlist", str(wl)).out == "More squaddies arrived.\n"


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


# ---------------------------------------------------------------- check --risk


def test_check_risk_prints_a_line_per_file(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "check", "doc.txt", "clean.txt", "--wordlist", str(wl), "--risk")
    assert result.code == ExitCode.FINDINGS
    lines = result.out.splitlines()
    findings = engine.scan(DOC)
    score = risk_score(findings, count_words(DOC))
    assert score.phrases == len(findings) >= 4 and score.words == count_words(DOC) > 0
    assert lines[len(findings)] == f"doc.txt: {score.summary()}"
    assert lines[len(findings) + 1 :] == [f"clean.txt: {risk_score([], count_words(CLEAN)).summary()}"]
    assert "risk: none" in lines[-1]
    assert all(LINE.match(line) for line in lines[: len(findings)])
    assert not any("risk" in line for line in run(capsys, "check", "doc.txt", "--wordlist", str(wl)).out.splitlines())
    clean_only = run(capsys, "check", "clean.txt", "--wordlist", str(wl), "--risk")
    assert clean_only.code == ExitCode.OK  # a risk line is no finding


def test_check_risk_json_line_and_filters(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--risk", "--format", "json")
    records = [json.loads(line) for line in result.out.splitlines()]
    findings = engine.scan(DOC)
    assert records[-1] == {
        "schema": cli.JSON_SCHEMA,
        "path": "doc.txt",
        "risk": risk_score(findings, count_words(DOC)).to_dict(),
    }
    assert len(records) == len(findings) + 1 and all("risk" not in r for r in records[:-1])
    auto = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--risk", "--format", "json", "--safety", "auto")
    shown = [f for f in findings if f.safety is Safety.AUTO]
    assert 0 < len(shown) < len(findings)
    assert json.loads(auto.out.splitlines()[-1])["risk"] == risk_score(shown, count_words(DOC)).to_dict()


def test_check_risk_is_the_same_in_parallel(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"f{i}.txt").write_text("Filler words here. " * i + DOC)
    serial = run(capsys, "check", "many", "--wordlist", str(wl), "--risk", "--format", "json", "-j", "1")
    parallel = run(capsys, "check", "many", "--wordlist", str(wl), "--risk", "--format", "json", "-j", "2")
    assert parallel.out == serial.out
    words = [json.loads(line)["risk"]["words"] for line in serial.out.splitlines() if "risk" in json.loads(line)]
    assert words == [count_words("Filler words here. " * i + DOC) for i in range(5)]


def test_recall_mode_applies_confident_choices_that_plain_fix_leaves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lists = tmp_path / "choices.txt"
    lists.write_text("in opposition to -> against\nspherical -> round ; choose\nsquaddie -> soldier\n")
    Path("doc.txt").write_text("The squaddies argued in opposition to a third spherical of talks.\n")
    plain = run(capsys, "fix", "doc.txt", "-o", "-", "--wordlist", str(lists))
    assert "spherical" in plain.out and "soldiers" in plain.out
    recall = run(capsys, "fix", "doc.txt", "-o", "-", "--wordlist", str(lists), "--recall-mode")
    assert recall.code == ExitCode.OK
    assert recall.out == "The soldiers argued against a third round of talks.\n"


def test_a_tortured_phrase_list_gets_its_risk_score_without_asking(capsys: pytest.CaptureFixture[str]) -> None:
    science = Path("science.txt")
    science.write_text("# kind: tortured-phrases\ncounterfeit consciousness -> artificial intelligence\n")
    Path("paper.txt").write_text("We apply counterfeit consciousness to the data.\n")
    lines = run(capsys, "check", "paper.txt", "--wordlist", str(science), "--no-user-lists").out.splitlines()
    assert lines[-1].startswith("paper.txt: tortured-phrase risk: ")
    plain = Path("plain.txt")
    plain.write_text("counterfeit consciousness -> artificial intelligence\n")
    lines = run(capsys, "check", "paper.txt", "--wordlist", str(plain), "--no-user-lists").out.splitlines()
    assert not any("risk" in line for line in lines)
