"""`repair fix`: where the output goes, what is applied, bytes kept, usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.cli import ExitCode, main
from repair.cli.report import plural
from repair.core.engine import Engine, Selection, fix
from repair.core.model import Safety
from repair.edge.reporting import REPORT_THRESHOLD

from ..conftest import SPUN_SEED
from .helpers import (
    CLEAN,
    DOC,
    _stdin,
    _tree,
    assert_one_error,
    run,
    snapshot,
)

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
    remaining = len(engine.scan(DOC, least=REPORT_THRESHOLD)) - len(applied)  # what review shows, not applied
    left = plural(remaining, "finding")
    assert result.err_lines == [f"repair: 1 file, {plural(len(applied), 'fix')} applied, {left} left for review"]
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


def test_fix_in_place_never_replaces_a_backup(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("a.txt").write_text(DOC)
    Path("a.txt.bak").write_text("older original")
    result = run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(wl))
    assert_one_error(result, "a.txt.bak", "never replaced", "--force")
    assert Path("a.txt").read_text() == DOC
    assert Path("a.txt.bak").read_text() == "older original"
    forced = run(capsys, "fix", "a.txt", "--in-place", "--force", "--wordlist", str(wl))
    assert forced.code == ExitCode.OK
    assert "a.txt.bak from an earlier run kept" in forced.err
    assert Path("a.txt").read_text() != DOC
    assert Path("a.txt.bak").read_text() == "older original"


def test_fix_output_dir_mirrors_relative_paths(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, engine: Engine
) -> None:
    _tree(tmp_path)
    Path("out").mkdir()
    before = snapshot(tmp_path / "articles")
    result = run(capsys, "fix", "articles", "--output-dir", "out", "--wordlist", str(wl))
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    assert sorted(snapshot(tmp_path / "out")) == ["2024/b.md", "2024/c.txt", "a.txt", "page.html"]
    assert Path("out/a.txt").read_text() == fix(DOC, engine)[0]
    assert Path("out/2024/c.txt").read_text() == CLEAN
    assert snapshot(tmp_path / "articles") == before
    again = run(capsys, "fix", "articles", "--output-dir", "out", "--wordlist", str(wl))
    assert again.code == ExitCode.ERROR and all("already exists" in line for line in again.err_lines)
    assert len(again.err_lines) == 4


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


def test_fix_counts_left_for_review_what_review_shows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """What fix counts as left for review is what `repair review` shows by default and `check` reports: the
    findings at least the report threshold that it did not apply, not every faint candidate (2 MB of clean
    prose has tens of thousands)."""
    text = SPUN_SEED.read_text(encoding="utf-8")
    path = tmp_path / "spun.txt"
    path.write_text(text, encoding="utf-8")
    engine = Engine()
    _, applied = fix(text, engine)
    shown = engine.scan(text, least=REPORT_THRESHOLD)
    every = engine.scan(text)
    assert len(every) > len(shown) > len(applied)  # the seed has faint candidates, or this proves nothing
    result = run(capsys, "fix", str(path), "--no-user-lists", "-o", str(tmp_path / "out.txt"))
    left = len(shown) - len(applied)
    assert result.err_lines == [f"repair: 1 file, {len(applied)} fixes applied, {left} findings left for review"]
    checked = run(capsys, "check", str(path), "--no-user-lists")
    assert len(checked.out.splitlines()) == len(shown)


def test_fix_still_makes_the_faint_choices_it_is_told_to_apply(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # fix makes findings only from the report threshold up, unless it may apply fainter ones (--safety choose).
    text = SPUN_SEED.read_text(encoding="utf-8")
    path = tmp_path / "spun.txt"
    path.write_text(text, encoding="utf-8")
    fixed, applied = fix(text, Engine(), Selection(threshold=0.0, safety=Safety.CHOOSE))
    assert any(f.confidence < REPORT_THRESHOLD for f in applied)  # or this proves nothing
    result = run(capsys, "fix", str(path), "--no-user-lists", "--safety", "choose", "-o", "-")
    assert result.out == fixed
