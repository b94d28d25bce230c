"""Settings from `.repair.toml` and `[tool.repair]`, parsed by the same parser as the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.core.engine import Engine, Selection, fix
from repair.core.model import Safety

from .helpers import (
    DOC,
    LINE,
    WORDLIST,
    _json_paths,
    assert_one_error,
    run,
)

# ---------------------------------------------------------------- config


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
