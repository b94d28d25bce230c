"""`check` and `fix` of files larger than a block: written as they are scanned, the same as read whole, and safe."""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from pathlib import Path

import pytest

from repair.edge import batch, blocks
from repair.edge.documents import TEMP_MARK

from .helpers import DOC, run

BLOCK = 1500  # characters: every test file below is several blocks


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_CHARS", BLOCK)


def _big(path: Path, copies: int = 30, encoding: str = "utf-8", bom: bool = False) -> str:
    """DOC over and over, each copy a little different (so lines and contexts differ), ASCII only."""
    text = "".join(f"Part {i}. " + (DOC if i % 3 else DOC.replace(".\n", ". ")) for i in range(copies))
    path.write_bytes((codecs.BOM_UTF8 if bom and encoding == "utf-8" else b"") + text.encode(encoding))
    return text


FORMATS = [[], ["--format", "json"], ["--format", "github"], ["--format", "sarif"], ["--statistics"], ["--risk"]]


@pytest.mark.parametrize("fmt", FORMATS, ids=["human", "json", "github", "sarif", "statistics", "risk"])
def test_check_of_a_large_file_is_the_same_read_whole_in_blocks_and_with_workers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path, fmt: list[str]
) -> None:
    _big(tmp_path / "big.txt")
    (tmp_path / "small.txt").write_text(DOC)
    common = ["check", "big.txt", "small.txt", "--wordlist", str(wl), "--all", *fmt]
    streamed = run(capsys, *common, "-j", "1")
    assert streamed.code == 1 and streamed.out
    # latin-1 is not read a piece at a time: the file is read whole, its blocks scanned all the same
    assert run(capsys, *common, "-j", "1", "--encoding", "latin-1").out == streamed.out
    assert run(capsys, *common, "-j", "2").out == streamed.out
    if "sarif" in fmt:  # written as it goes, the log is what json.dumps makes of it whole
        assert json.dumps(json.loads(streamed.out), indent=1, ensure_ascii=False) + "\n" == streamed.out


class _Recording(io.StringIO):
    """stdout that notes, at each write, how many findings had been made and how many lines were written."""

    def __init__(self, made: list[int]) -> None:
        super().__init__()
        self.made = made
        self.lines = 0
        self.most_behind = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        self.most_behind = max(self.most_behind, self.made[0] - self.lines)
        return super().write(text)


def test_check_writes_each_blocks_findings_before_it_scans_the_next(
    tmp_path: Path, wl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(tmp_path / "big.txt", copies=200)
    made, per_block = [0], []
    real = batch.scan_block

    def counted(*args: object) -> list[object]:
        found = real(*args)  # type: ignore[arg-type]
        made[0] += len(found)
        per_block.append(len(found))
        return found

    monkeypatch.setattr(batch, "scan_block", counted)
    out = _Recording(made)
    monkeypatch.setattr(sys, "stdout", out)
    from repair.cli import main

    assert main(["check", "big.txt", "--wordlist", str(wl), "--all", "--no-config", "-j", "1"]) == 1
    assert len(per_block) >= 15 and out.lines == made[0] == sum(per_block)
    # never more findings held than one block's: each block's are written before the next block is scanned
    assert out.most_behind <= max(per_block)


def test_fix_of_a_large_file_writes_what_reading_it_whole_writes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path
) -> None:
    _big(tmp_path / "big.txt")
    os.chmod(tmp_path / "big.txt", 0o640)
    common = ["fix", "big.txt", "--wordlist", str(wl), "--safety", "choose"]
    assert run(capsys, *common, "-o", "whole.txt", "--encoding", "latin-1", "-j", "1").code == 0
    result = run(capsys, *common, "-o", "streamed.txt", "-j", "1")
    assert result.code == 0 and "fixes applied" in result.err
    whole = (tmp_path / "whole.txt").read_bytes()
    assert (tmp_path / "streamed.txt").read_bytes() == whole != (tmp_path / "big.txt").read_bytes()
    assert (tmp_path / "streamed.txt").stat().st_mode & 0o777 == 0o640  # the input's permissions
    assert run(capsys, *common, "-o", "parallel.txt", "-j", "2").code == 0
    assert (tmp_path / "parallel.txt").read_bytes() == whole
    assert run(capsys, *common, "-o", "-", "-j", "1").out.encode() == whole
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]


def test_fix_in_place_of_a_large_file_keeps_the_original_as_the_backup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path
) -> None:
    text = _big(tmp_path / "ascii.txt")
    assert run(capsys, "fix", "ascii.txt", "--wordlist", str(wl), "-o", "whole.txt", "--encoding", "latin-1").code == 0
    fixed = (tmp_path / "whole.txt").read_bytes().decode("latin-1")
    big = tmp_path / "big.txt"
    original = codecs.BOM_UTF16_LE + text.encode("utf-16-le")  # a BOM and UTF-16: kept byte for byte
    big.write_bytes(original)
    os.chmod(big, 0o600)
    assert run(capsys, "fix", "big.txt", "--wordlist", str(wl), "--in-place", "-j", "2").code == 0
    assert (tmp_path / "big.txt.bak").read_bytes() == original
    assert big.read_bytes() == codecs.BOM_UTF16_LE + fixed.encode("utf-16-le") != original
    assert big.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert big.stat().st_mode & 0o777 == 0o600 and (tmp_path / "big.txt.bak").stat().st_mode & 0o777 == 0o600
    # a second run: the backup from the first is never replaced
    again = run(capsys, "fix", "big.txt", "--wordlist", str(wl), "--in-place", "--safety", "choose")
    assert again.code == 2 and "backup from an earlier run" in again.err
    assert (tmp_path / "big.txt.bak").read_bytes() == original
    assert run(capsys, "fix", "big.txt", "--wordlist", str(wl), "--in-place", "--safety", "choose", "--force").code == 0
    assert (tmp_path / "big.txt.bak").read_bytes() == original
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]


def test_fix_in_place_leaves_an_unchanged_large_file_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path
) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("Nothing to see here, just plain words.\n" * 200)
    before = clean.stat().st_mtime_ns
    assert run(capsys, "fix", "clean.txt", "--wordlist", str(wl), "--in-place").code == 0
    assert clean.stat().st_mtime_ns == before and not (tmp_path / "clean.txt.bak").exists()
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]


def test_fix_in_place_does_not_overwrite_a_large_file_changed_while_it_was_fixed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    _big(big)
    real = batch.scan_block

    def meanwhile(scan: object, block: blocks.Block) -> object:
        if block.last:  # someone saves the file while the last block is being fixed
            with big.open("a") as handle:
                handle.write("A line added meanwhile.\n")
        return real(scan, block)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "scan_block", meanwhile)
    result = run(capsys, "fix", "big.txt", "--wordlist", str(wl), "--in-place", "-j", "1")
    assert result.code == 2 and "changed on disk since it was read" in result.err
    assert big.read_text().endswith("A line added meanwhile.\n")  # their edit kept
    assert not (tmp_path / "big.txt.bak").exists()
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]


@pytest.mark.parametrize("mode", [["--in-place"], ["-o", "out.txt"]])
def test_an_interrupted_fix_of_a_large_file_leaves_no_half_written_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wl: Path, monkeypatch: pytest.MonkeyPatch, mode: list[str]
) -> None:
    big = tmp_path / "big.txt"
    _big(big, copies=100)
    before = big.read_bytes()
    real = batch.scan_block

    def interrupted(scan: object, block: blocks.Block) -> object:
        if block.index == 3:  # blocks 0-2 are written to the temporary file by now
            raise KeyboardInterrupt
        return real(scan, block)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "scan_block", interrupted)
    result = run(capsys, "fix", "big.txt", "--wordlist", str(wl), *mode, "-j", "1")
    assert result.code == 130 and result.err.splitlines() == ["repair: error: interrupted"]
    assert big.read_bytes() == before and not (tmp_path / "out.txt").exists()
    assert not (tmp_path / "big.txt.bak").exists()
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]
