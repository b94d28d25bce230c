"""`repair check`: the report, human and JSON, filters, folders, stdin, parallel runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.cli.formats import worded_reason
from repair.cli.report import JSON_SCHEMA
from repair.core.engine import Engine
from repair.core.model import Finding, Safety
from repair.edge.reporting import reportable

from ..conftest import SPUN_SEED
from .helpers import (
    CLEAN,
    DOC,
    LINE,
    _stdin,
    _tree,
    run,
)

# ---------------------------------------------------------------- check


def test_check_reports_each_finding_in_the_human_form(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--all")
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
            assert worded_reason(finding.reason) in m["details"]
    # the positions are the text's
    first = lines[0].split(":")
    assert DOC.splitlines()[int(first[1]) - 1][int(first[2]) - 1 :].startswith(expected[0].spun)
    assert "\x1b[" not in result.out  # not a terminal: no colour
    summary = result.err_lines
    assert len(summary) == 1 and f"{len(expected)} findings in 1 file" in summary[0]
    # without --all, only what is worth a person's time is reported
    default = run(capsys, "check", "doc.txt", "--wordlist", str(wl))
    assert len(default.out.splitlines()) == len(reportable(expected)) < len(expected)


def test_check_clean_file_says_nothing_and_exits_0(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "check", "clean.txt", "--wordlist", str(wl))
    assert (result.code, result.out, result.err) == (ExitCode.OK, "", "")


def test_check_empty_file_is_not_an_error(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("empty.txt").write_bytes(b"")
    result = run(capsys, "check", "empty.txt", "--wordlist", str(wl))
    assert (result.code, result.out, result.err) == (ExitCode.OK, "", "")


def test_check_json_lines(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--all")
    assert result.code == ExitCode.FINDINGS
    records = [json.loads(line) for line in result.out.splitlines()]
    expected = engine.scan(DOC)
    worded = [{**f.to_dict("doc.txt"), "reason": worded_reason(f.reason)} for f in expected]
    assert records == [{"schema": JSON_SCHEMA, **f} for f in worded]
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
        result = run(
            capsys, "check", "doc.txt", "--wordlist", str(wl), "--format", "json", "--safety", level.value, "--all"
        )
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
