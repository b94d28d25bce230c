"""One parser shape: the same option names and error prefix everywhere, did-you-mean, review reading the config."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.cli import review as review_command
from repair.cli.parser import FORMATS, build_parser
from repair.edge.reporting import REPORT_THRESHOLD

from .helpers import assert_one_error, run


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "doc.txt", "--treshold", "0.5"], "did you mean --threshold?"),
        (["fix", "doc.txt", "--in-plcae"], "did you mean --in-place?"),
        (["report", "doc.txt", "-o", "r.html", "--exlude", "x"], "did you mean --exclude?"),
        (["trace", "doc.txt", "--corpus", ".", "--tpo", "3"], "did you mean --top?"),
    ],
)
def test_unknown_options_get_a_did_you_mean(
    capsys: pytest.CaptureFixture[str], doc: Path, argv: list[str], needle: str
) -> None:
    result = run(capsys, *argv)
    assert_one_error(result, "repair: error: unrecognized arguments", needle)


@pytest.mark.parametrize(
    "argv",
    [
        ["fix", "doc.txt", "a.txt"],  # several inputs and no output option
        ["fix", "-", "--in-place"],
        ["check"],
        ["eval", "--format", "xml"],
        ["review", "doc.txt", "--threshold", "2"],
    ],
)
def test_every_command_reports_usage_errors_with_one_prefix(
    capsys: pytest.CaptureFixture[str], doc: Path, argv: list[str]
) -> None:
    Path("a.txt").write_text("x\n")
    result = run(capsys, *argv)
    assert_one_error(result)
    assert result.err.startswith("repair: error: ")


def test_an_unknown_config_key_gets_a_did_you_mean(capsys: pytest.CaptureFixture[str], doc: Path) -> None:
    Path(".repair.toml").write_text("treshold = 0.5\n")
    result = run(capsys, "check", "doc.txt", config=True)
    assert_one_error(result, ".repair.toml: unknown key 'treshold' (did you mean 'threshold'?)")


def _options(command: str) -> dict[str, argparse.Action]:
    parser = build_parser().parser
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    return {o: a for a in sub._actions for o in a.option_strings}


def test_shared_options_have_one_name_and_one_set_of_values() -> None:
    for command in ("check", "fix", "report", "review"):
        options = _options(command)
        for name in ("--wordlist", "--threshold", "--encoding", "--no-user-lists", "--recall-mode", "--config"):
            assert name in options, (command, name)
    for command in ("check", "report", "review"):
        assert "--all" in _options(command)
    assert tuple(_options("check")["--format"].choices) == FORMATS  # type: ignore[arg-type]
    for command in ("eval", "trace"):
        assert tuple(_options(command)["--format"].choices) == ("human", "json")  # type: ignore[arg-type]


def test_review_reads_the_same_config_as_check_and_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, wl: Path, doc: Path
) -> None:
    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(review_command, "run", lambda args: seen.append(args) or 0)
    Path(".repair.toml").write_text(
        f'wordlist = ["{wl}"]\nthreshold = 0.7\nformat = "json"\n[review]\nrecall-mode = true\n'
    )
    assert run(capsys, "review", "doc.txt", config=True).code == ExitCode.OK
    options = review_command.options_from_args(seen[-1])
    assert options.wordlists == (str(wl),) and options.threshold == 0.7 and options.discover
    assert run(capsys, "review", "doc.txt", "--no-config", config=True).code == ExitCode.OK
    assert review_command.options_from_args(seen[-1]).threshold == REPORT_THRESHOLD


def test_review_without_the_tui_extra_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, doc: Path
) -> None:
    import sys

    for name in [m for m in sys.modules if m == "textual" or m.startswith(("textual.", "repair.tui"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "textual", None)  # as if not installed
    result = run(capsys, "review", "doc.txt")
    assert_one_error(result, "repair review needs the terminal UI (textual is not installed)")
    assert result.err.rstrip().endswith("pip install 'repair-despinner[tui]'")


def test_progress_is_one_line_on_a_terminal_and_cleared_before_each_result(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    from repair.cli.report import CLEAR_LINE, progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from repair.edge.batch import FileResult
    from repair.edge.inputs import Source

    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    seen = []
    # "b" is read a block at a time: its first part does not count as a file done
    results = [FileResult(Source("a")), FileResult(Source("b"), final=False), FileResult(Source("b"), part=1)]
    results.append(FileResult(Source("c")))
    for result in progress(iter(results), 3, quiet=False):
        seen.append((result.source.path, err.getvalue().endswith(CLEAR_LINE)))
        if result.part == 1:
            assert err.getvalue().rsplit(CLEAR_LINE, 2)[-2] == "scanning 1/3 files"
    assert seen == [("a", True), ("b", True), ("b", True), ("c", True)]
    assert "scanning 2/3 files" in err.getvalue() and err.getvalue().endswith(CLEAR_LINE)
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    assert list(progress(iter(results[:2]), 2, quiet=True)) == results[:2]
    assert quiet.getvalue() == ""
