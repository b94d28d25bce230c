"""Large files read and scanned a block at a time, in one process or shared among workers (repair.edge.batch)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from repair.core.risk import count_words
from repair.edge import batch, streams
from repair.edge.batch import AUTO_POOL_BYTES, TASKS_PER_WORKER, FileResult, ScanOptions, default_jobs, scan_all
from repair.edge.blocks import lookahead
from repair.edge.documents import InputError
from repair.edge.inputs import STDIN, Source
from repair.edge.setup import EngineSpec, load_wordlists
from repair.edge.streams import READ_BYTES

from ..conftest import SPUN_SEED

BLOCK = 3000  # characters: small, so a test file of a few blocks is quick to scan


@pytest.fixture
def options(small_wordlist: Path) -> ScanOptions:
    return ScanOptions(EngineSpec(load_wordlists([str(small_wordlist)])), stream=True, block_chars=BLOCK)


def _big(tmp_path: Path, name: str = "big.txt", copies: int = 4) -> Path:
    """Several blocks of the spun seed (with some of its line breaks made spaces, so some cuts fall mid-line)."""
    text = SPUN_SEED.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text("".join(text if i % 2 else text.replace(".\n", ". ") for i in range(copies)), encoding="utf-8")
    return path


def _findings(results: list[FileResult]) -> list[tuple[object, ...]]:
    return [
        (f.start, f.end, f.line, f.column, f.spun, f.suggestions, f.confidence, f.key)
        for r in results
        for f in r.findings
    ]


def test_a_large_file_comes_back_a_block_at_a_time_with_the_findings_of_reading_it_whole(
    tmp_path: Path, options: ScanOptions
) -> None:
    path = _big(tmp_path)
    parts = list(scan_all([Source(str(path))], replace(options, count_words=True)))
    whole = list(scan_all([Source(str(path))], replace(options, stream=False, count_words=True)))
    assert len(parts) > 4 and len(whole) == 1  # read whole: one result, its blocks scanned all the same
    assert [r.part for r in parts] == list(range(len(parts)))
    assert [r.final for r in parts] == [False] * (len(parts) - 1) + [True]
    assert _findings(parts) == _findings(whole) and len(_findings(whole)) > 40
    assert sum(r.words or 0 for r in parts) == whole[0].words == count_words(path.read_text(encoding="utf-8"))
    assert all(r.file is not None and r.file.encoding == "utf-8" for r in parts)
    assert parts[-1].file is not None and parts[-1].file.digest is not None  # the bytes read, for an in-place fix
    assert all(r.block is None and r.document is None for r in parts)  # the text does not come back


def test_workers_share_the_blocks_of_one_file_and_the_results_are_those_of_one_process(
    tmp_path: Path, options: ScanOptions
) -> None:
    sources = [Source(str(_big(tmp_path))), Source(str(tmp_path / "missing.txt")), Source(str(_big(tmp_path, "b.txt")))]
    serial = list(scan_all(sources, options, jobs=1))
    parallel = list(scan_all(sources, options, jobs=2))
    assert parallel == serial
    assert [r.source for r in serial if r.final] == sources


def test_stdin_larger_than_a_block_comes_back_in_blocks(
    tmp_path: Path, options: ScanOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _big(tmp_path).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    parts = list(scan_all([Source(STDIN)], options))
    assert len(parts) > 4 and parts[-1].final
    assert _findings(parts) == _findings(list(scan_all([Source(str(tmp_path / "big.txt"))], options)))


def test_only_plain_text_in_a_unicode_encoding_is_streamed_and_the_findings_do_not_depend_on_it(
    tmp_path: Path, options: ScanOptions
) -> None:
    text = _big(tmp_path).read_text(encoding="utf-8").encode("latin-1", "replace").decode("latin-1")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(text.encode("latin-1"))
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(text, encoding="utf-8")
    read_whole = list(scan_all([Source(str(latin))], replace(options, encoding="latin-1")))
    streamed = list(scan_all([Source(str(utf8))], options))
    assert len(read_whole) == 1 and len(streamed) > 1
    assert _findings(read_whole) == _findings(streamed)
    markdown = tmp_path / "big.md"
    markdown.write_text(text, encoding="utf-8")
    assert len(list(scan_all([Source(str(markdown))], options))) == 1  # the Markdown reader needs it whole


def _counting_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the batch note how many characters of the file it has read so far."""
    read = [0]
    real = batch.pieces

    def counted(*args: object, **kwargs: object) -> Iterator[str]:
        for piece in real(*args, **kwargs):  # type: ignore[arg-type]
            read[0] += len(piece)
            yield piece

    monkeypatch.setattr(batch, "pieces", counted)
    return read


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_large_file_is_read_only_a_few_blocks_ahead_of_what_has_been_handed_on(
    tmp_path: Path, options: ScanOptions, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    path = _big(tmp_path, copies=12)
    read = _counting_pieces(monkeypatch)
    ahead = 0 if jobs == 1 else 2 * TASKS_PER_WORKER  # blocks handed to workers before their results come back
    seen = 0
    for result in scan_all([Source(str(path))], options, jobs=jobs):
        seen += 1
        limit = (result.part + 1 + ahead) * BLOCK + lookahead(BLOCK) + 40 + READ_BYTES
        assert read[0] <= limit, f"part {result.part}: {read[0]} characters read"
    assert seen > 20 and read[0] == len(path.read_text(encoding="utf-8"))


def test_a_file_that_stops_reading_as_text_midway_ends_in_an_error_after_the_blocks_done(
    tmp_path: Path, options: ScanOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path)
    real = batch.pieces

    def broken(*args: object, **kwargs: object) -> Iterator[str]:
        feed = real(*args, **kwargs)  # type: ignore[arg-type]
        for _ in range(3):
            yield next(feed)
        raise InputError(f"{path}: not valid utf-8 text at byte 12345")

    monkeypatch.setattr(batch, "pieces", broken)
    monkeypatch.setattr(streams, "READ_BYTES", 4096)
    results = list(scan_all([Source(str(path))], options))
    assert results[-1].error is not None and results[-1].final and results[-1].part == len(results) - 1
    assert all(r.scanned and not r.final for r in results[:-1])


def test_without_jobs_a_pool_is_used_only_for_much_input(tmp_path: Path, options: ScanOptions) -> None:
    small = [Source(str(_big(tmp_path, f"{i}.txt", copies=1))) for i in range(3)]
    assert default_jobs(small, options) == 1
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"word " * (AUTO_POOL_BYTES // 5 + 1))
    assert default_jobs([Source(str(huge))], options) == 0  # one file, many blocks: all cores
    assert default_jobs([Source(str(huge))], replace(options, stream=False)) == 1  # one task: one process
    assert default_jobs([Source(str(huge)), *small], replace(options, stream=False)) == 0
