"""`repair wordlist check` and `list`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.core import inflections
from repair.core.engine import Engine
from repair.core.wordlists import lint, load_path, load_shipped, shipped_names, wordlist_dir

from ..conftest import SPUN_SEED
from .helpers import (
    assert_one_error,
    run,
)

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
        " (run: python scripts/build_inflections.py)"
    ]


def test_wordlist_list(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "wordlist", "list")
    assert result.code == ExitCode.OK
    rows = [line.split() for line in result.out.splitlines()]
    counts = {wl.name: len(wl.entries) for wl in load_shipped(shipped_names())}
    assert {row[0]: int(row[1]) for row in rows} == counts


@pytest.mark.skipif("news" not in shipped_names(), reason="the shipped news list is not written yet")
def test_default_wordlists_are_the_shipped_news_and_spinner_lists(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", str(SPUN_SEED), "--format", "json", "--all")
    expected = Engine(load_shipped(["news", "spinner"])).scan(SPUN_SEED.read_text(encoding="utf-8"))
    assert [json.loads(line)["key"] for line in result.out.splitlines()] == [f.key for f in expected]
