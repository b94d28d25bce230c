"""The user data folder's wordlist and ignore list, in check, fix and review alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.edge.userdata import UserData

from .helpers import (
    DOC,
    _at,
    _json_findings,
    _review,
    assert_one_error,
    run,
    snapshot,
)

# ---------------------------------------------------------------- the user data folder


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
