"""What the command-line tests share: a wordlist and document, running `main` in-process, assertions."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from repair.cli import ExitCode, main
from repair.review import ReviewOptions, Workspace

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


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


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
    return ["articles/2024/b.md", "articles/a.txt", "articles/page.html"]


def _json_paths(result: Run) -> list[str]:
    return [json.loads(line)["path"] for line in result.out.splitlines()]


def _json_findings(result: Run) -> list[dict[str, object]]:
    return [r for r in map(json.loads, result.out.splitlines()) if "risk" not in r]


def _review(wl: Path, path: str = "doc.txt") -> Workspace:
    return Workspace(ReviewOptions(paths=(path,), wordlists=(str(wl),)))


def _at(session: object, spun: str) -> None:
    index = next(i for i, f in enumerate(session.findings) if f.spun == spun)  # type: ignore[attr-defined]
    assert session.goto(index)  # type: ignore[attr-defined]
