"""Every error a user can cause is one line and exit 2; an internal error is never exit 1 (issue 12 point 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import repair.cli.check
from repair.cli import ExitCode, main
from repair.edge.documents import InputError
from repair.review import ReviewOptions, Workspace

from .helpers import DOC, assert_one_error, run


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_named_symlink_loop_is_one_line_and_the_batch_goes_on(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, command: str
) -> None:
    os.symlink("loop.txt", "loop.txt")
    output = ["--diff"] if command == "fix" else []
    result = run(capsys, command, "loop.txt", "doc.txt", *output, "--wordlist", str(wl), "-q")
    assert result.code == ExitCode.ERROR
    assert result.err_lines == ["repair: error: loop.txt: symlink loop (too many levels of symbolic links)"]
    assert "squaddies" in result.out  # doc.txt was still done


def test_a_symlink_loop_met_in_a_folder_is_reported_and_the_walk_goes_on(
    capsys: pytest.CaptureFixture[str], wl: Path
) -> None:
    Path("tree").mkdir()
    os.symlink("b.txt", "tree/a.txt")
    os.symlink("a.txt", "tree/b.txt")
    Path("tree/c.txt").write_text(DOC)
    result = run(capsys, "check", "tree", "--wordlist", str(wl), "-q")
    assert result.code == ExitCode.ERROR
    assert [line for line in result.err_lines if "symlink loop" in line] == [
        "repair: error: tree/a.txt: symlink loop (too many levels of symbolic links)",
        "repair: error: tree/b.txt: symlink loop (too many levels of symbolic links)",
    ]
    assert "tree/c.txt:2:5" in result.out


@pytest.mark.parametrize("codec", ["rot13", "hex", "base64", "zlib", "uu", "punycode", "undefined", "idna"])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, codec: str, command: str
) -> None:
    result = run(capsys, command, "doc.txt", "--encoding", codec, "--wordlist", str(wl))
    assert_one_error(result, codec, "not a text encoding")
    # review: the same argument type, and the same refusal where the documents are read
    assert_one_error(run(capsys, "review", "--encoding", codec), codec, "not a text encoding")
    with pytest.raises(InputError, match="not a text encoding"):
        Workspace(ReviewOptions(paths=("doc.txt",), wordlists=(str(wl),), encoding=codec))


@pytest.mark.parametrize("option", ["window=²", "count=²", "window=٣", "count=߁"])
def test_a_wordlist_number_in_other_digits_is_one_line(
    capsys: pytest.CaptureFixture[str], doc: Path, option: str
) -> None:
    Path("odd.txt").write_text(f"squaddie -> soldier ; near=army ; {option}\n", encoding="utf-8")
    assert_one_error(run(capsys, "check", "doc.txt", "--wordlist", "odd.txt"), "odd.txt:1", "whole number")


def test_a_config_file_that_is_not_utf8_is_one_line(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    Path(".repair.toml").write_bytes("threshold = 0.5 # café\n".encode("latin-1"))
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), config=True)
    assert_one_error(result, ".repair.toml", "not valid UTF-8")


def test_a_deeply_nested_decisions_file_is_one_line(capsys: pytest.CaptureFixture[str], wl: Path, doc: Path) -> None:
    header = json.dumps({"document": "doc.txt", "format": "repair-decisions", "sha256": "", "version": 1})
    Path("deep.jsonl").write_text(header + "\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run(capsys, "fix", "doc.txt", "--decisions", "deep.jsonl", "--wordlist", str(wl))
    assert_one_error(result, "deep.jsonl:2", "nested too deeply")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["check"], ["fix"], ["check", "--format", "json"]])
def test_stdout_on_a_full_disk_is_one_line_exit_2(wl: Path, doc: Path, command: list[str]) -> None:
    argv = [sys.executable, "-m", "repair", *command, "doc.txt", "--wordlist", str(wl), "--no-config"]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.splitlines() == ["repair: error: <stdout>: cannot write (No space left on device)"]


def test_an_internal_error_is_one_line_exit_3_never_1(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(repair.cli.check, "run", broken)
    monkeypatch.delenv("REPAIR_DEBUG", raising=False)
    assert main(["check", "doc.txt", "--no-config", "--wordlist", str(wl)]) == ExitCode.INTERNAL == 3
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "repair: internal error: ZeroDivisionError: a bug (please report it; REPAIR_DEBUG=1 shows the traceback)"
    ]
    monkeypatch.setenv("REPAIR_DEBUG", "1")
    assert main(["check", "doc.txt", "--no-config", "--wordlist", str(wl)]) == ExitCode.INTERNAL
    assert "Traceback" in capsys.readouterr().err
